"""``gongkai rectify …``: the county's 测评问题清单 and what the township did about each problem.

``rectify import FILE`` keeps a list read from the county's .xlsx or .docx;
``rectify list`` shows every problem with its deadline and state; ``rectify link``
points a problem at a notice, a catalog item or a board; ``rectify fix`` records
what was done, when, with evidence files; ``rectify report`` writes the 整改报告.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app import clock
from app.cli.shape import Subcommands, count, day_of, print_json, year
from app.errors import UserError
from app.planning import rectify
from app.store import Store
from app.workdays import MAX_WORKDAYS


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """``rectify import``: keep one problem list from a county table."""
    done = rectify.import_file(store, Path(args.file), args.title, args.received, args.days)
    if args.json:
        print_json(done.to_json())
        return 0
    linked = sum(bool(p.target_kind) for p in done.problems)
    print(f"已导入「{done.title}」：{len(done.problems)}个问题"
          + (f"，其中{linked}个已按问题页面关联到公开信息" if linked else "") + "。")
    for p in done.problems:
        print(f"{p.id}\t期限 {p.deadline.isoformat()}（{p.days}个工作日）\t{p.problem}")
    for warning in done.warnings:
        print(f"提示：{warning}")
    return 0


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    """``rectify list``: every problem (of a year, or not yet fixed) with its state."""
    today = clock.today()
    problems = rectify.list_problems(store, args.year, open_only=args.open)
    if args.json:
        print_json([p.to_json(today) for p in problems])
        return 0
    if not problems:
        print("没有符合条件的整改问题。")
        return 0
    for p in problems:
        known = "" if p.calendar_known else "（按周一至周五计）"
        print(f"{p.id}\t期限 {p.deadline.isoformat()}{known}\t【{p.status_words(today)}】"
              f"\t{p.problem}\t{p.target_words()}")
    return 0


def cmd_link(store: Store, args: argparse.Namespace) -> int:
    """``rectify link``: the notice, item or board a problem concerns."""
    chosen = [(kind, value) for kind, value in (("notice", args.notice), ("item", args.item),
                                                ("board", args.board)) if value is not None]
    if len(chosen) != 1:
        raise UserError("请用 --notice、--item 或 --board 中的一个说明关联什么。")
    p = rectify.link(store, args.id, *chosen[0])
    print(f"{p.id} 已关联{p.target_words()}。")
    return 0


def cmd_fix(store: Store, args: argparse.Namespace) -> int:
    """``rectify fix``: what was done about a problem, when, with its evidence."""
    p = rectify.record_fix(store, args.id, args.date, args.action,
                           [Path(e) for e in args.evidence or ()])
    if args.json:
        print_json(p.to_json())
    else:
        print(rectify.fix_line(p))
    return 0


def cmd_report(store: Store, args: argparse.Namespace) -> int:
    """``rectify report``: the 整改报告 as DOCX."""
    from app.reports.rectify_report import write_rectify_report

    done = write_rectify_report(store, Path(args.out), args.year)
    if args.json:
        print_json(done.to_json())
    else:
        print(done.line())
    return 0


def cmd_default_days(store: Store, args: argparse.Namespace) -> int:
    """``rectify default-days``: the working days a problem without its own 整改时限 gets."""
    if args.days is None:
        print(f"表中没有整改时限的问题给{rectify.default_days(store)}个工作日。")
        return 0
    done = rectify.set_default_days(store, args.days)
    print(f"今后导入的问题清单中，没有整改时限的问题给{done}个工作日。")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``rectify`` and its actions."""
    group = sub.add_parser("rectify", help="整改：县级测评问题清单、整改期限和整改情况"
                           ).add_subparsers(dest="action", required=True)
    p = group.add_parser("import", help="导入问题清单（.xlsx 或 .docx）")
    p.add_argument("file", help="县里发来的测评问题清单")
    p.add_argument("--title", metavar="名称", help="清单名称（默认文件名）")
    p.add_argument("--received", type=day_of("收到日期"), metavar="日期",
                   help="收到日期（默认今天）")
    p.add_argument("--days", type=count(1, MAX_WORKDAYS, "整改期限"), metavar="N",
                   help="表中没有整改时限的问题给多少个工作日（默认按设置，10）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)
    ls = group.add_parser("list", help="列出整改问题、期限和状态")
    ls.add_argument("--year", type=year, metavar="YYYY", help="只列这一年收到的清单")
    ls.add_argument("--open", action="store_true", help="只列尚未整改的")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_list)
    ln = group.add_parser("link", help="关联问题涉及的公开信息、目录事项或公开栏")
    ln.add_argument("id", help="问题编号，如 ZG1-03")
    ln.add_argument("--notice", metavar="编号或标题")
    ln.add_argument("--item", metavar="事项编号或名称")
    ln.add_argument("--board", metavar="公开栏")
    ln.set_defaults(handler=cmd_link)
    fx = group.add_parser("fix", help="记录整改情况（日期、措施、佐证）")
    fx.add_argument("id", help="问题编号，如 ZG1-03")
    fx.add_argument("--date", type=day_of("整改完成日期"), required=True, metavar="日期")
    fx.add_argument("--action", required=True, metavar="文本", help="做了什么")
    fx.add_argument("--evidence", nargs="+", action="extend", metavar="FILE",
                    help="佐证：照片、截图或文件，可写多个")
    fx.add_argument("--json", action="store_true")
    fx.set_defaults(handler=cmd_fix)
    rp = group.add_parser("report", help="导出整改报告（.docx）")
    rp.add_argument("--out", required=True, metavar="FILE.docx")
    rp.add_argument("--year", type=year, metavar="YYYY", help="只写这一年收到的清单（默认全部）")
    rp.add_argument("--json", action="store_true")
    rp.set_defaults(handler=cmd_report)
    dd = group.add_parser("default-days", help="表中没有整改时限的问题给多少个工作日（设置）")
    dd.add_argument("days", nargs="?", type=count(1, MAX_WORKDAYS, "整改期限"), metavar="N")
    dd.set_defaults(handler=cmd_default_days)
