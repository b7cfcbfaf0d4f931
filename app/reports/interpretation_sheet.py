"""政策解读 sheet of the 台账: per domain, the documents that should be interpreted (应解读),
those interpreted, those interpreted on time, and the ratios.

A :data:`app.reports.ledger.SheetSource`, run inside the ledger's snapshot; it is a
front sheet (right after 汇总 and 公开覆盖), kept for a one-domain filter too, and
written only where the filter holds a document marked 应解读.

What counts:

- **应解读**: a notice marked 应解读 (itself, or drafted from an item marked so),
  not withdrawn, formed in the filter's period (the ledger's own rule), of the
  filter's domain. A 解读 of a policy that is not on the desk has no parent here
  and is not counted.
- **已解读**: it has a 解读 that passed review (approved or published).
- **按时解读** (三同步): such a 解读 passed its last review step no later than the
  document did, and went up on a board no later than the document's first
  posting (when the document is up). A document not yet approved is not on time
  yet; one marked 应解读 only after it was approved is on time only if its 解读
  had passed before.
- **解读率** = 已解读 ÷ 应解读; **按时解读率** = 按时解读 ÷ 应解读 (— when none is due).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.reports.ledger import Column, LedgerFilter, Sheet
from app.store import Store
from app.township import get_township

SHEET_NAME = "政策解读"
TOTAL = "合计"

COLUMNS: tuple[Column, ...] = (
    Column("公开领域", 16),
    Column("应解读（件）", 12, "int"),
    Column("已解读（件）", 12, "int"),
    Column("按时解读（件）", 13, "int"),
    Column("解读率", 9, "percent"),
    Column("按时解读率", 10, "percent"),
    Column("未按时解读的文件", 48, "wrap"),
)

#: The 应解读 notices of the period, with the moment each passed its last step
#: (the last passed step of its current round) and its first posting.
_DOCUMENTS_SQL = """
SELECT n.id, d.name AS domain, d.position, v.title, n.status,
       CASE WHEN n.status IN ('approved', 'published') THEN
         (SELECT MAX(s.at) FROM review_steps s WHERE s.notice_id = n.id
           AND s.outcome = 'passed' AND s.round = n.review_round) END AS passed_at,
       (SELECT MIN(p.posted) FROM postings p WHERE p.notice_id = n.id) AS posted
FROM notices n
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
JOIN notice_revisions v ON v.notice_id = n.id AND v.rev = n.current_rev
WHERE n.interpret AND n.kind != '解读' AND n.status != 'withdrawn'
  AND n.formed >= :first AND n.formed < :end
  AND (:domain IS NULL OR d.name = :domain)
ORDER BY d.position, d.id, n.formed, n.id
"""

#: The 解读 that passed review, with when and their first posting.
_INTERPRETATIONS_SQL = """
SELECT n.explains,
       (SELECT MAX(s.at) FROM review_steps s WHERE s.notice_id = n.id
         AND s.outcome = 'passed' AND s.round = n.review_round) AS passed_at,
       (SELECT MIN(p.posted) FROM postings p WHERE p.notice_id = n.id) AS posted
FROM notices n
WHERE n.kind = '解读' AND n.explains IS NOT NULL AND n.status IN ('approved', 'published')
"""


@dataclass(frozen=True)
class DomainCount:
    """One line of the sheet: a domain's 应解读 documents and how they were interpreted."""

    domain: str
    due: int
    interpreted: int
    on_time: int
    late_titles: tuple[str, ...]

    @property
    def rate(self) -> float | None:
        """已解读 ÷ 应解读 (None when nothing was due)."""
        return self.interpreted / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        """按时解读 ÷ 应解读 (None when nothing was due)."""
        return self.on_time / self.due if self.due else None


def _on_time(doc: Any, interpretations: list[Any]) -> bool:
    if doc["passed_at"] is None:
        return False
    for i in interpretations:
        if i["passed_at"] is None or i["passed_at"] > doc["passed_at"]:
            continue
        if doc["posted"] and (i["posted"] is None or i["posted"] > doc["posted"]):
            continue
        return True
    return False


def read_counts(store: Store, flt: LedgerFilter) -> list[DomainCount]:
    """Per domain (in the catalog's order, only those with a 应解读 document), then 合计."""
    params = {"first": flt.first_day.isoformat(), "end": flt.end_day.isoformat(),
              "domain": flt.domain}
    with store.snapshot():
        docs = store.query(_DOCUMENTS_SQL, params)
        made: dict[str, list[Any]] = {}
        for row in store.query(_INTERPRETATIONS_SQL):
            made.setdefault(row["explains"], []).append(row)
    by_domain: dict[str, list[tuple[Any, bool, bool]]] = {}
    for doc in docs:
        own = made.get(doc["id"], [])
        by_domain.setdefault(doc["domain"], []).append((doc, bool(own), _on_time(doc, own)))
    out = [DomainCount(domain, len(rows), sum(r[1] for r in rows), sum(r[2] for r in rows),
                       tuple(r[0]["title"] for r in rows if not r[2]))
           for domain, rows in by_domain.items()]
    out.append(DomainCount(TOTAL, sum(c.due for c in out), sum(c.interpreted for c in out),
                           sum(c.on_time for c in out), ()))
    return out


def any_due(store: Store, flt: LedgerFilter) -> bool:
    """Whether the filter holds any document marked 应解读 (else the workbook has no sheet)."""
    params = {"first": flt.first_day.isoformat(), "end": flt.end_day.isoformat(),
              "domain": flt.domain}
    return bool(store.query(_DOCUMENTS_SQL + " LIMIT 1", params))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def interpretation_sheet(counts: list[DomainCount], township: str, flt: LedgerFilter) -> Sheet:
    """The sheet, and its lines on 汇总 (the 合计)."""
    rows = tuple((c.domain, c.due, c.interpreted, c.on_time, c.rate, c.on_time_rate,
                  "\n".join(c.late_titles)) for c in counts)
    total = counts[-1]
    return Sheet(
        name=SHEET_NAME, title=f"{township}政策解读情况（{flt.describe()}）",
        columns=COLUMNS, rows=rows,
        marked=frozenset(k for k, c in enumerate(counts) if c.due > c.on_time),
        summary=(("应解读（件）", total.due), ("已解读（件）", total.interpreted),
                 ("按时解读（件）", total.on_time), ("解读率", _percent(total.rate)),
                 ("按时解读率", _percent(total.on_time_rate))),
        filtered=False,
        notes=("说明：应解读为标为应解读、信息形成于统计期内且未撤回的文件；已解读为其政策解读已审核通过；"
               "按时解读为解读不晚于文件通过最后一步审核，且不晚于文件张贴（三同步）。",
               "解读率 = 已解读 ÷ 应解读；按时解读率 = 按时解读 ÷ 应解读。"),
    )


def interpretation_source(store: Store, flt: LedgerFilter, today: date) -> Sheet:
    """The 政策解读 sheet as a :data:`app.reports.ledger.SheetSource` (the ledger's snapshot)."""
    del today  # 按时 is judged against the document's own approval, not the ledger's day
    return interpretation_sheet(read_counts(store, flt), get_township(store).township, flt)
