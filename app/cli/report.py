"""``gongkai report …``: the figures of the 政府信息公开工作年度报告, and the report as DOCX.

```
gongkai report figures YEAR [--json]            the three tables' figures and the balance check
gongkai report set YEAR [--carried-in 自然人=N,商业企业=N,…] [--carried-in-from-register]
                        [--active 规章.本年制发件数=N,行政许可=N,行政事业性收费=1.5 …]
                        [--review 结果维持=N,…] [--litigation-direct …]
                        [--litigation-after-review …] [--json]
gongkai report annual YEAR --out FILE.docx [--json]
```

``figures`` shows an unbalanced year (with the sentence that says why);
``annual`` refuses it (exit 1, no file written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.shape import Subcommands, print_json, year
from app.facts import NOTICE_KINDS
from app.reports import annual_figures
from app.reports.annual_figures import (
    ACTIVE_GROUPS,
    APPLICANT_COLUMNS,
    CASE_COLUMNS,
    CASE_PARTS,
    REQUEST_COLUMNS,
    TOTAL,
    AnnualFigures,
    Counts,
    format_amount,
)
from app.store import Store


def _print_figures(figures: AnnualFigures) -> None:
    """The three tables as plain lines, for a terminal."""
    so_far = "" if figures.complete else f"（截至{figures.as_of.isoformat()}，本年度尚未结束）"
    print(f"{figures.township or '本乡镇'}{figures.year}年政府信息公开工作年度报告数字{so_far}")
    print("二、主动公开政府信息情况（手填）")
    for _, columns, labels, active_rows in ACTIVE_GROUPS:
        for row in active_rows:
            cells = [f"{label} {format_amount(figures.manual.active[f'{row}.{column}'])}"
                     for column, label in zip(columns, labels, strict=True)]
            print(f"  {row}：" + "，".join(cells))
    totals = figures.notice_totals
    print(f"  工作台记录的本年公开信息（按首次张贴日期）：共 {sum(totals)} 条（"
          + "，".join(f"{k} {n}" for k, n in zip(NOTICE_KINDS, totals, strict=True)) + "）")
    for domain in figures.notices:
        if domain.total:
            print(f"    {domain.domain} {domain.total}")
    req = figures.requests
    print("三、收到和处理政府信息公开申请情况")
    print("  栏目\t" + "\t".join(REQUEST_COLUMNS))
    rows: list[tuple[str, Counts]] = [
        ("一、本年新收", req.new),
        ("二、上年结转" + ("（手填）" if req.carried_in_manual else "（按登记簿）"),
         req.carried_in)]
    rows += [(f"{annual_figures.outcome_label(r.category)}"
              + (f" {annual_figures.item_label(r.category, r.item)}" if r.item else ""), r.counts)
             for r in req.outcomes]
    rows += [("三、办理结果总计", req.results), ("四、结转下年度", req.carried_out)]
    for label, counts in rows:
        print(f"  {label}\t" + "\t".join(str(counts.get(c)) for c in REQUEST_COLUMNS))
    if req.carried_in_manual:
        print("  （登记簿计算的上年结转：" + "，".join(
            f"{c} {req.carried_in_register.get(c)}" for c in REQUEST_COLUMNS) + "）")
    print("四、政府信息公开行政复议、行政诉讼情况（手填）")
    for part, label in CASE_PARTS.items():
        counts = getattr(figures.manual, part)
        print(f"  {label}：" + "，".join(f"{c} {counts.get(c)}" for c in (*CASE_COLUMNS, TOTAL)))
    problem = annual_figures.balance_problem(figures)
    print("第三部分表格各列均平衡。" if problem is None else f"注意：{problem}")


def cmd_figures(store: Store, args: argparse.Namespace) -> int:
    """``report figures YEAR``: the figures, balanced or not."""
    figures = annual_figures.annual_figures(store, annual_figures.check_year(args.year))
    if args.json:
        print_json(figures.to_json())
    else:
        _print_figures(figures)
    return 0


def cmd_set(store: Store, args: argparse.Namespace) -> int:
    """``report set YEAR``: the hand-entered figures (only those given change)."""
    year = annual_figures.check_year(args.year)
    pairs = annual_figures.parse_pairs
    annual_figures.set_manual(
        store, year,
        active=pairs(args.active, "第二部分"),
        carried_in=pairs(args.carried_in, "上年结转"),
        carried_in_from_register=args.carried_in_from_register,
        review=pairs(args.review, CASE_PARTS["review"]),
        litigation_direct=pairs(args.litigation_direct, CASE_PARTS["litigation_direct"]),
        litigation_after_review=pairs(args.litigation_after_review,
                                      CASE_PARTS["litigation_after_review"]))
    figures = annual_figures.annual_figures(store, year)
    if args.json:
        print_json(figures.to_json())
        return 0
    print(f"已保存{year}年度报告的手填数字。")
    problem = annual_figures.balance_problem(figures)
    if problem:
        print(f"注意：{problem}", file=sys.stderr)
    return 0


def cmd_annual(store: Store, args: argparse.Namespace) -> int:
    """``report annual YEAR --out FILE.docx``: the report, refused if table 三 does not balance."""
    # python-docx is imported only by the command that writes a document.
    from app.reports.annual_docx import write_annual_report, written_line

    out = Path(args.out)
    figures = write_annual_report(store, args.year, out)
    if args.json:
        print_json(figures.to_json() | {"out": str(out)})
        return 0
    print(written_line(figures, out))
    return 0


def register(sub: Subcommands) -> None:
    """Add ``report figures|set|annual``."""
    group = sub.add_parser("report", help="政府信息公开工作年度报告").add_subparsers(
        dest="action", required=True)

    def verb(name: str, help_text: str, handler: object) -> argparse.ArgumentParser:
        p = group.add_parser(name, help=help_text)
        # app.reports.annual_figures checks it again (from 2008, not after this year).
        p.add_argument("year", type=year, metavar="YYYY", help="报告年度")
        p.add_argument("--json", action="store_true", help="以 JSON 输出数字")
        p.set_defaults(handler=handler)
        return p

    verb("figures", "查看年度报告三张表的数字和平衡检查", cmd_figures)
    p = verb("set", "填写年度报告中需手填的数字（只改给出的栏目）", cmd_set)
    columns = ",".join(f"{c}=N" for c in APPLICANT_COLUMNS)
    p.add_argument("--carried-in", dest="carried_in", action="append", metavar="列=N,…",
                   help=f"上年结转（照抄上年度报告的数字；第一次填写时未写的列按0计）：{columns}")
    p.add_argument("--carried-in-from-register", dest="carried_in_from_register",
                   action="store_true", help="上年结转改回按登记簿计算")
    p.add_argument("--active", action="append", metavar="栏目=N,…",
                   help="第二部分表格，如 规章.本年制发件数=0,行政许可=2,行政事业性收费=1.5"
                        "（收费以万元计）")
    cases = ",".join(f"{c}=N" for c in CASE_COLUMNS)
    p.add_argument("--review", action="append", metavar="栏目=N,…",
                   help=f"行政复议：{cases}（总计自动计算，写了总计则核对）")
    p.add_argument("--litigation-direct", dest="litigation_direct", action="append",
                   metavar="栏目=N,…", help=f"行政诉讼·未经复议直接起诉：{cases}")
    p.add_argument("--litigation-after-review", dest="litigation_after_review",
                   action="append", metavar="栏目=N,…", help=f"行政诉讼·复议后起诉：{cases}")
    p = verb("annual", "生成年度报告（Word），第三部分表格不平时拒绝", cmd_annual)
    p.add_argument("--out", required=True, metavar="FILE.docx", help="保存为哪个 .docx 文件")
