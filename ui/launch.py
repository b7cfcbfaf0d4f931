"""The ``gongkai`` console script: the GUI when asked for, the plain CLI otherwise.

Qt is imported only when a window is wanted, so scripts that call the command
line never pay for it (and app/ never imports Qt at all).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # as early as our code runs: `gui --smoke` counts from here

import argparse  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from app.cli.main import guarded, run  # noqa: E402


def _gui(args: argparse.Namespace) -> int:
    from ui.main import run_gui

    return run_gui(data_dir=args.data_dir, smoke=args.smoke, started=STARTED)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``gongkai``."""
    sys.exit(guarded(lambda: run(argv, gui=_gui)))


if __name__ == "__main__":
    main()
