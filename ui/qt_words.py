"""Qt's own words in Chinese: standard buttons, text-field menus, print and file dialogs."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def install_qt_chinese(app: QApplication) -> bool:
    """Load Qt's Simplified Chinese catalogue into ``app``; return whether it was found.

    Whatever language the PC is set to, the clerk reads Chinese, so the catalogue is
    chosen by name rather than by the system locale. Without it (a trimmed Qt) the
    program still works, with Qt's built-in English for those few words.
    """
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China),
                           "qtbase", "_", folder):
        log.warning("Qt's Chinese catalogue not found in %s", folder)
        return False
    app.installTranslator(translator)
    return True
