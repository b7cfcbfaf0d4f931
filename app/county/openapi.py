"""The OpenAPI document of the county API, kept in the repository as docs/county-openapi.json.

``python -m app.county.openapi`` rewrites it from the FastAPI app;
``python -m app.county.openapi --check`` exits 1 if it is out of date (a test
runs the same comparison).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.county.api import create_app

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "county-openapi.json"


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as the app describes itself."""
    return create_app(None).openapi()


def render() -> str:
    """The document as it is written to docs/ (stable key order, readable Chinese)."""
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the document, or with ``--check`` say whether the kept one is current."""
    parser = argparse.ArgumentParser(prog="python -m app.county.openapi")
    parser.add_argument("--check", action="store_true", help="只检查，不写入")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
        if current != text:
            print(f"{DOCUMENT} 已过期，请运行 python -m app.county.openapi 重新生成。",
                  file=sys.stderr)
            return 1
        return 0
    DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT.write_text(text, encoding="utf-8")
    print(f"已写入 {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
