"""考核细则 from the real county server: published, pulled, previewed, then taken or set aside."""

from __future__ import annotations

import sqlite3

import pytest
from test_assess import RULES
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")


def _rules_rows(gk) -> list[tuple]:
    with sqlite3.connect(gk.folder / "gongkai.sqlite3") as conn:
        return conn.execute("SELECT id, label, source, active FROM scoring_rules").fetchall()


@pytest.fixture
def county(serve_process, gk, monkeypatch, tmp_path):  # noqa: F811
    """A running county, a township logged in to it; returns how to publish a rules text."""
    db = str(serve_process["db"])
    token = county_process("token", "add", "青石镇", "--db", db).stdout.split()[0]
    gk("catalog", "domains")
    serve_process["start"]()
    monkeypatch.setenv("GONGKAI_COUNTY_TOKEN", token)
    gk("sync", "login", "--server", f"http://127.0.0.1:{serve_process['port']}")

    def publish(text: str, name: str = "rules.toml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return county_process("rules", "publish", str(path), "--db", db)

    return publish


def test_published_rules_are_previewed_first_then_taken_once(gk, county) -> None:
    assert gk.json("sync", "pull")["rules_version"] is None  # nothing published yet
    published = county(RULES)
    assert published.returncode == 0 and "版本 1" in published.stdout
    assert gk.json("sync", "pull")["rules_version"] == 1
    assert _rules_rows(gk) == []  # only the offer is kept

    preview = gk("assess", "rules", "offer").stdout
    assert "预览（尚未采用）：县级平台考核细则第1版「测试县乡镇政务公开考核细则」" in preview
    # Against the shipped example: timely kept with new figures, the others added or dropped.
    assert "调整：主动公开及时性（timely）——" in preview and "每条扣5→2分" in preview
    assert "新增：公开栏佐证（photo）" in preview and "取消：问题整改（rectify）" in preview
    as_json = gk.json("assess", "rules", "offer")
    assert as_json["problem"] is None and {c["what"] for c in as_json["changes"]} == {
        "added", "changed", "removed"}
    assert gk.json("assess")["example"] is True and _rules_rows(gk) == []

    gk("assess", "rules", "offer", "--apply")
    assert [(r[1], r[2], r[3]) for r in _rules_rows(gk)] == [
        ("测试县乡镇政务公开考核细则", "county:1", 1)]
    assert gk.json("assess")["rules"] == "测试县乡镇政务公开考核细则"
    # Taken once: the county does not offer it again, and there is nothing left to take.
    assert gk.json("sync", "pull")["rules_version"] is None
    again = gk("assess", "rules", "offer", check=False)
    assert again.returncode == 1 and "没有发来新的考核细则" in again.stderr


def test_rules_the_desk_cannot_count_are_said_and_can_be_set_aside(gk, county) -> None:
    county(RULES.replace('"late_notices"', '"website_visits"'))
    gk("sync", "pull")
    preview = gk("assess", "rules", "offer").stdout
    assert "工作台无法使用这份细则" in preview and "website_visits" in preview
    refused = gk("assess", "rules", "offer", "--apply", check=False)
    assert refused.returncode == 1 and "website_visits" in refused.stderr
    assert _rules_rows(gk) == []
    declined = gk("assess", "rules", "offer", "--decline")
    assert "暂不采用" in declined.stdout
    assert gk.json("sync", "pull")["rules_version"] is None  # version 1 is not offered again
    county(RULES, "fixed.toml")
    assert gk.json("sync", "pull")["rules_version"] == 2


def test_the_county_refuses_a_file_that_is_not_rules(county, tmp_path) -> None:
    for text, named in (("name = [", "TOML"), ("[rules]\nname = \"x\"\n", "max"),
                        ("[rules]\nname = \"x\"\nmax = 100\n", "indicator")):
        out = county(text, "bad.toml")
        assert out.returncode == 1 and named in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
