"""年度报告: the figures only the clerk knows, table 三's balance, and the report as Word.

Table 三 comes from the register and is shown, not typed; 上年结转 may be
copied from last year's report when the register does not go back that far.
Tables 二 and 四 are typed here. 保存 writes them in one transaction
(:func:`app.reports.annual_figures.set_manual`); 生成报告… saves, then writes the .docx
through the same function as ``gongkai report annual`` — refused, with its
one sentence, while table 三 does not balance.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.reports import annual_figures
from app.reports.annual_figures import (
    ACTIVE_GROUPS,
    APPLICANT_COLUMNS,
    CASE_COLUMNS,
    CASE_PARTS,
    FEE_KEY,
    TOTAL,
    AnnualFigures,
)
from app.store import Store
from ui.tasks import Runner
from ui.widgets import save_file, say

MOST = 9_999_999


def report_year_default() -> int:
    """The year a clerk most likely reports on: last year until mid-year, then this one."""
    today = clock.today()
    return today.year - 1 if today.month <= 6 else today.year


def _count_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, MOST)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


class AnnualReportDialog(QDialog):
    """One year's report: hand-entered tables, the register's table 三, and 生成报告…."""

    written = Signal(str)

    def __init__(self, runner: Runner, year: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.figures: AnnualFigures | None = None
        self._busy = False
        self.setWindowTitle("政府信息公开工作年度报告")
        self.year = QSpinBox()
        self.year.setRange(annual_figures.FIRST_YEAR, clock.today().year)
        self.year.setValue(year or report_year_default())
        self.year.setSuffix(" 年度")
        self.year.valueChanged.connect(lambda _y: self.load())
        top = QHBoxLayout()
        top.addWidget(QLabel("报告年度"))
        top.addWidget(self.year)
        top.addStretch(1)

        # 二、主动公开: one box per cell of the format's table.
        self.active: dict[str, QSpinBox | QDoubleSpinBox] = {}
        active_box = QGroupBox("二、主动公开政府信息情况（乡镇一般多为0，按实际填写）")
        grid = QGridLayout(active_box)
        line = 0
        for _article, columns, labels, rows in ACTIVE_GROUPS:
            for c, label in enumerate(labels):
                grid.addWidget(QLabel(label), line, c + 1)
            for row in rows:
                line += 1
                grid.addWidget(QLabel(row), line, 0)
                for c, column in enumerate(columns):
                    key = f"{row}.{column}"
                    box: QSpinBox | QDoubleSpinBox
                    if key == FEE_KEY:
                        fee = box = QDoubleSpinBox()
                        fee.setDecimals(4)
                        fee.setRange(0, MOST)
                        fee.setAlignment(Qt.AlignmentFlag.AlignRight)
                    else:
                        box = _count_box()
                    self.active[key] = box
                    grid.addWidget(box, line, c + 1)
            line += 1

        # 三: the register's figures, and the one row the clerk may type.
        register_box = QGroupBox("三、收到和处理政府信息公开申请情况（按登记簿自动统计）")
        three = QVBoxLayout(register_box)
        self.register_line = QLabel("正在统计……")
        self.register_line.setWordWrap(True)
        self.from_register = QCheckBox("上年结转按登记簿计算（取消勾选则照抄上年度报告的数字）")
        self.from_register.setChecked(True)
        self.from_register.toggled.connect(self._carried_enabled)
        self.from_register.toggled.connect(lambda _on: self._recheck())
        carried = QGridLayout()
        self.carried: dict[str, QSpinBox] = {}
        for c, column in enumerate(APPLICANT_COLUMNS):
            carried.addWidget(QLabel(column), 0, c)
            self.carried[column] = _count_box()
            # Every keystroke re-checks the balance (arithmetic on what was read).
            self.carried[column].valueChanged.connect(lambda _v: self._recheck())
            carried.addWidget(self.carried[column], 1, c)
        self.balance = QLabel()
        self.balance.setWordWrap(True)
        three.addWidget(self.register_line)
        three.addWidget(self.from_register)
        three.addLayout(carried)
        three.addWidget(self.balance)

        # 四: three parts of four columns; each 总计 is worked out, never typed.
        cases_box = QGroupBox("四、政府信息公开行政复议、行政诉讼情况")
        four = QGridLayout(cases_box)
        self.cases: dict[str, dict[str, QSpinBox]] = {}
        self.case_totals: dict[str, QLabel] = {}
        for c, column in enumerate((*CASE_COLUMNS, TOTAL)):
            four.addWidget(QLabel(column), 0, c + 1)
        for r, (part, label) in enumerate(CASE_PARTS.items(), start=1):
            four.addWidget(QLabel(label), r, 0)
            self.cases[part] = {}
            for c, column in enumerate(CASE_COLUMNS):
                box = _count_box()
                box.valueChanged.connect(lambda _v, p=part: self._total(p))
                self.cases[part][column] = box
                four.addWidget(box, r, c + 1)
            self.case_totals[part] = QLabel("0")
            four.addWidget(self.case_totals[part], r, len(CASE_COLUMNS) + 1)

        body = QWidget()
        parts = QVBoxLayout(body)
        for group in (active_box, register_box, cases_box):
            parts.addWidget(group)
        parts.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.message = QLabel("第一、五、六部分是文字：生成的Word文件里有灰色提示，"
                              "请在Word中改写。")
        self.message.setWordWrap(True)
        self.save_button = QPushButton("保存数字")
        self.save_button.clicked.connect(lambda: self.save())
        self.write_button = QPushButton("生成报告…")
        self.write_button.clicked.connect(self.write)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.write_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(900, 680)
        self._carried_enabled(True)
        self.load()

    # -- loading --------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.save_button, self.write_button, self.year):
            widget.setEnabled(not busy)

    def _run(self, work: Callable[[Store], Any], done: Callable[[Any], None]) -> None:
        self._set_busy(True)

        def finished(value: Any) -> None:
            self._set_busy(False)
            done(value)

        def failed(message: str) -> None:
            self._set_busy(False)
            say(self.message, message, error=True)

        self.runner.run(work, finished, failed)

    def load(self) -> None:
        """Read the chosen year's figures in the background and show them."""
        year = self.year.value()
        self.register_line.setText("正在统计……")
        self._run(lambda s: annual_figures.annual_figures(s, year), self._show)

    def _show(self, figures: AnnualFigures) -> None:
        if figures.year != self.year.value():
            return  # the clerk chose another year meanwhile; its own load follows
        self.figures = figures
        manual = figures.manual
        for key, box in self.active.items():
            value = manual.active.get(key, 0)
            if isinstance(box, QDoubleSpinBox):
                box.setValue(float(value))
            else:
                box.setValue(int(value))
        requests = figures.requests
        self.from_register.setChecked(not requests.carried_in_manual)
        for column, box in self.carried.items():
            box.setValue(requests.carried_in.get(column))
        for part, boxes in self.cases.items():
            counts = getattr(manual, part)
            for column, box in boxes.items():
                box.setValue(counts.get(column))
        self._draw(figures)

    def typed_figures(self) -> AnnualFigures | None:
        """The year as read, with 上年结转 as it stands in the boxes now."""
        if self.figures is None:
            return None
        carried = (None if self.from_register.isChecked()
                   else {column: box.value() for column, box in self.carried.items()})
        return annual_figures.with_carried_in(self.figures, carried)

    def _recheck(self) -> None:
        figures = self.typed_figures()
        if figures is not None:
            self._draw(figures)

    def _draw(self, figures: AnnualFigures) -> None:
        """Table 三's line and its balance, for the figures read or as being typed."""
        requests = figures.requests
        so_far = ("" if figures.complete
                  else f"（本年度尚未结束，统计到{figures.as_of.isoformat()}）")
        typed = (f"（手填；登记簿中为 {requests.carried_in_register.total} 件）"
                 if requests.carried_in_manual else "")
        self.register_line.setText(
            f"本年新收 {requests.new.total} 件，上年结转 {requests.carried_in.total} 件{typed}，"
            f"办理结果总计 {requests.results.total} 件，结转下年度 {requests.carried_out.total} 件"
            f"{so_far}。")
        problem = annual_figures.balance_problem(figures)
        say(self.balance, problem or "表格平衡：每一列新收加上年结转，等于办理结果加结转下年度。",
            error=bool(problem))

    def _carried_enabled(self, from_register: bool) -> None:
        for box in self.carried.values():
            box.setEnabled(not from_register)

    def _total(self, part: str) -> None:
        self.case_totals[part].setText(str(sum(b.value() for b in self.cases[part].values())))

    # -- saving and writing ---------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Keyword arguments of :func:`app.reports.annual_figures.set_manual` for the boxes."""
        def text(box: QSpinBox | QDoubleSpinBox) -> str:
            if isinstance(box, QDoubleSpinBox):
                # Through Decimal so that 1.5 is written "1.5", never "1.5000000001".
                return format(Decimal(str(round(box.value(), 4))).normalize(), "f")
            return str(box.value())

        manual = not self.from_register.isChecked()
        return {
            "active": {key: text(box) for key, box in self.active.items()},
            "carried_in": ({c: str(b.value()) for c, b in self.carried.items()}
                           if manual else None),
            "carried_in_from_register": not manual,
            **{part: {c: str(b.value()) for c, b in boxes.items()}
               for part, boxes in self.cases.items()},
        }

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the typed figures for the year, then show the year again (balance re-checked)."""
        year, values = self.year.value(), self.values()

        def work(store: Store) -> AnnualFigures:
            annual_figures.set_manual(store, year, **values)
            return annual_figures.annual_figures(store, year)

        def done(figures: AnnualFigures) -> None:
            self._show(figures)
            say(self.message, f"已保存{year}年度报告的数字。")
            if then:
                then()

        self._run(work, done)

    def write(self) -> None:
        """Save, ask where, then write the .docx (refused while table 三 does not balance)."""
        self.save(then=self._ask_and_write)

    def _ask_and_write(self) -> None:
        if self.figures is None:
            return
        problem = annual_figures.balance_problem(self.figures)
        if problem:
            say(self.message, problem, error=True)
            return
        name = f"{self.figures.township}{self.figures.year}年政府信息公开工作年度报告.docx"
        path = save_file(self, "保存年度报告", name, "Word 文档 (*.docx)")
        if not path:
            return
        self.write_to(Path(path if path.lower().endswith(".docx") else path + ".docx"))

    def write_to(self, out: Path) -> None:
        """Write the year's report to ``out`` in the background."""
        year = self.year.value()

        def work(store: Store) -> AnnualFigures:
            # python-docx loads only when a report is written, not with the window.
            from app.reports.annual_docx import write_annual_report

            return write_annual_report(store, year, out)

        def done(figures: AnnualFigures) -> None:
            from app.reports.annual_docx import written_line

            line = written_line(figures, out)
            say(self.message, line)
            self.written.emit(line)

        self._run(work, done)
