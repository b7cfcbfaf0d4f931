"""What is late and what is due: the 工作台 lines and ``gongkai due``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from app import clock
from app.catalog.schedule import period_of
from app.info_requests.cases import list_requests
from app.notices.channels import missing_channels, short_name, went_channels
from app.notices.drafts import Notice, get_notice
from app.planning.plan import PlanEntry, build_plan
from app.planning.rectify import list_problems
from app.store import Store
from app.workdays import Calendar, DayCount

SOON_WORKDAYS = 5
#: A published notice's other channels (broadcast, post, 明白纸 …) are expected this many
#: working days after it went up on a board: then a channel with no record is a line.
CHANNEL_WORKDAYS = 3
#: Notices that went up longer ago than this give no 渠道未完成 line any more: the gap
#: stays in the 台账 (要求未完成), where it is counted, off the clerk's list of today.
CHANNEL_LOOKBACK_DAYS = 90

#: The kinds of line, in the order the 工作台 shows them, with the clerk's words.
DUE_KINDS: dict[str, str] = {
    "overdue": "已超期未公开",
    "request_overdue": "依申请公开已超期",
    "rectify_overdue": "整改已超期",
    "takedown": "待撤栏",
    "due_soon": "即将到期",
    "plan_due": "本季度应公开，尚未起草",
    "standing_review": "长期公开待复核",
    "request_due_soon": "依申请公开即将到期",
    "rectify_due": "整改待完成",
    "publicity_ending": "公示期即将结束",
    "channels_missing": "渠道未完成",
    "awaiting_review": "待审核",
    "returned": "县级平台退回",
    "unsent": "未报送县级平台",
}


@dataclass(frozen=True)
class DueLine:
    """One piece of work for the clerk, pointing at its notice (or its 依申请公开 request)."""

    kind: str
    notice_id: str
    title: str
    date: str | None
    detail: str
    calendar_known: bool
    request_id: str | None = None
    #: The catalog item a line of the plan of the year points at (nothing drafted yet).
    item_id: str | None = None
    #: The 整改 problem a line points at (not yet fixed).
    problem_id: str | None = None

    @property
    def label(self) -> str:
        """The kind in the clerk's words."""
        return DUE_KINDS[self.kind]

    def to_json(self) -> dict[str, object]:
        """As JSON for ``gongkai due --json``."""
        return asdict(self) | {"label": self.label}


def due_lines(store: Store, today: date | None = None) -> list[DueLine]:
    """Every overdue and due-soon piece of work, most urgent kind first, then by date."""
    today = today or clock.today()
    cal = Calendar.from_store(store)
    soon = cal.add_workdays(today, SOON_WORKDAYS).date.isoformat()
    ending = cal.add_workdays(today, 2).date.isoformat()
    now = today.isoformat()
    lines: list[DueLine] = []
    # Only a notice still open, still up on a board or not yet settled with the county can
    # give a line: a desk of several years reads its few hundred, not its ten thousand.
    ids = [r["id"] for r in store.query(
        "SELECT id FROM notices n WHERE status != 'withdrawn' AND (status IN ('draft', 'approved')"
        " OR sync IN ('none', 'queued', 'returned') OR EXISTS (SELECT 1 FROM postings p"
        " WHERE p.notice_id = n.id AND p.taken_down IS NULL))"
        " ORDER BY due IS NULL, due, created_at")]
    for notice_id in ids:
        n = get_notice(store, notice_id)
        lines += _lines_for(n, now, soon, ending)
    lines += channel_lines(store, today, cal)
    lines += _request_lines(store, today, soon)
    lines += plan_lines(store, today)
    lines += rectify_lines(store, today, soon)
    order = list(DUE_KINDS)
    lines.sort(key=lambda line: (order.index(line.kind), line.date or "9999"))
    return lines


def _lines_for(n: Notice, now: str, soon: str, ending: str) -> list[DueLine]:
    out = []

    def add(kind: str, day: str | None, detail: str) -> None:
        out.append(DueLine(kind, n.id, n.title, day, detail, n.calendar_known))

    if n.status in ("draft", "approved") and n.due:
        if n.due < now:
            late = (date.fromisoformat(now) - date.fromisoformat(n.due)).days
            add("overdue", n.due, f"应于{n.due}前公开，已超期{late}天")
        elif n.due <= soon:
            add("due_soon", n.due, f"应于{n.due}前公开")
    if n.status == "draft":
        add("awaiting_review", n.due, "草稿，尚未完成审核")
    end = (n.publicity or {}).get("end")
    up = [p for p in n.postings if not p["taken_down"]]
    if end and up:
        boards = "、".join(p["board"] for p in up)
        if end < now:
            add("takedown", end, f"公示期已于{end}结束，请从{boards}撤下")
        elif end <= ending:
            add("publicity_ending", end, f"公示期{end}结束（{boards}）")
    if n.status in ("approved", "published") and n.sync == "returned":
        reason = (n.county_reason or "未说明理由").rstrip("。；;. ")
        add("returned", n.due, f"县级平台退回：{reason}；修改后重新报审，审核通过后再次报送")
    elif n.status in ("approved", "published") and n.sync in ("none", "queued"):
        add("unsent", n.due, "尚未报送县级平台")
    return out


#: Published notices first posted since :since (one pass over the postings, grouped).
_RECENT = """
WITH recent AS (
    SELECT p.notice_id, min(p.posted) AS published
    FROM postings p JOIN notices n ON n.id = p.notice_id
    WHERE n.status = 'published'
    GROUP BY p.notice_id
    HAVING published >= :since
)
"""

_PUBLISHED_SQL = _RECENT + """
SELECT n.id, c.channels, r.title, recent.published
FROM recent
JOIN notices n ON n.id = recent.notice_id
JOIN catalog_items c ON c.pk = n.item_pk
JOIN notice_revisions r ON r.notice_id = n.id AND r.rev = n.current_rev
ORDER BY recent.published, n.created_at
"""

_RECORDS_SQL = _RECENT + """
SELECT r.id, r.notice_id, r.channel, r.note
FROM recent JOIN channel_records r ON r.notice_id = recent.notice_id
"""


def channel_lines(store: Store, today: date, cal: Calendar | None = None) -> list[DueLine]:
    """渠道未完成: published notices whose item's other channels have no record yet.

    A notice gives the line from :data:`CHANNEL_WORKDAYS` working days after it first
    went up on a board, for :data:`CHANNEL_LOOKBACK_DAYS` days; boards and the website
    have lines of their own and are not counted here.
    """
    cal = cal or Calendar.from_store(store)
    since = {"since": (today - timedelta(days=CHANNEL_LOOKBACK_DAYS)).isoformat()}
    with store.snapshot():
        went = went_channels(store.query(_RECORDS_SQL, since))
        published = store.query(_PUBLISHED_SQL, since)
    out = []
    # Items and posting days repeat across notices: each is read and counted once.
    named: dict[str, list[str]] = {}
    counted: dict[str, DayCount] = {}
    for r in published:
        items = named.get(r["channels"]) or named.setdefault(r["channels"],
                                                             json.loads(r["channels"]))
        missing = missing_channels(items, went.get(r["id"], set()))
        if not missing:
            continue
        expected = counted.get(r["published"]) or counted.setdefault(
            r["published"], cal.add_workdays(date.fromisoformat(r["published"]),
                                              CHANNEL_WORKDAYS))
        if expected.date > today:
            continue
        names = "、".join(short_name(c) for c in missing)
        out.append(DueLine("channels_missing", r["id"], r["title"], expected.date.isoformat(),
                           f"{r['published']}已张贴，{names}尚未记录公开；"
                           "公开后请在“公开渠道”中记录", expected.calendar_known))
    return out


def _request_lines(store: Store, today: date, soon: str) -> list[DueLine]:
    out = []
    for r in list_requests(store, open_only=True, today=today):
        if r.clock.due is None:
            continue  # stopped for 补正 or a third party: nothing runs out meanwhile
        due = r.clock.due.isoformat()
        title = f"{r.id} {r.applicant}：{r.content[:30]}"
        if r.state == "overdue":
            late = (today - r.clock.due).days
            out.append(DueLine("request_overdue", "", title, due,
                               f"应于{due}前答复，已超期{late}天", r.clock.calendar_known, r.id))
        elif due <= soon:
            out.append(DueLine("request_due_soon", "", title, due, f"应于{due}前答复"
                               + ("（已延期）" if r.extension_days else "，如需延期须经负责人同意"),
                               r.clock.calendar_known, r.id))
    return out


def plan_lines(store: Store, today: date) -> list[DueLine]:
    """The plan's work: periods due this quarter with nothing drafted, standing items to confirm.

    Only periods due in this quarter are lines: an older gap stays in the plan, the 台账
    and the 考核自评, where it is counted, without crowding the clerk's list of today.
    """
    quarter = period_of("quarter", today)
    entries: list[PlanEntry] = build_plan(store, today.year, today).entries
    out = []
    for e in entries:
        if e.status not in ("open", "late") or e.notice_id is not None:
            continue
        if e.kind == "periodic":
            if not (e.period.start <= today and quarter.start <= e.due <= quarter.end):
                continue
            detail = (f"{e.period.words()}应于{e.due.isoformat()}前公开"
                      + (f"，已超期{(today - e.due).days}天" if e.due < today else ""))
            out.append(DueLine("plan_due", "", e.title, e.due.isoformat(), detail,
                               e.calendar_known, item_id=e.item_id))
        elif e.period.start <= today <= e.period.end:
            out.append(DueLine("standing_review", "", e.title, e.due.isoformat(),
                               f"{e.period.words()}尚未复核：请到公开栏拍照确认仍在公开",
                               True, item_id=e.item_id))
    return out


def rectify_lines(store: Store, today: date, soon: str) -> list[DueLine]:
    """Each 整改 problem not yet fixed that is past its deadline or due within the soon window."""
    out = []
    for p in list_problems(store, open_only=True):
        due = p.deadline.isoformat()
        title = f"{p.id} {p.problem[:30]}"
        if p.overdue(today):
            late = (today - p.deadline).days
            out.append(DueLine("rectify_overdue", "", title, due,
                               f"整改期限{due}，已超期{late}天；完成后请记录整改情况",
                               p.calendar_known, problem_id=p.id))
        elif due <= soon:
            out.append(DueLine("rectify_due", "", title, due,
                               f"应于{due}前完成整改（{p.list_title}）", p.calendar_known,
                               problem_id=p.id))
    return out
