"""``gongkai due``: overdue and due-soon work, as the 工作台 lists it."""

from __future__ import annotations

import argparse

from app.cli.shape import Subcommands, print_json
from app.reports import due
from app.store import Store


def cmd_due(store: Store, args: argparse.Namespace) -> int:
    """``due``: overdue and due-soon work."""
    lines = due.due_lines(store)
    if args.json:
        print_json([line.to_json() for line in lines])
    elif not lines:
        print("没有逾期或临近期限的工作。")
    else:
        for line in lines:
            print(f"【{line.label}】{line.title}：{line.detail}"
                  + ("" if line.request_id or line.problem_id
                     else f"（{line.item_id or line.notice_id[:8]}）"))
    return 0

def register(sub: Subcommands) -> None:
    """Add ``due``."""
    p = sub.add_parser("due", help="逾期和临近期限的工作")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_due)
