"""The county's catalog as townships pull it: every load is a new version number.

A load is the whole county catalog (a JSON list of CONTRACT "Catalog item"
objects), checked item by item and stored whole; ``GET /catalog?after=V``
answers with the newest version's full list when it is newer than ``V``, so a
township that skipped versions still gets everything, and previews it against
its own catalog before anything is replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.catalog.item import CatalogItem
from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.schema import catalog_versions


def check_items(data: Any) -> list[dict[str, Any]]:
    """The catalog items of a load, normalised to the CONTRACT shape, or Refused.

    ``data`` is the list of items, or a catalog a township wrote with
    ``gongkai catalog export FILE.json`` (its ``items``): counties often start
    from one township's catalog and revise it.
    """
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list) or not data:
        raise Refused(422, "目录文件应是一个非空的 JSON 列表，每项是一个目录事项。")
    items, seen = [], set()
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) and entry[k].strip()
                for k in ("id", "domain", "level1")):
            raise Refused(422, f"第{n}项缺少 id、domain 或 level1。")
        try:
            item = CatalogItem.from_json(entry)
        except (TypeError, ValueError) as exc:
            raise Refused(422, f"第{n}项（{entry['id']}）格式不对。") from exc
        if item.id in seen:
            raise Refused(422, f"目录编号 {item.id} 出现了两次。")
        seen.add(item.id)
        items.append(item.to_json())
    return items


def load_catalog(db: Database, data: Any, source: str = "") -> int:
    """Store a whole catalog as the next version; returns its number."""
    items = check_items(data)
    with db.write() as conn:
        result = conn.execute(catalog_versions.insert().values(
            loaded=now_iso(), source=source, count=len(items),
            document=json.dumps(items, ensure_ascii=False)))
        key = result.inserted_primary_key
        assert key is not None  # a one-row insert always reports its key
        return int(key[0])


def load_catalog_file(db: Database, path: Path) -> int:
    """``gongkai-county catalog load FILE.json``."""
    return load_catalog(db, read_json(path, "目录文件"), Path(path).name)


#: A county catalog of every domain is well under a megabyte; 20 MB is far past any.
_MAX_JSON_BYTES = 20_000_000


def read_json(path: Path, what: str) -> Any:
    """A JSON file, or Refused with one sentence naming ``what`` it should have been."""
    try:
        if Path(path).stat().st_size > _MAX_JSON_BYTES:
            raise Refused(413, f"{what}太大了（超过{_MAX_JSON_BYTES // 1_000_000} MB）。")
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise Refused(404, f"找不到{what} {Path(path).name}。") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise Refused(422, f"无法读取{what}，请确认它是 UTF-8 编码的 JSON。") from exc


def catalog_after(db: Database, after: int) -> dict[str, Any]:
    """``{"version": V, "items": [...]}``: the newest catalog if newer than ``after``."""
    with db.read() as conn:
        row = conn.execute(select(catalog_versions.c.version, catalog_versions.c.document)
                           .order_by(catalog_versions.c.version.desc()).limit(1)).first()
    if row is None:
        return {"version": 0, "items": []}
    if row.version <= after:
        return {"version": int(row.version), "items": []}
    return {"version": int(row.version), "items": json.loads(row.document)}
