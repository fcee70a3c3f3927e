"""Bringing an analysis program's results back from an export: preview, then one undo step."""
