"""The proofreading pass on the desk: check shows it, approval weighs it, fix mends it.

The rules themselves are another module's (app.notices.proofread); here they
are stood in for by two fixed ones that find what they report in the text,
so a fix really makes its finding go away.
"""

from __future__ import annotations

import json

import pytest

from app.cli import main as cli
from app.errors import UserError
from app.facts import REVIEW_CHECKLIST
from app.notices import drafts, proofing, proofread, review
from app.notices.proofread import Fix, Proof, ProofContext

pytestmark = pytest.mark.usefixtures("pinned_today")

WRONG, RIGHT = "中华人民共合国", "中华人民共和国"
BODY = ("根据《" + WRONG + "社会救助暂行办法》规定，现将审核结果公示如下。\n"
        "经村民代表评议的的，拟纳入最低生活保障。\n"
        "初审对象名单（含家庭人口、拟保障金额）见附表。\n")
SEEN: list[ProofContext] = []


def _rules(title: str, body: str, context: ProofContext | None = None) -> list[Proof]:
    """A 严重 固定表述 and a 一般 重复字, wherever they stand in title + body."""
    SEEN.append(context or ProofContext())
    text = title + "\n" + body
    out = []
    for word, rule, severity, fixes in (
            (WRONG, "固定表述", "严重", (Fix("改为" + RIGHT, RIGHT),)),
            ("的的", "重复字", "一般", (Fix("删去一个", "的"),))):
        at = text.find(word)
        while at >= 0:
            if word not in (context.whitelist if context else ()):
                out.append(Proof(at, at + len(word), word, rule, severity, "应为规范写法",
                                 fixes))
            at = text.find(word, at + 1)
    return sorted(out, key=lambda p: p.start)


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> list[ProofContext]:
    """The stand-in rules, in the one place the desk calls them."""
    SEEN.clear()
    monkeypatch.setattr(proofread, "proofread", _rules)
    return SEEN


def gongkai(store, capsys, *args: str) -> tuple[int, str, str]:
    """The real command line, in this process (so the stand-in rules apply)."""
    code = cli.run(["--data-dir", str(store.folder), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _notice(store, body: str = BODY) -> drafts.Notice:
    return drafts.create_notice(store, "shjz-002", formed="2026-11-20", body=body)


def test_check_json_places_each_finding_by_line_and_column(township, rules, capsys) -> None:
    n = _notice(township)
    code, out, _ = gongkai(township, capsys, "notice", "check", n.id, "--json")
    assert code == 0
    found = json.loads(out)["proofreading"]
    assert [(f["rule"], f["severity"], f["text"], f["fix"]) for f in found] == [
        ("固定表述", "严重", WRONG, RIGHT), ("重复字", "一般", "的的", "的")]
    # Line 1 is the title; the body's first line is line 2, its second line 3.
    assert (found[0]["line"], found[0]["col"]) == (2, BODY.index(WRONG) + 1)
    second = BODY.split("\n")[1]
    assert (found[1]["line"], found[1]["col"]) == (3, second.index("的的") + 1)
    assert set(found[0]) == {"line", "col", "text", "rule", "severity", "fix", "explanation"}
    code, out, _ = gongkai(township, capsys, "notice", "check", n.id)
    col = BODY.index(WRONG) + 1
    assert f"第2行第{col}字 [严重] 固定表述：{WRONG} → {RIGHT}（应为规范写法）" in out


def test_the_rules_are_told_what_the_desk_knows(township, rules) -> None:
    proofing.set_whitelist(township, ["青石", "东山村"])
    n = _notice(township)
    proofing.findings(township, n)
    context = rules[-1]
    assert context.township == "青石镇" and context.issuer == n.issuer
    assert "0551-62345678" in context.phones
    assert context.whitelist == frozenset({"青石", "东山村"})
    assert context.publicity is None  # not posted yet: no 公示期 to compare with
    assert proofing.is_public(["全社会"], []) and proofing.is_public([], [])
    assert not proofing.is_public(["特定群体"], ["社区/企事业单位/村公示栏（电子屏）"])
    assert proofing.is_public(["特定群体"], ["政府网站"])


def test_a_severe_finding_holds_approval_without_a_reason(township, rules, capsys) -> None:
    n = _notice(township)
    code, out, err = gongkai(township, capsys, "notice", "approve", n.id, "--reviewer", "王明",
                             "--checked", ",".join(REVIEW_CHECKLIST))
    assert code == 1 and out == ""
    sentence = err.strip()
    assert sentence.count("。") == 1 and sentence.endswith("。")
    assert "1处严重的校对问题" in sentence and WRONG in sentence and "--override" in sentence
    assert review.review_history(township, n.id) == []  # nothing recorded


def test_an_override_lets_it_through_and_the_record_keeps_reason_and_findings(
        township, rules, capsys) -> None:
    n = _notice(township)
    code, out, _ = gongkai(township, capsys, "notice", "approve", n.id, "--reviewer", "王明",
                           "--checked", ",".join(REVIEW_CHECKLIST),
                           "--override", "引用的是原文件标题，照录")
    assert code == 0 and "初审通过" in out
    code, out, _ = gongkai(township, capsys, "notice", "show", n.id, "--json")
    shown = json.loads(out)
    assert [f["rule"] for f in shown["proofreading"]] == ["固定表述", "重复字"]
    step = shown["reviews"][0]
    assert step["override"] == "引用的是原文件标题，照录"
    assert step["findings"] == [
        {"rule": "固定表述", "severity": "严重", "text": WRONG, "line": 2,
         "col": BODY.index(WRONG) + 1},
        {"rule": "重复字", "severity": "一般", "text": "的的", "line": 3,
         "col": BODY.split("\n")[1].index("的的") + 1}]
    # Kept, as every review step is: the row cannot be changed afterwards.
    with pytest.raises(Exception, match="append-only"):
        township.conn.execute("UPDATE review_steps SET findings = '[]'")


def test_a_general_finding_does_not_hold_approval(township, rules) -> None:
    n = _notice(township, body=BODY.replace(WRONG, RIGHT))
    result = review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST)
    assert result.step == "初审"
    step = review.review_history(township, n.id)[0]
    assert [f["severity"] for f in step["findings"]] == ["一般"] and step["override"] == ""


def test_unmasked_personal_data_is_still_never_overridden(township, rules) -> None:
    n = _notice(township, body=BODY + "联系人张三，身份证号110101199003074514。\n")
    with pytest.raises(UserError, match="个人信息未遮盖"):
        review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST, override="照录")


def test_fix_makes_a_revision_and_the_finding_is_gone(township, rules, capsys) -> None:
    n = _notice(township)
    code, out, _ = gongkai(township, capsys, "notice", "fix", n.id, "--finding", "1")
    assert code == 0 and "第2版" in out
    fixed = drafts.get_notice(township, n.id)
    assert fixed.rev == 2 and RIGHT in fixed.body and WRONG not in fixed.body
    assert drafts.revisions(township, n.id)[0]["change"] == f"校对：固定表述 {WRONG} → {RIGHT}"
    assert [p.rule for p in proofing.findings(township, fixed)] == ["重复字"]
    # Now nothing grave is left: the step passes without a reason.
    assert review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST).step == "初审"
    code, _, err = gongkai(township, capsys, "notice", "fix", n.id, "--finding", "5")
    assert code == 1 and "没有第5处校对问题" in err


def test_fix_all_mends_every_finding_in_one_revision(township, rules, capsys) -> None:
    body = BODY + "依据" + WRONG + "宪法的的规定。\n"
    n = _notice(township, body=body)
    assert len(proofing.findings(township, n)) == 4
    code, out, _ = gongkai(township, capsys, "notice", "fix", n.id, "--all")
    assert code == 0 and "已改正 4 处" in out
    fixed = drafts.get_notice(township, n.id)
    assert fixed.rev == 2 and proofing.findings(township, fixed) == []
    assert fixed.body == body.replace(WRONG, RIGHT).replace("的的", "的")
    change = drafts.revisions(township, n.id)[0]["change"]
    assert change.startswith("校对：固定表述") and change.count("；") == 3
    audit = township.query("SELECT detail FROM audit_log WHERE action = 'notice.proofread_fix'")
    assert [f["severity"] for f in json.loads(audit[0]["detail"])["fixes"]] == [
        "严重", "一般", "严重", "一般"]
    code, out, _ = gongkai(township, capsys, "notice", "fix", n.id, "--all")
    assert code == 0 and "没有可以自动改正的校对问题" in out


def test_the_whitelist_round_trips_and_silences_its_words(township, rules, capsys) -> None:
    code, out, _ = gongkai(township, capsys, "proofread-whitelist", "--set", "青石，东山村、的的")
    assert code == 0 and out.strip() == "校对白名单：青石、东山村、的的"
    code, out, _ = gongkai(township, capsys, "proofread-whitelist", "--add", "马家沟,青石",
                           "--remove", "东山村", "--json")
    assert json.loads(out) == {"whitelist": ["青石", "的的", "马家沟"]}
    assert proofing.whitelist(township) == ("青石", "的的", "马家沟")
    n = _notice(township)
    assert [p.rule for p in proofing.findings(township, n)] == ["固定表述"]
    code, _, err = gongkai(township, capsys, "proofread-whitelist", "--add", "字" * 31)
    assert code == 1 and "不超过30个字" in err
    assert proofing.whitelist(township) == ("青石", "的的", "马家沟")


def test_the_ledger_counts_severe_findings_fixed_before_approval(township, rules,
                                                                 tmp_path) -> None:
    from openpyxl import load_workbook

    from app.reports import ledger

    n = _notice(township, body=BODY + "依据" + WRONG + "宪法。\n")
    proofing.fix_all(township, n.id)  # two 严重 and one 一般 mended in rev 2
    for reviewer in ("王明", "李华", "赵强"):
        review.approve(township, n.id, reviewer, checked=REVIEW_CHECKLIST)
    draft = _notice(township)
    proofing.fix_notice(township, draft.id, 1)  # mended, but not approved: not counted
    book = ledger.read_ledger(township, ledger.make_filter(township, 2026))
    rows = {r.notice_id: r for r in book.rows}
    assert (rows[n.id].proof_fixed, rows[draft.id].proof_fixed) == (2, 0)
    domain = rows[n.id].domain
    assert dict((d, c.proof_fixed) for d, c in book.summary.domains)[domain] == 2
    assert book.summary.to_json(2026)["proof_fixed"] == 2
    path = tmp_path / "台账.xlsx"
    ledger.write_ledger(path, book)
    ws = load_workbook(path)[ledger.SUMMARY_SHEET]
    cells = list(ws.iter_rows(values_only=True))
    heading = next(i for i, r in enumerate(cells) if r[0] and "经校对改正的严重问题" in str(r[0]))
    table = cells[heading + 1:]
    assert table[0][:2] == ("公开领域", "处数")
    assert next(r for r in table if r[0] == domain)[1] == 2
    assert next(r for r in table if r[0] == "合计")[1] == 2


def test_a_poverty_cause_column_is_severe_and_dropping_it_leaves_it_off_the_sheet(
        township, tmp_path) -> None:
    """With the real rules: 致贫原因 on a 全社会 notice holds approval; 删除此列 mends it."""
    import subprocess

    from app.printing.sheet import build_sheet
    from app.printing.sheet_pdf import render_sheet_pdf

    body = ("现将新增对象名单公示如下：\n序号\t姓名\t所在村\t家庭人口\t致贫原因\t拟保障金额\n"
            "1\t张桂兰\t马家沟村\t3\t因病\t840元\n2\t李秀英\t东山村\t2\t因残\t1,260元\n")
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=body)
    found = [p for p in proofing.findings(township, drafts.get_notice(township, n.id))
             if p.rule == "敏感列"]
    assert [(p.text, p.severity) for p in found] == [("致贫原因", "严重")]
    with pytest.raises(UserError, match="严重"):
        review.approve(township, n.id, "王明", checked=list(REVIEW_CHECKLIST))
    index = proofing.findings(township, drafts.get_notice(township, n.id)).index(found[0]) + 1
    labels = [f.label for f in found[0].fixes]
    mended = proofing.fix_notice(township, n.id, index, labels.index("删除此列"))
    assert mended.rev == 2 and "致贫原因" not in mended.body and "因病" not in mended.body
    assert "家庭人口\t拟保障金额" in mended.body
    pdf = tmp_path / "sheet.pdf"
    render_sheet_pdf(build_sheet(township, n.id), pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "拟保障金额" in text and "致贫原因" not in text and "因残" not in text


def test_the_townships_own_phrases_are_checked_like_the_countrys(township, capsys) -> None:
    """设置 › 本镇规范用语: one character off its 党委's name or a village's is 严重."""
    code, out, _ = gongkai(township, capsys, "proofread-phrases", "--set",
                           "中共青石镇委员会,马家沟村,马家湾村", "--json")
    assert code == 0
    assert json.loads(out) == {"phrases": ["中共青石镇委员会", "马家沟村", "马家湾村"]}
    n = _notice(township, "经中共青实镇委员会研究，马家沟村、马家湾村、马佳沟村的名单公示如下。")
    found = [(p.text, p.severity, p.fixes[0].replacement)
             for p in proofing.findings(township, drafts.get_notice(township, n.id))
             if p.rule == "固定表述"]
    # Two real villages one character apart are both listed, so neither flags the other.
    assert found == [("中共青实镇委员会", "严重", "中共青石镇委员会"),
                     ("马佳沟村", "严重", "马家沟村")]
    code, out, _ = gongkai(township, capsys, "proofread-phrases", "--remove", "马家沟村")
    assert code == 0 and "马家沟村" not in out and proofing.words(
        township, proofing.PHRASES_KEY) == ("中共青石镇委员会", "马家湾村")
