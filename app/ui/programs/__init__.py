"""Tools ▸ External Programs: configuring them, running them on a temporary export, their output."""
