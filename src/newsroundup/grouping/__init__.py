"""Articles → stories: copies (MinHash), vectors (embedder), signals, the pair scorer, the story index, its state."""
