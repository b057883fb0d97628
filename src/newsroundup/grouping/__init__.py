"""Articles → stories: copies (MinHash), vectors (embedder), signals, the similarity scorer and the story index."""
