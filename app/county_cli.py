"""The ``gongkai-county`` console script: the county's reference server (issue 5).

Only ``--version`` works in this release; the server, tokens, USB import and
statistics arrive with the sync issue. Until then every command says so plainly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``gongkai-county``."""
    parser = argparse.ArgumentParser(prog="gongkai-county",
                                     description="县级政务公开平台（参考实现）")
    parser.add_argument("--version", action="version", version=f"gongkai-county {__version__}")
    parser.add_argument("command", nargs="?", choices=["serve", "token", "import", "stats"])
    parser.parse_known_args(argv)
    print("县级服务端尚未提供，将在同步功能完成后随版本发布。", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
