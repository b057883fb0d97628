"""Model-free language tools shared by the stages: cleaning, sentences, tokens, discourse cues, dates, key terms."""
