"""考核自评: a desk with known late notices, missing periods and late requests scored by a
rules file whose figures are worked out by hand; refused rules files change nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from tests_support import approve_step

from app.assessment import rules as rules_module
from app.assessment.assess import COUNTERS, assess, record_annual_report
from app.assessment.rules import MAX_BYTES, MAX_INDICATORS, example_rules, parse_rules
from app.cli import main as cli
from app.desk import open_desk
from app.errors import UserError
from app.info_requests import cases
from app.notices import boards, drafts, review
from app.sync.outbox import record_replies
from app.sync.protocol import Reply
from app.township import set_township

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
TOWN = "镇政务公开栏"

#: (item, formed, postings as (day, with photo), approved) and what each is for.
NOTICES = {
    "on_time": ("shjz-002", "2026-01-05", [("2026-01-12", True)], True),
    "late_q1": ("snbt-002", "2026-02-02", [("2026-03-20", True)], True),  # due 03-06
    "no_photo": ("snbt-004", "2026-03-10", [("2026-03-11", False)], True),  # 及时: never late
    "draft_late": ("shjz-003", "2026-06-01", [], False),  # due 06-15, still a draft
    "approved_late": ("wfgz-009", "2026-07-01", [], True),  # due 07-29, never posted
    "day_late": ("jy-003", "2026-10-09", [("2026-11-06", True)], True),  # due 11-05
    "march_film": ("ggwh-008", "2026-03-05", [("2026-03-06", True)], True),  # answers 2026-03
    "not_due": ("shjz-001", "2026-11-20", [], False),
}
#: (received, answered): on time, late (2026-002), never answered (2026-003), within time.
REQUESTS = [("2026-02-03", "2026-02-20"), ("2026-03-02", "2026-05-20"),
            ("2026-09-01", None), ("2026-11-16", None)]

RULES = """
[rules]
name = "测试县乡镇政务公开考核细则"
year = 2026
max = 100

[[indicator]]
key = "timely"
name = "主动公开及时性"
section = "主动公开"
points = 20
per = 2
counts = "late_notices"

[[indicator]]
key = "periodic"
name = "定期公开"
section = "主动公开"
points = 5
per = 1
counts = "missing_periods"

[[indicator]]
key = "request_late"
name = "依申请按时答复"
section = "依申请公开"
points = 12
per = 6
counts = "late_requests"

[[indicator]]
key = "request_open"
name = "依申请逾期未答复"
section = "依申请公开"
points = 12
per = 6
counts = "unanswered_requests"

[[indicator]]
key = "photo"
name = "公开栏佐证"
section = "公开栏"
points = 5
per = 1
counts = "postings_without_photo"

[[indicator]]
key = "annual"
name = "年度报告"
section = "年度报告"
points = 5
counts = "annual_report_missing"
basis = "未按时发布扣5分"
"""


@pytest.fixture
def desk(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    """青石镇 with the notices and requests above; returns each notice's id by its role."""
    photo = tmp_path / "board.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    ids = {}
    with open_desk(data_dir) as store:
        set_township(store, "青石镇", "东山县", "0551-12345678")
        review.set_review_steps(store, 1)
        for role, (item, formed, posts, approved) in NOTICES.items():
            notice = drafts.create_notice(store, item, formed=formed)
            if approved:
                approve_step(store, notice.id, "王明")
            for day, with_photo in posts:
                boards.post(store, notice.id, TOWN, day, photo=photo if with_photo else None)
            ids[role] = notice.id
        for received, answered in REQUESTS:
            request = cases.register(store, "张三", "自然人", received, "低保资金发放明细")
            if answered:
                cases.answer(store, request.id, "予以公开", None, on=answered)
    return ids


def _cli(data_dir: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.run(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _load(data_dir: Path, text: str, tmp_path: Path, capsys, name: str = "rules.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return _cli(data_dir, "assess", "rules", "load", str(path), capsys=capsys)


def _rules_rows(data_dir: Path) -> list[tuple]:
    with sqlite3.connect(data_dir / "gongkai.sqlite3") as conn:
        return conn.execute("SELECT id, label, body, active FROM scoring_rules").fetchall()


def _by_indicator(result: dict) -> dict[str, tuple[float, list[str]]]:
    return {d["indicator"]: (d["points"], d["records"]) for d in result["deductions"]}


MISSING_MONTHS = [f"ggwh-008@2026-{m:02d}" for m in (1, 2, 4, 5, 6, 7, 8, 9, 10)]


def test_the_score_is_what_the_rules_file_implies(desk, data_dir, tmp_path, capsys) -> None:
    assert _load(data_dir, RULES, tmp_path, capsys)[0] == 0
    code, out, _ = _cli(data_dir, "assess", "--json", capsys=capsys)
    assert code == 0
    result = json.loads(out)
    got = _by_indicator(result)
    # Four late notices at 2 each; nine months of the film plan missing (capped at 5);
    # one request answered late and one never answered, 6 each; one posting without a
    # photo; the 2025 report not recorded as published.
    assert got["timely"][0] == 8.0 and sorted(got["timely"][1]) == sorted(
        [desk["draft_late"], desk["late_q1"], desk["approved_late"], desk["day_late"]])
    assert got["periodic"] == (5.0, MISSING_MONTHS)
    assert got["request_late"] == (6.0, ["2026-002"])
    assert got["request_open"] == (6.0, ["2026-003"])
    assert got["photo"] == (1.0, [desk["no_photo"]])
    assert got["annual"] == (5.0, ["annual-report-2025"])
    assert result["score"] == 100 - 8 - 5 - 6 - 6 - 1 - 5 == 69
    assert result["max"] == 100.0 and result["year"] == 2026 and result["example"] is False
    # The records' details name what the clerk opens; a request is named without its applicant.
    details = {d["indicator"]: d["details"] for d in result["deductions"]}
    assert details["request_late"][0]["kind"] == "request"
    assert "张三" not in out
    assert details["photo"][0]["kind"] == "notice"


def test_a_quarter_counts_what_falls_in_it(desk, data_dir, tmp_path, capsys) -> None:
    _load(data_dir, RULES, tmp_path, capsys)
    result = json.loads(_cli(data_dir, "assess", "--year", "2026", "--quarter", "1", "--json",
                             capsys=capsys)[1])
    assert _by_indicator(result) == {
        "timely": (2.0, [desk["late_q1"]]),
        "periodic": (2.0, ["ggwh-008@2026-01", "ggwh-008@2026-02"]),
        "request_late": (6.0, ["2026-002"]),
        "photo": (1.0, [desk["no_photo"]]),
        "annual": (5.0, ["annual-report-2025"]),
    }
    assert result["score"] == 84.0 and result["quarter"] == 1


def test_the_annual_report_counts_once_its_day_is_recorded(desk, data_dir, tmp_path,
                                                          capsys) -> None:
    _load(data_dir, RULES, tmp_path, capsys)
    code, out, _ = _cli(data_dir, "assess", "annual-report", "2025", "--published",
                        "2026-02-10", capsys=capsys)
    assert code == 0 and "晚于" in out
    late = _by_indicator(json.loads(_cli(data_dir, "assess", "--json", capsys=capsys)[1]))
    assert late["annual"] == (5.0, ["annual-report-2025"])
    _cli(data_dir, "assess", "annual-report", "2025", "--published", "2026-01-20",
         capsys=capsys)
    result = json.loads(_cli(data_dir, "assess", "--json", capsys=capsys)[1])
    assert "annual" not in _by_indicator(result) and result["score"] == 74.0
    # The year's own report is not due until 2027-01-31: assessing 2025 asks for 2024's.
    with open_desk(data_dir) as store:
        with pytest.raises(UserError, match="晚于今天"):
            record_annual_report(store, 2026, date(2026, 12, 1))


def test_the_text_names_the_score_and_every_record(desk, data_dir, tmp_path, capsys) -> None:
    _load(data_dir, RULES, tmp_path, capsys)
    code, out, _ = _cli(data_dir, "assess", capsys=capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("2026年考核自评：69分（满分100分，扣31分）")
    assert "【依申请公开】依申请按时答复：扣6分（1条记录）" in lines
    assert any(line.strip().startswith("2026-002") for line in lines)
    assert any(line.strip().startswith(desk["no_photo"]) for line in lines)
    assert "示例" not in out


def test_without_a_loaded_file_the_example_scores_and_says_so(desk, data_dir, capsys) -> None:
    code, out, _ = _cli(data_dir, "assess", capsys=capsys)
    assert code == 0 and "示例" in out.splitlines()[0] and "示例细则" in out
    result = json.loads(_cli(data_dir, "assess", "--json", capsys=capsys)[1])
    assert result["example"] is True
    example = example_rules()
    assert example.example and "示例" in example.label
    # Every indicator of the example counts something the desk knows.
    assert {i.counts for i in example.indicators} <= set(COUNTERS)
    by = {i.counts: i for i in example.indicators}
    got = _by_indicator(result)
    late = by["late_notices"]
    assert got[late.key][0] == min(late.points, late.per * 4)


def test_a_new_file_becomes_active_and_the_old_one_stays(data_dir, tmp_path, capsys) -> None:
    assert _load(data_dir, RULES, tmp_path, capsys)[0] == 0
    second = RULES.replace("测试县乡镇政务公开考核细则", "测试县细则（修订）")
    assert _load(data_dir, second, tmp_path, capsys, "second.toml")[0] == 0
    rows = _rules_rows(data_dir)
    assert [(r[1], r[3]) for r in rows] == [("测试县乡镇政务公开考核细则", 0),
                                            ("测试县细则（修订）", 1)]
    assert rows[0][2] == RULES  # kept whole
    shown = json.loads(_cli(data_dir, "assess", "rules", "show", "--json", capsys=capsys)[1])
    assert shown["active"]["name"] == "测试县细则（修订）"
    assert [h["active"] for h in shown["loaded"]] == [True, False]
    assert shown["loaded"][0]["origin"] == "file:second.toml"


def _indicator(**changes: object) -> str:
    fields = {"key": '"timely"', "name": '"及时"', "section": '"主动公开"', "points": "10",
              "per": "2", "counts": '"late_notices"'} | {k: str(v) for k, v in changes.items()}
    return "[[indicator]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v != "DROP")


HEADER = '[rules]\nname = "县细则"\nmax = 100\n'
REFUSED = {
    "unknown counter": (HEADER + _indicator(counts='"website_speed"'), "website_speed"),
    "malformed line": (HEADER + _indicator() + "points = = 3\n", "第11行"),
    "unclosed": (HEADER + "[[indicator]\n", "第4行"),
    "unknown key": (HEADER + _indicator(weight=3), "weight"),
    "unknown table": (HEADER + _indicator() + "[extra]\nx = 1\n", "extra"),
    "no header": (_indicator(), "[rules]"),
    "no indicator": (HEADER, "没有任何指标"),
    "twice": (HEADER + _indicator() + _indicator(), "两次"),
    "per above points": (HEADER + _indicator(per=11), "per"),
    "points not a number": (HEADER + _indicator(points='"十"'), "points"),
    "points a bool": (HEADER + _indicator(points="true"), "points"),
    "points infinite": (HEADER + _indicator(points="inf"), "points"),
    "above max": (HEADER + _indicator(points=60) + _indicator(key='"b"', points=60), "满分"),
    "bad key": (HEADER + _indicator(key='"及时"'), "key"),
    "long name": (HEADER + _indicator(name='"' + "长" * 61 + '"'), "60"),
    "empty name": (HEADER + _indicator(name='"  "'), "name"),
    "missing name": (HEADER + _indicator(name="DROP"), "name"),
    "year": (HEADER + "year = 1900\n" + _indicator(), "year"),
    "example": (HEADER.replace("max", "example = 1\nmax") + _indicator(), "example"),
    "too many": (HEADER + "".join(_indicator(key=f'"k{n}"', points=0.5)
                                  for n in range(MAX_INDICATORS + 1)), "超过"),
    "too big": (HEADER + _indicator() + "#" * MAX_BYTES, "KB"),
    "deep": (HEADER + "x = " + "[" * 20000 + "]" * 20000 + "\n" + _indicator(), ""),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_file_is_one_sentence_and_changes_nothing(case, data_dir, tmp_path,
                                                            capsys) -> None:
    assert _load(data_dir, RULES, tmp_path, capsys)[0] == 0
    before = _rules_rows(data_dir)
    text, named = REFUSED[case]
    code, out, err = _load(data_dir, text, tmp_path, capsys, "refused.toml")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.strip().endswith("。"), err
    assert named in err and "Traceback" not in err
    assert _rules_rows(data_dir) == before


def test_files_that_are_not_rules_are_refused(data_dir, tmp_path, capsys) -> None:
    open_desk(data_dir).close()
    before = _rules_rows(data_dir)
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes((HEADER + _indicator()).encode("gbk"))
    for path, named in ((gbk, "UTF-8"), (tmp_path, "文件夹"), (tmp_path / "none.toml", "找不到")):
        code, _, err = _cli(data_dir, "assess", "rules", "load", str(path), capsys=capsys)
        assert code == 1 and named in err and len(err.strip().splitlines()) == 1
    assert _rules_rows(data_dir) == before


def test_a_bom_and_a_fraction_are_fine() -> None:
    rules = parse_rules(b"\xef\xbb\xbf" + (HEADER + _indicator(points=2.5, per="DROP"))
                        .encode("utf-8"))
    assert rules.indicators[0].points == rules.indicators[0].per == 2.5


def test_privacy_found_after_approval_and_county_returns_count(township, tmp_path) -> None:
    review.set_review_steps(township, 1)
    # A mobile number entered as one of the office's own lines went up unmasked; once the
    # clerk corrects the list, the checker reads it as personal data in the approved text.
    township.set_settings({"office_phones": "13912345678"})
    leaked = drafts.create_notice(township, "shjz-002", formed="2026-05-06",
                                  body="经审核，现予公示。咨询电话：13912345678")
    approve_step(township, leaked.id, "王明")
    returned = drafts.create_notice(township, "shjz-002", formed="2026-05-07")
    approve_step(township, returned.id, "王明")
    township.set_settings({"office_phones": ""})
    record_replies(township, [Reply(returned.id, "returned", reason="要素不全", seq=1)])
    path = tmp_path / "r.toml"
    path.write_text(HEADER + _indicator(key='"privacy"', counts='"privacy_after_approval"',
                                        points=6, per="DROP")
                    + _indicator(key='"returned"', counts='"returned_by_county"', points=4,
                                 per=1)
                    + _indicator(key='"rectify"', counts='"rectify_overdue"', points=4,
                                 per=2), encoding="utf-8")
    rules_module.load_rules_file(township, path)
    result = assess(township, 2026)
    got = {d.indicator: d for d in result.deductions}
    assert [r.id for r in got["privacy"].records] == [leaked.id]
    assert "手机号码" in got["privacy"].records[0].label and got["privacy"].points == 6
    assert [r.id for r in got["returned"].records] == [returned.id]
    assert "要素不全" in got["returned"].records[0].label
    assert result.score == 100 - 6 - 1
    assert [k for k, *_ in result.indicators] == ["privacy", "returned", "rectify"]


def test_rectify_overdue_counts_late_and_unfixed_problems(township, tmp_path) -> None:
    from app.planning import rectify

    # Received Friday 9 October 2026: 10 working days end on 22 October (10 Oct is 调休).
    on_time, late, open_ = rectify.import_rows(
        township, "东山县第三季度测评问题清单", "测试", date(2026, 10, 9),
        [{"问题": f"问题{n}", "期限": "10个工作日"} for n in (1, 2, 3)])
    assert on_time.deadline == date(2026, 10, 22)
    rectify.record_fix(township, on_time.id, "2026-10-20", "已改", today=date(2026, 11, 23))
    rectify.record_fix(township, late.id, "2026-11-02", "已改", today=date(2026, 11, 23))
    path = tmp_path / "r.toml"
    path.write_text(HEADER + _indicator(key='"rectify"', counts='"rectify_overdue"', points=6,
                                        per=2), encoding="utf-8")
    rules_module.load_rules_file(township, path)
    result = assess(township, 2026, date(2026, 11, 23))
    got = {d.indicator: d for d in result.deductions}
    assert [r.id for r in got["rectify"].records] == [late.id, open_.id]
    assert "2026-11-02才整改" in got["rectify"].records[0].label
    assert "未整改" in got["rectify"].records[1].label
    assert result.score == 100 - 4


def test_a_periodic_notice_published_after_its_period_is_late(township, tmp_path) -> None:
    # 农村公益电影放映计划 is 每月: the notice takes its month's due date as its deadline.
    october = drafts.create_notice(township, "ggwh-008", formed="2026-10-03")
    november = drafts.create_notice(township, "ggwh-008", formed="2026-11-02")
    review.set_review_steps(township, 1)
    for n, day in ((october, "2026-11-05"), (november, "2026-11-04")):
        approve_step(township, n.id, "王明")
        boards.post(township, n.id, "镇政务公开栏", day)
    path = tmp_path / "r.toml"
    path.write_text(HEADER + _indicator(key='"timely"', counts='"late_notices"', points=20,
                                        per=5), encoding="utf-8")
    rules_module.load_rules_file(township, path)
    got = {d.indicator: d for d in assess(township, 2026, date(2026, 11, 23)).deductions}
    assert [r.id for r in got["timely"].records] == [october.id]
    # It answers October: its deadline is the month's end, counted like any other.
    assert "期限2026-10-31，超期5天" in got["timely"].records[0].label


def test_the_real_command_gives_the_contract_shape(desk, gk, tmp_path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(RULES, encoding="utf-8")
    gk("assess", "rules", "load", str(path))
    result = gk.json("assess", "--year", "2026")
    assert result["score"] == 69.0 and result["max"] == 100.0
    for d in result["deductions"]:
        assert isinstance(d["indicator"], str) and isinstance(d["points"], float)
        assert all(isinstance(r, str) for r in d["records"]) and d["records"]
    bad = tmp_path / "bad.toml"
    bad.write_text(HEADER + _indicator(counts='"nope"'), encoding="utf-8")
    proc = gk("assess", "rules", "load", str(bad), check=False)
    assert proc.returncode == 1 and "nope" in proc.stderr and proc.stdout == ""


# -- the reader fuzzed: any bytes are a Rules or one sentence, never a traceback ----------

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")
FRAGMENTS = ["[rules]\n", "[[indicator]]\n", 'name = "县细则"\n', "max = 100\n", "max = 1e400\n",
             'key = "timely"\n', 'key = "a"\n', 'counts = "late_notices"\n',
             'counts = "x"\n', "points = 5\n", "points = -1\n", "per = 2\n", "per = nan\n",
             'section = "主动公开"\n', "example = true\n", "year = 2026\n", "= \n", "[\n",
             '"""\n', "x = [[[[1]]]]\n", "points = 1979-05-27\n", "[rules.sub]\n",
             'name = "' + "长" * 90 + '"\n', "\x00", "\ufeff", "key = 3\n"]


def _one_sentence_or_rules(raw: bytes) -> None:
    try:
        rules = parse_rules(raw)
    except UserError as err:
        text = str(err)
        assert text and "\n" not in text and text.endswith("。"), text
    else:
        assert rules.indicators and sum(i.points for i in rules.indicators) <= rules.max
        assert all(i.counts in COUNTERS and 0 < i.per <= i.points for i in rules.indicators)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.binary(max_size=400))
def test_any_bytes_are_rules_or_one_sentence(raw: bytes) -> None:
    _one_sentence_or_rules(raw)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(FRAGMENTS), max_size=30),
                  st.lists(st.tuples(st.integers(0, 4000), st.characters()), max_size=4))
def test_files_near_a_real_one_are_rules_or_one_sentence(parts: list[str],
                                                         edits: list[tuple[int, str]]) -> None:
    _one_sentence_or_rules("".join(parts).encode("utf-8", "surrogatepass"))
    text = RULES
    for at, char in edits:  # a real file with a few characters typed over
        at %= len(text)
        text = text[:at] + char + text[at + 1:]
    _one_sentence_or_rules(text.encode("utf-8", "surrogatepass"))


@hypothesis.settings(max_examples=40, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(st.lists(st.sampled_from(FRAGMENTS), max_size=20))
def test_a_refused_file_leaves_the_table_as_it_was(store, parts: list[str]) -> None:
    text = "".join(parts)
    before = store.query("SELECT id, active FROM scoring_rules")
    try:
        rules_module.store_rules(store, text, "file:fuzz.toml")
    except UserError:
        assert [tuple(r) for r in store.query("SELECT id, active FROM scoring_rules")] == [
            tuple(r) for r in before]
    else:
        assert rules_module.active_rules(store).origin == "file:fuzz.toml"
