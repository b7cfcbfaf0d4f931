"""考核自评: placeholder until the page is built."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from ui.page import Page
from ui.tasks import Changes, Runner


class AssessPage(Page):
    """考核自评."""

    cares = Changes.PLAN | Changes.NOTICES | Changes.CATALOG

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        layout = QVBoxLayout(self)
        title = QLabel("考核自评")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addStretch(1)
