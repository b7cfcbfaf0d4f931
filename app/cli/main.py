"""The ``gongkai`` command line (CONTRACT.md). No Qt here: ``gui`` is started by ui.launch.

Exit codes: 0 done; 1 input refused (one Chinese line on stderr, nothing
changed); 2 wrong usage (argparse's own exit code, its message in Chinese).
Nothing else leaves: an error nobody foresaw (a RecursionError, an overflow,
SQLite's own) is one sentence on stderr and exit code 1, its traceback in the
data folder's log (:func:`guarded`).

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
from pathlib import Path

from app import __version__
from app.cli.shape import Parser
from app.errors import FILE_ERROR, UserError

log = logging.getLogger(__name__)

#: What the clerk reads when something went wrong that no check foresaw.
UNEXPECTED = "程序出现了意外的错误，操作未完成，详情已写入日志。"
#: What the clerk reads after pressing Ctrl+C.
INTERRUPTED = "操作已中断，没有完成的改动未写入。"
#: What a database error is called (locked or full, or anything else SQLite says).
DB_BUSY = "数据文件正被占用或磁盘已满，操作未完成，请稍后再试。"
DB_ERROR = "数据文件出错，操作未完成，详情已写入日志。"

#: Every command of ``gongkai`` and the module of app/cli that registers it. The
#: order of the modules' first appearance is the order ``gongkai --help`` lists them.
COMMANDS = {
    "gui": "desk", "init": "desk", "backup": "desk", "restore": "desk", "check": "desk",
    "catalog": "catalog", "workdays": "workdays", "notice": "notices", "due": "due",
    "request": "requests", "boards": "settings", "template": "settings",
    "review-steps": "settings", "proofread-whitelist": "settings",
    "proofread-phrases": "settings", "sync": "sync",
    "ledger": "ledger", "report": "report", "plan": "plan", "assess": "assess",
    "rectify": "rectify", "evidence": "evidence",
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
    parser = Parser(prog="gongkai", description="乡镇政务公开工作台")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--data-dir", help="数据文件夹（默认：GONGKAI_HOME 或用户数据目录）")
    sub = parser.add_subparsers(dest="command")
    names = needed_modules(argv) if argv is not None else MODULES
    for name in names:
        importlib.import_module(f"app.cli.{name}").register(sub)
    return parser


def one_line(text: str) -> str:
    """``text`` on one line: a refusal that repeats what was typed may repeat a line break."""
    return " ".join(text.splitlines())


def _refused(what: str, err: UserError) -> int:
    log.warning("%s refused: %s (%s)", what, err, err.detail)
    print(one_line(str(err)), file=sys.stderr)
    return 1


def run(argv: Sequence[str] | None = None, gui: Callable[[argparse.Namespace], int] | None = None
        ) -> int:
    """Run one command and return its exit code; ``gui`` starts the window when asked for."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        # A number or date out of range is refused while parsing (app.cli.shape).
        args = build_parser(argv).parse_args(argv)
    except UserError as err:
        return _refused("arguments", err)
    if args.command in (None, "gui"):
        if gui is None:
            print("图形界面需要通过 gongkai 命令启动。", file=sys.stderr)
            return 2
        args.smoke = getattr(args, "smoke", False)
        return gui(args)
    folder_handler = getattr(args, "folder_handler", None)
    if folder_handler is not None:
        return _on_folder(args, folder_handler)
    # Imported once the command is known: --version and the GUI never open it here.
    from app.desk import open_desk

    try:
        store = open_desk(args.data_dir)
    except UserError as err:
        return _refused("open", err)
    except OSError:
        return _no_folder()
    try:
        return _answered(args.command, lambda: int(args.handler(store, args)))
    finally:
        store.close()


def _no_folder() -> int:
    log.exception("cannot open the data folder")
    print("无法打开数据文件夹（路径不对、不可写或磁盘已满），请检查 --data-dir 给出的文件夹。",
          file=sys.stderr)
    return 1


def _on_folder(args: argparse.Namespace,
               handler: Callable[[Path, argparse.Namespace], int]) -> int:
    """A command that works on the data folder itself (``restore``: its database may not open)."""
    from app import logs, paths

    try:
        folder = paths.data_dir(args.data_dir)
    except OSError:
        return _no_folder()
    logs.setup(folder)
    return _answered(args.command, lambda: int(handler(folder, args)))


def _answered(command: str, call: Callable[[], int]) -> int:
    """Run a command's handler: a refusal, a file's or the database's error is one sentence."""
    try:
        return call()
    except UserError as err:
        return _refused(command, err)
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            raise  # a reader that stopped early: guarded() handles it quietly
        log.exception("file error")
        print(FILE_ERROR, file=sys.stderr)
        return 1
    except sqlite3.Error as err:
        log.exception("database error")
        busy = isinstance(err, sqlite3.OperationalError) and (
            "locked" in str(err) or "full" in str(err))
        print(DB_BUSY if busy else DB_ERROR, file=sys.stderr)
        return 1


def guarded(code: Callable[[], int]) -> int:
    """Run a command: a reader that stops early (``| head``) is not an error, and whatever
    else escapes is one sentence on stderr and exit code 1, never a traceback."""
    root = logging.getLogger()
    if not root.handlers:
        # Until the data folder's log is set up, Python would print warnings and
        # tracebacks on stderr (logging's last resort): the clerk gets one sentence.
        root.addHandler(logging.NullHandler())
    try:
        return code()
    except BrokenPipeError:
        # Python would complain again while flushing stdout at exit; point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 1
    except UserError as err:  # raised outside run()'s own guard (the window's start …)
        return _refused("command", err)
    except Exception:
        # A RecursionError (a catalog nested 100,000 deep), an OverflowError (a date past
        # 9999), an sqlite3 error outside a command, or whatever nobody has met yet.
        log.exception("unexpected error")
        print(UNEXPECTED, file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry for the command line without the GUI."""
    sys.exit(guarded(lambda: run(argv)))


if __name__ == "__main__":
    main()
