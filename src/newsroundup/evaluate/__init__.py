"""Benchmark data → scores: datasets, scorers and side-by-side peer runs."""
