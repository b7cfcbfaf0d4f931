"""依申请公开: the register of requests, each with its legal clock, and the steps that move it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app import clock
from app.info_requests import cases
from app.info_requests import letters as request_letters
from app.info_requests.cases import InfoRequest
from app.info_requests.letters import available_kinds
from app.store import Store
from ui.letter_dialog import LetterDialog
from ui.page import Page
from ui.request_dialogs import (
    AnswerDialog,
    AttachDialog,
    RegisterDialog,
    Registration,
    StepDialog,
)
from ui.tasks import Changes, Newest, Runner
from ui.widgets import say, stacked

RED = QColor("#b00020")


class RequestsPage(Page):
    """The register: a line per request, its clock in words, and buttons for each step."""

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.rows: list[InfoRequest] = []
        self._select: str | None = None
        self._reads = Newest()
        title = QLabel("依申请公开")
        title.setObjectName("pageTitle")
        self.open_only = QCheckBox("只看未办结的")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _c: self.refresh())
        register = QPushButton("登记申请…")
        register.clicked.connect(self.register)
        prefix = QPushButton("文号前缀…")
        prefix.setToolTip("文书文号的机关代字，如 青政依复〔2026〕3号 的“青政依复”")
        prefix.clicked.connect(self.ask_prefix)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.open_only)
        top.addWidget(prefix)
        top.addWidget(register)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["编号", "申请人", "收到日期", "状态", "答复期限", "申请内容"])
        self.tree.setRootIsDecorated(False)
        for column, width in enumerate((90, 160, 100, 90, 110)):
            self.tree.setColumnWidth(column, width)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show_current())
        self.detail = QLabel("选中一件申请，这里显示它的期限和办理经过。")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.answer_line = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        steps = QHBoxLayout()
        for key, text, handler in (
            ("correction", "补正通知…", self.correction),
            ("resume", "恢复计时…", self.resume),
            ("consult", "征求意见…", self.consult),
            ("extend", "延期…", self.extend),
            ("answer", "答复…", self.answer),
            ("deliver", "送达…", self.deliver),
            ("receipt", "登记回执…", self.receipt),
            ("letters", "文书…", self.letters),
            ("attach", "归入材料…", self.attach),
        ):
            button = QPushButton(text)
            button.clicked.connect(handler)
            steps.addWidget(button)
            self.buttons[key] = button
        self.files = QPushButton("查看案卷")
        self.files.setToolTip("打开这件申请已归档的材料（申请书、文书、送达回证……）")
        self.files_menu = QMenu(self.files)
        self.files_menu.triggered.connect(self._open_file)
        self.files.setMenu(self.files_menu)
        steps.addWidget(self.files)
        steps.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(stacked(self.detail, steps, self.answer_line, margins=False,
                                   stretch_first=True))
        splitter.setSizes([420, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._enable(None)

    # -- loading ----------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Reload the register in the background, keeping (or moving to) a selection."""
        current = self.current()
        self._select = select or (current.id if current else None)
        open_only = self.open_only.isChecked()
        # The page is built and asked for a request at once: two reads may cross.
        self.runner.run(lambda s: cases.list_requests(s, open_only=open_only),
                        self._reads.start()(self._loaded))

    def open_request(self, request_id: str) -> None:
        """Show one request (from a 工作台 line)."""
        self.refresh(select=request_id)

    def _loaded(self, rows: list[InfoRequest]) -> None:
        if (self._select and self.open_only.isChecked()
                and all(r.id != self._select for r in rows)):
            # Just answered, or asked for by id once answered: show the whole register,
            # still on the request asked for (the checkbox's own refresh would lose it).
            wanted = self._select
            self.open_only.blockSignals(True)
            self.open_only.setChecked(False)
            self.open_only.blockSignals(False)
            self.refresh(select=wanted)
            return
        self.rows = rows
        self.tree.clear()
        chosen = None
        for r in rows:
            due = r.clock.due.isoformat() if r.clock.due else "暂停"
            item = QTreeWidgetItem([r.id, r.applicant, r.received.isoformat(), r.state_label,
                                    due, r.content])
            item.setData(0, Qt.ItemDataRole.UserRole, r.id)
            if r.overdue:
                for column in (3, 4):
                    item.setForeground(column, QBrush(RED))
            self.tree.addTopLevelItem(item)
            if r.id == self._select:
                chosen = item
        first = chosen or self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._show_current()

    def current(self) -> InfoRequest | None:
        """The selected request."""
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self.rows if r.id == wanted), None)

    def _show_current(self) -> None:
        request = self.current()
        self.detail.setText("\n".join(cases.describe(request)) if request
                            else "登记簿里还没有申请。" if not self.rows else "")
        if not self.rows and self.open_only.isChecked():  # the filter may hide every row
            self.runner.run(lambda s: len(cases.list_requests(s)), self._say_hidden)
        self._enable(request)

    def _say_hidden(self, answered: int) -> None:
        if answered and not self.rows and self.open_only.isChecked():
            self.detail.setText(f"没有未办结的申请（已勾选“只看未办结的”，共有{answered}件已办结）。")

    def _enable(self, request: InfoRequest | None) -> None:
        # Letters, case files and delivery proof go on after the answer; the clock's steps do not.
        self.buttons["letters"].setEnabled(bool(request and available_kinds(request)))
        self.buttons["receipt"].setEnabled(request is not None)
        self.buttons["deliver"].setEnabled(bool(request and request.answered))
        self.buttons["attach"].setEnabled(request is not None)
        self.files_menu.clear()
        for f in request.files if request else ():
            self.files_menu.addAction(f"{f.kind}：{f.name}").setData(f.path)
        self.files.setEnabled(bool(request and request.files))
        if request is None or request.answered:
            for key in ("correction", "resume", "consult", "extend", "answer"):
                self.buttons[key].setEnabled(False)
            return
        paused = bool(request.clock.paused)
        self.buttons["correction"].setEnabled(not request.correction_sent)
        self.buttons["resume"].setEnabled(paused)
        self.buttons["consult"].setEnabled(True)
        self.buttons["extend"].setEnabled(not paused and not request.extension_days)
        self.buttons["answer"].setEnabled(True)

    # -- steps ------------------------------------------------------------------------

    def _apply(self, work: Callable[[Store], InfoRequest], done_text: str) -> None:
        def done(request: InfoRequest) -> None:
            say(self.answer_line, done_text.format(id=request.id))
            self.refresh(select=request.id)

        self.runner.run(work, done, lambda message: say(self.answer_line, message, error=True),
                        changes=Changes.REQUESTS, origin=self)

    def register(self, typed: Registration | None = None, refused: str = "") -> None:
        """Enter a new request; a write that fails opens the dialog again with what was typed."""
        dialog = RegisterDialog(clock.today(), self)
        if typed is not None:
            dialog.fill(typed, refused)
        if not dialog.exec():
            return
        values = dialog.values()

        def done(request: InfoRequest) -> None:
            say(self.answer_line, f"已登记 {request.id}。")
            self.refresh(select=request.id)

        def failed(message: str) -> None:
            # A full disk or a locked file must not cost the clerk the typing: the dialog
            # comes back as it was, the sentence in its hint line (and under the register).
            say(self.answer_line, message, error=True)
            QTimer.singleShot(0, lambda: self.register(values, message))

        self.runner.run(lambda s: cases.register(s, **values), done, failed,
                        changes=Changes.REQUESTS, origin=self)

    def correction(self) -> None:
        """Record the 补正 notice: the clock stops."""
        request = self.current()
        dialog = StepDialog("补正通知", "一次性告知需要补正的事项；期限暂停，收到补正后重新计算。",
                            "记录", clock.today(), parent=self, items=True)
        if request and dialog.exec():
            on, items = dialog.on(), dialog.text_of("items")
            self._apply(lambda s: cases.send_correction(s, request.id, on, items=items),
                        "已记录 {id} 的补正通知，期限暂停。")

    def resume(self) -> None:
        """The corrected request or the third party's reply arrived: the clock runs again."""
        request = self.current()
        consulting = bool(request and request.state == "consulting")
        dialog = StepDialog("恢复计时", "收到补正材料或第三方意见的日期。", "记录", clock.today(),
                            parent=self, opinion=consulting)
        if request and dialog.exec():
            on, opinion = dialog.on(), dialog.choice_of("opinion")
            self._apply(lambda s: cases.resume(s, request.id, on, opinion=opinion),
                        "{id} 已恢复计时。")

    def consult(self) -> None:
        """A third party is asked for its view: its days are not counted."""
        request = self.current()
        dialog = StepDialog("征求第三方意见",
                            "第三方应在15个工作日内答复，所用时间不计入答复期限。",
                            "记录", clock.today(), party=True, parent=self)
        if request and dialog.exec():
            on, party = dialog.on(), dialog.party.text() if dialog.party else ""
            self._apply(lambda s: cases.consult(s, request.id, party, on),
                        "已记录 {id} 征求意见。")

    def extend(self) -> None:
        """The one extension, with its approver."""
        request = self.current()
        dialog = StepDialog("延长答复期限",
                            "须在期限届满前经负责人同意，只能延长一次，至多20个工作日。",
                            "延期", clock.today(), approver=True, parent=self)
        if request and dialog.exec() and dialog.days and dialog.approver:
            on, days, who = dialog.on(), dialog.days.value(), dialog.approver.text()
            reason = dialog.text_of("reason")
            self._apply(lambda s: cases.extend(s, request.id, days, who, on, reason=reason),
                        "{id} 已延期。")

    def deliver(self) -> None:
        """Record that the reply reached the applicant: the day and the way (送达回证)."""
        request = self.current()
        dialog = StepDialog("送达", "答复书送达申请人的日期和方式（与送达回证一致）。", "记录",
                            clock.today(), parent=self, way=True)
        if request and dialog.exec():
            on, way = dialog.on(), dialog.choice_of("way") or ""
            self._apply(lambda s: cases.serve(s, request.id, way, on),
                        "已记录 {id} 的送达。")

    def receipt(self) -> None:
        """The 登记回执 for the applicant: preview, print, keep (the letter dialog on it)."""
        request = self.current()
        if request is not None:
            self._open_letters(request, "登记回执")

    def ask_prefix(self) -> None:
        """Set the 文号 prefix of the letters (empty: back to the default from the name)."""
        self.runner.run(request_letters.letter_prefix, self._ask_prefix)

    def _ask_prefix(self, current: str) -> None:
        prefix, ok = QInputDialog.getText(
            self, "文号前缀", "文书文号的机关代字（如 青政依复；留空恢复默认）：", text=current)
        if ok:
            self.runner.run(lambda s: request_letters.set_letter_prefix(s, prefix),
                            lambda now: say(self.answer_line,
                                            f"文书文号今后写作 {now}〔年份〕N号。"),
                            lambda message: say(self.answer_line, message, error=True),
                            changes=Changes.SETTINGS, origin=self)

    def letters(self) -> None:
        """Draft, edit, print and keep the case's letters (答复书 and the notices before it)."""
        request = self.current()
        if request is None:
            return
        # The newest letter is the one the clerk most likely came for.
        self._open_letters(request, available_kinds(request)[-1])

    def _open_letters(self, request: InfoRequest, kind: str) -> LetterDialog:
        dialog = LetterDialog(self.runner, request, available_kinds(request), self, kind=kind)
        dialog.kept.connect(lambda request_id: self.refresh(select=request_id))
        dialog.open()
        return dialog

    def attach(self) -> None:
        """Keep a scanned or saved document (送达回证, the written request …) in the case file."""
        request = self.current()
        dialog = AttachDialog(self)
        if request is None or not dialog.exec():
            return
        path, kind = dialog.path(), dialog.kind.currentText()
        self._apply(lambda s: cases.attach(s, request.id, Path(path), kind),
                    f"已把「{Path(path).name}」作为{kind}归入 {{id}} 的案卷。")

    def _open_file(self, action: QAction) -> None:
        # The system's viewer shows it: PDFs, scans and Word files all open where the clerk expects.
        path = self.runner.folder / action.data()
        if not path.is_file():
            say(self.answer_line, f"案卷里的这份材料不见了，原来在 {path}。", error=True)
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            say(self.answer_line, f"这台电脑上没有能打开这个文件的程序，文件在 {path}。",
                error=True)

    def answer(self) -> None:
        """Record the reply."""
        request = self.current()
        dialog = AnswerDialog(clock.today(), self)
        if request and dialog.exec():
            values = dialog.values()
            self._apply(lambda s: cases.answer(s, request.id, **values),
                        "已记录 {id} 的答复。")
