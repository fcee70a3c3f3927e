"""File ▸ Export Subset: choosing samples, running the export, and what came of it."""
