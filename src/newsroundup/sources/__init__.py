"""Anything → Article: files, folders, JSONL, HTML pages (and, later, feeds and fetching)."""
