"""``gongkai workdays add|load|show``: official working days and the years' arrangements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import workdays
from app.cli.shape import Subcommands, count, day, print_json, year
from app.store import Store


def cmd_workdays_add(store: Store, args: argparse.Namespace) -> int:
    """``workdays add DATE N``."""
    cal = workdays.Calendar.from_store(store)
    result = cal.add_workdays(workdays.parse_date(args.date), args.n)
    if args.json:
        print_json(result.to_json())
        return 0
    data = result.to_json()
    print(f"{data['date']}（{data['weekday']}）")
    if not result.calendar_known:
        years = "、".join(str(y) for y in result.unknown_years)
        print(f"注意：{years}年的节假日安排尚未载入，已按周一至周五计算。", file=sys.stderr)
    return 0


def cmd_workdays_load(store: Store, args: argparse.Namespace) -> int:
    """``workdays load FILE.json``."""
    a = workdays.load_arrangement_file(store, Path(args.file))
    print(f"已载入{a.year}年节假日安排：放假 {len(a.holidays)} 天，调休上班 {len(a.workdays)} 天")
    return 0


def cmd_workdays_show(store: Store, args: argparse.Namespace) -> int:
    """``workdays show YEAR``: what the program knows of a year."""
    cal = workdays.Calendar.from_store(store)
    data = workdays.arrangement_json(cal, args.year) | {"status": cal.year_status(args.year)}
    print_json(data)
    return 0

def register(sub: Subcommands) -> None:
    """Add ``workdays add|load|show``."""
    wd = sub.add_parser("workdays", help="工作日").add_subparsers(dest="action", required=True)
    p = wd.add_parser("add", help="某日之后第 N 个工作日")
    p.add_argument("date", type=day, help="从哪天算起（2000-01-01 到 2099-12-31）")
    p.add_argument("n", type=count(1, workdays.MAX_WORKDAYS, "工作日天数"),
                   help=f"第几个工作日（1到{workdays.MAX_WORKDAYS}）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_workdays_add)
    p = wd.add_parser("load", help="载入一年的节假日安排（JSON）")
    p.add_argument("file")
    p.set_defaults(handler=cmd_workdays_load)
    p = wd.add_parser("show", help="查看一年的节假日安排")
    p.add_argument("year", type=year, help="年份（2000到2099）")
    p.set_defaults(handler=cmd_workdays_show)
