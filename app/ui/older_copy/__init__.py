"""File ▸ Save a Copy for an Older Samplebook…: the release, what it loses, the file, the copy."""
