"""文书: draft, edit, preview, print and keep the letters of one 依申请公开 case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.info_requests import letters
from app.info_requests.cases import InfoRequest
from app.info_requests.letters import LetterDraft
from app.store import Store
from ui.print_dialog import PrintPreviewDialog
from ui.tasks import Runner
from ui.widgets import say

#: The blanks still to write stand out in the editor as they do on the draft print.
BLANK_BACKGROUND = QColor("#ffe08a")


def blanks_in(text: str) -> list[str]:
    """The ``【…】`` the clerk has still to write in ``text``."""
    return letters.blanks(text)


class LetterDialog(QDialog):
    """One request's letters: pick a kind, edit its text, preview and print, keep it."""

    kept = Signal(str)

    def __init__(self, runner: Runner, request: InfoRequest, kinds: list[str],
                 parent: QWidget | None = None, kind: str = "") -> None:
        super().__init__(parent)
        self.runner, self.request = runner, request
        self.draft: LetterDraft | None = None
        self._loaded_text = ""
        self._busy = False
        self.setWindowTitle(f"文书 — {request.id} {request.applicant}")
        self.kind = QComboBox()
        self.kind.addItems(kinds)
        self.kind.setCurrentText(kind or kinds[0])
        self.kind.currentTextChanged.connect(lambda _k: self._switch())
        self.state = QLabel()
        self.state.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("文书"))
        top.addWidget(self.kind)
        top.addWidget(self.state, 1)
        self.addressee = QLabel()
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("正在起草……")
        self.text.textChanged.connect(self._update)
        self.text.textChanged.connect(self._mark_blanks)
        self.message = QLabel("【】里的内容须由您写明；每段一行，打印时自动首行缩进。")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, label, handler in (("reset", "恢复模板文字", self.reset),
                                    ("save", "保存修改", self.save),
                                    ("preview", "打印预览…", self.preview),
                                    ("keep", "存入案卷", self.keep)):
            button = QPushButton(label)
            button.clicked.connect(handler)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.addressee)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(760, 600)
        self._switch()

    # -- state ---------------------------------------------------------------------------

    def dirty(self) -> bool:
        """Whether the text differs from what was loaded or last saved."""
        return self.draft is not None and self.text.toPlainText() != self._loaded_text

    def _update(self) -> None:
        ready = self.draft is not None and not self._busy
        self.kind.setEnabled(not self._busy)
        edited = self.draft is not None and self.draft.edited
        self.buttons["reset"].setEnabled(ready and (edited or self.dirty()))
        self.buttons["save"].setEnabled(ready and self.dirty())
        self.buttons["preview"].setEnabled(ready)
        self.buttons["keep"].setEnabled(ready)

    def _mark_blanks(self) -> None:
        """Shade every 【…】 left in the text (the editor's own mark, not part of the text)."""
        marks: list[QTextEdit.ExtraSelection] = []
        shade = QTextCharFormat()
        shade.setBackground(BLANK_BACKGROUND)
        document: QTextDocument = self.text.document()
        cursor = document.find("【")
        while not cursor.isNull():
            end = document.find("】", cursor.selectionStart())
            if end.isNull():
                break
            cursor.setPosition(cursor.selectionStart())
            cursor.setPosition(end.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            mark = QTextEdit.ExtraSelection()
            mark.cursor, mark.format = cursor, shade
            marks.append(mark)
            cursor = document.find("【", end.selectionEnd())
        self.text.setExtraSelections(marks)

    def _show(self, draft: LetterDraft) -> None:
        self._busy = False
        if draft.kind != self.kind.currentText():
            return  # the clerk has moved on to another letter; its own load follows
        self.draft = draft
        self._loaded_text = draft.body
        self.text.setPlainText(draft.body)
        self.addressee.setText(f"致：{draft.addressee}")
        if draft.stale:
            self.state.setText("登记的办理情况在修改之后变了，请核对文书或恢复模板文字。")
            self.state.setStyleSheet("color: #b00020;")
        else:
            number = f"，文号 {draft.number}" if draft.number else ""
            self.state.setText(("已按您的修改保存" if draft.edited else "按模板起草") + number)
            self.state.setStyleSheet("")
        self._update()

    def _failed(self, message: str) -> None:
        self._busy = False
        say(self.message, message, error=True)
        self._update()

    def _run(self, work: Callable[[Store], Any], done: Callable[[Any], None]) -> None:
        self._busy = True
        self._update()
        self.runner.run(work, done, self._failed)

    # -- actions -------------------------------------------------------------------------

    def _switch(self) -> None:
        if self.dirty() and not self._ask_save():
            # Cancelled: stay on the letter being edited.
            self.kind.blockSignals(True)
            self.kind.setCurrentText(self.draft.kind if self.draft else self.kind.currentText())
            self.kind.blockSignals(False)
            return
        self.draft = None
        self.text.clear()
        request_id, kind = self.request.id, self.kind.currentText()
        self._run(lambda s: letters.get_letter(s, request_id, kind), self._show)

    def save(self) -> None:
        """Keep the edited text with the request."""
        request_id, kind, body = self.request.id, self.kind.currentText(), self.text.toPlainText()

        def done(draft: LetterDraft) -> None:
            self._show(draft)
            say(self.message, "已保存修改。")

        self._run(lambda s: letters.save_letter(s, request_id, kind, body), done)

    def reset(self) -> None:
        """Drop the edits: back to the template's text."""
        request_id, kind = self.request.id, self.kind.currentText()

        def done(draft: LetterDraft) -> None:
            self._show(draft)
            say(self.message, "已恢复按模板起草的文字。")

        self._run(lambda s: letters.reset_letter(s, request_id, kind), done)

    def preview(self) -> None:
        """The print preview of the text as it stands in the editor."""
        target = letters.letter_target(self.request.id, self.kind.currentText(),
                                       self.text.toPlainText())
        PrintPreviewDialog(self.runner, target, self).open()

    def keep(self) -> None:
        """Save the text, print it to PDF and keep it in the case file.

        A text with blanks left is not a letter to send: the clerk is told which,
        and may keep the text as a draft instead.
        """
        request_id, kind, body = self.request.id, self.kind.currentText(), self.text.toPlainText()
        left = blanks_in(letters.with_attachment(body))
        if left:
            answer = QMessageBox.warning(
                self, "文书还没有填完",
                letters.blanks_sentence(left, "未填完的文书不能存入案卷。要先把修改存为草稿吗？"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Save:
                self.save()
            else:
                say(self.message, f"还有{len(left)}处【】没有填写，没有存入案卷。", error=True)
            return

        def done(request: InfoRequest) -> None:
            self._loaded_text = body
            self._busy = False
            self.request = request
            say(self.message, f"已把{kind}存入 {request.id} 的案卷（PDF）。")
            self.state.setText("已存入案卷")
            self.state.setStyleSheet("")
            self._update()
            self.kept.emit(request.id)

        self._run(lambda s: letters.keep_letter(s, request_id, kind, body), done)

    def _ask_save(self) -> bool:
        """Offer to save unsaved edits; False when the clerk cancels."""
        answer = QMessageBox.question(
            self, "文书已修改", "文书的修改还没有保存，要保存吗？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save and self.draft is not None:
            request_id, kind = self.request.id, self.draft.kind
            body = self.text.toPlainText()
            self.runner.run(lambda s: letters.save_letter(s, request_id, kind, body),
                            lambda _d: None)
        return True

    def done(self, result: int) -> None:
        """Closing (关闭, Esc, the window's ✕) with unsaved edits asks first."""
        if self.dirty() and not self._ask_save():
            return
        super().done(result)
