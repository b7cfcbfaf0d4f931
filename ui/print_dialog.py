"""打印预览: a notice's real pages, then the printer, a PDF or a Word file from the same place.

The preview is the very PDF that prints, turned into pixels (app.printing.page_images),
so what the clerk sees is what comes out of the printer. Rendering, turning
pages into pixels and painting onto the printer all run in the background
through the Runner; the dialog only shows what comes back.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.printing.output import PrintOptions, PrintTarget, Rendered, notice_target
from app.printing.page_images import PageImage, fit_dpi, page_images, page_sizes
from app.store import Store
from ui.tasks import Runner
from ui.widgets import save_file

#: Preview pixels are kept for every page: above this many in all, pages are
#: rasterised smaller (and scaled up on screen) so a 60-page list stays light.
PREVIEW_PIXEL_BUDGET = 40_000_000
PREVIEW_MOST_DPI = 150.0
#: A printer shows nothing finer than this; more pixels only cost memory and time.
PRINT_MOST_DPI = 300.0
QR_DELAY_MS = 600
PRINTER_NOT_READY = "无法开始打印：请检查打印机是否已连接、开机并有纸，然后重试。"
PRINTER_STOPPED = "打印中途出错：请检查打印机后重新打印。"
FORMATS = {"pdf": ("另存为PDF", "PDF 文件 (*.pdf)", ".pdf"),
           "docx": ("另存为Word", "Word 文档 (*.docx)", ".docx")}


@dataclass(frozen=True)
class Preview:
    """What the preview shows: the PDF written, its pages as images and the paper size."""

    rendered: Rendered
    images: list[QImage]
    size_pt: tuple[float, float]
    title: str
    options: PrintOptions


def to_qimage(page: PageImage) -> QImage:
    """Wrap a page's RGB rows in a QImage that owns its own copy of the pixels."""
    return QImage(page.rgb, page.width, page.height, page.stride,
                  QImage.Format.Format_RGB888).copy()


def fitted(area: QRectF, width: float, height: float) -> QRectF:
    """The largest rectangle of ``width``:``height`` inside ``area``, centred."""
    scale = min(area.width() / width, area.height() / height)
    w, h = width * scale, height * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)


def page_size(size_pt: tuple[float, float]) -> QPageSize:
    """The standard paper nearest to a page of ``size_pt`` (either way round)."""
    width, height = size_pt
    return QPageSize(QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point,
                     "", QPageSize.SizeMatchPolicy.FuzzyMatch)


def paper_name(size_pt: tuple[float, float]) -> str:
    """"A4", "A3" … for a page of ``size_pt``."""
    return page_size(size_pt).key()


def file_stem(title: str) -> str:
    """A file name from a notice title (characters Windows refuses taken out)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "", title)[:60] or "公开信息"


class _Latest:
    """The number of the newest request, read by workers to stop work nobody will see."""

    def __init__(self) -> None:
        self.number = 0

    def next(self) -> int:
        self.number += 1
        return self.number

    def current(self, number: int) -> bool:
        return number == self.number


class PageStrip(QScrollArea):
    """Pages one under another on a grey desk, each scaled to the width, with a light shadow."""

    MARGIN, GAP = 18, 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[QImage] = []
        self.empty_text = "正在生成预览……"
        self._scaled: dict[int, QPixmap] = {}
        self.canvas = _Canvas(self)
        self.setWidget(self.canvas)
        self.setWidgetResizable(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there, so that its arrival never narrows the pages and moves them again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setStyleSheet("QScrollArea { background: #8a8f96; border: none; }")
        self.canvas.setStyleSheet("background: #8a8f96;")

    def set_pages(self, images: list[QImage]) -> None:
        """Show these pages (an empty list shows ``empty_text``)."""
        self.images = images
        self._relayout()

    def page_rects(self) -> list[QRectF]:
        """Where each page lies on the canvas."""
        width = max(50, self.viewport().width() - 2 * self.MARGIN)
        rects, y = [], float(self.MARGIN)
        for image in self.images:
            height = width * image.height() / max(1, image.width())
            rects.append(QRectF(self.MARGIN, y, width, height))
            y += height + self.GAP
        return rects

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scale the pages to the new width."""
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        self._scaled.clear()
        rects = self.page_rects()
        bottom = int(rects[-1].bottom()) + self.MARGIN if rects else self.viewport().height()
        self.canvas.resize(self.viewport().width(), max(bottom, self.viewport().height()))
        self.canvas.update()

    def scaled(self, index: int, rect: QRectF) -> QPixmap:
        """The page scaled smoothly once per width, so that scrolling only copies pixels."""
        pixmap = self._scaled.get(index)
        if pixmap is None:
            image = self.images[index].scaled(int(rect.width()), int(rect.height()),
                                              Qt.AspectRatioMode.IgnoreAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation)
            pixmap = self._scaled[index] = QPixmap.fromImage(image)
        return pixmap


class _Canvas(QWidget):
    def __init__(self, strip: PageStrip) -> None:
        super().__init__()
        self.strip = strip

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#8a8f96"))
        if not self.strip.images:
            painter.setPen(QColor("#ffffff"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.strip.empty_text)
            return
        for index, rect in enumerate(self.strip.page_rects()):
            if not rect.adjusted(-6, -6, 6, 6).intersects(QRectF(event.rect())):
                continue
            painter.fillRect(rect.translated(3, 4), QColor(0, 0, 0, 60))
            painter.drawPixmap(rect.topLeft(), self.strip.scaled(index, rect))
            painter.setPen(QColor("#c8c8c8"))
            painter.drawRect(rect)


class PrintPreviewDialog(QDialog):
    """Print preview of one notice, with paper, copies, printing and 另存为PDF/Word."""

    previewed = Signal()
    saved = Signal(str)
    printed = Signal(str)
    failed = Signal(str)

    def __init__(self, runner: Runner, target: str | PrintTarget,
                 parent: QWidget | None = None, note: str = "") -> None:
        super().__init__(parent)
        self.runner, self.note = runner, note
        # A notice comes by its id (most callers); anything else brings its own target.
        self.notice_id = target if isinstance(target, str) else None
        self.target = notice_target(target) if isinstance(target, str) else target
        self.preview: Preview | None = None
        self.handout: bool | None = None
        self.title = ""
        self.message = ""
        self._requests = _Latest()
        self._job = 0  # which job (preview, save, print) the progress bar follows
        self._preview_job = 0
        self._running = 0
        self._busy_output = False
        self._rendering = False
        self._closing = False
        self._folder: Path | None = None
        self._folder_lock = threading.Lock()
        self.setWindowTitle("打印预览")

        self.paper = QComboBox()
        # Empty: the paper set in 设置 for this kind; its name is filled in once known.
        self.paper.addItem("按模板", "")
        self.paper.addItem("A4", "A4")
        self.paper.addItem("A3", "A3")
        self.paper.setToolTip("张贴稿可用A4或A3纸（默认按设置中的模板）；明白纸固定用A4纸。")
        self.per_sheet = QComboBox()
        self.per_sheet.addItem("一份（A4）", 1)
        self.per_sheet.addItem("两份（A5，裁开）", 2)
        self.per_sheet.setToolTip("只用于明白纸：一张A4纸印两份A5，中间有裁切线。")
        self.qr_url = QLineEdit()
        self.qr_url.setPlaceholderText("网上版本的网址（可不填）")
        self.qr_url.setToolTip("只用于明白纸：填写后在明白纸上印二维码。")
        self.copies = QSpinBox()
        self.copies.setRange(1, 999)
        self.copies.setSuffix(" 份")
        self.copies.setToolTip("打印机打印的份数")
        for control in (self.paper, self.per_sheet, self.qr_url):
            control.setEnabled(False)  # until the notice's kind is known
        self.paper.currentIndexChanged.connect(lambda _i: self.refresh())
        self.per_sheet.currentIndexChanged.connect(lambda _i: self.refresh())
        self._qr_timer = QTimer(self, singleShot=True, interval=QR_DELAY_MS)
        self._qr_timer.timeout.connect(self._qr_changed)
        self.qr_url.textEdited.connect(lambda _t: self._qr_timer.start())
        self.qr_url.editingFinished.connect(self._qr_changed)

        options = QHBoxLayout()
        fields: tuple[tuple[str, QWidget, int], ...] = (
            ("纸张", self.paper, 0), ("每张印", self.per_sheet, 0), ("二维码网址", self.qr_url, 1),
            ("份数", self.copies, 0))
        for label, field, stretch in fields:
            options.addWidget(QLabel(label))
            options.addWidget(field, stretch)
            options.addSpacing(12)

        self.strip = PageStrip()
        self.pages_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.info = QLabel(note)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status = QHBoxLayout()
        status.addWidget(self.pages_label)
        status.addWidget(self.progress, 1)

        self.print_button = QPushButton("打印…")
        self.pdf_button = QPushButton("另存为PDF…")
        self.word_button = QPushButton("另存为Word…")
        self.close_button = QPushButton("关闭")
        self.print_button.clicked.connect(self.print_)
        self.pdf_button.clicked.connect(lambda: self.save_as("pdf"))
        self.word_button.clicked.connect(lambda: self.save_as("docx"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.pdf_button, self.word_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.strip, 1)
        layout.addLayout(status)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        self.resize(960, 700)
        self.finished.connect(self._closed)
        self._update_buttons()
        self.refresh()

    # -- options and preview -------------------------------------------------------

    def options(self) -> PrintOptions:
        """The options the controls show (as PDF)."""
        return PrintOptions("pdf", self.paper.currentData(), self.per_sheet.currentData(),
                            self.qr_url.text().strip())

    def _qr_changed(self) -> None:
        self._qr_timer.stop()
        shown = self.preview.options.qr_url if self.preview else ""
        if self.qr_url.text().strip() != shown:
            self.refresh()

    def refresh(self) -> None:
        """Render the notice with the chosen options and show its pages; only the newest counts."""
        number = self._requests.next()
        options, target, latest = self.options(), self.target, self._requests
        width = max(self.strip.viewport().width(), 800) * self.devicePixelRatioF()
        # Until the new pages are in, 打印 would print pages the controls no longer describe.
        self._rendering = True
        self._update_buttons()
        self.progress.setFormat("正在排版 %p%")

        def work(store: Store, report: Callable[[int, int], None]) -> Preview | None:
            title = target.title(store)
            pdf = self._workdir() / f"preview-{number}.pdf"
            rendered = target.render(store, pdf, options,
                                     lambda done, total: report(done, 2 * total))
            sizes = page_sizes(pdf)
            pages = len(sizes)
            largest = max(sizes, key=lambda size: size[0] * size[1])
            dpi = fit_dpi(largest, width, most=PREVIEW_MOST_DPI)
            per_page = largest[0] * largest[1] * (dpi / 72) ** 2
            if per_page * pages > PREVIEW_PIXEL_BUDGET:
                dpi *= (PREVIEW_PIXEL_BUDGET / (per_page * pages)) ** 0.5
            images = []
            for page in page_images(pdf, dpi):
                if not latest.current(number):
                    return None  # a newer request replaced this one: stop early
                images.append(to_qimage(page))
                report(pages + page.number, 2 * pages)
            return Preview(rendered, images, largest, title, options)

        def done(preview: Preview | None) -> None:
            if preview is not None and latest.current(number):
                self._previewed(preview)

        def refused(message: str) -> None:
            if latest.current(number):
                self._rendering = False  # the pages shown are still the ones that print
                if self._job == self._preview_job:
                    self.progress.setRange(0, 1)
                    self.progress.setValue(1 if self.preview else 0)
                    self.progress.setFormat("预览未更新")
                self._show_error(message)
                self._update_buttons()

        self._preview_job = self._start(work, done, refused, database=True)

    def _previewed(self, preview: Preview) -> None:
        self.preview = preview
        self._rendering = False
        self.title = preview.title
        self.handout = preview.rendered.handout
        self.setWindowTitle(f"打印预览 — {preview.title}")
        if not preview.options.paper:
            self.paper.setItemText(0, f"按模板（{paper_name(preview.size_pt)}）")
        self.paper.setEnabled(not self.handout and self.target.choose_paper)
        self.per_sheet.setEnabled(self.handout)
        self.qr_url.setEnabled(self.handout)
        self.strip.set_pages(preview.images)
        self.pages_label.setText(f"共 {len(preview.images)} 页")
        notes = [self.note] if self.note else []
        notes += preview.rendered.notes
        if preview.rendered.draft:
            notes.append("尚未审核通过：打印件每页带“草稿 未经审核”字样，审核通过后再印正式稿。")
        self._say("　".join(notes))
        if self._job == self._preview_job:  # a save or print started since has the bar
            self.progress.setRange(0, max(1, self.progress.maximum()))
            self.progress.setValue(self.progress.maximum())
            self.progress.setFormat("预览完成")
        self._update_buttons()
        self.previewed.emit()

    # -- save and print --------------------------------------------------------------

    def save_as(self, fmt: str) -> None:
        """Ask where to save (PDF or Word), then write it in the background."""
        caption, pattern, suffix = FORMATS[fmt]
        path = save_file(self, caption, file_stem(self.title) + suffix, pattern)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        self.save_to(Path(path), fmt)

    def save_to(self, path: Path, fmt: str) -> None:
        """Write the notice to ``path`` (PDF or DOCX) with the chosen options, in the background."""
        options, target = replace(self.options(), fmt=fmt), self.target
        self._busy_output = True
        self._update_buttons()
        self._say(f"正在保存 {path.name} ……")
        self.progress.setFormat("正在保存 %p%")

        def done(rendered: Rendered) -> None:
            self._busy_output = False
            self._update_buttons()
            self.progress.setFormat("已保存")
            self._say(rendered.summary())
            self.saved.emit(rendered.summary())

        self._start(lambda s, report: target.render(s, path, options, report),
                    done, self._output_failed, database=True)

    def prepare(self, printer: QPrinter) -> None:
        """Set the printer's paper to the previewed pages' and its copies to 份数."""
        if self.preview is None:
            return
        width, height = self.preview.size_pt
        orientation = (QPageLayout.Orientation.Landscape if width > height
                       else QPageLayout.Orientation.Portrait)
        size = page_size(self.preview.size_pt)
        # Margins of nothing: the pages carry their own, and a printer that cannot
        # reach the edge raises these to its minimum, which the pages are fitted into.
        printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0),
                                          QPageLayout.Unit.Millimeter))
        printer.setCopyCount(self.copies.value())
        printer.setDocName(self.preview.title or "公开信息")

    def print_(self) -> None:
        """Choose a printer (the system's dialog), then print the previewed pages."""
        if not self.print_button.isEnabled():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.prepare(printer)
        chooser = QPrintDialog(printer, self)
        chooser.setWindowTitle("打印")
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Paint the previewed PDF's pages onto ``printer`` in the background.

        The pages are the same PDF the preview shows, turned into pixels at the
        printer's resolution (at most 300 dpi) and fitted to its page.
        """
        if self.preview is None:
            return
        pdf = self.preview.rendered.path
        pages = len(self.preview.images)
        copies = max(1, printer.copyCount())
        # Where the driver cannot make copies itself (PDF output, some old
        # systems), each copy is sent again, collated.
        passes = 1 if printer.supportsMultipleCopies() else copies
        self._busy_output = True
        self._update_buttons()
        self._say("正在打印……")
        self.progress.setFormat("正在打印 %v / %m 页")

        def work(report: Callable[[int, int], None]) -> int:
            painter = QPainter()
            if not painter.begin(printer):
                raise UserError(PRINTER_NOT_READY)
            done = 0
            try:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                area = QRectF(painter.viewport())
                dpi = fit_dpi(max(page_sizes(pdf)), area.width(), area.height(),
                              most=min(PRINT_MOST_DPI, printer.resolution()))
                for _copy in range(passes):
                    for page in page_images(pdf, dpi):
                        if done and not printer.newPage():
                            raise UserError(PRINTER_STOPPED)
                        image = to_qimage(page)
                        painter.drawImage(fitted(area, image.width(), image.height()), image)
                        done += 1
                        report(done, pages * passes)
            except BaseException:
                printer.abort()
                raise
            finally:
                painter.end()
            return done

        def done(count: int) -> None:
            self._busy_output = False
            self._update_buttons()
            self.progress.setFormat("已打印")
            where = (f"“{printer.printerName()}”" if printer.outputFormat()
                     == QPrinter.OutputFormat.NativeFormat else printer.outputFileName())
            text = f"已送往打印机{where}：{pages} 页，{copies} 份。"
            if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
                text = f"已打印到 {where}：{pages} 页，{copies} 份（共 {count} 页）。"
            self._say(text)
            self.printed.emit(text)

        self._start(work, done, self._output_failed, database=False)

    # -- plumbing -------------------------------------------------------------------

    def _workdir(self) -> Path:
        # Made by the first worker that needs it, not on the UI thread.
        with self._folder_lock:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
            return self._folder

    def _start(self, work: Callable[..., Any], done: Callable[[Any], None],
               failed: Callable[[str], None], database: bool) -> int:
        """Run ``work`` through the Runner with the progress bar following it; its job number."""
        self._job += 1
        job = self._job
        self._running += 1
        self.progress.setRange(0, 0)  # a moving bar until the first page is counted

        def progress(n: int, total: int) -> None:
            if job == self._job and not self._closing:
                self.progress.setRange(0, max(1, total))
                self.progress.setValue(min(n, total))

        def finished(call: Callable[[Any], None], value: Any) -> None:
            self._running -= 1
            if not self._closing:
                if job == self._job and self.progress.maximum() == 0:
                    self.progress.setRange(0, 1)
                    self.progress.setValue(1 if call is done else 0)
                call(value)
            self._tidy()

        start = self.runner.run if database else self.runner.compute
        start(work, lambda value: finished(done, value),
              lambda message: finished(failed, message), progress)
        return job

    def _output_failed(self, message: str) -> None:
        self._busy_output = False
        self.progress.setFormat("未完成")
        self._update_buttons()
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.message = message
        self.info.setText(message)
        self.info.setStyleSheet("color: #b00020;")
        self.failed.emit(message)

    def _say(self, text: str) -> None:
        self.message = text
        self.info.setText(text)
        self.info.setStyleSheet("")

    def _update_buttons(self) -> None:
        current = self.preview is not None and not self._busy_output and not self._rendering
        self.print_button.setEnabled(current)
        self.pdf_button.setEnabled(not self._busy_output)
        self.word_button.setEnabled(not self._busy_output)

    def _closed(self, _result: int) -> None:
        self._closing = True
        self._requests.next()  # whatever is still rendering will not be shown
        self.strip.set_pages([])  # let the page pixels go now
        self.preview = None
        self._tidy()

    def _tidy(self) -> None:
        # The temporary PDFs go once the dialog is closed and nothing still reads them.
        if not self._closing or self._running:
            return
        folder, self._folder = self._folder, None
        if folder is not None:
            self.runner.compute(lambda: shutil.rmtree(folder, ignore_errors=True),
                                lambda _r: None)
        # Nothing of ours is running any more, so no callback can reach a deleted dialog.
        self.deleteLater()
