"""The desktop app: PySide6 lives only here. Everything it does to a file goes through app.document."""
