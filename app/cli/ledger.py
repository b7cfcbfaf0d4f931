"""``gongkai ledger export FILE.xlsx [--year YYYY] [--quarter 1-4] [--domain 名称] [--json]``.

What the workbook holds (the notice sheets and the sheets added after them) is
:func:`app.reports.ledger_view.export_view`, the same call the 台账 page makes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.shape import Subcommands, count, print_json, year
from app.reports import ledger
from app.reports.ledger_view import export_view
from app.store import Store


def cmd_ledger_export(store: Store, args: argparse.Namespace) -> int:
    """``ledger export``: the 台账 workbook of a year (quarter, domain)."""
    path = ledger.check_target(Path(args.file))
    flt = ledger.make_filter(store, args.year, args.quarter, args.domain)
    done = export_view(store, path, flt)
    if args.json:
        print_json(done.to_json())
    else:
        print(done.summary_line())
    return 0


def register(sub: Subcommands) -> None:
    """Add ``ledger export``."""
    group = sub.add_parser("ledger", help="台账").add_subparsers(dest="action", required=True)
    p = group.add_parser("export", help="导出台账（.xlsx）：汇总表、公开覆盖和各领域明细")
    p.add_argument("file", help="保存为哪个 .xlsx 文件")
    # app.reports.ledger checks them again (a year not yet begun) for the 台账 page.
    p.add_argument("--year", type=year, metavar="YYYY", help="信息形成的年份（默认今年）")
    p.add_argument("--quarter", type=count(1, 4, "季度"), metavar="1-4", help="只导出这一季度")
    p.add_argument("--domain", metavar="名称", help="只导出这个领域（别名也可）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_ledger_export)
