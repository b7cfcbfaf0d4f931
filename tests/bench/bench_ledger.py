"""Figures for the 台账. Run: ``.venv/bin/python tests/bench/bench_ledger.py [N]``.

Seeds N (default 10,000) notices of one year straight into the database — all
13 domains, most posted on one or two boards, some late, some still open,
some answered by the county, half of the published ones recorded on another channel
or two (a broadcast, a post, 明白纸 handed out) — then times ``ledger export`` of that year as
the command runs it (:func:`app.reports.ledger_view.export_view`: the 公开覆盖
sheet from the plan of the year and the 依申请公开 sheet included): reading the
snapshot and writing the .xlsx, separately and together, and the read behind
the 台账 page (:func:`app.reports.ledger_view.ledger_view`).
"""

from __future__ import annotations

import gc
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.desk import open_desk  # noqa: E402
from app.notices import boards  # noqa: E402
from app.notices.drafts import due_date  # noqa: E402
from app.reports import ledger  # noqa: E402
from app.reports.ledger_view import EXTRA_SHEETS, FRONT_SHEETS, export_view, ledger_view  # noqa: E402,E501
from app.store import Store, now_iso  # noqa: E402
from app.township import set_township  # noqa: E402
from app.workdays import Calendar  # noqa: E402

YEAR = 2026
TODAY = date(YEAR, 12, 31)


def seed(store: Store, count: int) -> None:
    """``count`` notices of YEAR, written in one transaction with executemany."""
    rng = random.Random(7)
    set_township(store, "青石镇", "东山县", "0551-62345678")
    board_ids = [b.id for b in boards.set_villages(store, [f"第{k}村" for k in range(1, 9)])]
    items = store.query("SELECT pk, rule FROM catalog_items WHERE active")
    cal = Calendar.from_store(store)
    stamp = now_iso()
    notice_rows, revision_rows, posting_rows, channel_rows = [], [], [], []
    for k in range(count):
        item = rng.choice(items)
        formed = date(YEAR, 1, 1) + timedelta(days=rng.randrange(360))
        due = due_date(cal, json.loads(item["rule"]), formed)
        notice_id = str(uuid.uuid4())
        fate = rng.random()
        status = ("draft" if fate < 0.08 else "approved" if fate < 0.15 else
                  "withdrawn" if fate < 0.17 else "published")
        sync, url, reason = "none", None, None
        if status == "published":
            sync = rng.choice(["queued", "sent", "accepted", "accepted", "returned"])
            url = f"https://www.example.gov.cn/gk/{k}.html" if sync == "accepted" else None
            reason = "名单缺少家庭人口，请补充后重报。" if sync == "returned" else None
            posted = formed + timedelta(days=rng.choice([1, 2, 3, 5, 8, 13, 21, 34]))
            for board in rng.sample(board_ids, rng.choice([1, 1, 2, 3])):
                down = posted + timedelta(days=rng.randrange(5, 30))
                posting_rows.append((notice_id, board, posted.isoformat(),
                                     down.isoformat() if rng.random() < 0.7 else None, stamp))
            if rng.random() < 0.5:
                others = ["广播电视", "两微一端", "入户/现场"]
                for channel in rng.sample(others, rng.choice([1, 2])):
                    channel_rows.append((notice_id, channel, posted.isoformat(), stamp))
        notice_rows.append((notice_id, item["pk"], rng.choice(["公示", "公告", "通知"]), status,
                            formed.isoformat(), due.date.isoformat() if due else None,
                            int(due.calendar_known) if due else 1, sync, url, reason,
                            f"{stamp}.{k:06d}", stamp))
        revision_rows.append((notice_id, f"青石镇第{k + 1}号公开信息（{formed.month}月）",
                              "正文" * 50))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO notices (id, item_pk, kind, status, formed, due, due_known, current_rev,"
            " approved_rev, sync, county_url, county_reason, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?)", notice_rows)
        conn.executemany(
            "INSERT INTO notice_revisions (notice_id, rev, title, body, issuer, phone, author,"
            " at, change) VALUES (?, 1, ?, ?, '青石镇人民政府', '0551-62345678', '本机', ?,"
            " '新建')", [(*row, stamp) for row in revision_rows])
        conn.executemany(
            "INSERT INTO postings (notice_id, board_id, posted, taken_down, created_at)"
            " VALUES (?, ?, ?, ?, ?)", posting_rows)
        conn.executemany(
            "INSERT INTO channel_records (notice_id, channel, day, place, created_at)"
            " VALUES (?, ?, ?, '第1村', ?)", channel_rows)


def main() -> None:
    """Print the figures."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp) / "data") as store:
        start = time.perf_counter()
        seed(store, count)
        seeding = time.perf_counter() - start
        flt = ledger.LedgerFilter(YEAR)
        out = Path(tmp) / "台账.xlsx"
        # The whole export first, as one `gongkai ledger export` runs it; then its parts.
        start = time.perf_counter()
        done = export_view(store, out, flt, TODAY)
        whole = time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        book = ledger.read_ledger(store, flt, TODAY, EXTRA_SHEETS, FRONT_SHEETS)
        reading = time.perf_counter() - start
        start = time.perf_counter()
        ledger.write_ledger(out, book)
        writing = time.perf_counter() - start
        # What the 台账 page reads in its worker each time a filter changes.
        gc.collect()
        start = time.perf_counter()
        ledger_view(store, flt, TODAY)
        page_read = time.perf_counter() - start
        t = done.ledger.summary.total
        cover = done.ledger.front_sheets[0]
        print(f"ledger export of {t.total:,} notices ({len(done.sheets) - 3} domain sheets, "
              f"公开覆盖 {len(cover.rows)} items × {len(cover.columns) - 5} months, "
              f"{out.stat().st_size / 1e6:.1f} MB): {whole:.2f} s "
              f"(read {reading * 1000:.0f} ms, write .xlsx {writing:.2f} s); "
              f"{t.published:,} published, {t.overdue:,} overdue; seeding {seeding:.1f} s; "
              f"台账 page read (worker thread) {page_read * 1000:.0f} ms")


if __name__ == "__main__":
    main()
