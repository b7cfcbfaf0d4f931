"""政策解读 in the notice editor: 应解读, 起草解读…, and the links between a notice and its 解读.

The box reads nothing itself: the editor hands it the open notice; what the
clerk does here (mark 应解读, draft a 解读) runs through the page's runner, and
a click on the other side of a link asks the page to open it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.facts import INTERPRETATION_FORMS, STATUSES
from app.notices import drafts, interpretation
from app.notices.drafts import Notice
from app.notices.text import interpretation_guide
from app.store import Store
from ui.tasks import Changes, Runner
from ui.widgets import FormDialog, save_file

#: How each form reads in the dialog.
FORM_WORDS = {"文字": "文字解读", "问答": "简明问答", "图解": "图解（一图读懂）"}
_NOTICE_LINK = "notice:"


class DraftInterpretationDialog(FormDialog):
    """起草解读…: the form of the 解读 to draft from the open notice."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__("起草政策解读",
                         f"为「{title}」起草政策解读。三同步：解读须与文件同步审签、同步发布。",
                         "起草", parent)
        self.choice = QComboBox()
        for form in INTERPRETATION_FORMS:
            self.choice.addItem(FORM_WORDS.get(form, form), form)
        self.form.addRow("解读形式", self.choice)

    def value(self) -> str:
        """The chosen form (文字, 问答 or 图解)."""
        return str(self.choice.currentData())


def link_html(word: str, other: dict[str, Any]) -> str:
    """One link line: the other notice (a click opens it), its state and its county URL."""
    status = STATUSES.get(other["status"], other["status"])
    line = (f'{escape(word)}：<a href="{_NOTICE_LINK}{escape(other["id"])}">'
            f'{escape(other["title"])}</a>　{escape(status)}')
    if other.get("county_url"):
        url = escape(other["county_url"])
        line += f'　县级平台：<a href="{url}">{url}</a>'
    return line


def writing_hints(n: Notice) -> str:
    """What to write under each heading (or question) of a 解读, in one line for the editor."""
    guide = interpretation_guide()
    names = ([q for q, _ in guide.questions] if n.form == "问答"
             else [name for name, _h, _r, drawn in guide.elements if n.form != "图解" or drawn])
    return "写作提示：" + "；".join(f"{name}——{guide.hint(name).rstrip('。')}"
                                  for name in names if guide.hint(name)) + "。"


class InterpretationBox(QWidget):
    """The 解读 line of the editor, shown under the county's word."""

    #: A 解读 was drafted (its id): the page opens it.
    drafted = Signal(str)
    #: The clerk clicked the other side of a link (its id).
    open_requested = Signal(str)
    #: 应解读 changed (the notice's id).
    changed = Signal(str)
    #: A 图解 was written (its path).
    exported = Signal(str)

    def __init__(self, runner: Runner, failed: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The page the box sits in: it reloads itself on the box's signals.
        self.origin = parent
        self.runner = runner
        self._failed = failed
        self.notice: Notice | None = None
        self.interpret = QCheckBox("应解读（三同步）")
        self.interpret.setToolTip("标为应解读后，须待政策解读审核通过，本文件才能通过最后一步审核；"
                                  "二者同一批报送县级平台，同时张贴")
        self.interpret.clicked.connect(self._toggled)
        self.draft_button = QPushButton("起草解读…")
        self.draft_button.setToolTip("依此文件起草政策解读：文字解读、简明问答或图解")
        self.draft_button.clicked.connect(self.ask_draft)
        self.graphic_button = QPushButton("导出图解…")
        self.graphic_button.setToolTip("把这份解读画成一图读懂：PNG（宽1080像素，发公众号）"
                                       "或 PDF（打印）")
        self.graphic_button.clicked.connect(lambda: self.export_graphic())
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.links.linkActivated.connect(self._link)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setStyleSheet("color: #555; font-size: 11px;")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.interpret)
        row.addWidget(self.draft_button)
        row.addStretch(1)
        line = QWidget()
        line.setLayout(row)
        self.line = line
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        graphic_row = QHBoxLayout()
        graphic_row.setContentsMargins(0, 0, 0, 0)
        graphic_row.addWidget(self.links, 1)
        graphic_row.addWidget(self.graphic_button)
        for part in (line,):
            column.addWidget(part)
        column.addLayout(graphic_row)
        column.addWidget(self.hints)

    def show_notice(self, n: Notice) -> None:
        """Show the open notice's 应解读 mark, its links and (for a 解读) what to write."""
        self.notice = n
        own = n.kind != "解读"
        self.interpret.setVisible(own)
        self.interpret.setChecked(n.interpret)
        self.interpret.setEnabled(n.status != "withdrawn")
        self.draft_button.setVisible(own)
        self.draft_button.setEnabled(n.status != "withdrawn")
        self.line.setVisible(own)
        lines = []
        if n.explains:
            lines.append(link_html("解读的是", n.explains))
        elif n.policy_title:
            lines.append(escape(f"解读的政策：《{n.policy_title}》{n.policy_number}"))
        lines += [link_html(f"政策解读（{FORM_WORDS.get(i['form'] or '', '')}）", i)
                  for i in n.interpretations]
        if own and n.interpret and not interpretation.passed_interpretations(n):
            lines.append('<span style="color:#b00020">' + escape(
                "应解读：政策解读审核通过前，本文件不能通过最后一步审核。" if n.status == "draft"
                else "应解读：政策解读审核通过后，二者一同报送县级平台（三同步）。")
                + "</span>")
        self.links.setText("<br>".join(lines))
        self.links.setVisible(bool(lines))
        self.graphic_button.setVisible(n.kind == "解读")
        self.hints.setText(writing_hints(n) if n.kind == "解读" else "")
        self.hints.setVisible(n.kind == "解读")
        self.setVisible(own or bool(lines))

    def _toggled(self, on: bool) -> None:
        if self.notice is None:
            return
        notice_id = self.notice.id
        self.runner.run(lambda s: interpretation.set_interpret(s, notice_id, on),
                        lambda _r: self.changed.emit(notice_id), self._failed,
                        changes=Changes.NOTICES, origin=self.origin)

    def ask_draft(self) -> DraftInterpretationDialog | None:
        """起草解读…: ask the form, then draft the 解读 in the background."""
        if self.notice is None:
            return None
        dialog = DraftInterpretationDialog(self.notice.title, self)
        if dialog.exec() != DraftInterpretationDialog.DialogCode.Accepted:
            return dialog
        self.draft(dialog.value())
        return dialog

    def draft(self, form: str) -> None:
        """Draft a 解读 of the open notice in ``form``."""
        if self.notice is None:
            return
        parent = self.notice.id

        def work(s: Store) -> str:
            return drafts.create_notice(s, None, kind="解读", explains=parent, form=form).id

        self.runner.run(work, self.drafted.emit, self._failed, changes=Changes.NOTICES,
                        origin=self.origin)

    def export_graphic(self, target: str | None = None) -> None:
        """导出图解…: the 解读 drawn as a PNG or PDF (chosen by the file's ending), off the UI
        thread; ``target`` skips the file dialog (tests)."""
        if self.notice is None:
            return
        chosen = target or save_file(self, "导出图解", f"{self.notice.title}-图解.png",
                                     "图片 (*.png);;PDF (*.pdf)")
        if not chosen:
            return
        notice_id, out = self.notice.id, Path(chosen)

        def work(s: Store) -> Path:
            from app.printing.graphic import write_graphic

            return write_graphic(s, notice_id, out)

        self.runner.run(work, lambda made: self.exported.emit(str(made)), self._failed)

    def _link(self, href: str) -> None:
        if href.startswith(_NOTICE_LINK):
            self.open_requested.emit(href[len(_NOTICE_LINK):])
        else:
            QDesktopServices.openUrl(QUrl(href))
