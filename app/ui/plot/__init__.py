"""View ▸ Plot: measurements drawn with pyqtgraph, which is imported when the panel first opens."""
