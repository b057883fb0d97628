"""Roundups into what readers open: Markdown, JSON and HTML."""
