"""设置 › 电子屏: the township's screens, one a line as 名称 宽x高."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

from app.printing.screen import Screen, list_screens, screens_text, set_screens
from ui.tasks import Runner
from ui.workflow_box import SettingsBox


class ScreensBox(SettingsBox):
    """电子屏: the names and resolutions ``notice export --size`` accepts by name."""

    def __init__(self, runner: Runner) -> None:
        super().__init__("电子屏", runner)
        self.screens = QPlainTextEdit()
        self.screens.setPlaceholderText("每行一块屏：名称 宽x高，如\n镇大厅大屏 1920x1080\n"
                                        "村委会门口LED屏 768x384")
        self.screens.setMaximumHeight(110)
        self.form.addRow("电子屏", self.screens)
        self._add_buttons()

    def refresh(self) -> None:
        """Read the screens in the background."""
        self.runner.run(list_screens, self._show)

    def _show(self, screens: list[Screen]) -> None:
        self.screens.setPlainText(screens_text(screens))
        self.loaded.emit()

    def save(self) -> None:
        """Save the screens; a line that is not 名称 宽x高 is named and nothing changes."""
        text = self.screens.toPlainText()
        self._save(lambda s: set_screens(s, text), self._show)
