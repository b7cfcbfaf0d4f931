"""Chinese on any PC: the system's faces where installed, the bundled one otherwise."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.printing.fonts import BUNDLED, FALLBACK, bundled_files

log = logging.getLogger(__name__)

#: Screen faces in order of preference; Windows and domestic Linux desktops
#: ship one of the first few, a bare machine has only the bundled one.
PREFERRED = ("Microsoft YaHei", "微软雅黑", "SimHei", "黑体", "Noto Sans CJK SC",
             "Source Han Sans SC", "WenQuanYi Micro Hei", "文泉驿微米黑")


def install_fonts(app: QApplication, point_size: int = 10) -> str:
    """Register the bundled faces and make the best available face the application font.

    The family list ends with the bundled fallback faces, so a 生僻字 in a
    name (CJK Extensions A–H) shows in the editor and the lists instead of a
    box. Returns the family chosen, so the caller can log it.
    """
    loaded: dict[str, list[str]] = {}
    for path in bundled_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            loaded[path.name] = QFontDatabase.applicationFontFamilies(font_id)
        else:
            log.warning("bundled font could not be loaded: %s", path)
    bundled = loaded.get(BUNDLED.name, [])[:1]
    fallbacks = [family for face in FALLBACK for family in loaded.get(face.path.name, [])[:1]]
    available = set(QFontDatabase.families())
    family = next((f for f in PREFERRED if f in available), bundled[0] if bundled else "")
    font = QFont(family, point_size)
    # Latin text keeps the platform's face; CJK falls back to ours through the family list.
    font.setFamilies(list(dict.fromkeys([family, *bundled, *fallbacks])))
    app.setFont(font)
    log.info("application font: %s", family)
    return family
