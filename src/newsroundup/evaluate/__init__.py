"""Datasets, scorers and side-by-side peer runs."""
