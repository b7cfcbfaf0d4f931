"""Figures for printing. Run: ``.venv/bin/python tests/bench/bench_render.py``.

Prints what line breaking costs on its own (a 200-line 明白纸's body, 32
balanced titles), then the time to render a one-page board sheet, a ~20-page
名单, a 7-column 低保 名单 on one page and over ~20 pages, and 100 two-up 明白纸
as PDF and as DOCX, side by side with what
``libreoffice --headless --convert-to pdf`` takes to turn the same DOCX into
a PDF (where LibreOffice is installed; scripts/setup-system installs it).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("GONGKAI_TODAY", "2026-11-23")

from tests_support import HANDOUT_BODY, TITLES, approve_step, dibao_roster  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import drafts  # noqa: E402
from app.printing.fonts import choose_faces  # noqa: E402
from app.printing.linebreak import balance_title, break_lines  # noqa: E402
from app.printing.output import PrintOptions, render_notice  # noqa: E402
from app.printing.page_images import page_count  # noqa: E402
from app.printing.typeset import measure  # noqa: E402
from app.township import set_township  # noqa: E402


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Median seconds of ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def libreoffice(files: list[Path], outdir: Path) -> None:
    """One ``soffice --headless --convert-to pdf`` run over ``files``, as a clerk's script would."""
    profile = outdir / ".lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir / "lo"), *map(str, files)],
                   check=True, capture_output=True)


def line_breaking() -> None:
    """What the line breaker takes, measured with the real faces (their widths cached)."""
    faces = choose_faces()
    body, heading = measure(faces["body"], 17), measure(faces["title"], 22)
    text = ("根据《最低生活保障审核确认办法》（民发〔2021〕57号），2026年11月20日经初审，"
            "户口簿、身份证、残疾证（有的提供）。监督电话：0551-62345678，每月1,260元。") * 75
    lines = break_lines(text, 482, body, 34, 8.5)
    per_body = timed(lambda: break_lines(text, 482, body, 34, 8.5), 20)
    per_titles = timed(lambda: [balance_title(t, 429, heading) for t in TITLES], 20)
    print(f"line breaking: {len(lines)} lines of 明白纸 body {per_body * 1000:.1f} ms; "
          f"{len(TITLES)} balanced titles {per_titles * 1000:.1f} ms")


def main() -> None:
    """Print the figures."""
    line_breaking()
    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp) / "data") as store:
        out = Path(tmp)
        set_township(store, "青石镇", "东山县", "0551-62345678")
        one = drafts.create_notice(store, "shjz-002", formed="2026-11-20")
        rows = "\n".join(f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元"
                         for k in range(1, 561))
        header = "序号\t姓名\t所在村\t家庭人口\t拟保障金额"
        long = drafts.create_notice(store, "shjz-002", formed="2026-11-20",
                                    body=f"名单如下：\n{header}\n{rows}")
        leaflet = drafts.create_notice(store, "shjz-004", kind="明白纸", body=HANDOUT_BODY)
        wide = drafts.create_notice(store, "shjz-002", formed="2026-11-20", body=dibao_roster(5))
        wide_long = drafts.create_notice(store, "shjz-002", formed="2026-11-20",
                                         body=dibao_roster(450))
        for n in (one, long, leaflet, wide, wide_long):
            for reviewer in ("王明", "李华", "赵强"):
                approve_step(store, n.id, reviewer)
        sheet = PrintOptions()
        two_up = PrintOptions(copies_per_sheet=2, qr_url="https://www.example.gov.cn/qs/db.html")
        render_notice(store, one.id, out / "warm.pdf", sheet)  # fonts loaded once per process
        render_notice(store, long.id, out / "long.pdf", sheet)
        pages = page_count(out / "long.pdf")
        render_notice(store, wide_long.id, out / "wide-long.pdf", sheet)
        wide_pages = page_count(out / "wide-long.pdf")

        def handouts(fmt: str) -> None:
            options = PrintOptions(fmt, copies_per_sheet=2, qr_url=two_up.qr_url)
            for k in range(100):
                render_notice(store, leaflet.id, out / f"h{k:03d}.{fmt}", options)

        cases = [
            ("one-page notice", lambda fmt: render_notice(
                store, one.id, out / f"one.{fmt}", PrintOptions(fmt)), [out / "one.docx"], 20),
            (f"{pages}-page 名单", lambda fmt: render_notice(
                store, long.id, out / f"long.{fmt}", PrintOptions(fmt)), [out / "long.docx"], 3),
            ("7-column 名单", lambda fmt: render_notice(
                store, wide.id, out / f"wide.{fmt}", PrintOptions(fmt)), [out / "wide.docx"], 20),
            (f"{wide_pages}-page 7-col 名单", lambda fmt: render_notice(
                store, wide_long.id, out / f"wide-long.{fmt}", PrintOptions(fmt)),
             [out / "wide-long.docx"], 3),
            ("100 two-up 明白纸", handouts, [out / f"h{k:03d}.docx" for k in range(100)], 1),
        ]
        has_lo = shutil.which("soffice") is not None
        print(f"{'case':<22} {'our PDF':>10} {'our DOCX':>10} {'LibreOffice':>12} {'ratio':>7}")
        for label, render, docx_files, rounds in cases:
            pdf = timed(lambda render=render: render("pdf"), rounds)
            word = timed(lambda render=render: render("docx"), rounds)
            lo_text, ratio = "n/a", ""
            if has_lo:
                lo = timed(lambda files=docx_files: libreoffice(files, out), min(rounds, 3))
                lo_text, ratio = f"{lo * 1000:.0f} ms", f"{lo / pdf:.0f}×"
            print(f"{label:<22} {pdf * 1000:>7.0f} ms {word * 1000:>7.0f} ms {lo_text:>12} "
                  f"{ratio:>7}")
        print("our times: median, including reading the notice; LibreOffice: one "
              "soffice --headless --convert-to pdf run over the same DOCX file(s)")


if __name__ == "__main__":
    main()
