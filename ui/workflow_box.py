"""设置's workflow boxes: review steps and their reviewers, the villages' boards, the
township's published numbers. Each box saves on its own, so a refused phone number
never keeps the boards or the review steps from being saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from app.facts import REVIEW_STEPS
from app.notices.workflow import (
    get_reviewers,
    get_workflow,
    set_office_phones,
    set_review,
    set_villages,
    split_names,
)
from app.store import Store
from ui.tasks import Changes, Runner
from ui.widgets import say

ONE_REVIEWER = "本镇只有一名审核人（允许同一人审核各步）"


class SettingsBox(QGroupBox):
    """A box of 设置 with its own 保存 button and its own answer beneath."""

    saved = Signal()
    loaded = Signal()

    def __init__(self, title: str, runner: Runner) -> None:
        super().__init__(title)
        self.runner = runner
        self.form = QFormLayout(self)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)

    def _add_buttons(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.message, 1)
        self.form.addRow(row)

    def refresh(self) -> None:
        """Read what the box shows in the background."""

    def save(self) -> None:
        """Save what the box holds."""

    def _save(self, work: Callable[[Store], Any], show: Callable[[Any], None]) -> None:
        """Run ``work``; on success show what was stored, on refusal keep what was typed."""
        self.save_button.setEnabled(False)

        def done(value: Any) -> None:
            self.save_button.setEnabled(True)
            show(value)
            say(self.message, "已保存。")
            self.saved.emit()

        def failed(message: str) -> None:
            self.save_button.setEnabled(True)
            say(self.message, message, error=True)

        self.runner.run(work, done, failed, changes=Changes.SETTINGS, origin=self)


class ReviewBox(SettingsBox):
    """审核步骤: how many steps, who may pass each, whether one person may pass them all."""

    def __init__(self, runner: Runner) -> None:
        super().__init__("审核步骤", runner)
        self.steps = QComboBox()
        for n in (1, 2, 3):
            self.steps.addItem(" → ".join(REVIEW_STEPS[:n]), n)
        self.steps.currentIndexChanged.connect(lambda _i: self._used_steps())
        self.form.addRow("审核步骤", self.steps)
        self.reviewers: dict[str, QLineEdit] = {}
        for step in REVIEW_STEPS:
            names = QLineEdit()
            names.setPlaceholderText("可以审核这一步的人，姓名用逗号分隔；不填则不限")
            self.reviewers[step] = names
            self.form.addRow(f"{step}人", names)
        self.one_reviewer = QCheckBox(ONE_REVIEWER)
        self.form.addRow(self.one_reviewer)
        self._add_buttons()

    def _used_steps(self) -> None:
        # Names of a step not in use stay, greyed, for when the step is used again.
        used = REVIEW_STEPS[: self.steps.currentData() or len(REVIEW_STEPS)]
        for step, names in self.reviewers.items():
            names.setEnabled(step in used)

    def refresh(self) -> None:
        """Read the steps and the reviewers in the background."""
        self.runner.run(lambda s: (get_workflow(s).review_steps, get_reviewers(s)), self._show)

    def _show(self, data: tuple[int, tuple[dict[str, list[str]], bool]]) -> None:
        steps, (named, one) = data
        self.steps.setCurrentIndex(steps - 1)
        for step, names in self.reviewers.items():
            names.setText("，".join(named.get(step, [])))
        self.one_reviewer.setChecked(one)
        self._used_steps()
        self.loaded.emit()

    def save(self) -> None:
        """Save the steps and their reviewers together (one transaction)."""
        steps, one = int(self.steps.currentData()), self.one_reviewer.isChecked()
        typed = {step: names.text() for step, names in self.reviewers.items()}

        def work(store: Store) -> tuple[int, tuple[dict[str, list[str]], bool]]:
            set_review(store, steps, {step: split_names(text) for step, text in typed.items()},
                       one)
            return get_workflow(store).review_steps, get_reviewers(store)

        self._save(work, self._show)


class VillagesBox(SettingsBox):
    """各村公开栏: one board per village, named as typed."""

    def __init__(self, runner: Runner) -> None:
        super().__init__("各村公开栏", runner)
        self.villages = QPlainTextEdit()
        self.villages.setPlaceholderText("每行一个村（社区），如：西岭村，即“西岭村村务公开栏”；"
                                         "也可写公开栏的全称，如：西岭村公示栏")
        self.villages.setMaximumHeight(110)
        self.form.addRow("各村公开栏", self.villages)
        self._add_buttons()

    def refresh(self) -> None:
        """Read the villages in the background."""
        self.runner.run(lambda s: get_workflow(s).villages, self._show)

    def _show(self, villages: list[str]) -> None:
        self.villages.setPlainText("\n".join(villages))
        self.loaded.emit()

    def save(self) -> None:
        """Save the villages' boards (villages left out are retired, never deleted)."""
        text = self.villages.toPlainText()
        self._save(lambda s: set_villages(s, text), self._show)


class PhonesBox(SettingsBox):
    """公开的办公电话: numbers printed on purpose, never masked as personal data."""

    def __init__(self, runner: Runner) -> None:
        super().__init__("公开的办公电话", runner)
        self.phones = QLineEdit()
        self.phones.setPlaceholderText("举报电话、办公电话等，用逗号分隔，"
                                       "如 0531-8765 4321，12345；这些号码不会被遮盖")
        self.form.addRow("办公电话", self.phones)
        self._add_buttons()

    def refresh(self) -> None:
        """Read the numbers in the background."""
        self.runner.run(lambda s: get_workflow(s).office_phones, self._show)

    def _show(self, phones: list[str]) -> None:
        self.phones.setText("，".join(phones))
        self.loaded.emit()

    def save(self) -> None:
        """Save the numbers; one that is not a phone number is named and nothing changes."""
        text = self.phones.text()
        self._save(lambda s: set_office_phones(s, text), self._show)
