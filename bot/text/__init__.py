"""Article analysis: cleaning, sentences, quotes, distances and factuality cues. Pure Python."""
