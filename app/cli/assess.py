"""``gongkai assess``: the score the county's rules give the desk's records, and the rules.

```
gongkai assess [--year YYYY] [--quarter N] [--json]    the score, each deduction and its records
gongkai assess rules load FILE [--json]                keep a rules file as the active one
gongkai assess rules show [--json]                     the active rules and every one loaded
gongkai assess rules offer [--apply | --decline] [--json]
        the rules the county published (kept by ``sync pull``): what they change, then take
        them or set them aside
gongkai assess annual-report YEAR --published DATE     the day that year's 年度报告 went out
gongkai assess annual-report YEAR --off                it has not (the record is cleared)
```
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.assessment import assess, rules
from app.cli.shape import Subcommands, count, day_of, print_json, year
from app.errors import UserError
from app.store import Store


def _points(value: float) -> str:
    return f"{value:g}"


def cmd_assess(store: Store, args: argparse.Namespace) -> int:
    """``assess``: the score and every deduction with the records that cause it."""
    result = assess.assess(store, args.year, quarter=args.quarter)
    if args.json:
        print_json(result.to_json())
        return 0
    period = f"{result.year}年" + (f"第{result.quarter}季度" if result.quarter else "")
    print(f"{period}考核自评：{_points(result.score)}分（满分{_points(result.max)}分，"
          f"扣{_points(result.lost)}分），按「{result.rules_label}」计算")
    if result.example:
        print("注意：尚未载入县里的考核细则，以上按工作台自带的示例细则计算，仅供参考。")
    if not result.deductions:
        print("工作台记录中没有需要扣分的情况。")
    for d in result.deductions:
        print(f"【{d.section}】{d.name}：扣{_points(d.points)}分（{len(d.records)}条记录）")
        for r in d.records:
            print(f"    {r.id}  {r.label}")
    return 0


def _show(r: rules.Rules) -> None:
    year_words = f"{r.year}年，" if r.year else ""
    print(f"{r.label}（{year_words}满分{_points(r.max)}分，{len(r.indicators)}个指标）")
    for i in r.indicators:
        per = "" if i.per == i.points else f"，每条扣{_points(i.per)}分"
        print(f"  {i.key}  【{i.section}】{i.name}：最多扣{_points(i.points)}分{per}"
              f"（{assess.COUNTERS[i.counts][0]}）")


def cmd_rules_load(store: Store, args: argparse.Namespace) -> int:
    """``assess rules load``: check a rules file and keep it as the active one."""
    loaded = rules.load_rules_file(store, Path(args.file))
    if args.json:
        print_json(loaded.to_json())
        return 0
    print(f"已载入考核细则「{loaded.label}」，共{len(loaded.indicators)}个指标，"
          "此后的自评按它计算。")
    return 0


def cmd_rules_show(store: Store, args: argparse.Namespace) -> int:
    """``assess rules show``: the active rules, and every file loaded before."""
    active = rules.active_rules(store)
    history = rules.loaded_rules(store)
    if args.json:
        print_json({"active": active.to_json(), "loaded": history})
        return 0
    _show(active)
    if active.example:
        print("（这是工作台自带的示例，不是县里的正式细则；用 gongkai assess rules load 载入）")
    for h in history:
        print(f"  #{h['id']} {h['loaded_at'][:10]} {h['label']}（{h['origin']}）"
              + ("  ← 正在使用" if h["active"] else ""))
    return 0


def cmd_rules_offer(store: Store, args: argparse.Namespace) -> int:
    """``assess rules offer``: preview the county's rules, or take them, or set them aside."""
    if args.apply and args.decline:
        raise UserError("--apply 和 --decline 只能选一个。")
    if args.decline:
        offer = rules.decline_offer(store)
        if args.json:
            print_json({"declined": offer.to_json()})
        else:
            print(f"已暂不采用{offer.title}，继续按现在的考核细则计算。")
        return 0
    if args.apply:
        taken = rules.take_offer(store)
        if args.json:
            print_json(taken.to_json())
        else:
            print(f"已采用县里下发的考核细则「{taken.label}」，此后的自评按它计算。")
        return 0
    preview = rules.preview_offer(store)
    if args.json:
        print_json(preview.to_json())
        return 0
    print(f"预览（尚未采用）：{preview.offer.title}，现在使用「{preview.current.label}」")
    if preview.problem:
        print(f"工作台无法使用这份细则：{preview.problem}")
        print("可用 gongkai assess rules offer --decline 暂不采用，并请县政务公开办重新下发。")
        return 0
    if not preview.changes:
        print("与现在使用的细则相同。")
    for change in preview.changes:
        print(f"  {change.line()}")
    print("确认后运行 gongkai assess rules offer --apply 采用，或 --decline 暂不采用。")
    return 0


def cmd_annual(store: Store, args: argparse.Namespace) -> int:
    """``assess annual-report``: record the day a year's 年度报告 was published."""
    if args.off == bool(args.published):
        raise UserError("请用 --published 写明发布日期，或用 --off 取消记录。")
    published = None if args.off else date.fromisoformat(args.published)
    assess.record_annual_report(store, args.year, published)
    if published is None:
        print(f"已取消{args.year}年度报告的发布记录。")
    else:
        due = assess.annual_report_due(args.year)
        late = "，晚于" if published > due else "，未晚于"
        print(f"已记录{args.year}年度报告于{published}发布{late}{due}的期限。")
    return 0


def register(sub: Subcommands) -> None:
    """Add ``assess`` and its actions."""
    p = sub.add_parser("assess", help="考核自评：按县里的考核细则计算得分和扣分记录")
    p.add_argument("--year", type=year, metavar="YYYY", help="哪一年（默认今年）")
    p.add_argument("--quarter", type=count(1, 4, "季度"), metavar="N", help="只算这一季度（1-4）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_assess)
    group = p.add_subparsers(dest="action")
    r = group.add_parser("rules", help="考核细则：载入县里下发的文件，或查看正在使用的")
    actions = r.add_subparsers(dest="rules_action", required=True)
    load = actions.add_parser("load", help="载入考核细则文件（TOML）")
    load.add_argument("file", metavar="FILE")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=cmd_rules_load)
    show = actions.add_parser("show", help="正在使用的考核细则和载入记录")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_rules_show)
    offer = actions.add_parser("offer", help="县里下发的考核细则：预览改动，采用或暂不采用")
    offer.add_argument("--apply", action="store_true", help="采用")
    offer.add_argument("--decline", action="store_true", help="暂不采用")
    offer.add_argument("--json", action="store_true")
    offer.set_defaults(handler=cmd_rules_offer)
    a = group.add_parser("annual-report", help="记录上一年度政府信息公开工作年度报告的发布日期")
    a.add_argument("year", type=year, metavar="YYYY", help="报告所属年度")
    a.add_argument("--published", type=day_of("发布日期"), metavar="日期")
    a.add_argument("--off", action="store_true", help="取消记录（尚未发布）")
    a.set_defaults(handler=cmd_annual)
