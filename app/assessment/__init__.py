"""How the county will score the township (考核自评) and the 佐证材料 that prove it."""
