"""Figures for the proofreading pass. Run: ``.venv/bin/python tests/bench/bench_proofread.py``.

Prints the time to proofread (and privacy-scan) a 3,000-line 名单, and to
proofread every default catalog item's outline in each notice kind.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench_notices import roster  # noqa: E402
from tests_support import dibao_roster  # noqa: E402

from app.catalog.items import list_items  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.notices.privacy import find_personal_data  # noqa: E402
from app.notices.proofread import ProofContext, proofread, rules  # noqa: E402
from app.notices.text import body_outline  # noqa: E402

CONTEXT = ProofContext(township="青石镇", issuer="青石镇人民政府", phones=("0551-62345678",))


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    """The fastest of ``runs`` timings of ``work()``, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    """Print the figures."""
    start = time.perf_counter()
    rules()
    print(f"loading the rules: {(time.perf_counter() - start) * 1000:.1f} ms (once per process)")
    title = "关于2026年11月新增最低生活保障对象的公示"
    for what, body in (("masked 低保 名单 (tests_support.dibao_roster)", dibao_roster(3000)),
                       ("unmasked 名单 (bench_notices.roster)", roster(3000))):
        proof_ms = best_of(5, lambda b=body: proofread(title, b, CONTEXT))
        both_ms = best_of(5, lambda b=body: (proofread(title, b, CONTEXT), find_personal_data(b)))
        found = proofread(title, body, CONTEXT)
        print(f"proofread of a 3,000-line {what}, {len(body):,} characters: {proof_ms:.0f} ms, "
              f"{len(found)} findings; with the privacy scan: {both_ms:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp)) as store:
        items = list_items(store)
        outlines = [(i.level3 or i.level2 or i.level1,
                     body_outline(i, kind, "青石镇人民政府", "0551-62345678"))
                    for i in items for kind in ("公示", "公告", "通知", "明白纸")]
    took = best_of(3, lambda: [proofread(t, b, CONTEXT) for t, b in outlines])
    worst = sum(p.severity in ("严重", "一般")
                for t, b in outlines for p in proofread(t, b, CONTEXT))
    print(f"proofread of {len(outlines)} catalog outlines ({len(items)} items × 4 kinds): "
          f"{took:.0f} ms in all, {took / len(outlines):.2f} ms each; 严重/一般 findings: {worst}")
    prose = "\n".join(b for _, b in outlines)
    while len(prose) < 215_000:
        prose += "\n" + prose
    prose = prose[:215_000]
    prose_ms = best_of(3, lambda: proofread("关于有关事项的公告", prose, CONTEXT))
    print(f"proofread of 215,000 characters of outline prose (no tables): {prose_ms:.0f} ms")


if __name__ == "__main__":
    main()
