"""Qt item models over the document's data (read through app.domain)."""
