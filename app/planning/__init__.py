"""The township's year: what the catalog expects, period by period, and the county's
problem lists to be mended (整改)."""
