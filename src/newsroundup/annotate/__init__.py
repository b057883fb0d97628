"""Who said what in one article: Article → names, entities and aliases, references, quotes and speech, with spans."""
