"""``gongkai plan``: the plan of the year, and what the clerk says of an item in it.

``plan [--year YYYY] [--json]`` lists every period of every periodic and standing
item; ``plan na ITEM --reason 理由`` marks an item 不涉及 (``--off`` undoes it);
``plan set ITEM --period 季度 [--due …]`` answers an item the catalog's text leaves
open; ``plan confirm ITEM --photo FILE`` records a standing posting seen again;
``plan standing-months N [--item ITEM]`` sets how often that is due; ``plan since DATE``
starts the plan on the day the township began keeping its records on the desk.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from app.catalog.schedule import PERIOD_KINDS
from app.cli.shape import Subcommands, count, day_of, print_json, year
from app.errors import UserError
from app.planning import plan
from app.store import Store

_PERIOD_WORDS = {"month": "month", "月": "month", "每月": "month", "quarter": "quarter",
                 "季度": "quarter", "每季度": "quarter", "half": "half", "半年": "half",
                 "每半年": "half", "year": "year", "年": "year", "每年": "year",
                 "standing": "standing", "长期": "standing", "event": "event",
                 "随时": "event", "随事项发生": "event"}


def cmd_plan(store: Store, args: argparse.Namespace) -> int:
    """``plan``: every period of the year and its state."""
    result = plan.build_plan(store, args.year)
    if args.json:
        print_json(result.to_json())
        return 0
    print(f"{result.year}年公开计划：{len(result.entries)}个期次，"
          f"{sum(e.status == 'late' for e in result.entries)}个已逾期，"
          f"{len(result.not_applicable)}个事项不涉及，{result.events}个事项随事项发生时公开")
    for e in result.entries:
        print(f"{e.period.label:8} {e.due.isoformat()} 【{e.status_label}】{e.title}"
              f"（{e.item_id}）" + (f"：{e.reason}" if e.reason else ""))
    for q in result.questions:
        print(f"待设定公开周期：{q.title}（{q.item_id}）公开时限「{q.time_limit}」"
              "——请用 gongkai plan set 说明")
    return 0


def cmd_plan_na(store: Store, args: argparse.Namespace) -> int:
    """``plan na``: mark an item 不涉及 (or carried out again)."""
    if args.off == bool(args.reason):
        raise UserError("请用 --reason 写明不涉及的理由，或用 --off 取消不涉及。")
    plan.set_not_applicable(store, args.item, None if args.off else args.reason)
    print("已取消不涉及。" if args.off else "已标为不涉及，该事项不再列入年度计划。")
    return 0


def _due(text: str | None) -> dict[str, Any]:
    if not text or text in ("end", "期末"):
        return {"due": "end"}
    if match := re.fullmatch(r"\+(\d{1,2})(wd|d)", text.strip()):
        return {"due": "workdays" if match.group(2) == "wd" else "days",
                "n": int(match.group(1))}
    if match := re.fullmatch(r"(\d{1,2})-(\d{1,2})", text.strip()):
        return {"due": "date", "month": int(match.group(1)), "day": int(match.group(2))}
    if match := re.fullmatch(r"(\d{1,2})-end", text.strip()):
        return {"due": "date", "month": int(match.group(1)), "day": 0}
    raise UserError("截止方式写作 end（期末）、+10wd（期满后10个工作日）、+15d（期满后15日）、"
                    "03-31（每年3月31日前）或 03-end（每年3月底前）。")


def cmd_plan_set(store: Store, args: argparse.Namespace) -> int:
    """``plan set``: the clerk's answer to when an item falls due."""
    if args.clear:
        plan.set_schedule(store, args.item, None)
        print("已恢复按目录的公开时限计算。")
        return 0
    kind = _PERIOD_WORDS.get((args.period or "").strip())
    if kind is None:
        raise UserError("请用 --period 说明周期：每月、每季度、每半年、每年、长期或随事项发生。")
    if kind in PERIOD_KINDS:
        data = {"kind": "periodic", "period": kind} | _due(args.due)
    else:
        data = {"kind": kind}
    done = plan.set_schedule(store, args.item, data)
    print(f"已设定：{done.describe() if done else ''}")
    return 0


def cmd_plan_confirm(store: Store, args: argparse.Namespace) -> int:
    """``plan confirm``: a standing posting seen again."""
    plan.confirm_standing(store, args.item, args.date, args.board,
                          Path(args.photo) if args.photo else None, args.note or "")
    print("已记录长期公开复核。")
    return 0


def cmd_plan_months(store: Store, args: argparse.Namespace) -> int:
    """``plan standing-months``: how often a standing posting is confirmed."""
    plan.set_confirm_months(store, args.item, args.months)
    print(f"长期公开事项每{args.months}个月复核一次。")
    return 0


def cmd_plan_since(store: Store, args: argparse.Namespace) -> int:
    """``plan since``: the day the plan counts from."""
    plan.set_plan_since(store, None if args.off else args.day)
    print("年度计划从头计算。" if args.off or not args.day
          else f"年度计划从{args.day}起计算，此前到期的期次不再列出。")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``plan`` and its actions."""
    p = sub.add_parser("plan", help="年度公开计划：定期和长期公开事项的各期次")
    p.add_argument("--year", type=year, metavar="YYYY", help="哪一年（默认今年）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_plan)
    group = p.add_subparsers(dest="action")
    na = group.add_parser("na", help="标为不涉及（写明理由），或取消")
    na.add_argument("item", help="目录事项编号")
    na.add_argument("--reason", metavar="理由")
    na.add_argument("--off", action="store_true", help="取消不涉及")
    na.set_defaults(handler=cmd_plan_na)
    st = group.add_parser("set", help="设定目录未写明的公开周期和截止方式")
    st.add_argument("item", help="目录事项编号")
    st.add_argument("--period", metavar="周期", help="每月、每季度、每半年、每年、长期、随事项发生")
    st.add_argument("--due", metavar="截止", help="end、+10wd、+15d、03-31 或 03-end")
    st.add_argument("--clear", action="store_true", help="恢复按目录计算")
    st.set_defaults(handler=cmd_plan_set)
    cf = group.add_parser("confirm", help="复核长期公开：公开栏仍在张贴（附照片）")
    cf.add_argument("item", help="目录事项编号")
    cf.add_argument("--date", type=day_of("复核日期"), metavar="日期")
    cf.add_argument("--board", metavar="公开栏")
    cf.add_argument("--photo", metavar="FILE")
    cf.add_argument("--note", metavar="说明")
    cf.set_defaults(handler=cmd_plan_confirm)
    sm = group.add_parser("standing-months", help="长期公开事项多久复核一次")
    sm.add_argument("months", type=count(1, 12, "复核周期"), metavar="1|3|6|12")
    sm.add_argument("--item", metavar="事项编号", help="只设这一事项（默认全镇）")
    sm.set_defaults(handler=cmd_plan_months)
    sc = group.add_parser("since", help="计划从哪天起计算（开始用工作台之前到期的不列出）")
    sc.add_argument("day", nargs="?", type=day_of("起算日期"), metavar="日期")
    sc.add_argument("--off", action="store_true", help="取消起算日期")
    sc.set_defaults(handler=cmd_plan_since)
