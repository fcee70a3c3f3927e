"""File ▸ Export Table…: samples or their measurements as .csv, .tsv or .xlsx."""
