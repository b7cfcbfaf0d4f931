"""Data shipped with gongkai: the default catalog, fonts, templates, icons."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
