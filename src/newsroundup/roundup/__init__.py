"""From the articles of one story to a cited roundup: salience, selection, ordering, repair, checking."""
