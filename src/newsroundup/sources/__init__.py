"""Anything → Article: files, folders, JSONL, HTML pages, feeds, OPML, and polite fetching (guard, robots)."""
