"""Figures for printing. Run: ``.venv/bin/python tests/bench/bench_render.py``.

Prints the time to render a one-page board sheet and a ~20-page 名单 as PDF and
DOCX (the LibreOffice comparison of the printing issue comes with its DOCX work).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GONGKAI_TODAY", "2026-11-23")

from app import notices, review  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.render_docx import render_sheet_docx  # noqa: E402
from app.render_pdf import render_sheet_pdf  # noqa: E402
from app.sheet import build_sheet  # noqa: E402
from app.township import set_township  # noqa: E402


def timed(fn, rounds: int) -> float:
    """Median seconds of ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp) / "data") as store:
        set_township(store, "青石镇", "东山县", "0551-62345678")
        one = notices.create_notice(store, "shjz-002", formed="2026-11-20")
        rows = "\n".join(f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元"
                         for k in range(1, 561))
        header = "序号\t姓名\t所在村\t家庭人口\t拟保障金额"
        long = notices.create_notice(store, "shjz-002", formed="2026-11-20",
                                     body=f"名单如下：\n{header}\n{rows}")
        for n in (one, long):
            for reviewer in ("王明", "李华", "赵强"):
                review.approve(store, n.id, reviewer)
        out = Path(tmp)
        render_sheet_pdf(build_sheet(store, one.id), out / "warm.pdf")
        pages = render_sheet_pdf(build_sheet(store, long.id), out / "long.pdf")
        cases = (("one-page notice", one.id, 20), (f"{pages}-page 名单", long.id, 3))
        for label, nid, rounds in cases:
            pdf = timed(lambda nid=nid: render_sheet_pdf(build_sheet(store, nid), out / "x.pdf"),
                        rounds)
            word = timed(lambda nid=nid: render_sheet_docx(build_sheet(store, nid),
                                                            out / "x.docx"), rounds)
            print(f"{label}: PDF {pdf * 1000:.0f} ms, DOCX {word * 1000:.0f} ms "
                  f"(median of {rounds}, including reading the notice)")


if __name__ == "__main__":
    main()
