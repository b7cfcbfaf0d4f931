"""The 依申请公开 register through the real command line and the real SQLite file."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app import paths

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")


def register(gk, received: str = "2026-09-25", **extra: str) -> dict:
    """``request new`` with sensible defaults; returns its JSON."""
    args = {"--applicant": "张三", "--type": "自然人", "--received": received,
            "--content": "2025年度最低生活保障资金发放明细"}
    args.update({f"--{k.replace('_', '-')}": v for k, v in extra.items()})
    return gk.json("request", "new", *[part for pair in args.items() for part in pair])


def refused(gk, *args: str) -> str:
    """Run a command that must be refused; return its one line."""
    done = gk(*args, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def database_rows(data_dir: Path) -> list[tuple]:
    """Everything the register holds, to compare before and after a refused command."""
    conn = sqlite3.connect(paths.db_path(data_dir))
    try:
        return [*conn.execute("SELECT * FROM info_requests ORDER BY id"),
                *conn.execute("SELECT * FROM request_consultations ORDER BY id"),
                *conn.execute("SELECT * FROM request_files ORDER BY id")]
    finally:
        conn.close()


def test_the_issue_case_correction_then_extension(gk, data_dir: Path) -> None:
    new = register(gk)
    assert new["id"] == "2026-001"
    assert new["clock"]["due"] == "2026-10-29" and new["clock"]["calendar_known"]
    waiting = gk.json("request", "correction", "2026-001", "--date", "2026-09-28")
    assert waiting["clock"]["due"] is None and waiting["state"] == "correction"
    assert waiting["clock"]["paused"] == "等待申请人补正"
    resumed = gk.json("request", "resume", "2026-1", "--date", "2026-10-12")
    assert resumed["clock"]["start"] == "2026-10-12" and resumed["clock"]["due"] == "2026-11-09"
    assert resumed["state"] == "overdue" and resumed["overdue"]  # today is 2026-11-23
    before = database_rows(data_dir)
    assert "届满前" in refused(gk, "request", "extend", "2026-001", "--approver", "李镇长")
    assert database_rows(data_dir) == before
    extended = gk.json("request", "extend", "2026-001", "--days", "20", "--approver", "李镇长",
                       "--date", "2026-11-02")
    assert extended["clock"]["due"] == "2026-12-07"
    assert extended["extension"] == {"days": 20, "approver": "李镇长", "on": "2026-11-02",
                                     "reason": ""}
    assert extended["state"] == "extended" and not extended["overdue"]
    before = database_rows(data_dir)
    assert "只允许延长一次" in refused(gk, "request", "extend", "2026-001", "--approver", "李镇长")
    assert database_rows(data_dir) == before
    shown = gk.json("request", "show", "2026-001")
    assert [h["action"] for h in shown["history"]] == [
        "request.new", "request.correction", "request.resume", "request.extend"]


def test_extension_is_one_to_twenty_days_with_an_approver(gk, data_dir: Path) -> None:
    register(gk, received="2026-11-16")
    before = database_rows(data_dir)
    assert "1到20" in refused(gk, "request", "extend", "2026-001", "--days", "21",
                             "--approver", "李镇长")
    assert "批准人" in refused(gk, "request", "extend", "2026-001", "--approver", " ")
    assert database_rows(data_dir) == before


def test_consulting_a_third_party_stops_then_moves_the_clock(gk) -> None:
    register(gk)
    asked = gk.json("request", "consult", "2026-001", "--party", "青石村村民委员会",
                    "--date", "2026-10-14")
    assert asked["state"] == "consulting" and asked["clock"]["due"] is None
    assert asked["clock"]["third_party_deadlines"] == ["2026-11-04"]
    replied = gk.json("request", "resume", "2026-001", "--date", "2026-10-21")
    assert replied["clock"]["excluded_workdays"] == 5 and replied["clock"]["due"] == "2026-11-05"
    assert "没有暂停" in refused(gk, "request", "resume", "2026-001")


def test_answers_use_the_annual_report_categories(gk, data_dir: Path) -> None:
    register(gk, received="2026-11-16")
    before = database_rows(data_dir)
    assert "具体情形" in refused(gk, "request", "answer", "2026-001", "--outcome", "不予公开")
    assert "不分具体情形" in refused(gk, "request", "answer", "2026-001", "--outcome", "予以公开",
                                  "--item", "重复申请")
    assert "不能晚于今天" in refused(gk, "request", "answer", "2026-001", "--outcome", "予以公开",
                                  "--date", "2026-11-24")
    assert database_rows(data_dir) == before
    done = gk.json("request", "answer", "2026-001", "--outcome", "不予公开", "--item",
                   "保护第三方合法权益", "--reason", "涉及他人个人隐私", "--date", "2026-11-20")
    assert done["state"] == "answered" and not done["overdue"]
    assert done["outcome"] == {"category": "不予公开", "item": "保护第三方合法权益",
                               "reason": "涉及他人个人隐私", "referred_to": ""}
    assert "办理已经结束" in refused(gk, "request", "answer", "2026-001", "--outcome", "予以公开")


def test_bad_registrations_change_nothing(gk, data_dir: Path) -> None:
    register(gk)
    before = database_rows(data_dir)
    assert "不能晚于今天" in refused(gk, "request", "new", "--applicant", "张三", "--type",
                                  "自然人", "--received", "2026-11-24", "--content", "x")
    assert "格式不对" in refused(gk, "request", "new", "--applicant", "张三", "--type",
                               "自然人", "--received", "2026/11/20", "--content", "x")
    assert "组织类型" in refused(gk, "request", "new", "--applicant", "张三", "--type", "自然人",
                              "--org-type", "商业企业", "--received", "2026-11-20",
                              "--content", "x")
    assert "申请公开的内容" in refused(gk, "request", "new", "--applicant", "张三", "--type",
                                   "自然人", "--received", "2026-11-20", "--content", " ")
    assert "没有编号为「2026-009」" in refused(gk, "request", "show", "2026-009")
    assert database_rows(data_dir) == before
    wrong_type = gk("request", "new", "--applicant", "张三", "--type", "个人", "--received",
                    "2026-11-20", "--content", "x", check=False)
    assert wrong_type.returncode == 2 and database_rows(data_dir) == before


def test_numbering_runs_per_year_of_receipt(gk) -> None:
    assert register(gk)["id"] == "2026-001"
    assert register(gk, received="2025-12-30")["id"] == "2025-001"
    company = register(gk, received="2026-10-09", applicant="青石建材有限公司",
                       type="法人或其他组织", org_type="商业企业")
    assert company["id"] == "2026-002" and company["organisation_type"] == "商业企业"
    listed = gk.json("request", "list", "--year", "2026")
    assert [r["id"] for r in listed] == ["2026-001", "2026-002"]


def test_overdue_and_due_soon_requests_are_in_due(gk) -> None:
    register(gk, received="2026-10-20", applicant="青石建材有限公司", type="法人或其他组织")
    register(gk, received="2026-10-27", applicant="王五")
    register(gk, received="2026-11-20", applicant="赵六")  # due 2026-12-18: not yet
    register(gk, received="2026-10-21", applicant="钱七")
    gk("request", "correction", "2026-004", "--date", "2026-10-22")  # stopped: nothing due
    lines = [line for line in gk.json("due") if line["request_id"]]
    assert [(line["kind"], line["request_id"], line["date"]) for line in lines] == [
        ("request_overdue", "2026-001", "2026-11-17"),
        ("request_due_soon", "2026-002", "2026-11-24"),
    ]
    assert lines[0]["label"] == "依申请公开已超期" and "已超期6天" in lines[0]["detail"]
    text = gk("due").stdout
    assert "【依申请公开已超期】2026-001 青石建材有限公司" in text
    gk("request", "answer", "2026-001", "--outcome", "予以公开", "--date", "2026-11-23")
    assert [line["request_id"] for line in gk.json("due") if line["request_id"]] == ["2026-002"]


def test_case_file_keeps_copies_of_the_documents(gk, data_dir: Path, tmp_path: Path) -> None:
    register(gk)
    letter = tmp_path / "答复书.pdf"
    letter.write_bytes(b"%PDF-1.4 reply letter")
    shown = gk.json("request", "attach", "2026-001", str(letter), "--kind", "答复书")
    [kept] = shown["files"]
    assert kept["kind"] == "答复书" and kept["name"] == "答复书.pdf"
    copy = data_dir / kept["path"]
    assert copy.read_bytes() == letter.read_bytes()
    assert kept["sha256"] == hashlib.sha256(letter.read_bytes()).hexdigest()
    before = database_rows(data_dir)
    assert "无法读取" in refused(gk, "request", "attach", "2026-001", str(tmp_path / "no.pdf"),
                              "--kind", "答复书")
    assert database_rows(data_dir) == before
