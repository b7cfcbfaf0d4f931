"""Importing a county table: what it will do first (a dry run), then the real thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import domains
from app.catalog_import import ImportReport, import_catalog
from ui.tasks import Runner
from ui.widgets import dialog_buttons

ACTIONS = {"added": "新增", "changed": "更新", "unchanged": "不变", "retired": "停用"}
NEW = "新增为新领域"


class ImportDialog(QDialog):
    """Preview of an import, the choices it needs, and the import itself."""

    imported = Signal()
    previewed = Signal()

    def __init__(self, runner: Runner, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.path = runner, path
        self.report: ImportReport | None = None
        self.choices: dict[str, QComboBox] = {}
        self.setWindowTitle(f"导入目录：{path.name}")
        self.resize(820, 560)

        self.info = QLabel(f"正在读取 {path.name} ……")
        self.info.setWordWrap(True)
        self.progress = QProgressBar()
        self.replace = QCheckBox("本表各领域中表里没有的事项改为停用（旧内容仍可查阅）")
        self.replace.toggled.connect(lambda _c: self.preview())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["领域 / 事项", "处理", "编号"])
        self.tree.setColumnWidth(0, 520)
        self.domain_box = QGroupBox("表中有目录里没有的领域，请选择如何处理")
        self.domain_form = QFormLayout(self.domain_box)
        self.domain_box.hide()
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.buttons, self.ok = dialog_buttons(self, "确认导入", "取消", self.confirm)
        self.ok.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.progress)
        layout.addWidget(self.replace)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.domain_box)
        layout.addWidget(self.warnings)
        layout.addWidget(self.buttons)
        self.preview()

    def _options(self) -> dict[str, Any]:
        add, mapping = set(), {}
        for label, combo in self.choices.items():
            choice = combo.currentData()
            if choice == NEW:
                add.add(label)
            elif choice:
                mapping[label] = choice
        return {"replace": self.replace.isChecked(), "add_domains": add, "mapping": mapping}

    def preview(self) -> None:
        """Run the import as a dry run (nothing is written) and show what it would do."""
        self.ok.setEnabled(False)
        self.progress.setValue(0)
        options = self._options()

        def work(store: object, report: Any) -> tuple[ImportReport, list[str]]:
            result = import_catalog(store, self.path, dry_run=True, progress=report, **options)
            return result, [d.name for d in domains.list_domains(store, include_hidden=True)]

        self.runner.run(work, self._previewed, self._failed, self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        self.info.setText(message)
        self.info.setStyleSheet("color: #b00020;")
        self.progress.setValue(0)
        self.ok.setEnabled(False)

    def _previewed(self, result: tuple[ImportReport, list[str]]) -> None:
        report, names = result
        self.report = report
        self.progress.setValue(self.progress.maximum())
        self.info.setText(report.summary())
        self.tree.clear()
        for section in report.to_json()["domains"]:
            counts = "，".join(f"{ACTIONS[k]} {section[k]}" for k in ACTIONS if section[k])
            label = section["domain"] + ("（新领域）" if section["new_domain"] else "")
            top = QTreeWidgetItem([f"{label}　{section['rows']} 行", counts, ""])
            for row in section["items"]:
                top.addChild(QTreeWidgetItem([f"{row['seq']}. {row['title']}",
                                              ACTIONS[row["action"]], row["id"]]))
            self.tree.addTopLevelItem(top)
            top.setExpanded(len(report.sections) == 1)
        self._domain_choices(report.new_domains(), names)
        self.warnings.setText("\n".join("提示：" + w for w in report.warnings))
        self._update_ok()
        self.previewed.emit()

    def _domain_choices(self, labels: list[str], names: list[str]) -> None:
        for label in labels:
            if label in self.choices:
                continue
            combo = QComboBox()
            combo.addItem("（请选择）", "")
            combo.addItem(f"新增领域「{label}」", NEW)
            for name in names:
                combo.addItem(f"对应到已有领域「{name}」", name)
            combo.currentIndexChanged.connect(lambda _i: self._update_ok())
            self.choices[label] = combo
            self.domain_form.addRow(label, combo)
        self.domain_box.setVisible(bool(self.choices))

    def _update_ok(self) -> None:
        ready = self.report is not None and all(c.currentData() for c in self.choices.values())
        self.ok.setEnabled(ready)

    def confirm(self) -> None:
        """Write the import (one transaction), then close."""
        self.ok.setEnabled(False)
        self.replace.setEnabled(False)
        options = self._options()

        def work(store: object, report: Any) -> ImportReport:
            return import_catalog(store, self.path, progress=report, **options)

        def done(report: ImportReport) -> None:
            self.report = report
            self.info.setText(report.summary())
            self.imported.emit()
            self.accept()

        self.runner.run(work, done, self._failed, self._progress)
