"""Render resources/icons/gongkai.svg into the PNG sizes desktops ask for and a Windows .ico.

Run by installer/build.py inside the build's virtual environment (it needs Qt's SVG
renderer and Pillow, both already dependencies of the program). The SVG is the
only icon kept in the tree; the window loads it directly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The sizes of the freedesktop hicolor theme that launchers and menus look up.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "gongkai.svg"


def render(out: Path) -> list[Path]:
    """Write ``gongkai-<size>.png`` for every size and ``gongkai.ico``; return the files."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (QPainter needs it)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in PNG_SIZES:
        # Each size is drawn from the vector, not scaled down from 256 px, so small
        # icons keep sharp edges.
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / f"gongkai-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"cannot write {path}")
        written.append(path)
    frames = [Image.open(path) for path in written]
    ico = out / "gongkai.ico"
    frames[-1].save(ico, sizes=[(size, size) for size in PNG_SIZES],
                    append_images=frames[:-1])
    written.append(ico)
    return written


if __name__ == "__main__":
    for made in render(Path(sys.argv[1])):
        print(made)
