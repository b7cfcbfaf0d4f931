"""Importing a catalog: what it will do first (a dry run), then the real thing.

The same dialog serves a county table chosen from disk and a catalog revision
the county platform sent: both are a :class:`CatalogSource` to the importer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalog import domains
from app.catalog.importing import CatalogSource, FileSource, ImportReport, import_catalog
from app.store import Store
from ui.tasks import Changes, Newest, Runner
from ui.widgets import dialog_buttons, with_tooltips

ACTIONS = {"added": "新增", "changed": "更新", "unchanged": "不变", "retired": "停用"}
COLOURS = {"added": "#1b7f3b", "changed": "#1d5fa8", "unchanged": "#777777",
           "retired": "#b00020"}
NEW = "新增为新领域"
BY_TITLE = ""


def change_lines(diff: dict[str, dict[str, Any]]) -> str:
    """What a changed row changes, one field a line: ``公开层级：县级、乡级 → 乡级``."""
    def shown(value: Any) -> str:
        text = "、".join(value) if isinstance(value, list) else str(value)
        return text.replace("\n", " ") or "（空）"

    return "\n".join(f"{name}：{shown(d['from'])} → {shown(d['to'])}" for name, d in diff.items())


class ImportDialog(QDialog):
    """Preview of an import, the choices it needs, and the import itself."""

    imported = Signal()
    previewed = Signal()
    failed = Signal(str)

    def __init__(self, runner: Runner, source: Path | CatalogSource,
                 parent: QWidget | None = None, *, replace: bool = False,
                 confirm_text: str = "确认导入") -> None:
        super().__init__(parent)
        self.runner = runner
        self.source = FileSource(source) if isinstance(source, Path) else source
        name = self.source.name
        self.report: ImportReport | None = None
        self.error = ""
        self.choices: dict[str, QComboBox] = {}
        self.domain_names: list[str] = []
        self._answers = Newest()
        self.setWindowTitle(f"导入目录：{name}")
        self.resize(860, 600)

        self.info = QLabel(f"正在读取 {name} ……（先预览，确认后才写入）")
        self.info.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m 行")
        self.replace = QCheckBox("替换（停用表中没有的事项）：本表所涉领域里，"
                                 "表中没有的旧事项改为停用，旧内容仍可查阅")
        self.replace.setChecked(replace)
        self.replace.toggled.connect(lambda _c: self.preview())
        self.target = QComboBox()
        self.target.addItem("按表格标题识别", BY_TITLE)
        self.target.setToolTip("表格没有“××领域”标题时，在这里指定全部事项归入哪个领域")
        self.target.currentIndexChanged.connect(lambda _i: self.preview())
        target_row = QHBoxLayout()
        target_row.addWidget(QLabel("所属领域"))
        target_row.addWidget(self.target)
        target_row.addStretch(1)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["领域 / 事项", "处理", "编号"])
        self.tree.setColumnWidth(0, 500)
        self.tree.setColumnWidth(1, 180)
        self.domain_box = QGroupBox("表中有目录里没有的领域：请确认新增，或对应到已有领域")
        self.domain_form = QFormLayout(self.domain_box)
        self.domain_box.hide()
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.buttons, self.ok = dialog_buttons(self, confirm_text, "取消", self.confirm)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.progress)
        if isinstance(self.source, FileSource):
            # Only a table without a title needs its domain named; catalog items carry theirs.
            layout.addLayout(target_row)
        else:
            self.target.hide()
        layout.addWidget(self.replace)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.domain_box)
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)
        self.runner.run(lambda s: [d.name for d in domains.list_domains(s, True)],
                        self._names_loaded)
        self.preview()

    def _names_loaded(self, names: list[str]) -> None:
        self.domain_names = names
        self.target.blockSignals(True)
        for name in names:
            self.target.addItem(f"全部归入「{name}」", name)
        self.target.blockSignals(False)
        for combo in self.choices.values():
            self._add_mappings(combo)

    def _options(self) -> dict[str, Any]:
        add, mapping = set(), {}
        for label, combo in self.choices.items():
            choice = combo.currentData()
            if choice == NEW:
                add.add(label)
            elif choice:
                mapping[label] = choice
        return {"replace": self.replace.isChecked(), "add_domains": add, "mapping": mapping,
                "domain": self.target.currentData() or None}

    def _busy(self) -> None:
        # The file is read before rows are counted: until then, a moving bar.
        self.progress.setRange(0, 0)

    def _start(self, dry_run: bool, done: Callable[[Any], None]) -> None:
        """Run the import (or its dry run) in the background; only the newest answer counts."""
        only = self._answers.start()
        options = self._options()
        source = self.source

        def work(store: Store, report: Callable[[int, int], None]) -> ImportReport:
            return import_catalog(store, source, dry_run=dry_run, progress=report, **options)

        self._busy()
        self.runner.run(work, only(done), only(self._failed), only(self._progress),
                        changes=Changes.NONE if dry_run else Changes.CATALOG, origin=self)

    def preview(self) -> None:
        """Run the import as a dry run (nothing is written) and show what it would do."""
        self.ok.setEnabled(False)
        self.report = None
        self._start(True, self._previewed)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        self.error = message
        self.info.setText(message)
        self.info.setStyleSheet("color: #b00020;")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.replace.setEnabled(True)
        self.cancel.setEnabled(True)
        self.ok.setEnabled(False)
        self.failed.emit(message)

    def _previewed(self, report: ImportReport) -> None:
        self.report = report
        self.error = ""
        self.progress.setRange(0, max(report.rows, 1))
        self.progress.setValue(report.rows)
        self.info.setStyleSheet("")
        self.info.setText("预览（尚未写入）：" + report.summary())
        self.tree.clear()
        for section in report.to_json()["domains"]:
            counts = "，".join(f"{ACTIONS[k]} {section[k]}" for k in ACTIONS if section[k])
            label = section["domain"]
            if section["new_domain"]:
                label += "（新领域）"
            elif section["label"] != section["domain"]:
                label += f"（表中称“{section['label']}”）"
            top = with_tooltips(QTreeWidgetItem([f"{label}　表中 {section['rows']} 行",
                                                 counts, ""]))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for row in section["items"]:
                action = ACTIONS[row["action"]]
                if row.get("fields"):
                    action += f"（{'、'.join(row['fields'])}）"
                elif "moved_from" in row:
                    action += f"（只调整序号 {row['moved_from']}→{row['seq']}）"
                child = with_tooltips(QTreeWidgetItem([f"{row['seq']}. {row['title']}", action,
                                                       row["id"]]))
                if row.get("diff"):
                    child.setToolTip(1, change_lines(row["diff"]))
                child.setForeground(1, QBrush(QColor(COLOURS[row["action"]])))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            # A county revision touches a few rows of many domains: open where something moves.
            top.setExpanded(len(report.sections) == 1
                            or any(section[k] for k in ("added", "changed", "retired")))
        self._domain_choices(report.new_domains())
        self.warnings.setText("\n".join("提示：" + w for w in report.warnings))
        self._update_ok()
        self.previewed.emit()

    def _domain_choices(self, labels: list[str]) -> None:
        for label in labels:
            if label in self.choices:
                continue
            combo = QComboBox()
            combo.addItem("（请选择）", "")
            combo.addItem(f"确认新增领域「{label}」", NEW)
            self._add_mappings(combo)
            # A new choice changes what the import does: show it before it is confirmed.
            combo.currentIndexChanged.connect(lambda _i: self.preview())
            self.choices[label] = combo
            self.domain_form.addRow(label, combo)
        self.domain_box.setVisible(bool(self.choices))

    def _add_mappings(self, combo: QComboBox) -> None:
        # The names may arrive after the first preview: add them once, whenever they come.
        if combo.count() > 2:
            return
        combo.blockSignals(True)
        for name in self.domain_names:
            combo.addItem(f"对应到已有领域「{name}」", name)
        combo.blockSignals(False)

    def _update_ok(self) -> None:
        ready = self.report is not None and all(c.currentData() for c in self.choices.values())
        self.ok.setEnabled(ready)

    def confirm(self) -> None:
        """Write the import (one transaction), then close."""
        if self.report is None or not self.ok.isEnabled():
            return
        self.ok.setEnabled(False)
        # The import is one transaction that cannot be stopped half-way; nothing to cancel.
        self.cancel.setEnabled(False)
        self.replace.setEnabled(False)
        self.info.setText("正在导入……")

        def done(report: ImportReport) -> None:
            self.report = report
            self.info.setText(report.summary())
            self.imported.emit()
            self.accept()

        self._start(False, done)
