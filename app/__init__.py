"""gongkai core: everything that is not a widget. This package never imports Qt."""

__version__ = "0.1.0"
