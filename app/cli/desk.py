"""``gongkai gui|init|backup|restore|check``: the window, the township's name, the data file.

``gui`` only parses here: the window is ui's, started by ui.launch through
:func:`app.cli.main.run`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app import backups
from app.cli.shape import Subcommands, print_json
from app.errors import UserError
from app.store import Store
from app.township import set_township


def cmd_init(store: Store, args: argparse.Namespace) -> int:
    """``gongkai init``: name the township and its county."""
    info = set_township(store, args.township, args.county, args.phone)
    phone = f"，监督电话 {info.phone}" if info.phone else ""
    print(f"已设置：{info.county}{info.township}{phone}")
    return 0


def cmd_backup(store: Store, args: argparse.Namespace) -> int:
    """``backup [--out FILE]``: elsewhere than ``backups/``, with the photos and case files."""
    path = backups.take_backup(store, Path(args.out) if args.out else None)
    print(f"已备份到 {path}")
    return 0


def cmd_restore(folder: Path, args: argparse.Namespace) -> int:
    """``restore FILE [--json]``: run on the folder, not an opened store.

    The desk being restored may be the one that no longer opens.
    """
    restored = backups.restore(folder, Path(args.file))
    if args.json:
        print_json(restored.as_json())
    else:
        print(restored.sentence())
    return 0


def cmd_check(store: Store, args: argparse.Namespace) -> int:
    """``check``: SQLite's integrity and foreign-key checks."""
    integrity = store.scalar("PRAGMA integrity_check")
    broken = store.query("PRAGMA foreign_key_check")
    if integrity != "ok" or broken:
        raise UserError("数据文件检查未通过，请从最近的备份恢复，并联系技术人员。",
                        f"{integrity}; {len(broken)} foreign key problems")
    counts = store.table_counts()
    print("数据文件完好。" + "，".join(f"{name} {n} 行" for name, n in counts.items()
                               if name in ("catalog_items", "domains", "catalog_versions")))
    return 0


def register(sub: Subcommands) -> None:
    """Add ``gui``, ``init``, ``backup``, ``restore`` and ``check``."""
    p = sub.add_parser("gui", help="打开工作台窗口")
    p.add_argument("--smoke", action="store_true", help="打开主窗口，数据就绪后报告用时并退出")

    p = sub.add_parser("init", help="设置乡镇和县名称")
    p.add_argument("--township", required=True)
    p.add_argument("--county", required=True)
    p.add_argument("--phone")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("backup", help="备份数据")
    p.add_argument("--out")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="从备份恢复（先备份当前数据）")
    p.add_argument("file", metavar="FILE", help="备份文件，或 backups 文件夹里的备份文件名")
    p.add_argument("--json", action="store_true")
    p.set_defaults(folder_handler=cmd_restore)
    p = sub.add_parser("check", help="检查数据文件")
    p.set_defaults(handler=cmd_check)
