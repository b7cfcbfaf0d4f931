"""What every command module of app/cli shares: how it registers, what a handler is, JSON out,
and how a number or a date typed on the command line is read.

A command module is named for a part of the clerk's work and has one
``register(sub)`` that adds its top-level commands to ``gongkai``'s
subcommands; each command's parser names its handler with
``set_defaults(handler=...)``. A handler takes the opened store and the parsed
arguments, prints for people (or JSON with ``--json``) and returns the exit
code; a refusal is a :class:`app.errors.UserError`, which
:func:`app.cli.main.run` turns into one sentence and exit code 1.

Every argument that is a number or a date is read by one of the ``type=``
functions here (:func:`day`, :func:`count`, :func:`year`, :func:`revision`),
so it is range-checked once, where it is parsed. They raise
:class:`~app.errors.UserError`, not argparse's error: a value out of range is
refused input (exit 1, one sentence), while a command written wrongly (a
missing argument, an unknown option, a word not among the choices) is argparse's
usage error (exit 2), told in Chinese by :class:`Parser`. The app functions
behind the commands keep their own checks for what the GUI sends.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, NoReturn, TypeAlias

from app.errors import UserError
from app.store import Store
from app.workdays import FIRST_DAY, LAST_DAY, check_day, parse_date
from resources import RESOURCES

#: The ``add_parser`` side of ``gongkai``'s subcommands, as ``register`` receives it.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: A command: the open store and the parsed arguments in, the exit code out.
Handler = Callable[[Store, argparse.Namespace], int]

#: The highest revision number a notice or catalog item is asked for: far past any real
#: history, and well inside SQLite's 64-bit integers (a 20-digit number overflowed them).
MAX_REVISION = 1_000_000


def print_json(data: Any) -> None:
    """``--json`` output: UTF-8 as it is (no \\u escapes), indented for a person reading it."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- numbers and dates ---------------------------------------------------------------------

def shown(text: str, most: int = 24) -> str:
    """What was typed, as a refusal repeats it: on one line, and cut short past ``most``."""
    flat = " ".join(str(text).splitlines())
    return flat if len(flat) <= most else flat[:most] + "…"


def _plain(text: str) -> str:
    # Full-width digits and dashes (２０２６－１１－２３) are what a Chinese input method types.
    return unicodedata.normalize("NFKC", str(text)).strip()


def day_of(what: str) -> Callable[[str], str]:
    """A ``type=`` for a date named ``what`` (信息形成日期 …): its ISO text, within the years
    the program holds (2000-01-01 to 2099-12-31, :data:`app.workdays.FIRST_DAY`)."""
    def parse(text: str) -> str:
        try:
            return check_day(parse_date(_plain(text)), what).isoformat()
        except UserError as err:
            if len(text) <= 24:
                raise
            raise UserError(f"{what}「{shown(text)}」不是日期，请写成 2026-11-23 这样的格式。",
                            err.detail) from err

    parse.__name__ = "day"  # what argparse would name in a message
    return parse


#: ``type=day`` for a date option: ``2026-11-23`` (ISO text out) between 2000 and 2099.
day = day_of("日期")


def count(lo: int, hi: int, what: str = "数目") -> Callable[[str], int]:
    """A ``type=`` for a whole number from ``lo`` to ``hi``, refused in one sentence otherwise."""
    def parse(text: str) -> int:
        value = _plain(text)
        # At most as many digits as ``hi`` has: int() of a million digits is slow, and
        # Python refuses ever longer ones with a ValueError of its own.
        digits = len(str(hi))
        if not re.fullmatch(rf"[0-9]{{1,{digits}}}", value) or not lo <= int(value) <= hi:
            raise UserError(f"{what}「{shown(text)}」不对，应为{lo}到{hi}之间的整数。")
        return int(value)

    parse.__name__ = "count"
    return parse


#: ``type=year``: a year of the program's calendar (2000 to 2099).
year = count(FIRST_DAY.year, LAST_DAY.year, "年份")
#: ``type=revision``: a notice's or catalog item's revision, 1 or more.
revision = count(1, MAX_REVISION, "版本号")


# -- usage errors in Chinese -----------------------------------------------------------------

@cache
def _words() -> dict[str, Any]:
    """resources/cli_usage.toml: argparse's messages and headings in Chinese."""
    with open(RESOURCES / "cli_usage.toml", "rb") as file:
        return tomllib.load(file)


def usage_message(english: str) -> str:
    """One of argparse's usage messages in Chinese (the original after 命令写法不对 if unknown)."""
    for entry in _words()["message"]:
        match = re.fullmatch(entry["english"], english, flags=re.S)
        if match:
            parts = {k: (usage_message(v) if k == "inner" else v)
                     for k, v in match.groupdict().items()}
            return str(entry["chinese"]).format(**parts)
    return f"命令写法不对：{english}"


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with 用法： in place of ``usage:``."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        """The usage line, headed in Chinese."""
        super().add_usage(usage, actions, groups, _words()["help"]["usage"]
                          if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """``gongkai``'s parser: usage errors and the help's headings in Chinese (exit 2 as ever).

    Subcommands' parsers are of the same class (argparse passes it on).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        words = _words()["help"]
        self._positionals.title = words["positionals"]
        self._optionals.title = words["options"]
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = words["help"]

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message in Chinese on stderr, and exit with code 2."""
        self.print_usage(sys.stderr)
        said = " ".join(usage_message(message).splitlines())
        self.exit(2, f"{self.prog}：{_words()['help']['error']}：{said}\n")
