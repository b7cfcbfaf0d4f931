"""The county's scoring rules (考核细则) as townships pull them: every publish a new version.

The county checks what it can without the township's counting: the file is
UTF-8 TOML of at most 64 KB with a ``[rules]`` name, a ``max`` and at least one
``[[indicator]]`` with a ``key`` and ``counts``. Each township checks every
indicator again when the offer arrives (``gongkai assess rules offer``) and
refuses, in one sentence, what it cannot count; staff publish what
``gongkai assess rules load`` accepts on a desk. ``GET /rules?after=V`` answers
with the newest version's whole text when it is newer than ``V``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.schema import scoring_rules

#: The township's own cap (app/assessment/rules.py MAX_BYTES): the two must agree.
MAX_BYTES = 64 * 1024


def check_rules(raw: bytes) -> tuple[str, str]:
    """The rules file's text and name, or Refused with one sentence."""
    if len(raw) > MAX_BYTES:
        raise Refused(413, f"考核细则文件超过{MAX_BYTES // 1024}KB。")
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise Refused(422, "考核细则文件应是 UTF-8 编码的 TOML。") from exc
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise Refused(422, "考核细则文件不是有效的 TOML。") from exc
    header = data.get("rules")
    if not isinstance(header, dict):
        header = {}
    name = header.get("name")
    if not isinstance(name, str) or not name.strip() or "max" not in header:
        raise Refused(422, "考核细则文件缺少 [rules] 部分的 name 或 max。")
    indicators = data.get("indicator")
    if not isinstance(indicators, list) or not indicators or not all(
            isinstance(i, dict) and isinstance(i.get("key"), str)
            and isinstance(i.get("counts"), str) for i in indicators):
        raise Refused(422, "考核细则文件应有至少一个带 key 和 counts 的 [[indicator]]。")
    return text, " ".join(name.split())[:80]


def publish_rules(db: Database, raw: bytes, source: str = "") -> int:
    """Store a rules file as the next version; returns its number."""
    text, name = check_rules(raw)
    with db.write() as conn:
        result = conn.execute(scoring_rules.insert().values(
            name=name, loaded=now_iso(), source=source, body=text))
        key = result.inserted_primary_key
        assert key is not None  # a one-row insert always reports its key
        return int(key[0])


def publish_rules_file(db: Database, path: Path) -> int:
    """``gongkai-county rules publish FILE.toml``."""
    try:
        if Path(path).stat().st_size > MAX_BYTES:
            raise Refused(413, f"考核细则文件超过{MAX_BYTES // 1024}KB。")
        raw = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise Refused(404, f"找不到考核细则文件 {Path(path).name}。") from exc
    except OSError as exc:
        raise Refused(422, f"无法读取考核细则文件 {Path(path).name}。") from exc
    return publish_rules(db, raw, Path(path).name)


def rules_after(db: Database, after: int) -> dict[str, Any]:
    """``{"version": V, "name": …, "body": …}``: the newest rules if newer than ``after``."""
    with db.read() as conn:
        row = conn.execute(select(scoring_rules.c.version, scoring_rules.c.name,
                                  scoring_rules.c.body)
                           .order_by(scoring_rules.c.version.desc()).limit(1)).first()
    if row is None:
        return {"version": 0, "name": "", "body": ""}
    if row.version <= after:
        return {"version": int(row.version), "name": row.name, "body": ""}
    return {"version": int(row.version), "name": row.name, "body": row.body}
