"""groundswell: measure hashtag movements honestly."""
