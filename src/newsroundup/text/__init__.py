"""Language tools shared by the stages: cleaning, sentences, tokens, discourse cues."""
