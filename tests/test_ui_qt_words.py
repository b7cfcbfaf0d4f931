"""Qt's own words (standard buttons, text menus) read in Chinese whatever the PC's language."""

from __future__ import annotations

import os

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
