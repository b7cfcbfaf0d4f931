"""The 依申请公开 sheet of the 台账: every request received in the period, overdue ones marked.

A :data:`app.reports.ledger.SheetSource`, run inside the ledger's snapshot. Requests have
no domain, so ``gongkai ledger export --domain`` leaves this sheet out.
"""

from __future__ import annotations

from datetime import date

from app.info_requests.cases import InfoRequest, list_requests
from app.reports.ledger import OVERDUE_NO, OVERDUE_YES, Column, LedgerFilter, Sheet
from app.store import Store
from app.township import get_township

REQUEST_COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"),
    Column("编号", 10),
    Column("申请人", 16, "wrap"),
    Column("申请人类型", 16, "wrap"),
    Column("收到日期", 12, "date"),
    Column("申请方式", 9, "center"),
    Column("申请内容", 30, "wrap"),
    Column("补正通知", 12, "date"),
    Column("收到补正", 12, "date"),
    Column("征求第三方意见", 24, "wrap"),
    Column("延期（工作日）", 9, "int"),
    Column("延期批准人", 10, "center"),
    Column("答复期限", 12, "date"),
    Column("答复日期", 12, "date"),
    Column("办理结果", 10, "center"),
    Column("具体情形", 24, "wrap"),
    Column("状态", 9, "center"),
    Column("是否超期", 9, "center"),
    Column("超期天数", 9, "int"),
    Column("案卷材料", 24, "wrap"),
)


def days_late(request: InfoRequest, today: date) -> int:
    """Days past the due date: answered late, or still open after it (0 when on time)."""
    due = request.clock.due
    if due is None:
        return 0
    end = request.answered or today
    return max(0, (end - due).days)


def _cells(number: int, r: InfoRequest, today: date) -> tuple[object, ...]:
    who = r.applicant_type + (f"·{r.organisation_type}" if r.organisation_type else "")
    consulted = "\n".join(
        f"{c.third_party}：{c.sent.isoformat()}发出，"
        + (f"{c.replied.isoformat()}答复" if c.replied else "未答复")
        for c in r.consultations)
    late = days_late(r, today)
    return (number, r.id, r.applicant, who, r.received, r.channel, r.content,
            r.correction_sent, r.correction_received, consulted, r.extension_days or None,
            r.extension_approver or "", r.clock.due, r.answered, r.outcome or "",
            r.outcome_item or "", r.state_label, OVERDUE_YES if r.overdue else OVERDUE_NO,
            late or None, "、".join(f.kind for f in r.files))


def requests_in_period(store: Store, flt: LedgerFilter, today: date) -> list[InfoRequest]:
    """The requests received in the filter's year or quarter, oldest first."""
    return [r for r in list_requests(store, year=flt.year, today=today)
            if flt.first_day <= r.received < flt.end_day]


def request_sheet(store: Store, flt: LedgerFilter, today: date) -> Sheet:
    """The period's requests (by date received) as a ledger sheet with its 汇总 lines."""
    requests = requests_in_period(store, flt, today)
    township = get_township(store).township
    answered = [r for r in requests if r.answered]
    on_time = [r for r in answered if not r.overdue]
    overdue = [r for r in requests if r.overdue]
    rate = f"{len(on_time) / len(answered):.1%}" if answered else "—"
    return Sheet(
        name="依申请公开",
        title=f"{township}依申请公开登记台账（{flt.period}）",
        columns=REQUEST_COLUMNS,
        rows=tuple(_cells(k, r, today) for k, r in enumerate(requests, start=1)),
        marked=frozenset(k for k, r in enumerate(requests) if r.overdue),
        summary=(("收到申请（件）", len(requests)), ("已答复（件）", len(answered)),
                 ("办理中（件）", len(requests) - len(answered)),
                 ("超期（件）", len(overdue)), ("按时答复率", rate)),
    )
