"""The articles of one story → a cited Roundup: candidates, salience, selection, mentions, enrichment, checking."""
