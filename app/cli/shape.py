"""What every command module of app/cli shares: how it registers, what a handler is, JSON out.

A command module is named for a part of the clerk's work and has one
``register(sub)`` that adds its top-level commands to ``gongkai``'s
subcommands; each command's parser names its handler with
``set_defaults(handler=...)``. A handler takes the opened store and the parsed
arguments, prints for people (or JSON with ``--json``) and returns the exit
code; a refusal is a :class:`app.errors.UserError`, which
:func:`app.cli.main.run` turns into one sentence and exit code 1.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TypeAlias

from app.store import Store

#: The ``add_parser`` side of ``gongkai``'s subcommands, as ``register`` receives it.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: A command: the open store and the parsed arguments in, the exit code out.
Handler = Callable[[Store, argparse.Namespace], int]


def print_json(data: Any) -> None:
    """``--json`` output: UTF-8 as it is (no \\u escapes), indented for a person reading it."""
    print(json.dumps(data, ensure_ascii=False, indent=2))
