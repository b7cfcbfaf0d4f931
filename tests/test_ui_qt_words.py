"""Qt's own words (standard buttons, text menus) read in Chinese whatever the PC's language."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QTranslator  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialogButtonBox  # noqa: E402

from ui.qt_words import install_qt_chinese  # noqa: E402


def test_standard_buttons_and_text_menus_are_chinese(qapp: QApplication) -> None:
    assert install_qt_chinese(qapp)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Save)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
        assert box.button(QDialogButtonBox.StandardButton.Save).text() == "保存"
        # The right-click menu of every text field.
        assert "粘贴" in QCoreApplication.translate("QLineEdit", "&Paste")
    finally:
        # Other tests see the application as they always have.
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)
            translator.deleteLater()


def test_the_installed_pyside6_has_the_chinese_catalogue_the_file_dialogs_start_from() -> None:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    # (It leaves "Look in:" and "Files of type:" in English in Qt 6.11: ui.widgets.file_dialog
    # sets those itself, see tests/test_ui_friction.py.)
    assert (folder / "qtbase_zh_CN.qm").is_file()
