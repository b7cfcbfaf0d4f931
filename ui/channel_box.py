"""公开渠道: the checklist of a notice's channels beside its postings, in the notice editor.

Each channel the catalog item names, what the desk makes for it and whether it was
done: a board by its postings, the website by the county's URL, every other channel
by the clerk's record (:mod:`app.notices.channels`). 生成… makes the 屏幕页, 广播稿 or
两微一端 图文 in the background; 记录… asks what a record of the channel holds; 撤销…
marks a record as wrong (it is kept, and no longer counts).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.notices import channels, drafts
from app.notices.channels import ChannelDuty, ChannelRecord, ChannelSpec
from app.store import Store
from ui.notice_dialogs import ReasonDialog
from ui.tasks import Changes, Newest, Runner
from ui.widgets import FormDialog, choose_folder, date_edit, iso_date, save_file, say

ROLE = Qt.ItemDataRole.UserRole
DONE, MISSING, ASIDE = "#1b7f3b", "#b00020", "#777777"
#: What each 生成… makes, in the clerk's words (for the button and the refusal).
MADE = {"电子屏": "屏幕页", "广播": "广播稿", "两微一端": "两微一端图文"}


def _read(store: Store, notice_id: str) -> tuple[str, str, list[ChannelDuty], str]:
    notice = drafts.get_notice(store, notice_id)
    return notice_id, notice.status, channels.channel_duties(store, notice_id), notice.formed


def make_output(store: Store, notice_id: str, export: str, target: Path) -> str:
    """Run the channel's export (in a worker); one sentence of what was written."""
    if export == "两微一端":
        from app.printing.social import export_social

        files = export_social(store, notice_id, target)
        return f"已生成两微一端图文（{len(files)}个文件）：{target}"
    if export == "电子屏":
        from app.printing.screen import export_screen, list_screens, parse_size

        screens = list_screens(store)
        # The first screen of 设置 › 电子屏, else a common 1080p board.
        size = screens[0].size if screens else parse_size("1920x1080")
        pages = export_screen(store, [notice_id], target, size)
        return f"已生成{len(pages)}页屏幕画面（{size.width}×{size.height}）：{target}"
    from app.printing.broadcast import export_broadcast

    made = export_broadcast(store, notice_id, target)
    return f"已生成广播稿：{made.script}" + (f"；{made.no_audio}" if made.no_audio else "")


class RecordDialog(FormDialog):
    """记录…: the date, and what a record of this channel holds (screen, village, URL, 份数…)."""

    def __init__(self, spec: ChannelSpec, today: date, formed: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"记录公开：{channels.short_name(spec.channel)}",
                         spec.hint or "写明在哪里、哪天公开。", "记录", parent)
        self.spec = spec
        self.day = date_edit(today)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        low = date.fromisoformat(formed)
        self.day.setMinimumDate(QDate(low.year, low.month, low.day))
        self.form.addRow("公开日期", self.day)
        self.has_until = QCheckBox("到")
        self.until = date_edit(today)
        self.until.setEnabled(False)
        self.has_until.toggled.connect(self.until.setEnabled)
        if spec.until:
            row = QHBoxLayout()
            row.addWidget(self.has_until)
            row.addWidget(self.until, 1)
            self.form.addRow("截止日期", row)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…（粘贴发布后的网址）")
        self.url.setMaxLength(channels.URL_MAX)
        if spec.url:
            self.form.addRow("网址" + ("" if spec.url == "required" else "（可不填）"), self.url)
        self.place = QLineEdit()
        self.place.setMaxLength(channels.PLACE_MAX)
        if spec.place:
            self.form.addRow(spec.place_label + ("" if spec.place == "required" else "（可不填）"),
                             self.place)
        self.count = QSpinBox()
        self.count.setRange(0, channels.COUNT_MAX)
        self.count.setSpecialValueText("不填")
        if spec.count:
            self.form.addRow(spec.count_label, self.count)
        self.note = QLineEdit()
        self.note.setMaxLength(channels.NOTE_MAX)
        self.note.setPlaceholderText("可不填")
        self.form.addRow("说明", self.note)

    def problem(self) -> str:
        """What a required field lacks, in one sentence."""
        spec = self.spec
        if spec.url == "required" and not self.url.text().strip():
            return "请粘贴发布后的网址。"
        if spec.place == "required" and not self.place.text().strip():
            return f"请写明{spec.place_label}。"
        if spec.count == "required" and not self.count.value():
            return f"请写明{spec.count_label}（至少1）。"
        if self.has_until.isChecked() and self.until.date() < self.day.date():
            return "截止日期不能早于公开日期。"
        return ""

    def values(self) -> dict[str, Any]:
        """The record's fields as :func:`app.notices.channels.record_channel` takes them."""
        return {"day": iso_date(self.day),
                "until": iso_date(self.until) if self.spec.until and self.has_until.isChecked()
                else None,
                "url": self.url.text().strip(), "place": self.place.text().strip(),
                "count": self.count.value() or None, "note": self.note.text().strip()}


class ChannelBox(QGroupBox):
    """The checklist of the open notice's channels, with 生成…, 记录… and 撤销…."""

    #: The checklist of a notice was shown (its id).
    shown = Signal(str)
    #: A 生成… or a record finished: its sentence.
    answered = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__("公开渠道（目录要求的渠道及公开记录）", parent)
        self.runner = runner
        self.notice_id: str | None = None
        self.status = ""
        self.formed = ""
        self.duties: list[ChannelDuty] = []
        self._reads = Newest()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["渠道 · 生成", "公开情况"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 230)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._enable())
        self.tree.itemActivated.connect(lambda _i, _c: self.record())
        self.make_button = QPushButton("生成…")
        self.make_button.clicked.connect(self.make)
        self.record_button = QPushButton("记录…")
        self.record_button.setToolTip("记录已通过这个渠道公开：哪天、在哪里（电子屏、村、网址、份数）")
        self.record_button.clicked.connect(self.record)
        self.withdraw_button = QPushButton("撤销…")
        self.withdraw_button.setToolTip("所选记录记错了：撤销后保留在记录里，不再计入")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        # The buttons stand beside the list: the editor's height goes to the text.
        buttons = QVBoxLayout()
        for b in (self.make_button, self.record_button, self.withdraw_button):
            b.setMinimumWidth(120)
            buttons.addWidget(b)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.tree, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(row, 1)
        layout.addWidget(self.message)
        self._enable()
        runner.desk_changed.connect(self._desk_changed)

    # -- reading ----------------------------------------------------------------------

    def show_notice(self, notice_id: str) -> None:
        """Read the checklist of ``notice_id`` in the background."""
        if notice_id != self.notice_id:
            self._say("")
        self.notice_id = notice_id
        self.runner.run(lambda s: _read(s, notice_id), self._reads.start()(self._show),
                        lambda m: self._say(m, True))

    def refresh(self) -> None:
        """Read the open notice's checklist again."""
        if self.notice_id:
            self.show_notice(self.notice_id)

    def _desk_changed(self, changes: Changes, _origin: object) -> None:
        # A posting, a county reply or a record anywhere (this box included).
        if changes & (Changes.POSTINGS | Changes.COUNTY | Changes.NOTICES):
            self.refresh()

    def _show(self, found: tuple[str, str, list[ChannelDuty], str]) -> None:
        notice_id, status, duties, formed = found
        if notice_id != self.notice_id:
            return
        keep = self._selected_key()
        self.status, self.duties, self.formed = status, duties, formed
        out = status in ("approved", "published")
        self.tree.clear()
        chosen = None
        for duty in duties:
            name = channels.short_name(duty.channel)
            line = QTreeWidgetItem([f"{name} · {duty.output}", self._status_text(duty, out)])
            line.setData(0, ROLE, (duty.channel, None))
            line.setToolTip(0, f"{duty.channel}：工作台生成{duty.output}"
                            + ("" if duty.required or duty.offline else "（目录未要求，另行公开）"))
            colour = DONE if duty.done else MISSING if out and duty.required else ASIDE
            line.setForeground(1, QBrush(QColor(colour)))
            for record in duty.records:
                child = QTreeWidgetItem(["", record.text()])
                child.setToolTip(1, record.text())
                child.setData(0, ROLE, (duty.channel, record))
                line.addChild(child)
                if keep == (duty.channel, record.number) and record.number:
                    chosen = child
            for record in duty.superseded:
                child = QTreeWidgetItem(["", "（已更正或撤销）" + record.text()])
                child.setForeground(1, QBrush(QColor(ASIDE)))
                child.setData(0, ROLE, (duty.channel, None))
                line.addChild(child)
            self.tree.addTopLevelItem(line)
            # One line a channel; its records unfold beneath it.
            line.setExpanded(False)
            if chosen is None and (keep == (duty.channel, None) or keep is None and (
                    duty.missing and duty.spec.recordable and out)):
                chosen = line
        chosen = chosen or self.tree.topLevelItem(0)
        if chosen is not None:
            parent = chosen.parent()
            if parent is not None:
                parent.setExpanded(True)
            self.tree.setCurrentItem(chosen)
        self._enable()
        self.shown.emit(notice_id)

    @staticmethod
    def _status_text(duty: ChannelDuty, out: bool) -> str:
        if duty.offline and not duty.done:
            return "— " + duty.status()
        status = duty.status() + ("" if duty.required else "（目录未要求）")
        if duty.required and not duty.done and not out:
            return "审核通过后公开"
        if len(duty.records) == 1:
            status += "：" + duty.records[0].text()
        return ("☑ " if duty.done else "☐ ") + status

    # -- what is chosen ---------------------------------------------------------------

    def _selected(self) -> tuple[ChannelDuty | None, ChannelRecord | None]:
        item = self.tree.currentItem()
        if item is None:
            return None, None
        channel, record = item.data(0, ROLE)
        duty = next((d for d in self.duties if d.channel == channel), None)
        return duty, record

    def _selected_key(self) -> tuple[str, int | None] | None:
        duty, record = self._selected()
        if duty is None:
            return None
        return duty.channel, record.number if record is not None else None

    def _enable(self) -> None:
        duty, record = self._selected()
        out = self.status in ("approved", "published")
        export = duty.export if duty is not None else ""
        self.make_button.setText(f"生成{MADE[export]}…" if export else "生成…")
        self.make_button.setEnabled(bool(export) and out)
        self.record_button.setEnabled(duty is not None and duty.spec.recordable and out)
        self.withdraw_button.setEnabled(record is not None and record.kind == "record"
                                        and record.number is not None)

    # -- actions ----------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        say(self.message, text, error)
        self.message.setVisible(bool(text))

    def _run(self, work: Callable[[Store], str], changes: Changes = Changes.NONE) -> None:
        def done(text: str) -> None:
            self._say(text)
            self.answered.emit(text)

        def failed(text: str) -> None:
            self._say(text, error=True)
            self.answered.emit(text)

        self.runner.run(work, done, failed, changes=changes, origin=self)

    def make(self) -> None:
        """生成…: ask where, then make the channel's output in the background."""
        duty, _record = self._selected()
        if duty is None or not duty.export or self.notice_id is None:
            return
        notice_id, export = self.notice_id, duty.export
        if export == "广播":
            chosen = save_file(self, "保存广播稿", "广播稿.docx",
                               "Word 文档 (*.docx);;文本文件 (*.txt)")
        else:
            chosen = choose_folder(self, f"选择放{MADE[export]}的文件夹")
        if not chosen:
            return
        self._say(f"正在生成{MADE[export]}……")
        self._run(lambda s: make_output(s, notice_id, export, Path(chosen)))

    def record(self) -> RecordDialog | None:
        """记录…: ask what the record holds, then record it in the background."""
        duty, _record = self._selected()
        if (duty is None or not duty.spec.recordable or self.notice_id is None
                or self.status not in ("approved", "published")):
            return None
        dialog = RecordDialog(duty.spec, clock.today(), self.formed, self)
        if dialog.exec() != RecordDialog.DialogCode.Accepted:
            return dialog
        notice_id, channel, values = self.notice_id, duty.channel, dialog.values()

        def work(s: Store) -> str:
            done = channels.record_channel(s, notice_id, channel, **values)
            return f"已记录：{channels.short_name(done.channel)} {done.text()}"

        self._run(work, Changes.POSTINGS)
        return dialog

    def withdraw(self) -> None:
        """撤销…: the chosen record was wrong; it stays on record and no longer counts."""
        _duty, record = self._selected()
        if record is None or record.number is None or self.notice_id is None:
            return
        dialog = ReasonDialog("撤销渠道记录", f"撤销第{record.number}条记录（{record.text()}）："
                              "记录保留，不再计入公开渠道。", "撤销", "", self)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        notice_id, number, why = self.notice_id, record.number, dialog.value()

        def work(s: Store) -> str:
            channels.withdraw_record(s, notice_id, number, why)
            return f"已撤销第{number}条渠道记录。"

        self._run(work, Changes.POSTINGS)
