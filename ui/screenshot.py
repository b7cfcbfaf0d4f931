"""Screenshots of the main pages, to look at the desk as a clerk would.

``python -m ui.screenshot OUTDIR [--data-dir DIR]`` writes gongkai-dashboard.png,
gongkai-catalog.png, gongkai-search.png, gongkai-import.png,
gongkai-settings.png, gongkai-holiday.png, gongkai-first-run.png and (on the
sample folder only) gongkai-print-preview.png, the preview of a draft 名单, the 同步
and 依申请公开 pages, gongkai-ledger.png (the 台账 of a seeded 2026), gongkai-letter.png (a
答复书 being edited) and gongkai-annual-report.png. Run it under Xvfb
(``xvfb-run -a -s "-screen 0 1366x768x24"``) or with ``QT_QPA_PLATFORM=offscreen``.
Without ``--data-dir`` it works on a fresh temporary folder with a sample
township, never on the clerk's own data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import paths
from app.catalog.importing import export_catalog
from app.township import set_township

#: The screen the county's office PCs most often have.
WIDTH, HEIGHT = 1366, 740  # 768 less a taskbar


def _wait(signal: Any, ms: int = 10_000) -> None:
    """Spin the event loop until ``signal`` fires (or ``ms`` pass)."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _settle(ms: int = 300) -> None:
    """Let layouts and repaints finish before a grab."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _run(window: Any, work: Any) -> Any:
    """Run one operation through the window's worker and wait for its answer."""


    box: dict[str, Any] = {}
    loop = QEventLoop()

    def done(result: Any) -> None:
        box["result"] = result
        loop.quit()

    def failed(message: str) -> None:
        box["error"] = message
        loop.quit()

    window.runner.run(work, done, failed)
    loop.exec()
    if "error" in box:
        raise SystemExit(box["error"])
    return box.get("result")


def _save(widget: QWidget, path: Path) -> None:
    _settle()
    widget.grab().save(str(path))
    print("written:", path)


def _sample_roster(rows: int) -> str:
    lines = ["序号\t姓名\t所在村\t家庭人口\t拟保障金额"]
    lines += [f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元" for k in range(1, rows + 1)]
    return ("根据《最低生活保障审核确认办法》，经本人申请、村民委员会入户调查和民主评议，"
            "现将初审对象名单公示如下：\n" + "\n".join(lines) +
            "\n公示期间如有异议，请向镇社会事务办公室实名反映。")


def _save_print_preview(window: Any, path: Path) -> None:
    """The print preview of a draft 名单 (its watermark shows), as the clerk first sees it."""
    from app.notices import drafts
    from ui.print_dialog import PrintPreviewDialog

    body = _sample_roster(120)
    notice = _run(window, lambda s: drafts.create_notice(s, "shjz-002", body=body))
    dialog = PrintPreviewDialog(window.runner, notice.id, window)
    dialog.resize(min(1000, WIDTH), HEIGHT)
    dialog.show()
    _wait(dialog.previewed)
    _save(dialog, path)
    dialog.reject()


def _save_county_offer(window: Any, out: Path) -> None:
    """The 同步 page with a county catalog revision waiting, and its preview."""
    from app.catalog.items import list_items
    from app.sync import catalog_offers

    def offer(store: Any) -> None:
        items = [i.to_json() for i in list_items(store)]
        items[2]["time_limit"] = "信息形成或变更之日起10个工作日内"
        catalog_offers.keep_offer(store, 4, items[2:], "https://gongkai.example.gov.cn")

    _run(window, offer)
    window.show_page("同步")
    page = window.sync
    page.refresh()
    _wait(page.loaded)
    _save(window, out / "gongkai-sync-offer.png")
    page.review_catalog()
    while page.catalog_dialog is None:
        _settle(50)
    _wait(page.catalog_dialog.previewed)
    _save(page.catalog_dialog, out / "gongkai-sync-catalog.png")
    page.catalog_dialog.reject()


def _save_requests(window: Any, path: Path) -> None:
    """The 依申请公开 register with a request in each state."""
    from app.info_requests import cases as ir

    def seed(store: Any) -> None:
        ir.register(store, "张三", "自然人", "2026-10-20", "2025年度最低生活保障资金发放明细")
        ir.register(store, "青石建材有限公司", "法人或其他组织", "2026-11-02",
                    "2026年镇区道路硬化工程招标文件", organisation_type="商业企业")
        ir.extend(store, "2026-002", 10, "李镇长", "2026-11-20")
        ir.register(store, "李四", "自然人", "2026-11-16", "青石村危房改造对象名单")
        ir.send_correction(store, "2026-003", "2026-11-18")
        ir.register(store, "王五", "自然人", "2026-11-20", "本镇2026年涉农补贴发放情况")

    _run(window, seed)
    window.show_page("依申请公开")
    page = window.requests
    page.refresh(select="2026-002")
    _settle(800)
    _save(window, path)


#: The sample year of the 台账: (catalog item, formed, days until posted or None, withdrawn).
#: Most go up in time, a few late, a few are still drafts, so every chart has something.
LEDGER_SAMPLE = (
    ("shjz-002", "2026-01-06", 5, False), ("shjz-002", "2026-04-07", 6, False),
    ("shjz-002", "2026-07-06", 4, False), ("shjz-002", "2026-10-09", 3, False),
    ("shjz-003", "2026-02-10", 40, False), ("shjz-014", "2026-05-12", 7, False),
    ("snbt-002", "2026-03-16", 9, False), ("snbt-005", "2026-06-08", 45, False),
    ("snbt-004", "2026-08-18", 1, False), ("snbt-008", "2026-09-21", 2, False),
    ("czyjs-006", "2026-02-27", 10, False), ("czyjs-007", "2026-08-05", 12, False),
    ("ggzy-007", "2026-03-03", 2, False), ("ggzy-003", "2026-06-16", 1, False),
    ("ggzy-009", "2026-10-13", 8, False), ("aqsc-005", "2026-04-20", 11, False),
    ("aqsc-006", "2026-09-08", 3, False), ("jz-007", "2026-07-14", 14, False),
    ("ylfw-006", "2026-05-18", 6, False), ("ylfw-006", "2026-11-02", 4, False),
    ("wfgz-009", "2026-04-13", 9, False), ("wfgz-011", "2026-09-15", None, False),
    ("fp-005", "2026-03-24", 12, False), ("fp-008", "2026-06-22", 50, False),
    ("fp-011", "2026-10-20", 5, True), ("jy-003", "2026-02-16", 8, False),
    ("jy-002", "2026-08-24", 6, False), ("shbx-001", "2026-01-19", 13, False),
    ("shbx-004", "2026-07-20", 10, False), ("ggwh-002", "2026-05-25", 7, False),
    ("ggfl-001", "2026-03-30", 15, False), ("ggfl-005", "2026-11-16", None, False),
)


def _save_letter_and_report(window: Any, out: Path) -> None:
    """The 答复书 of the first request in the 文书 dialog, then the 年度报告 dialog."""
    from ui.letter_dialog import LetterDialog

    window.show_page("依申请公开")
    page = window.requests
    page.open_request("2026-001")
    for _ in range(50):  # answered, it shows once the page has widened to the whole register
        current = page.current()
        if current is not None and current.id == "2026-001":
            break
        _settle(100)
    page.letters()
    dialog = page.findChild(LetterDialog)
    _settle(1200)
    _save(dialog, out / "gongkai-letter.png")
    dialog.done(0)
    window.show_page("台账")
    report = window.ledger.annual_report()
    _settle(1200)
    _save(report, out / "gongkai-annual-report.png")
    report.done(0)


def _save_ledger(window: Any, path: Path) -> None:
    """The 台账 page on a sample year: notices across domains and months, requests answered."""
    from datetime import date, timedelta

    from app.facts import REVIEW_CHECKLIST
    from app.info_requests import cases as ir
    from app.notices import boards, drafts, review

    def seed(store: Any) -> None:
        review.set_review_steps(store, 1)
        boards.set_villages(store, ["东山村", "西河村"])
        for item, formed, after, withdrawn in LEDGER_SAMPLE:
            notice = drafts.create_notice(store, item, formed=formed)
            if after is None:
                continue
            review.approve(store, notice.id, "王明", checked=REVIEW_CHECKLIST,
                           override="示例数据")
            posted = date.fromisoformat(formed) + timedelta(days=after)
            boards.post(store, notice.id, "镇政务公开栏", posted.isoformat())
            if withdrawn:
                drafts.withdraw(store, notice.id, "内容有误，重新起草")
        # The register already holds this autumn's requests (the 依申请公开 screenshot).
        earlier = [("赵六", "2026-03-05", "2026-03-20", "予以公开", None),
                   ("孙八", "2026-05-11", "2026-05-29", "部分公开", None),
                   ("周九", "2026-08-17", "2026-09-04", "无法提供", "本机关不掌握相关政府信息")]
        for applicant, received, answered, outcome, case in earlier:
            request = ir.register(store, applicant, "自然人", received, "申请公开相关政府信息")
            ir.answer(store, request.id, outcome, case, on=answered)
        ir.answer(store, "2026-001", "予以公开", on="2026-11-06")

    _run(window, seed)
    window.show_page("台账")
    page = window.ledger
    page.year.setValue(2026)
    page.refresh()
    _wait(page.loaded)
    _save(window, path)


def main(argv: list[str] | None = None) -> int:
    """Open the main window on each page in turn and save a PNG of it."""
    parser = argparse.ArgumentParser(description="工作台界面截图")
    parser.add_argument("out", help="截图保存到的文件夹")
    parser.add_argument("--data-dir", help="使用的数据文件夹（默认：新建的临时文件夹）")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sample = args.data_dir is None
    folder = paths.data_dir(args.data_dir or tempfile.mkdtemp(prefix="gongkai-shot-"))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("乡镇政务公开工作台")

    from ui.fonts import install_fonts
    from ui.import_dialog import ImportDialog
    from ui.main_window import MainWindow
    from ui.qt_words import install_qt_chinese

    print("font:", install_fonts(app))
    install_qt_chinese(app)
    window = MainWindow(folder)
    window.resize(WIDTH, HEIGHT)
    window.show()
    if sample:
        _run(window, lambda s: set_township(s, "青石镇", "东山县", "0551-12345678"))
    window.load()
    _wait(window.first_screen_ready)
    _save(window, out / "gongkai-dashboard.png")

    window.show_page("公开目录")
    page = window.catalog
    if not page.model.rowCount():
        _wait(page.items_shown)
    page.select_domain("社会救助")
    _wait(page.items_shown)
    page.table.selectRow(min(2, page.model.rowCount() - 1))
    _wait(page.detail_shown)
    _save(window, out / "gongkai-catalog.png")

    page.search_box.setText("低保")
    _wait(page.items_shown)
    _save(window, out / "gongkai-search.png")

    # The import preview, on the township's own catalog written out as a county table.
    table = Path(tempfile.mkdtemp(prefix="gongkai-shot-")) / "青石镇基层政务公开标准目录.xlsx"
    _run(window, lambda s: export_catalog(s, table, "青石镇"))
    dialog = ImportDialog(window.runner, table, window)
    dialog.show()
    _wait(dialog.previewed)
    _save(dialog, out / "gongkai-import.png")
    dialog.reject()

    window.show_page("设置")
    _save(window, out / "gongkai-settings.png")
    editor = window.settings.edit_year()
    _wait(editor.ready)
    _save(editor, out / "gongkai-holiday.png")
    editor.reject()

    from ui.first_run import FirstRunDialog

    first = FirstRunDialog(window)
    first.show()
    _save(first, out / "gongkai-first-run.png")
    first.reject()

    if sample:  # never draft notices in the clerk's own data
        _save_print_preview(window, out / "gongkai-print-preview.png")
        _save_county_offer(window, out)
        _save_requests(window, out / "gongkai-requests.png")
        _save_ledger(window, out / "gongkai-ledger.png")
        _save_letter_and_report(window, out)
    window.runner.pool.waitForDone(10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
