"""The county's totals (``gongkai-county stats``), and per township for the staff page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from app.county.database import Database
from app.county.schema import batches, blobs, notices, townships


def stats(db: Database) -> dict[str, int]:
    """Townships, distinct notices, batches, distinct stored attachments and their bytes,
    how many notices stand published or returned, how many are 不上网 (``offline_only``)
    and how many came as metadata only."""
    with db.read() as conn:
        def count(table: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

        published, returned, offline, bare = conn.execute(select(
            func.coalesce(func.sum(case((notices.c.state == "published", 1), else_=0)), 0),
            func.coalesce(func.sum(case((notices.c.state == "returned", 1), else_=0)), 0),
            func.coalesce(func.sum(notices.c.offline_only), 0),
            func.coalesce(func.sum(notices.c.metadata_only), 0),
        )).one()
        size = conn.execute(select(func.coalesce(func.sum(blobs.c.size), 0))).scalar_one()
        return {"townships": count(townships), "notices": count(notices),
                "batches": count(batches), "attachments": count(blobs), "bytes": int(size),
                "published": int(published), "returned": int(returned),
                "offline_only": int(offline), "metadata_only": int(bare)}


def township_summaries(db: Database) -> list[dict[str, Any]]:
    """Per township: id, name, notices, received/published/returned, last received."""
    state = notices.c.state
    with db.read() as conn:
        rows = conn.execute(
            select(townships.c.id, townships.c.name,
                   func.count(notices.c.notice_id).label("notices"),
                   func.coalesce(func.sum(case((state == "received", 1), else_=0)), 0)
                   .label("received"),
                   func.coalesce(func.sum(case((state == "published", 1), else_=0)), 0)
                   .label("published"),
                   func.coalesce(func.sum(case((state == "returned", 1), else_=0)), 0)
                   .label("returned"),
                   func.max(notices.c.received).label("last"))
            .select_from(townships.outerjoin(notices, notices.c.township_id == townships.c.id))
            .group_by(townships.c.id, townships.c.name).order_by(townships.c.name)).all()
    return [{k: (int(v) if k in ("id", "notices", "received", "published", "returned")
                 else v) for k, v in r._mapping.items()} for r in rows]
