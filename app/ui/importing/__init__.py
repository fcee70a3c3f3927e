"""File ▸ Import… and paste: a table previewed, checked and imported as one undo step."""
