"""gongkai's PySide6 face. Talks to app/ only through its public functions."""
