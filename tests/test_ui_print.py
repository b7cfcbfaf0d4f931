"""打印预览, printing and 另存为PDF/Word, driven offscreen and read back with poppler as on paper.

The only stand-in is the physical printer: a real QPrinter writing PDF.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import docx  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QPageSize  # noqa: E402
from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402
from tests_support import HANDOUT_BODY, approve_step, dibao_roster  # noqa: E402

from app.atomic import NO_FOLDER  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.notices import drafts  # noqa: E402
from app.printing.page_images import fit_dpi, page_count, page_sizes  # noqa: E402
from ui.print_dialog import PRINTER_NOT_READY, PrintPreviewDialog  # noqa: E402

pytest_plugins = ["conftest_ui"]
pytestmark = [
    pytest.mark.skipif(shutil.which("pdftoppm") is None,
                       reason="poppler-utils is installed by scripts/setup-system"),
    pytest.mark.usefixtures("pinned_today"),
]
WAIT = 30_000
A4_PT, A3_PT = (595.28, 841.89), (841.89, 1190.55)


def roster(rows: int) -> str:
    lines = ["序号\t姓名\t所在村\t家庭人口\t拟保障金额"]
    lines += [f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元" for k in range(1, rows + 1)]
    return "现将初审对象名单公示如下：\n" + "\n".join(lines) + "\n公示期间如有异议，请实名反映。"


def make_notice(window, body: str | None = None, kind: str = "公示",
                approve: bool = False) -> drafts.Notice:
    item = "shjz-004" if kind == "明白纸" else "shjz-002"
    with open_desk(window.folder) as store:
        n = drafts.create_notice(store, item, kind=kind, formed="2026-11-20", body=body)
        if approve:
            for reviewer in ("王明", "李华", "赵强"):
                approve_step(store, n.id, reviewer)
    return n


def preview_of(window, qtbot, notice_id: str) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(window.runner, notice_id, window)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.show()
    return dialog


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines()
                                              if ":" in line)}


def paper(pdf: Path) -> tuple[float, float]:
    """The first page's size in points, as pdfinfo reads it."""
    width, height = re.match(r"([\d.]+) x ([\d.]+)", pdfinfo(pdf)["Page size"]).groups()
    return float(width), float(height)


def gray(pdf: Path, page: int, tmp: Path, dpi: int = 100) -> tuple[int, int, bytes]:
    """One page as 8-bit grey pixels (pdftoppm -gray)."""
    stem = tmp / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)
    _magic, w, h, _max, data = stem.with_suffix(".pgm").read_bytes().split(maxsplit=4)
    return int(w), int(h), data


def differing(a: tuple[int, int, bytes], b: tuple[int, int, bytes], k: int = 8) -> float:
    """Share of k-by-k pixel blocks (2 mm at 100 dpi) whose mean grey differs by over 24 of 255.

    Blocks, as an eye sees ink, rather than single pixels: a page drawn as an
    image and the same page drawn as text and lines anti-alias their edges
    differently. Qt writes the paper in whole points (595 x 842 for A4's
    595.28 x 841.89), so the two may differ by a column of pixels: the common
    area is compared.
    """
    assert abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1, (a[:2], b[:2])
    width, height = min(a[0], b[0]), min(a[1], b[1])

    def means(img: tuple[int, int, bytes]) -> list[float]:
        w, _h, data = img
        out = []
        for top in range(0, height - k + 1, k):
            rows = [data[(top + y) * w:(top + y) * w + width] for y in range(k)]
            out += [sum(sum(r[x:x + k]) for r in rows) / (k * k)
                    for x in range(0, width - k + 1, k)]
        return out

    pairs = list(zip(means(a), means(b), strict=True))
    return sum(1 for x, y in pairs if abs(x - y) > 24) / len(pairs)


def reddish(image) -> int:
    """Pixels of the draft watermark's red tint in a preview page."""
    count = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            c = image.pixelColor(x, y)
            count += c.red() > c.green() + 25 and c.red() > c.blue() + 25
    return count


def print_to_pdf(dialog: PrintPreviewDialog, qtbot, out: Path, dpi: int | None = None,
                 copies: int = 1) -> str:
    """Print through a real QPrinter whose 'printer' is a PDF file (the print dialog skipped)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    if dpi:
        printer.setResolution(dpi)
    dialog.copies.setValue(copies)
    dialog.prepare(printer)
    with qtbot.waitSignal(dialog.printed, timeout=WAIT) as blocker:
        dialog.print_to(printer)
    return blocker.args[0]


def save(dialog: PrintPreviewDialog, qtbot, out: Path, fmt: str = "pdf") -> str:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT) as blocker:
        dialog.save_to(out, fmt)
    return blocker.args[0]


def close(dialog: PrintPreviewDialog, qtbot) -> None:
    """Close the dialog and check that its temporary PDFs go with it."""
    folder = dialog.preview.rendered.path.parent
    assert folder.is_dir()
    dialog.reject()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=WAIT)


def test_preview_pages_are_the_saved_pdfs_and_show_the_draft_mark(configured_window, qtbot,
                                                                  tmp_path) -> None:
    n = make_notice(configured_window, roster(120))
    dialog = preview_of(configured_window, qtbot, n.id)
    shown = len(dialog.strip.images)
    assert shown > 1 and dialog.pages_label.text() == f"共 {shown} 页"
    assert "草稿" in dialog.info.text()
    assert all(reddish(image) > 50 for image in dialog.strip.images)  # watermark on each page
    out = tmp_path / "saved.pdf"
    summary = save(dialog, qtbot, out)
    assert int(pdfinfo(out)["Pages"]) == shown
    assert summary == dialog.info.text() and str(out) in summary and f"共 {shown} 页" in summary
    assert dialog.windowTitle() == f"打印预览 — {n.title}"
    close(dialog, qtbot)


def test_long_roster_previews_twenty_pages_with_progress_and_a_live_ui(configured_window,
                                                                       qtbot) -> None:
    n = make_notice(configured_window, roster(500), approve=True)
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    dialog = PrintPreviewDialog(configured_window.runner, n.id, configured_window)
    values: list[int] = []
    dialog.progress.valueChanged.connect(values.append)
    timer.start()
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.show()
    timer.stop()
    pages = len(dialog.strip.images)
    assert pages == page_count(dialog.preview.rendered.path)
    assert 16 <= pages <= 24, pages
    assert dialog.pages_label.text() == f"共 {pages} 页"
    bar = dialog.progress
    assert bar.value() == bar.maximum() > 1
    assert len(set(values)) >= pages, values  # it moved page by page, not in one jump
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 5 and max(gaps) < 0.25, max(gaps)
    canvas = dialog.strip.canvas
    assert canvas.height() > pages * canvas.width()  # every page there, one under another
    close(dialog, qtbot)


def test_printing_paints_what_was_previewed(configured_window, qtbot, tmp_path) -> None:
    n = make_notice(configured_window, roster(60))
    dialog = preview_of(configured_window, qtbot, n.id)
    saved = tmp_path / "saved.pdf"
    save(dialog, qtbot, saved)
    printed = tmp_path / "printed.pdf"
    message = print_to_pdf(dialog, qtbot, printed)
    shown = len(dialog.strip.images)
    info = pdfinfo(printed)
    assert int(info["Pages"]) == shown and str(printed) in message
    assert paper(printed) == pytest.approx(A4_PT, abs=1)  # Qt writes whole points
    for page in (1, shown):
        share = differing(gray(saved, page, tmp_path), gray(printed, page, tmp_path))
        assert share < 0.01, (page, share)
    # The measure tells pages apart: page 1 against page 2 of the same list differs plainly.
    assert differing(gray(saved, 1, tmp_path), gray(printed, 2, tmp_path)) > 0.05
    # Not a blank page matching a blank page: the sheet has ink where text is.
    _w, _h, pixels = gray(printed, 1, tmp_path)
    assert sum(1 for p in pixels if p < 128) > 500
    close(dialog, qtbot)


def test_copies_are_printed_collated_when_the_printer_cannot(configured_window, qtbot,
                                                             tmp_path) -> None:
    n = make_notice(configured_window, roster(60), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    shown = len(dialog.strip.images)
    printed = tmp_path / "two.pdf"
    print_to_pdf(dialog, qtbot, printed, dpi=72, copies=2)
    # PDF output makes no copies itself: each copy is sent again, first to last page.
    assert int(pdfinfo(printed)["Pages"]) == 2 * shown
    assert differing(gray(printed, 1, tmp_path), gray(printed, shown + 1, tmp_path)) == 0
    close(dialog, qtbot)


def test_a3_changes_the_page_size(configured_window, qtbot, tmp_path) -> None:
    n = make_notice(configured_window, roster(60), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    a4_pages = len(dialog.strip.images)
    assert dialog.preview.size_pt == pytest.approx(A4_PT, abs=0.1)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.paper.setCurrentText("A3")
    assert dialog.preview.size_pt == pytest.approx(A3_PT, abs=0.1)
    assert len(dialog.strip.images) <= a4_pages  # larger type, but larger paper too
    saved = tmp_path / "a3.pdf"
    save(dialog, qtbot, saved)
    assert paper(saved) == pytest.approx(A3_PT, abs=0.01)
    printed = tmp_path / "a3-printed.pdf"
    print_to_pdf(dialog, qtbot, printed, dpi=72)
    assert paper(printed) == pytest.approx(A3_PT, abs=1)
    assert int(pdfinfo(printed)["Pages"]) == len(dialog.strip.images)
    close(dialog, qtbot)


def test_paper_follows_the_template_until_chosen(configured_window, qtbot, tmp_path) -> None:
    from app.notices.templates import set_template

    with open_desk(configured_window.folder) as store:
        set_template(store, "公示", {"paper": "A3"})
    n = make_notice(configured_window, roster(20), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    assert dialog.paper.currentText() == "按模板（A3）"
    assert dialog.preview.size_pt == pytest.approx(A3_PT, abs=0.1)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.paper.setCurrentText("A4")
    assert dialog.preview.size_pt == pytest.approx(A4_PT, abs=0.1)
    saved = tmp_path / "a4.pdf"
    save(dialog, qtbot, saved)
    assert paper(saved) == pytest.approx(A4_PT, abs=0.01)
    close(dialog, qtbot)


def test_save_as_word_holds_the_title(configured_window, qtbot, tmp_path) -> None:
    n = make_notice(configured_window, roster(20), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    out = tmp_path / "公示.docx"
    summary = save(dialog, qtbot, out, "docx")
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert n.title in text
    assert str(out) in summary and "草稿" not in summary
    close(dialog, qtbot)


def test_a_refused_option_says_one_sentence_and_changes_nothing(configured_window, qtbot,
                                                                tmp_path) -> None:
    n = make_notice(configured_window, roster(60), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    before = dialog.preview
    assert not dialog.per_sheet.isEnabled() and not dialog.qr_url.isEnabled()
    # Two copies per sheet is for 明白纸 only: the control is disabled for a 公示,
    # so set it the way only a program could.
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as blocker:
        dialog.per_sheet.setCurrentIndex(1)
    sentence = "一张印两份只用于明白纸；公告、公示、通知请一张一份。"
    assert blocker.args == [sentence] and dialog.info.text() == sentence
    assert dialog.preview is before and dialog.print_button.isEnabled()
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "two-up.pdf"
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as blocker:
        dialog.save_to(out, "pdf")
    assert blocker.args == [sentence] and dialog.info.text() == sentence
    assert list(folder.iterdir()) == []  # no file, not even a half-written one
    dialog.per_sheet.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled(), timeout=WAIT)
    missing = tmp_path / "no such folder" / "n.pdf"
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as blocker:
        dialog.save_to(missing, "pdf")
    assert blocker.args == [NO_FOLDER] and not missing.parent.exists()
    close(dialog, qtbot)


def test_handout_options_and_only_the_newest_request_shows(configured_window, qtbot) -> None:
    n = make_notice(configured_window, HANDOUT_BODY, kind="明白纸", approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    assert not dialog.paper.isEnabled()
    assert dialog.per_sheet.isEnabled() and dialog.qr_url.isEnabled()
    assert dialog.preview.size_pt == pytest.approx(A4_PT, abs=0.1)
    # Three quick changes: whatever finishes first, the view ends on the last one.
    dialog.per_sheet.setCurrentIndex(1)
    dialog.per_sheet.setCurrentIndex(0)
    dialog.per_sheet.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled(), timeout=WAIT)
    configured_window.runner.pool.waitForDone(WAIT)
    qtbot.wait(50)
    assert dialog.preview.options.copies_per_sheet == 2
    assert dialog.preview.size_pt == pytest.approx(tuple(reversed(A4_PT)), abs=0.1)
    image = dialog.strip.images[0]
    assert image.width() > image.height()  # two A5 side by side on a landscape A4
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.qr_url.setText("https://www.example.gov.cn/qingshi/dibao.html")
        dialog.qr_url.editingFinished.emit()
    assert dialog.preview.options.qr_url.endswith("dibao.html")
    close(dialog, qtbot)


def test_editor_button_opens_the_preview_of_the_open_notice(configured_window, qtbot,
                                                           unsaved_edits_are_dropped) -> None:
    n = make_notice(configured_window, roster(10))
    page = configured_window.notices
    configured_window.show_page("公开信息")
    with qtbot.waitSignal(page.checked, timeout=WAIT):
        page.open_notice(n.id)
    assert page.print_button.isEnabled() and page.print_button.text() == "打印预览…"
    page.body_edit.appendPlainText("尚未保存的一句话")
    page.print_button.click()
    dialog = page.findChild(PrintPreviewDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert dialog.isVisible() and dialog.notice_id == n.id
    # The unsaved sentence was settled first (不保存 here): what prints is on record.
    assert unsaved_edits_are_dropped and "尚未保存的一句话" not in page.body_edit.toPlainText()
    assert [a.text() for a in page.table.actions()] == ["打印预览…"]
    close(dialog, qtbot)


def test_fit_dpi_and_page_sizes(configured_window, qtbot) -> None:
    assert fit_dpi(A4_PT, 595.28) == pytest.approx(72)
    assert fit_dpi(A4_PT, 10_000) == 300  # capped
    assert fit_dpi(A4_PT, 2480, 2480) == pytest.approx(2480 / 841.89 * 72)  # height decides
    n = make_notice(configured_window, roster(60))
    dialog = preview_of(configured_window, qtbot, n.id)
    sizes = page_sizes(dialog.preview.rendered.path)
    assert len(sizes) == len(dialog.strip.images)
    assert all(s == pytest.approx(A4_PT, abs=0.1) for s in sizes)
    close(dialog, qtbot)


def test_print_button_presets_the_printer_dialog(configured_window, qtbot, tmp_path,
                                                 monkeypatch) -> None:
    """打印… end to end; the system print dialog is the one stand-in: it picks a PDF 'printer'."""
    out = tmp_path / "chosen.pdf"
    seen: dict[str, object] = {}

    class ChosenPrinter(QPrintDialog):
        def exec(self) -> int:
            printer = self.printer()
            seen["copies"] = printer.copyCount()
            seen["paper"] = printer.pageLayout().pageSize().id()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(72)
            return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr("ui.print_dialog.QPrintDialog", ChosenPrinter)
    n = make_notice(configured_window, roster(60), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.paper.setCurrentText("A3")
    dialog.copies.setValue(3)
    with qtbot.waitSignal(dialog.printed, timeout=WAIT):
        dialog.print_button.click()
    assert seen == {"copies": 3, "paper": QPageSize.PageSizeId.A3}
    assert int(pdfinfo(out)["Pages"]) == 3 * len(dialog.strip.images)
    assert "3 份" in dialog.info.text()
    close(dialog, qtbot)


def test_a_printer_that_cannot_start_says_so(configured_window, qtbot, tmp_path) -> None:
    n = make_notice(configured_window, roster(10), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    missing = tmp_path / "no such folder" / "out.pdf"
    printer.setOutputFileName(str(missing))
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as blocker:
        dialog.print_to(printer)
    assert blocker.args == [PRINTER_NOT_READY] and dialog.info.text() == PRINTER_NOT_READY
    assert not missing.parent.exists() and dialog.print_button.isEnabled()
    close(dialog, qtbot)


def test_preview_says_when_the_roster_was_set_smaller(configured_window, qtbot) -> None:
    n = make_notice(configured_window, dibao_roster(5), approve=True)
    dialog = preview_of(configured_window, qtbot, n.id)
    assert "名单列较多，表格已缩小为小四号字。" in dialog.info.text()
    assert len(dialog.preview.images) == 1
