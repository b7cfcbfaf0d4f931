"""公开信息: the notices, and the editor with its 要素 checklist and privacy findings."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.errors import UserError
from app.facts import NOTICE_KINDS, STATUSES, SYNC_STATES
from app.notices import actions, boards, drafts, proofing, proofread, review
from app.notices.drafts import CheckResult, check_text, finding_lines
from app.notices.editor import EditorState, editor_state, proof_lines
from app.notices.proofing import proof_context
from app.notices.proofread import Proof
from app.store import Store
from ui.channel_box import ChannelBox
from ui.interpretation_box import InterpretationBox
from ui.notice_dialogs import (
    NewNoticeDialog,
    PostDialog,
    ReasonDialog,
    ReviewDialog,
    proof_items,
)
from ui.notice_model import NoticeTableModel
from ui.page import Page
from ui.print_dialog import PrintPreviewDialog
from ui.tasks import Changes, Newest, Runner
from ui.widgets import stacked

CHECK_DELAY_MS = 300
#: Unsaved typing is kept against a crash this long after the last keystroke.
AUTOSAVE_MS = 2000
AUTOSAVE_LATEST_MS = 10_000
WRAP_FINDINGS_UP_TO = 200
PROOF_ROLE = Qt.ItemDataRole.UserRole


def qt_offset(text: str, offset: int) -> int:
    """A Python offset into ``text`` as Qt counts it (UTF-16: a 生僻字 beyond the BMP is two)."""
    return offset + sum(1 for c in text[:offset] if ord(c) > 0xFFFF)


class HistoryDialog(QDialog):
    """The revisions of a notice: the list above, the chosen revision's text below."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改记录")
        self.history_list = QListWidget()
        self.history_text = QPlainTextEdit()
        self.history_text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.history_list)
        layout.addWidget(self.history_text, 1)
        self.resize(640, 520)


class NoticesPage(Page):
    """The list of notices and the editor of the chosen one."""

    loaded = Signal()
    checked = Signal()
    opened = Signal(str)

    #: Notices change here; from elsewhere only the county's answers (同步) change them.
    cares = Changes.COUNTY

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.state: EditorState | None = None
        self._check_number = 0
        self._want: str | None = None
        self._reads = Newest()
        #: The notice the editor was last asked to show: reads finish in any
        #: order, and one of a notice the clerk has left must not come back.
        self._asked: str | None = None

        title = QLabel("公开信息")
        title.setObjectName("pageTitle")
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", "")
        for key, name in STATUSES.items():
            self.status_filter.addItem(name, key)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("全部类型", "")
        for kind in NOTICE_KINDS:
            self.kind_filter.addItem(kind, kind)
        self.domain_filter = QComboBox()
        self.domain_filter.addItem("全部领域", "")
        self.year_filter = QComboBox()
        self.year_filter.addItem("全部年份", "")
        for combo in (self.kind_filter, self.domain_filter, self.year_filter):
            combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("按标题筛选")
        self.filter_box.textChanged.connect(lambda _t: self._apply_filter())
        self.history_button = QPushButton("修改记录…")
        self.history_button.clicked.connect(self.show_history)
        top = QHBoxLayout()
        top.addWidget(title)
        for combo in (self.status_filter, self.kind_filter, self.domain_filter,
                      self.year_filter):
            top.addWidget(combo)
        top.addWidget(self.filter_box, 1)

        self.model = NoticeTableModel()
        self._all: list[drafts.Notice] = []
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Wide enough at 1366×768 for 「2026-12-01至2026-12-09」 and a due date with its
        # note; the full text of any cell is also its tooltip.
        for column, width in ((0, 64), (1, 56), (3, 96), (4, 120), (5, 196)):
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._chosen(cur))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        preview_action = QAction("打印预览…", self.table)
        preview_action.triggered.connect(self.print_preview)
        self.table.addAction(preview_action)
        self.empty = QLabel("还没有公开信息。在“公开目录”中选中事项，点“依此事项起草”。")
        self.empty.setWordWrap(True)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.county = QLabel()
        self.county.setWordWrap(True)
        self.county.setOpenExternalLinks(True)
        self.interpretation = InterpretationBox(runner, self._failed, self)
        self.interpretation.drafted.connect(lambda i: self.refresh(select=i))
        self.interpretation.open_requested.connect(self.open_notice)
        self.interpretation.changed.connect(self.load)
        self.interpretation.exported.connect(lambda path: self._after(f"已导出图解：{path}"))
        self.title_edit = QLineEdit()
        self.body_edit = QPlainTextEdit()
        self.body_edit.setPlaceholderText("正文")
        self.body_edit.setTabChangesFocus(False)
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_check)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.keep_unsaved)
        # A clerk who never pauses is kept too: at the latest this long after the
        # first unsaved keystroke.
        self._autosave_latest = QTimer(self, singleShot=True, interval=AUTOSAVE_LATEST_MS)
        self._autosave_latest.timeout.connect(self.keep_unsaved)
        self.title_edit.textEdited.connect(lambda _t: self._edited())
        self.body_edit.textChanged.connect(self._edited)
        #: The text as last saved (or loaded): what "unsaved edits" is measured against.
        self._baseline: tuple[str, str] = ("", "")
        self._loading = False

        self.elements = QListWidget()
        self.findings = QListWidget()
        self._finding_offsets: list[int] = []
        self.findings.itemActivated.connect(self._go_to_finding)
        self.findings.setWordWrap(True)
        self.findings.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.proofs = QListWidget()
        #: The findings shown, and the text they were found in (title + "\n" + body).
        self.last_proofs: list[Proof] = []
        self._proof_text = ""
        # One line per finding always: a 名单 can bring thousands, and the
        # explanation is in the tooltip.
        self.proofs.setWordWrap(False)
        self.proofs.setUniformItemSizes(True)
        self.proofs.itemActivated.connect(self._go_to_proof)
        self.proofs.currentRowChanged.connect(lambda _r: self._fix_enabled())
        self.proofs.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.proofs.customContextMenuRequested.connect(self._proof_menu)
        self.fix_button = QPushButton("按建议修改")
        self.fix_button.setToolTip("把所选校对问题按第一条建议改在编辑区里，保存后成为新的一版")
        self.fix_button.clicked.connect(lambda: self.apply_proof_fix())
        self.fix_button.setEnabled(False)
        self.history = QLabel()
        self.history.setWordWrap(False)
        self.history.setMinimumWidth(1)
        self.review_line = QLabel()
        self.review_line.setWordWrap(True)
        # Where the notice went, beside its postings: follows whichever notice is open.
        self.channel_box = ChannelBox(runner, self)
        self.opened.connect(self.channel_box.show_notice)
        side = stacked(QLabel("要素（目录要求写到的内容）"), self.elements,
                       QLabel("个人信息（双击定位）"), self.findings,
                       QLabel("校对（双击定位，右键修改）"), self.proofs, self.fix_button,
                       self.review_line,
                       self.history, margins=False)

        self.save_button = QPushButton("保存")
        self.mask_button = QPushButton("遮盖个人信息")
        self.approve_button = QPushButton("审核通过…")
        self.return_button = QPushButton("退回…")
        self.post_button = QPushButton("记录张贴…")
        self.revise_button = QPushButton("修改后重新报审…")
        self.revise_button.setToolTip("已审核、已公开或被县级平台退回的，转为草稿修改，再走一遍审核")
        self.withdraw_button = QPushButton("撤回…")
        self.print_button = QPushButton("打印预览…")
        self.print_button.setToolTip("看打印出来的样子，再打印或另存为PDF、Word")
        self.save_button.clicked.connect(self.save)
        self.mask_button.clicked.connect(self.mask_personal_data)
        self.approve_button.clicked.connect(lambda: self.review_step(returning=False))
        self.return_button.clicked.connect(lambda: self.review_step(returning=True))
        self.post_button.clicked.connect(self.post)
        self.revise_button.clicked.connect(self.revise)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.print_button.clicked.connect(self.print_preview)
        #: The button of each action of app.notices.actions: enabled from the same table.
        self.action_buttons: dict[str, QPushButton] = {
            "edit": self.save_button, "mask": self.mask_button,
            "approve": self.approve_button, "return": self.return_button,
            "post": self.post_button, "revise": self.revise_button,
            "withdraw": self.withdraw_button}
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(
            self._save_shortcut)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.mask_button, self.approve_button, self.return_button,
                  self.post_button, self.revise_button, self.withdraw_button,
                  self.print_button, self.history_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)

        editor_split = QSplitter()
        body_split = QSplitter(Qt.Orientation.Vertical)
        body_split.addWidget(self.body_edit)
        body_split.addWidget(self.channel_box)
        body_split.setSizes([240, 200])
        editor_split.addWidget(stacked(self.heading, self.county, self.interpretation,
                                       self.title_edit,
                                       body_split, margins=False))
        editor_split.addWidget(side)
        editor_split.setSizes([560, 300])
        self.editor = stacked(editor_split, buttons, self.message, margins=False,
                              stretch_first=True)
        self.editor.setEnabled(False)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(stacked(self.table, self.empty, margins=False, stretch_first=True))
        splitter.addWidget(self.editor)
        # The editor holds the text, its checks and the channels: it gets most of the height.
        splitter.setSizes([170, 530])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    # -- list -------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Reload the list in the background (and open ``select`` when it is there)."""
        self._want = select or (self.state.notice.id if self.state else None)
        status = self.status_filter.currentData() or None
        self.runner.run(lambda s: drafts.list_notices(s, status),
                        self._reads.start()(self._listed))

    def _listed(self, rows: list[drafts.Notice]) -> None:
        self._all = rows
        for combo, values in ((self.domain_filter, sorted({n.domain for n in rows})),
                              (self.year_filter, sorted({n.formed[:4] for n in rows},
                                                        reverse=True))):
            keep = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value + ("年" if combo is self.year_filter else ""), value)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)
        self._apply_filter()
        self.empty.setVisible(not rows)
        if self._want and self.model.row_of(self._want) >= 0:
            self.table.selectRow(self.model.row_of(self._want))
        self.loaded.emit()

    def _apply_filter(self) -> None:
        text = self.filter_box.text().strip()
        kind, domain = self.kind_filter.currentData(), self.domain_filter.currentData()
        year = self.year_filter.currentData()
        rows = [n for n in self._all
                if (not text or text in n.title) and (not kind or n.kind == kind)
                and (not domain or n.domain == domain) and (not year or n.formed[:4] == year)]
        self.model.set_notices(rows)

    def open_notice(self, notice_id: str) -> None:
        """Show one notice (from the 工作台, or after creating it)."""
        if self.model.row_of(notice_id) >= 0:
            self.table.selectRow(self.model.row_of(notice_id))
        else:
            self.status_filter.setCurrentIndex(0)
            self.refresh(select=notice_id)

    def _chosen(self, current: QModelIndex | None) -> None:
        notice = self.model.notice(current.row()) if current is not None else None
        if notice is None:
            return
        if self.state is not None and notice.id != self.state.notice.id:
            wanted = notice.id
            if not self.leave(lambda: self.open_notice(wanted)):
                self._reselect(self.state.notice.id)
                return
        # A list read still in flight must not select the notice the clerk just left.
        self._want = notice.id
        self.load(notice.id)

    def _reselect(self, notice_id: str) -> None:
        """Put the selection back on the open notice without opening anything."""
        row = self.model.row_of(notice_id)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        selection.blockSignals(False)

    def load(self, notice_id: str, then: Callable[[], None] | None = None) -> None:
        """Read one notice for the editor in the background; ``then`` runs once it is shown."""
        def shown(state: EditorState) -> None:
            if notice_id != self._asked:
                return
            self._show_state(state)
            if then is not None:
                then()

        self._asked = notice_id
        self.runner.run(lambda s: editor_state(s, notice_id), shown)

    # -- unsaved edits ------------------------------------------------------------

    def dirty(self) -> bool:
        """Whether the editor holds text that is not saved."""
        return (self.state is not None
                and (self.title_edit.text(), self.body_edit.toPlainText()) != self._baseline)

    def _edited(self) -> None:
        if self._loading:
            return
        self._timer.start()
        self._autosave.start()
        if not self._autosave_latest.isActive():
            self._autosave_latest.start()
        self._show_heading()

    def keep_unsaved(self) -> None:
        """Write the unsaved text where a crash cannot take it (in the background)."""
        self._autosave.stop()
        self._autosave_latest.stop()
        if self.state is None:
            return
        notice_id, rev = self.state.notice.id, self.state.notice.rev
        if not self.dirty():
            self.runner.run(lambda s: drafts.discard_autosave(s, notice_id), lambda _r: None,
                            lambda _m: None)
            return
        title, body = self.title_edit.text(), self.body_edit.toPlainText()
        self.runner.run(lambda s: drafts.autosave(s, notice_id, rev, title, body),
                        lambda _r: None, lambda m: self._failed("未能自动保存：" + m))

    def ask_unsaved(self) -> str:
        """Ask 保存 / 不保存 / 取消 about unsaved edits: "save", "discard" or "cancel"."""
        box = QMessageBox(QMessageBox.Icon.Question, "未保存的修改",
                          f"「{self.title_edit.text()[:40]}」有未保存的修改。要保存吗？",
                          QMessageBox.StandardButton.NoButton, self)
        save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def leave(self, then: Callable[[], None]) -> bool:
        """Settle unsaved edits before the clerk moves on.

        True: go on now (nothing unsaved, or the clerk chose 不保存). False: wait;
        after 保存 has written the new revision, ``then`` runs; after 取消, nothing.
        """
        if not self.dirty():
            return True
        answer = self.ask_unsaved()
        if answer == "discard":
            self.revert()
            return True
        if answer == "save":
            self.save(then=then)
        return False

    def revert(self) -> None:
        """Put the saved text back in the editor and forget the unsaved one."""
        if self.state is None:
            return
        self._set_text(*self._baseline)
        notice_id = self.state.notice.id
        self.runner.run(lambda s: drafts.discard_autosave(s, notice_id), lambda _r: None,
                        lambda _m: None)
        self._show_heading()
        self.run_check()

    def _set_text(self, title: str, body: str) -> None:
        self._loading = True
        try:
            self.title_edit.setText(title)
            self.body_edit.setPlainText(body)
        finally:
            self._loading = False

    # -- editor -----------------------------------------------------------------

    def _show_heading(self) -> None:
        if self.state is None:
            return
        n = self.state.notice
        due = f"　应于{n.due}前公开" if n.due else ""
        unsaved = '　<span style="color:#b00020">（有未保存的修改）</span>' if self.dirty() else ""
        self.heading.setText(f"<b>{escape(n.kind)}</b>　{escape(STATUSES[n.status])}　"
                             f"第{n.rev}版　{escape(n.domain)}　目录事项 {escape(n.item_id)}"
                             f"{due}{unsaved}")

    def _show_state(self, state: EditorState) -> None:
        same = self.state is not None and self.state.notice.id == state.notice.id
        # A refresh while the clerk types (another window, a sync) must not take
        # the typing away: the editor keeps it, and says what changed underneath.
        keep = same and self.dirty()
        older = self.state.notice.rev if keep and self.state is not None else None
        self.state = state
        n = state.notice
        self.editor.setEnabled(True)
        self._show_county(n)
        self.interpretation.show_notice(n)
        self._baseline = (n.title, n.body)
        if not keep:
            self._set_text(n.title, n.body)
        history = "；".join(
            f"第{r['rev']}版 {r['at'][:16].replace('T', ' ')} {r['author']} {r['change']}"
            for r in state.revisions[:5])
        self.history.setText("修改记录：" + history)
        self.history.setToolTip(history.replace("；", "\n"))
        self.review_line.setText(f"审核：{state.review}" if state.review else "")
        self.review_line.setVisible(bool(state.review))
        can = actions.allowed(n.status)
        self.title_edit.setReadOnly("edit" not in can)
        self.body_edit.setReadOnly("edit" not in can)
        for action, button in self.action_buttons.items():
            button.setEnabled(action in can)
        if not same:  # what the last action said stays until another notice is opened
            self.message.clear()
            self.message.setStyleSheet("")
        if "edit" not in can and n.status != "withdrawn" and not same:
            self.message.setText("已公开的文字不能直接修改。要更正，请点「修改后重新报审」；"
                                 "要停止公开，请点「撤回」。")
        if keep and older is not None and older != n.rev:
            self._failed(f"这条公开信息已在别处改为第{n.rev}版；编辑区保留着您未保存的修改，"
                         "保存时以编辑区的文字为准。")
        elif not keep and state.recovered is not None and "edit" in can:
            left = state.recovered
            self._set_text(left.title, left.body)
            self._failed(f"已恢复{left.saved_at[:16].replace('T', ' ')}自动保存的未保存修改"
                         f"（在第{left.base_rev}版上）。请检查后保存；不要时切换到别的公开信息"
                         "并选“不保存”。")
        self._show_heading()
        self.opened.emit(n.id)
        self.run_check()

    def _show_county(self, n: drafts.Notice) -> None:
        """The county's word on this notice, in red when it came back returned."""
        if n.sync == "returned":
            text = (f"县级平台退回：{escape(n.county_reason or '未说明理由')}"
                    + ("（点「修改后重新报审」修改，审核通过后下次同步时重新报送）"
                       if n.status != "draft" else "（修改后重新审核，通过后即再次报送）"))
        elif n.county_url:
            url = escape(n.county_url)
            text = f'县级平台已发布：<a href="{url}">{url}</a>'
        elif n.sync != "none":
            text = f"县级平台：{SYNC_STATES[n.sync]}"
        else:
            text = ""
        self.county.setText(text)
        self.county.setStyleSheet("color: #b00020;" if n.sync == "returned" else "")
        self.county.setVisible(bool(text))

    def run_check(self) -> None:
        """Check the text as it stands, off the UI thread; only the newest answer is shown."""
        if self.state is None:
            return
        self._check_number += 1
        number = self._check_number
        title, body = self.title_edit.text(), self.body_edit.toPlainText()
        elements, phones, context = self.state.elements, self.state.phones, self.state.proof

        def work() -> tuple[CheckResult, list[str], tuple[str, list[Proof], list[str]]]:
            # The lines of a long 名单 are written here too: thousands of findings
            # would otherwise be formatted on the UI thread.
            result = check_text(title, body, elements, phones)
            lines = finding_lines(title + "\n" + body, result)
            # reportlab loads here, in the worker, not while the window starts.
            from app.printing.pdf_fonts import missing, unprintable_sentence

            unprintable = missing(title + "\n" + body)
            # Through the module, so that the rules (and a test's stand-in) are found
            # where they are when the check runs.
            proofs = proofread.proofread(title, body, context)
            # Last, so that the rows above keep matching the findings' offsets.
            return (result, lines + ([unprintable_sentence(unprintable)] if unprintable else []),
                    (title + "\n" + body, proofs, proof_lines(title, body, proofs)))

        self.runner.compute(work, lambda done: self._checked(number, *done))

    def _checked(self, number: int, result: CheckResult, lines: list[str],
                 proofs: tuple[str, list[Proof], list[str]]) -> None:
        if number != self._check_number or self.state is None:
            return
        self._show_proofs(*proofs)
        self.elements.clear()
        for element in self.state.elements:
            self.elements.addItem(("✗ " if element in result.missing else "✓ ") + element)
        self.findings.clear()
        # Wrapped lines show the masked form without scrolling; for a list of
        # thousands (a whole 名单 unmasked) measuring each wrapped line would
        # hold the window, so such a list stays one line per finding.
        many = len(lines) > WRAP_FINDINGS_UP_TO
        self.findings.setWordWrap(not many)
        self.findings.setUniformItemSizes(many)
        if not result.findings:
            lines = ["未发现个人信息", *lines]
        self.findings.addItems(lines)
        self._finding_offsets = [f.start for f in result.findings]
        self.last_check = result
        self.checked.emit()

    def _show_proofs(self, text: str, proofs: list[Proof], lines: list[str]) -> None:
        row = self.proofs.currentRow() if self.proofs.currentItem() is not None else -1
        # Emptied before the new findings are kept: clearing moves the current row,
        # and the old rows must not be read against the new list.
        self.proofs.clear()
        self._proof_text, self.last_proofs = text, proofs
        if proofs:
            proof_items(self.proofs, lines, proofs)
            # After a fix the next finding is chosen where the mended one stood, so the
            # clerk can go down the list with 按建议修改.
            if row >= 0:
                self.proofs.setCurrentRow(min(row, len(proofs) - 1))
        else:
            self.proofs.clear()
            self.proofs.addItem("未发现校对问题")
        self._fix_enabled()

    def selected_proof(self) -> Proof | None:
        """The proofreading finding chosen in the list, if any."""
        item = self.proofs.currentItem()
        row = item.data(PROOF_ROLE) if item is not None else None
        ok = isinstance(row, int) and 0 <= row < len(self.last_proofs)
        return self.last_proofs[row] if ok else None

    def _fix_enabled(self) -> None:
        proof = self.selected_proof()
        self.fix_button.setEnabled(proof is not None and bool(proof.fixes)
                                   and not self.body_edit.isReadOnly())

    def _stale(self) -> bool:
        """Whether the text was typed over since the findings were found."""
        return self._proof_text != self.title_edit.text() + "\n" + self.body_edit.toPlainText()

    def _go_to_proof(self, item: QListWidgetItem) -> None:
        row = item.data(PROOF_ROLE)
        if not isinstance(row, int) or not 0 <= row < len(self.last_proofs) or self._stale():
            return
        proof = self.last_proofs[row]
        title = self.title_edit.text()
        if proof.start <= len(title):  # in the title (or at its end)
            start = qt_offset(title, proof.start)
            self.title_edit.setSelection(start, qt_offset(title, min(proof.end, len(title)))
                                         - start)
            self.title_edit.setFocus()
            return
        body = self.body_edit.toPlainText()
        cursor = self.body_edit.textCursor()
        cursor.setPosition(qt_offset(body, proof.start - len(title) - 1))
        cursor.setPosition(qt_offset(body, proof.end - len(title) - 1),
                           QTextCursor.MoveMode.KeepAnchor)
        self.body_edit.setTextCursor(cursor)
        self.body_edit.setFocus()

    def _proof_menu(self, where: QPoint) -> QMenu | None:
        """The finding's menu: 定位, and one 按建议修改 per fix it offers."""
        item = self.proofs.itemAt(where)
        if item is None:
            return None
        self.proofs.setCurrentItem(item)
        proof = self.selected_proof()
        if proof is None:
            return None
        menu = QMenu(self.proofs)
        menu.addAction("定位", lambda: self._go_to_proof(item))

        def fixer(choice: int) -> Callable[[], None]:
            return lambda: None if self.apply_proof_fix(choice) else None

        for n, fix in enumerate(proof.fixes):
            action = menu.addAction(f"按建议修改：{fix.label}", fixer(n))
            action.setEnabled(not self.body_edit.isReadOnly())
        menu.popup(self.proofs.viewport().mapToGlobal(where))
        return menu

    def apply_proof_fix(self, choice: int = 0) -> bool:
        """Mend the chosen finding as its fix says, saved as a new revision (as 遮盖个人信息).

        Typed text is saved first, then the fix is applied to it by the desk
        (``proofing.fix_notice``), so the revision says 「校对：…」 and the 台账
        counts it; findings of a text typed over since are checked afresh instead.
        """
        proof = self.selected_proof()
        if proof is None or not proof.fixes or self.body_edit.isReadOnly() or self.state is None:
            return False
        if self._stale():
            self._failed("文字已改动，校对结果正在更新，请稍后再修改。")
            self.run_check()
            return False
        notice_id, title = self.state.notice.id, self.title_edit.text()
        body = self.body_edit.toPlainText()
        key = (proof.start, proof.end, proof.rule, proof.text)

        def work(store: Store) -> drafts.Notice:
            drafts.edit_notice(store, notice_id, title, body)
            found = proofing.findings(store, drafts.get_notice(store, notice_id))
            number = next((n for n, p in enumerate(found, 1)
                           if (p.start, p.end, p.rule, p.text) == key), 0)
            if not number:
                raise UserError("校对结果已经变了，请看更新后的列表再修改。")
            return proofing.fix_notice(store, notice_id, number, choice)

        def fixed(notice: drafts.Notice) -> None:
            # The editor's text went in before the fix: it is saved, not an edit to keep.
            self._baseline = (title, body)
            self._after(f"已按建议修改「{proof.text}」，保存为第{notice.rev}版。")
            self.load(notice_id)

        self.runner.run(work, fixed, self._failed, changes=Changes.NOTICES, origin=self)
        return True

    def _go_to_finding(self, item: QListWidgetItem) -> None:
        row = self.findings.row(item)
        if not 0 <= row < len(self._finding_offsets):
            return
        offset = self._finding_offsets[row]
        body_offset = offset - len(self.title_edit.text()) - 1
        if body_offset >= 0:
            cursor = self.body_edit.textCursor()
            cursor.setPosition(body_offset)
            self.body_edit.setTextCursor(cursor)
            self.body_edit.setFocus()

    def _after(self, text: str, warn: bool = False) -> None:
        self.message.setStyleSheet("color: #a05a00;" if warn else "")
        self.message.setText(text)
        self.refresh()

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self.message.setStyleSheet("color: #b00020;")

    def _save_shortcut(self) -> None:
        if self.state is not None and self.save_button.isEnabled() and self.dirty():
            self.save()

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the text as a new revision; ``then`` runs once the saved notice is shown."""
        if self.state is None:
            return
        notice_id, title = self.state.notice.id, self.title_edit.text()
        body = self.body_edit.toPlainText()
        self.message.setStyleSheet("")
        self._autosave.stop()
        self._autosave_latest.stop()

        def saved(n: drafts.Notice) -> None:
            self._baseline = (n.title, n.body)
            self._after(f"已保存为第{n.rev}版。")
            self.load(notice_id, then)

        self.runner.run(lambda s: drafts.edit_notice(s, notice_id, title, body),
                        saved, self._failed, changes=Changes.NOTICES, origin=self)

    def settled(self, then: Callable[[], None]) -> None:
        """Run ``then`` on saved text: at once, after 保存, or after 不保存 put it back."""
        if self.leave(then):
            then()

    def mask_personal_data(self) -> None:
        """Save, then mask every finding in a new revision."""
        if self.state is None:
            return
        notice_id, title = self.state.notice.id, self.title_edit.text()
        body = self.body_edit.toPlainText()

        def work(store: Store) -> int:
            drafts.edit_notice(store, notice_id, title, body)
            return drafts.mask_notice(store, notice_id)[1]

        def masked(count: int) -> None:
            self._baseline = (title, body)  # saved before masking, not an edit to keep
            self._after(f"已遮盖 {count} 处个人信息。")
            self.load(notice_id)

        self.runner.run(work, masked, self._failed, changes=Changes.NOTICES, origin=self)

    def review_step(self, returning: bool) -> None:
        """Record one review step (or send the notice back), on saved text only."""
        if self.state is None:
            return
        self.settled(lambda: self._review(returning))

    def _review(self, returning: bool) -> None:
        if self.state is None:
            return
        notice_id, rev = self.state.notice.id, self.state.notice.rev

        Found = tuple[review.ReviewState, CheckResult, list[str], list[Proof], list[str]]

        def read(s: Store) -> Found:
            state = review.review_state(s, notice_id)
            step = state.next_step or state.steps[-1]
            # The saved text the reviewer approves, not the editor's: settled() saw to
            # it that they are the same.
            n = drafts.get_notice(s, notice_id)
            proofs = proofread.proofread(n.title, n.body, proof_context(s, n))
            return (state, drafts.check_notice(s, notice_id), review.reviewers(s).get(step, []),
                    proofs, proof_lines(n.title, n.body, proofs))

        def ask(found: Found) -> None:
            state, check, names, proofs, lines = found
            steps = " → ".join(state.steps)
            step = state.next_step or state.steps[-1]
            dialog = ReviewDialog(f"{step}（{steps}）", returning, self, rev=rev,
                                  missing=check.missing, findings=len(check.findings),
                                  names=names, state=state.summary(),
                                  proofs=list(zip(lines, proofs, strict=True)))
            if dialog.exec() != ReviewDialog.DialogCode.Accepted:
                return
            reviewer, opinion, checked, override = dialog.values()
            if returning:
                self.runner.run(lambda s: review.send_back(s, notice_id, reviewer, opinion),
                                lambda _r: self._after("已退回修改。"), self._failed,
                                changes=Changes.NOTICES, origin=self)
            else:
                self.runner.run(
                    lambda s: review.approve(s, notice_id, reviewer, opinion, checked=checked,
                                             override=override, rev=rev),
                    lambda r: self._after(f"{r.step}通过。" + ("审核完成。" if r.approved else
                                                            f"下一步：{'、'.join(r.remaining)}。")),
                    self._failed, changes=Changes.NOTICES, origin=self)

        self.runner.run(read, ask)

    def post(self) -> None:
        """Record that the notice went up on a board (a village board can be added there)."""
        if self.state is None:
            return
        notice_id = self.state.notice.id

        def names(s: Store) -> list[str]:
            return [b.name for b in boards.list_boards(s)]

        def ask(listed: list[str]) -> None:
            dialog = PostDialog(listed, clock.today(), self)

            def add(village: str) -> None:
                def work(s: Store) -> tuple[list[str], str]:
                    before = boards.list_boards(s)
                    have = [b.name for b in before if b.kind == "village"]
                    made = boards.set_villages(s, [boards.village_name(n) for n in have]
                                               + [village])
                    new = [b.name for b in made if b.name not in {x.name for x in before}]
                    return names(s), (new[0] if new else "")

                self.runner.run(work, lambda r: dialog.set_boards(*r), self._failed,
                                changes=Changes.SETTINGS, origin=self)

            dialog.add_village.connect(add)
            if dialog.exec() != PostDialog.DialogCode.Accepted:
                return
            board, day, photo = dialog.values()
            self.runner.run(
                lambda s: boards.post(s, notice_id, board, day, Path(photo) if photo else None),
                lambda warning: self._after(f"已记录张贴于「{board}」。"
                                            + (f"注意：{warning}" if warning else ""),
                                            warn=bool(warning)),
                self._failed,
                changes=Changes.NOTICES | Changes.POSTINGS, origin=self)

        self.runner.run(names, ask)

    def revise(self) -> None:
        """修改后重新报审: back to draft for a new round of review, with the reason kept."""
        if self.state is None:
            return
        n = self.state.notice
        reason = f"按县级平台意见修改：{n.county_reason}" if n.sync == "returned" else ""
        dialog = ReasonDialog("修改后重新报审",
                              "转为草稿后可以修改文字，修改后须重新审核；已有的张贴记录保留，"
                              "审核通过后请换贴新的张贴稿，下次同步时报送县级平台。",
                              "转为草稿", reason, self)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        why, notice_id = dialog.value(), n.id
        def done(r: drafts.Notice) -> None:
            self._after(f"已转为草稿（第{r.rev}版），请修改后重新审核。")
            self.load(notice_id)

        self.runner.run(lambda s: drafts.revise(s, notice_id, why), done, self._failed,
                        changes=Changes.NOTICES, origin=self)

    def withdraw(self) -> None:
        """撤回: stop the notice (kept, with its history), reminding which boards to clear."""
        if self.state is None:
            return
        dialog = ReasonDialog("撤回", "撤回后这条公开信息停止公开，记录保留；"
                              "已报送的会告知县级平台。", "撤回", "", self)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        why, notice_id = dialog.value(), self.state.notice.id

        def done(n: drafts.Notice) -> None:
            up = [p["board"] for p in n.postings if not p["taken_down"]]
            self._after("已撤回。" + (f"请到「{'」「'.join(up)}」撤下张贴稿，并在“公开栏”记录撤下"
                                     "（谁公开谁清理）。" if up else ""))
            self.load(notice_id)

        self.runner.run(lambda s: drafts.withdraw(s, notice_id, why), done, self._failed,
                        changes=Changes.NOTICES | Changes.COUNTY, origin=self)

    def show_history(self) -> QDialog | None:
        """Every revision of the open notice: pick one to read its text as it was."""
        if self.state is None:
            return None
        notice_id = self.state.notice.id
        dialog = HistoryDialog(self)
        listing, text = dialog.history_list, dialog.history_text
        for r in self.state.revisions:
            when = r["at"][:16].replace("T", " ")
            listing.addItem(f"第{r['rev']}版　{when}　{r['author']}　{r['change']}")
            listing.item(listing.count() - 1).setData(Qt.ItemDataRole.UserRole, r["rev"])

        wanted = {"rev": None}

        def shown(n: drafts.Notice) -> None:
            if n.rev == wanted["rev"]:  # an older answer must not overwrite the newer choice
                text.setPlainText(f"{n.title}\n\n{n.body}")

        def show(row: int) -> None:
            item = listing.item(row)
            if item is None:
                return
            rev = wanted["rev"] = item.data(Qt.ItemDataRole.UserRole)
            self.runner.run(lambda s: drafts.get_notice(s, notice_id, rev), shown)

        listing.currentRowChanged.connect(show)
        listing.setCurrentRow(0)
        dialog.open()
        return dialog

    def print_preview(self) -> PrintPreviewDialog | None:
        """Open the print preview of the open notice: its saved text, as it will print.

        Unsaved edits are settled first (保存 / 不保存 / 取消), so what is printed
        is always a revision on record.
        """
        if self.state is None:
            return None
        if self.dirty():
            self.settled(lambda: None if self.print_preview() else None)
            return None
        dialog = PrintPreviewDialog(self.runner, self.state.notice.id, self, "")
        dialog.open()
        return dialog

    def start_from_item(self, item_id: str, title: str) -> NewNoticeDialog | None:
        """Ask kind and formed date, then draft a notice from a catalog item."""
        dialog = NewNoticeDialog(title, clock.today(), self)
        if dialog.exec() != NewNoticeDialog.DialogCode.Accepted:
            return None
        kind, formed = dialog.values()
        self.draft(item_id, kind, formed)
        return dialog

    def draft(self, item_id: str, kind: str, formed: str) -> None:
        """Draft a notice in the background and open it."""
        def done(n: drafts.Notice) -> None:
            self.refresh(select=n.id)

        self.runner.run(lambda s: drafts.create_notice(s, item_id, kind=kind, formed=formed),
                        done, lambda m: QMessageBox.warning(self, "未能起草", m),
                        changes=Changes.NOTICES, origin=self)



