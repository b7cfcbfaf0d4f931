"""The ``gongkai`` command line (CONTRACT.md). No Qt here: ``gui`` is started by ui.launch.

Exit codes: 0 done; 1 input refused (one Chinese line on stderr, nothing
changed); 2 wrong usage (argparse's own exit code).

Each command lives in the module of app/cli named for its part of the work
(:data:`COMMANDS`), which registers it the same way (:mod:`app.cli.shape`).
Only the module of the command given is imported, so ``gongkai --version``
or ``gongkai catalog domains`` does not pay for the ledger's spreadsheet
library or the county's HTTP client.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence

from app import __version__
from app.errors import FILE_ERROR, UserError

log = logging.getLogger(__name__)

#: Every command of ``gongkai`` and the module of app/cli that registers it. The
#: order of the modules' first appearance is the order ``gongkai --help`` lists them.
COMMANDS = {
    "gui": "desk", "init": "desk", "backup": "desk", "check": "desk",
    "catalog": "catalog", "workdays": "workdays", "notice": "notices", "due": "due",
    "request": "requests", "boards": "settings", "template": "settings",
    "review-steps": "settings", "sync": "sync", "ledger": "ledger", "report": "report",
}
#: Every command module once, in that order.
MODULES = tuple(dict.fromkeys(COMMANDS.values()))
#: The options before the command that take a value (argparse also accepts a prefix).
_VALUED = ("--data-dir",)


def _is_option(word: str, option: str) -> bool:
    # argparse takes any unambiguous prefix of a long option: --data for --data-dir.
    return word == option or (len(word) > 2 and "=" not in word and option.startswith(word))


def needed_modules(argv: Sequence[str]) -> list[str]:
    """The command modules ``argv`` needs: its command's, or all of them to list or refuse.

    ``--data-dir D catalog list`` needs ``catalog``; ``--version`` and the bare
    ``gongkai`` (the window) need none; ``--help`` before any command, or a word
    that is no command, needs all (argparse lists them).
    """
    every = list(MODULES)
    words = iter(argv)
    for word in words:
        if word == "-h" or _is_option(word, "--help"):
            return every
        if word == "--":
            word = next(words, "")
        elif word.startswith("-") and word != "-":
            if any(_is_option(word, option) for option in _VALUED):
                next(words, None)
            continue
        return [COMMANDS[word]] if word in COMMANDS else every
    return []


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``gongkai``, with the commands that ``argv`` may need.

    Without ``argv`` (None), every command is registered.
    """
    parser = argparse.ArgumentParser(prog="gongkai", description="乡镇政务公开工作台")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    parser.add_argument("--data-dir", help="数据文件夹（默认：GONGKAI_HOME 或用户数据目录）")
    sub = parser.add_subparsers(dest="command")
    names = needed_modules(argv) if argv is not None else MODULES
    for name in names:
        importlib.import_module(f"app.cli.{name}").register(sub)
    return parser


def run(argv: Sequence[str] | None = None, gui: Callable[[argparse.Namespace], int] | None = None
        ) -> int:
    """Run one command and return its exit code; ``gui`` starts the window when asked for."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    if args.command in (None, "gui"):
        if gui is None:
            print("图形界面需要通过 gongkai 命令启动。", file=sys.stderr)
            return 2
        args.smoke = getattr(args, "smoke", False)
        return gui(args)
    # Imported once the command is known: --version and the GUI never open it here.
    from app.desk import open_desk

    try:
        store = open_desk(args.data_dir)
    except UserError as err:
        log.warning("open refused: %s (%s)", err, err.detail)
        print(str(err), file=sys.stderr)
        return 1
    try:
        return int(args.handler(store, args))
    except UserError as err:
        log.warning("%s refused: %s (%s)", args.command, err, err.detail)
        print(str(err), file=sys.stderr)
        return 1
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            raise  # a reader that stopped early: guarded() handles it quietly
        log.exception("file error")
        print(FILE_ERROR, file=sys.stderr)
        return 1
    except sqlite3.OperationalError as err:
        log.exception("database error")
        msg = "数据文件正被占用或磁盘已满，操作未完成，请稍后再试。"
        print(msg if "locked" in str(err) or "full" in str(err) else
              "数据文件出错，操作未完成，详情已写入日志。", file=sys.stderr)
        return 1
    finally:
        store.close()


def guarded(code: Callable[[], int]) -> int:
    """Run a command; a reader that stops early (``| head``) is not an error."""
    try:
        return code()
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry for the command line without the GUI."""
    sys.exit(guarded(lambda: run(argv)))


if __name__ == "__main__":
    main()
