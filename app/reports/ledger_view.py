"""What the 台账 page shows for a filter: the ledger's figures and the period's requests.

The GUI draws its tiles and charts from :class:`LedgerView`; nothing is
counted twice: the notices come from :func:`app.reports.ledger.read_ledger`, the
requests from :func:`app.info_requests.cases.list_requests`, both inside one
snapshot, so a notice or a request saved meanwhile cannot make the notices
and the requests disagree about "now".

The coverage (:mod:`app.reports.coverage`: the plan of the year, period by
period, and the months without publication) is read in the same snapshot; the
workbook's 公开覆盖 sheet is made by the same :func:`app.reports.coverage.read_coverage`
inside the export's own snapshot.

Requests are counted by the period they were *received* in, as the ledger's
依申请公开 sheet lists them (:mod:`app.reports.request_sheet`). They have no domain,
so a view filtered to one domain has none, and its export leaves their sheet
out (as ``gongkai ledger export --domain`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import clock
from app.catalog.domains import list_domains
from app.facts import REQUEST_OUTCOMES, REQUEST_STATES
from app.reports.coverage import Coverage, coverage_source, read_coverage
from app.reports.interpretation_sheet import any_due, interpretation_source
from app.reports.ledger import (
    Ledger,
    LedgerExport,
    LedgerFilter,
    SheetSource,
    export_ledger,
    read_ledger,
)
from app.reports.request_sheet import request_sheet, requests_in_period
from app.store import Store

#: Sheet sources added after the notice sheets, read in the same snapshot
#: (see :mod:`app.reports.ledger`): the page's export and ``gongkai ledger export``.
EXTRA_SHEETS: tuple[SheetSource, ...] = (request_sheet,)
#: Sheet sources written right after 汇总: the plan's coverage (then the 政策解读
#: counts, where the period has anything 应解读: :func:`export_view`).
FRONT_SHEETS: tuple[SheetSource, ...] = (coverage_source,)

#: The bar for requests not yet answered, in the register's own word.
PENDING = REQUEST_STATES["open"]


@dataclass(frozen=True)
class RequestCounts:
    """The period's 依申请公开 requests, as the page counts them."""

    received: int
    answered: int
    on_time: int
    overdue: int
    #: Every outcome category of REQUEST_OUTCOMES in its order (zeros too), then 办理中.
    outcomes: tuple[tuple[str, int], ...]

    @property
    def on_time_rate(self) -> float | None:
        """Answered by the due date / answered, or None while nothing is answered."""
        return self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class LedgerView:
    """One read of the 台账 page: the ledger, the requests (None for one domain), the domains."""

    ledger: Ledger
    requests: RequestCounts | None
    #: The township's visible domains, for the page's domain filter, whatever ``ledger`` holds.
    domains: tuple[str, ...]
    #: The plan's periods in the filter and the months without publication.
    coverage: Coverage


def ledger_view(store: Store, flt: LedgerFilter, today: date | None = None) -> LedgerView:
    """Read the ledger of ``flt``, its coverage and the period's requests, in one snapshot."""
    today = today or clock.today()
    # read_ledger's own snapshot joins this one (Store.snapshot nests).
    with store.snapshot():
        ledger = read_ledger(store, flt, today)
        requests = None if flt.domain else _count_requests(store, flt, today)
        domains = tuple(d.name for d in list_domains(store))
        coverage = read_coverage(store, flt, today)
    return LedgerView(ledger, requests, domains, coverage)


def _count_requests(store: Store, flt: LedgerFilter, today: date) -> RequestCounts:
    rows = requests_in_period(store, flt, today)
    answered = [r for r in rows if r.answered]
    by_outcome = dict.fromkeys(REQUEST_OUTCOMES, 0)
    for r in answered:
        if r.outcome in by_outcome:
            by_outcome[r.outcome] += 1
    return RequestCounts(
        received=len(rows), answered=len(answered),
        on_time=sum(not r.overdue for r in answered),
        overdue=sum(r.overdue for r in rows),
        outcomes=(*by_outcome.items(), (PENDING, len(rows) - len(answered))),
    )


def export_view(store: Store, path: Path, flt: LedgerFilter,
                today: date | None = None) -> LedgerExport:
    """Write the 台账 workbook of ``flt`` as ``gongkai ledger export`` writes it.

    The 公开覆盖 sheet comes right after 汇总, then the 政策解读 sheet where the
    filter holds a document marked 应解读 (a township that never marks one gets
    no empty sheet); the 依申请公开 sheet is added unless the filter is one
    domain: requests have none.
    """
    front = FRONT_SHEETS + ((interpretation_source,) if any_due(store, flt) else ())
    return export_ledger(store, path, flt, today, extra=() if flt.domain else EXTRA_SHEETS,
                         front=front)
