"""The plan of the year: which periods each catalog item owes, when, and what the desk holds.

The catalog below carries the rules township catalogs use (每月, 每季度结束后10个工作日内,
每年3月底前, 长期公开, an event rule and one the program cannot date), and the dates are
those of the 2026 holiday arrangement: the third quarter's report is due on 20 October
because 国庆 takes the first week, January's 15 working days end on 27 February across 春节.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from tests_support import approve_step

from app.catalog.importing import import_catalog
from app.catalog.items import CATALOG_FORMAT
from app.catalog.schedule import Schedule, read_schedule
from app.errors import UserError
from app.notices import boards, drafts
from app.planning import plan
from app.reports.due import due_lines

ITEMS = [
    ("t-month", "社会救助", "救助资金发放情况", "每月公开"),
    ("t-month15", "社会救助", "临时救助发放", "每月结束后15个工作日内公开"),
    ("t-quarter", "财政预决算", "财政资金使用情况", "每季度结束后10个工作日内公开"),
    ("t-march", "财政预决算", "上年度决算", "每年3月底前公开上一年度情况"),
    ("t-long", "社会救助", "救助政策", "长期公开"),
    ("t-event", "社会救助", "低保审核", "信息形成之日起20个工作日内，公示7个工作日"),
    ("t-vague", "财政预决算", "年度计划", "每年年初公开"),
]


@pytest.fixture
def desk(township, tmp_path: Path):
    """青石镇 with only the seven items above in its catalog, and its boards."""
    items = [{"id": i, "domain": d, "seq": n, "level1": name, "time_limit": t,
              "channels": ["政府网站"], "elements": []}
             for n, (i, d, name, t) in enumerate(ITEMS, 1)]
    path = tmp_path / "plan-catalog.json"
    path.write_text(json.dumps({"format": CATALOG_FORMAT, "label": "测试目录",
                                "domains": ["社会救助", "财政预决算"], "items": items},
                               ensure_ascii=False), encoding="utf-8")
    import_catalog(township, path, replace=True)
    boards.set_villages(township, ["青石村"])
    return township


def entries(store, day: str, year: int = 2026) -> dict[tuple[str, str], dict]:
    """The plan as ``plan --json`` gives it, keyed by (item, period)."""
    data = plan.build_plan(store, year, date.fromisoformat(day)).to_json()
    return {(e["item_id"], e["period"]): e for e in data["entries"]}


def published(store, item: str, formed: str, posted: str, photo: Path | None = None) -> str:
    """A notice of ``item`` formed on ``formed``, approved in three steps, posted on ``posted``."""
    n = drafts.create_notice(store, item, formed=formed, today=date.fromisoformat(formed))
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(store, n.id, reviewer)
    boards.post(store, n.id, "镇政务公开栏", posted, photo=photo,
                today=date.fromisoformat(posted))
    return n.id


def test_the_catalog_text_says_when_each_item_falls_due() -> None:
    assert read_schedule("每月公开", None) == Schedule("periodic", "month")
    assert read_schedule("每季度结束后10个工作日内公开", None) == Schedule(
        "periodic", "quarter", "workdays", 10)
    assert read_schedule("每年3月底前公开上一年度情况", None) == Schedule(
        "periodic", "year", "date", month=3)
    assert read_schedule("每半年公开一次", None) == Schedule("periodic", "half")
    assert read_schedule("每年6月30日前", None) == Schedule("periodic", "year", "date", 0, 6, 30)
    assert read_schedule("长期公开", {"kind": "continuous"}).kind == "standing"
    assert read_schedule("20个工作日内", {"kind": "workdays", "n": 20}).kind == "event"
    # What cannot be dated is asked, not guessed.
    assert read_schedule("每年年初公开", None).kind == "unknown"
    assert read_schedule("每月10日前公开上月情况", None).kind == "unknown"


def test_plan_lists_exactly_the_periods_and_due_dates(desk) -> None:
    got = entries(desk, "2026-10-09")
    months = {p for (i, p) in got if i == "t-month"}
    assert months == {f"2026-{m:02d}" for m in range(1, 13)}
    assert got[("t-month", "2026-02")]["due"] == "2026-02-28"
    # 15 working days after 31 January: 春节 (15–23 February) is off, 14 February is on.
    assert got[("t-month15", "2026-01")]["due"] == "2026-02-27"
    assert {p: got[("t-quarter", p)]["due"] for p in ("2026-Q1", "2026-Q2", "2026-Q3")} == {
        "2026-Q1": "2026-04-15", "2026-Q2": "2026-07-14", "2026-Q3": "2026-10-20"}
    # 2027's arrangement is not known yet: the fourth quarter's date says it counts Mon–Fri.
    q4 = got[("t-quarter", "2026-Q4")]
    assert q4["due"] == "2027-01-14" and q4["calendar_known"] is False
    assert got[("t-march", "2026")]["due"] == "2026-03-31"
    assert [p for (i, p) in got if i == "t-long"] == ["2026-H1", "2026-H2"]
    assert not [k for k in got if k[0] in ("t-event", "t-vague")]
    data = plan.build_plan(desk, 2026, date(2026, 10, 9)).to_json()
    assert [q["item_id"] for q in data["questions"] if q["item_id"].startswith("t-")] == [
        "t-vague"]
    # Nothing drafted: what is past its date is late, the rest open.
    assert got[("t-month", "2026-09")]["status"] == "late"
    assert got[("t-month", "2026-10")]["status"] == "open"
    assert got[("t-quarter", "2026-Q3")]["status"] == "open"  # due 20 October


def test_a_notice_formed_in_the_period_fulfils_it(desk) -> None:
    on_time = published(desk, "t-month", "2026-01-10", "2026-01-20")
    late = published(desk, "t-month", "2026-02-05", "2026-03-02")
    # The third quarter's report, formed after the quarter within its 10 working days.
    quarter = published(desk, "t-quarter", "2026-10-08", "2026-10-09")
    drafted = drafts.create_notice(desk, "t-month", formed="2026-10-09",
                                   today=date(2026, 10, 9))
    got = entries(desk, "2026-10-09")
    assert (got[("t-month", "2026-01")]["status"], got[("t-month", "2026-01")]["notice_id"],
            got[("t-month", "2026-01")]["coverage"]) == ("fulfilled", on_time, "on_time")
    assert (got[("t-month", "2026-02")]["status"], got[("t-month", "2026-02")]["notice_id"],
            got[("t-month", "2026-02")]["coverage"]) == ("late", late, "late")
    assert got[("t-month", "2026-03")]["coverage"] == "missing"
    assert got[("t-quarter", "2026-Q3")]["notice_id"] == quarter
    assert got[("t-quarter", "2026-Q3")]["status"] == "fulfilled"
    assert got[("t-quarter", "2026-Q4")]["notice_id"] is None
    assert (got[("t-month", "2026-10")]["status"], got[("t-month", "2026-10")]["notice_id"],
            got[("t-month", "2026-10")]["coverage"]) == ("fulfilled", drafted.id, "drafted")
    # The same draft, still unpublished once October is over, is late.
    assert entries(desk, "2026-11-05")[("t-month", "2026-10")]["status"] == "late"


def test_not_applicable_leaves_the_plan_with_its_reason(desk, gk) -> None:
    gk("plan", "na", "t-march", "--reason", "本镇无上级转移支付决算事项")
    data = gk.json("plan", "--year", "2026")
    march = [e for e in data["entries"] if e["item_id"] == "t-march"]
    assert [(e["status"], e["reason"]) for e in march] == [
        ("not_applicable", "本镇无上级转移支付决算事项")]
    assert data["not_applicable"] == [{"item_id": "t-march",
                                       "reason": "本镇无上级转移支付决算事项"}]
    refused = gk("plan", "na", "t-march", check=False)
    assert refused.returncode == 1 and "理由" in refused.stderr
    gk("plan", "na", "t-march", "--off")
    assert {e["status"] for e in gk.json("plan", "--year", "2026")["entries"]
            if e["item_id"] == "t-march"} != {"not_applicable"}


def test_the_clerks_answer_is_kept_and_dates_the_item(desk, gk) -> None:
    gk("plan", "set", "t-vague", "--period", "每年", "--due", "02-end")
    data = gk.json("plan", "--year", "2026")
    assert [(e["period"], e["due"]) for e in data["entries"] if e["item_id"] == "t-vague"] == [
        ("2026", "2026-02-28")]
    assert not [q for q in data["questions"] if q["item_id"] == "t-vague"]
    for bad in (["--period", "每周"], ["--period", "每季度", "--due", "+99wd"],
                ["--period", "每月", "--due", "03-31"]):
        refused = gk("plan", "set", "t-vague", *bad, check=False)
        assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    with pytest.raises(UserError):
        plan.set_not_applicable(desk, "no-such-item", "理由")


def test_due_and_the_dashboard_show_the_plans_lines(desk, tmp_path) -> None:
    today = date(2026, 10, 9)
    lines = {(line.kind, line.item_id) for line in due_lines(desk, today)}
    assert ("plan_due", "t-month") in lines  # October, due 31 October, nothing drafted
    assert ("plan_due", "t-quarter") in lines  # the third quarter, due 20 October
    assert ("standing_review", "t-long") in lines
    detail = next(line.detail for line in due_lines(desk, today) if line.item_id == "t-month")
    assert detail == "2026年10月应于2026-10-31前公开"
    drafts.create_notice(desk, "t-month", formed="2026-10-09", today=today)
    photo = tmp_path / "board.jpg"
    Image.new("RGB", (64, 48), "white").save(photo)
    plan.confirm_standing(desk, "t-long", "2026-10-09", "镇政务公开栏", photo, today=today)
    lines = {(line.kind, line.item_id) for line in due_lines(desk, today)}
    assert ("plan_due", "t-month") not in lines and ("standing_review", "t-long") not in lines
    assert ("plan_due", "t-quarter") in lines
    got = entries(desk, "2026-10-09")
    assert got[("t-long", "2026-H2")]["status"] == "fulfilled"
    assert got[("t-long", "2026-H1")]["coverage"] == "missing"


def test_a_standing_item_confirmed_quarterly_owes_four_checks(desk, gk, tmp_path) -> None:
    gk("plan", "standing-months", "3", "--item", "t-long")
    got = entries(desk, "2026-05-15")
    assert [p for (i, p) in got if i == "t-long"] == ["2026-Q1", "2026-Q2", "2026-Q3",
                                                      "2026-Q4"]
    photo = tmp_path / "b.png"
    Image.new("RGB", (32, 32), "gray").save(photo)
    # A posting with a photo in the quarter counts as the check.
    published(desk, "t-long", "2026-04-01", "2026-04-02", photo)
    assert entries(desk, "2026-05-15")[("t-long", "2026-Q2")]["status"] == "fulfilled"
    refused = gk("plan", "standing-months", "5", check=False)
    assert refused.returncode == 1


def test_a_report_formed_in_january_answers_the_last_quarter(desk) -> None:
    late_q4 = published(desk, "t-quarter", "2026-01-06", "2026-01-08")
    got = entries(desk, "2026-02-10")
    # It was formed inside last year's fourth-quarter window, so the first quarter is open.
    assert got[("t-quarter", "2026-Q1")]["notice_id"] is None
    last = entries(desk, "2026-02-10", 2025)
    assert last[("t-quarter", "2025-Q4")]["notice_id"] == late_q4


def test_a_desk_begun_in_november_does_not_count_march_against_itself(desk, gk) -> None:
    gk("plan", "since", "2026-11-01")
    data = gk.json("plan", "--year", "2026")
    assert data["since"] == "2026-11-01"
    months = [e["period"] for e in data["entries"] if e["item_id"] == "t-month"]
    assert months == ["2026-11", "2026-12"]
    gk("plan", "since", "--off")
    assert len([e for e in gk.json("plan", "--year", "2026")["entries"]
                if e["item_id"] == "t-month"]) == 12


def test_a_periodic_notice_takes_its_periods_due_date(desk) -> None:
    monthly = drafts.create_notice(desk, "t-month", formed="2026-11-02", today=date(2026, 11, 2))
    assert monthly.due == "2026-11-30"
    # Formed on 8 October inside the third quarter's 10 working days: due 20 October.
    report = drafts.create_notice(desk, "t-quarter", formed="2026-10-08",
                                  today=date(2026, 10, 8))
    assert report.due == "2026-10-20"
    later = drafts.create_notice(desk, "t-quarter", formed="2026-10-21", today=date(2026, 10, 21))
    assert later.due == "2027-01-14" and later.calendar_known is False
    event = drafts.create_notice(desk, "t-event", formed="2026-11-02", today=date(2026, 11, 2))
    assert event.due == "2026-11-30"  # 20 working days, as before
