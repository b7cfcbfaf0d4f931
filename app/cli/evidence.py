"""``gongkai evidence``: the 佐证材料 of a year or a quarter, as one PDF.

```
gongkai evidence [--year YYYY] [--quarter N] --out FILE.pdf [--json]
```

Prints the pages, the size and the time it took; a failure leaves no file
under FILE.pdf (:mod:`app.assessment.evidence`).
"""

from __future__ import annotations

import argparse
import sys

from app import clock
from app.cli.shape import Subcommands, count, print_json, year
from app.store import Store


def cmd_evidence(store: Store, args: argparse.Namespace) -> int:
    """``evidence``: write the file, say what is in it."""
    # reportlab and Pillow load only for the command that writes the file.
    from app.assessment.evidence import build_evidence

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r正在生成佐证材料…… {done}/{total}", end="", file=sys.stderr, flush=True)

    built = build_evidence(store, args.out, args.year or clock.today().year, args.quarter,
                           report=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(built.to_json())
    else:
        print(built.summary())
    return 0


def register(sub: Subcommands) -> None:
    """Add ``evidence``."""
    p = sub.add_parser("evidence", help="生成考核佐证材料（一个 PDF 文件）")
    p.add_argument("--year", type=year, metavar="YYYY", help="年度（默认今年）")
    p.add_argument("--quarter", type=count(1, 4, "季度"), metavar="N",
                   help="只要一个季度（1到4）")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="保存为哪个 .pdf 文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出页数、大小和用时")
    p.set_defaults(handler=cmd_evidence)
