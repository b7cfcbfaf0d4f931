"""Notices: drafted from a catalog item, revised, checked, and their JSON shape (CONTRACT.md).

Every edit is a new revision; the revision that passed review is the one
printed and sent, and editing an approved notice sends it back to draft.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app import clock, paths
from app.atomic import write_bytes
from app.catalog.items import get_item
from app.catalog.schedule import item_schedule, reporting_due
from app.errors import UserError
from app.facts import INTERPRETATION_FORMS, NOTICE_KINDS, offline_only
from app.notices import actions, county_queue
from app.notices.privacy import Finding, find_personal_data, lines_and_columns, mask
from app.notices.text import (
    body_outline,
    interpretation_elements,
    interpretation_outline,
    interpretation_title,
    missing_elements,
    title_for,
)
from app.store import Store, now_iso
from app.township import get_township
from app.workdays import Calendar, DayCount, check_day, parse_date


@dataclass
class Notice:
    """A notice as the CLI and the GUI show it."""

    id: str
    item_id: str
    item_rev: int
    domain: str
    kind: str
    status: str
    title: str
    body: str
    issuer: str
    phone: str
    rev: int
    approved_rev: int | None
    formed: str
    due: str | None
    calendar_known: bool
    publicity: dict[str, str | None] | None
    postings: list[dict[str, Any]] = field(default_factory=list)
    sync: str = "none"
    #: The county's latest word: where it published the notice, or why it returned it.
    county_url: str | None = None
    county_reason: str | None = None
    #: A 解读: the notice it explains ({id, title, status, county_url}), or None.
    explains: dict[str, Any] | None = None
    #: A 解读 of a policy not on the desk: its title and 文号.
    policy_title: str = ""
    policy_number: str = ""
    #: 文字 | 问答 | 图解 for a 解读, "" for the others.
    form: str = ""
    #: 应解读 (三同步): the last review step waits for a 解读 of it.
    interpret: bool = False
    #: The 解读 of this notice, each {id, title, status, form, county_url}.
    interpretations: list[dict[str, Any]] = field(default_factory=list)
    #: The 公开渠道 and 公开对象 of the item revision it was written under.
    channels: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)

    @property
    def offline_only(self) -> bool:
        """It must not go on the internet (仅限线下公开): see :func:`app.facts.offline_only`."""
        return offline_only(self.channels, self.audience)

    def to_json(self) -> dict[str, Any]:
        """The Notice JSON of CONTRACT.md, plus body, revision, issuer and the county's word."""
        return {
            "id": self.id, "item_id": self.item_id, "item_rev": self.item_rev,
            "domain": self.domain, "kind": self.kind, "title": self.title,
            "status": self.status, "formed": self.formed, "due": self.due,
            "calendar_known": self.calendar_known, "publicity": self.publicity,
            "postings": self.postings, "sync": self.sync, "rev": self.rev,
            "approved_rev": self.approved_rev, "issuer": self.issuer, "phone": self.phone,
            "body": self.body, "county_url": self.county_url,
            "county_reason": self.county_reason,
            "explains": self.explains, "interpretations": self.interpretations,
            "interpret": self.interpret, "form": self.form or None,
            "policy": ({"title": self.policy_title, "number": self.policy_number}
                       if self.policy_title else None),
            "channels": self.channels, "audience": self.audience,
            "offline_only": self.offline_only,
        }


def published_phones(store: Store) -> tuple[str, ...]:
    """The township's own numbers that are printed on purpose and never masked."""
    extra = (store.get_setting("office_phones", "") or "").replace("，", ",").split(",")
    return tuple(p.strip() for p in [get_township(store).phone, *extra] if p.strip())


def due_date(cal: Calendar, rule: dict[str, Any] | None, formed: date) -> DayCount | None:
    """The disclosure deadline from the item's rule and the day the information was formed.

    Only countable rules give a date; 及时, 长期, 定期 and unknown wordings give
    none rather than a guess.
    """
    rule = rule or {}
    if rule.get("kind") == "workdays":
        return cal.add_workdays(formed, int(rule["n"]))
    if rule.get("kind") == "days":
        return cal.add_days(formed, int(rule["n"]))
    return None


def publicity_end(cal: Calendar, rule: dict[str, Any] | None, start: date) -> DayCount | None:
    """The last day of the 公示期 that starts (as day one) on ``start``."""
    publicity = (rule or {}).get("publicity")
    if not publicity:
        return None
    n = int(publicity["n"])
    if publicity["unit"] == "workdays":
        return cal.add_workdays(start - timedelta(days=1), n)
    return cal.add_days(start, n - 1)


#: Limits of what a clerk types for a policy a 解读 explains.
POLICY_TITLE_LIMIT, POLICY_NUMBER_LIMIT = 100, 40


@dataclass(frozen=True)
class _Interpreting:
    """What a new 解读 explains: a notice of the desk, or a policy by title and 文号."""

    explains: str | None
    policy_title: str
    policy_number: str
    form: str
    subject: str
    due: str | None


def _interpreting(store: Store, kind: str, explains: str | None, policy_title: str,
                  policy_number: str, form: str | None) -> _Interpreting | None:
    policy_title = policy_title.strip().strip("《》").strip()
    policy_number = policy_number.strip()
    if kind != "解读":
        if explains or policy_title or policy_number or form:
            raise UserError("只有政策解读才能写明所解读的文件和解读形式（--kind 解读）。")
        return None
    form = form or "文字"
    if form not in INTERPRETATION_FORMS:
        raise UserError(f"解读形式只能是{'、'.join(INTERPRETATION_FORMS)}之一。")
    if len(policy_title) > POLICY_TITLE_LIMIT or len(policy_number) > POLICY_NUMBER_LIMIT:
        raise UserError(f"政策文件的标题不超过{POLICY_TITLE_LIMIT}个字，"
                        f"文号不超过{POLICY_NUMBER_LIMIT}个字。")
    if explains:
        if policy_title or policy_number:
            raise UserError("解读本机的公开信息时不必再写政策标题和文号（二者选一）。")
        parent = get_notice(store, resolve_id(store, explains))
        if parent.kind == "解读":
            raise UserError("政策解读不能再解读另一篇解读，请选择被解读的文件本身。")
        if parent.status == "withdrawn":
            raise UserError("被解读的公开信息已撤回，不能为它起草解读。")
        return _Interpreting(parent.id, "", "", form, parent.title, parent.due)
    if not policy_title:
        raise UserError("起草政策解读须写明所解读的公开信息（--explains），"
                        "或政策文件的标题和文号（--policy-title、--policy-number）。")
    return _Interpreting(None, policy_title, policy_number, form, policy_title, None)


def create_notice(store: Store, item_id: str | None, title: str | None = None,
                  kind: str = "公示", body: str | None = None, formed: str | None = None,
                  author: str = "", today: date | None = None, *,
                  explains: str | None = None, form: str | None = None,
                  policy_title: str = "", policy_number: str = "") -> Notice:
    """Start a draft from a catalog item (its current revision).

    A 解读 explains a notice of the desk (``explains``; its item is the
    parent's unless another is given) or a policy named by its title and 文号,
    in one of the forms of INTERPRETATION_FORMS. A notice of an item the
    township marked 应解读 starts marked so itself.
    """
    today = today or clock.today()
    if kind not in NOTICE_KINDS:
        raise UserError(f"公开信息的类型只能是{'、'.join(NOTICE_KINDS)}之一。")
    reading = _interpreting(store, kind, explains, policy_title, policy_number, form)
    if reading and reading.explains and not item_id:
        item_id = get_notice(store, reading.explains).item_id
    if not item_id:
        raise UserError("请写明目录事项（--item）。")
    item = get_item(store, item_id)
    formed_day = check_day(parse_date(formed), "信息形成日期") if formed else today
    if formed_day > today:
        raise UserError("信息形成日期不能晚于今天。")
    info = get_township(store)
    issuer = f"{info.township}人民政府" if info.township else "乡镇人民政府"
    default_title = (interpretation_title(reading.subject) if reading
                     else title_for(item, kind, info.township))
    title = (title if title is not None else default_title).strip()
    if not title:
        raise UserError("标题不能为空。")
    if len(title) > 120:
        raise UserError("标题太长了（不超过120个字）。")
    if body is None:
        body = (interpretation_outline(reading.form, reading.subject, issuer, info.phone)
                if reading else body_outline(item, kind, issuer, info.phone))
    cal = Calendar.from_store(store)
    due = due_date(cal, item.rule, formed_day)
    # 定期 gives no deadline of its own: the notice answers its period, due when it is.
    period_due = reporting_due(item_schedule(store, item.id, item.time_limit, item.rule),
                               formed_day, cal)
    due_day, due_known = (period_due if period_due is not None
                          else (due.date, due.calendar_known) if due else (None, True))
    if reading and reading.explains:
        # 三同步: the 解读 is due when what it explains is.
        due_day = date.fromisoformat(reading.due) if reading.due else None
    interpret = not reading and bool(store.scalar(
        "SELECT interpret FROM item_plans WHERE item_id = ?", (item.id,)))
    item_pk = store.scalar("SELECT pk FROM catalog_items WHERE item_id = ? AND active",
                           (item.id,))
    notice_id = str(uuid.uuid4())
    stamp = now_iso()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO notices (id, item_pk, kind, status, formed, due, due_known, current_rev,"
            " created_at, updated_at, explains, policy_title, policy_number, form, interpret)"
            " VALUES (?, ?, ?, 'draft', ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
            (notice_id, item_pk, kind, formed_day.isoformat(),
             due_day.isoformat() if due_day else None, int(due_known),
             stamp, stamp, reading.explains if reading else None,
             reading.policy_title if reading else "", reading.policy_number if reading else "",
             reading.form if reading else "", int(interpret)),
        )
        _add_revision(store, notice_id, 1, title, body, issuer, info.phone, author, "新建")
        store.audit("notice.new", notice_id,
                    {"item": item.id, "kind": kind, "title": title}
                    | ({"explains": reading.explains, "form": reading.form,
                        "policy": [reading.policy_title, reading.policy_number]}
                       if reading else {}), actor=author)
    return get_notice(store, notice_id)


def _add_revision(store: Store, notice_id: str, rev: int, title: str, body: str, issuer: str,
                  phone: str, author: str, change: str) -> None:
    store.conn.execute(
        "INSERT INTO notice_revisions (notice_id, rev, title, body, issuer, phone, author, at,"
        " change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (notice_id, rev, title, body, issuer, phone, author or "本机", now_iso(), change),
    )


def _row(store: Store, notice_id: str) -> Any:
    row = store.conn.execute(
        "SELECT n.*, c.item_id, c.rev AS item_rev, c.rule, c.channels AS item_channels,"
        " c.audience AS item_audience, d.name AS domain FROM notices n"
        " JOIN catalog_items c ON c.pk = n.item_pk JOIN domains d ON d.id = c.domain_id"
        " WHERE n.id = ?", (notice_id,)).fetchone()
    if row is None:
        raise UserError(f"没有编号为「{notice_id}」的公开信息。")
    return row


def resolve_id(store: Store, text: str) -> str:
    """A notice id from its full uuid or a unique prefix of at least 6 characters."""
    text = text.strip()
    if len(text) >= 6:
        rows = store.query("SELECT id FROM notices WHERE id LIKE ?", (text + "%",))
        if len(rows) == 1:
            return str(rows[0]["id"])
        if len(rows) > 1:
            raise UserError(f"编号「{text}」对应多条公开信息，请写完整编号。")
    raise UserError(f"没有编号为「{text}」的公开信息。")


def get_notice(store: Store, notice_id: str, rev: int | None = None) -> Notice:
    """A notice with its current (or a given) revision, postings and 公示期."""
    row = _row(store, notice_id)
    revision = store.conn.execute(
        "SELECT * FROM notice_revisions WHERE notice_id = ? AND rev = ?",
        (notice_id, rev or row["current_rev"])).fetchone()
    if revision is None:
        raise UserError(f"这条公开信息没有第{rev}版。")
    postings = [
        {"board": p["name"], "posted": p["posted"], "taken_down": p["taken_down"],
         "photo": p["photo"]}
        for p in store.query(
            "SELECT p.*, b.name FROM postings p JOIN boards b ON b.id = p.board_id"
            " WHERE p.notice_id = ? ORDER BY p.posted, b.position", (notice_id,))
    ]
    cal = Calendar.from_store(store)
    rule = json.loads(row["rule"])
    publicity = None
    known = bool(row["due_known"])
    # A 解读 explains a 公示; it has no 公示期 of its own.
    if rule.get("publicity") and row["kind"] != "解读":
        start = min((p["posted"] for p in postings), default=None)
        end = publicity_end(cal, rule, date.fromisoformat(start)) if start else None
        publicity = {"start": start, "end": end.date.isoformat() if end else None}
        if end is not None:
            known = known and end.calendar_known
    return Notice(
        id=row["id"], item_id=row["item_id"], item_rev=row["item_rev"], domain=row["domain"],
        kind=row["kind"], status=row["status"], title=revision["title"], body=revision["body"],
        issuer=revision["issuer"], phone=revision["phone"], rev=revision["rev"],
        approved_rev=row["approved_rev"], formed=row["formed"], due=row["due"],
        calendar_known=known, publicity=publicity, postings=postings, sync=row["sync"],
        county_url=row["county_url"], county_reason=row["county_reason"],
        explains=_link(store, row["explains"]) if row["explains"] else None,
        policy_title=row["policy_title"], policy_number=row["policy_number"],
        form=row["form"], interpret=bool(row["interpret"]),
        interpretations=[_link(store, r["id"]) for r in store.query(
            "SELECT id FROM notices WHERE explains = ? ORDER BY created_at", (notice_id,))],
        channels=json.loads(row["item_channels"]), audience=json.loads(row["item_audience"]),
    )


def _link(store: Store, notice_id: str) -> dict[str, Any]:
    """The other side of a 解读 link as the editor and ``show --json`` name it."""
    row = store.conn.execute(
        "SELECT n.id, n.status, n.form, n.county_url, v.title FROM notices n"
        " JOIN notice_revisions v ON v.notice_id = n.id AND v.rev = n.current_rev"
        " WHERE n.id = ?", (notice_id,)).fetchone()
    return {"id": row["id"], "title": row["title"], "status": row["status"],
            "form": row["form"] or None, "county_url": row["county_url"]}


def list_ids(store: Store, status: str | None = None) -> list[str]:
    """Notice ids, newest first, optionally of one status."""
    if status:
        rows = store.query("SELECT id FROM notices WHERE status = ? ORDER BY created_at DESC",
                           (status,))
    else:
        rows = store.query("SELECT id FROM notices ORDER BY created_at DESC")
    return [r["id"] for r in rows]


def revisions(store: Store, notice_id: str) -> list[dict[str, Any]]:
    """Every revision: who, when, what changed (newest first)."""
    _row(store, notice_id)
    rows = store.query("SELECT rev, title, author, at, change FROM notice_revisions"
                       " WHERE notice_id = ? ORDER BY rev DESC", (notice_id,))
    return [dict(r) for r in rows]


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """How many characters the two texts share at the start, and then at the end."""
    start = len(os.path.commonprefix([old, new]))
    limit = min(len(old), len(new)) - start
    end = len(os.path.commonprefix([old[::-1][:limit], new[::-1][:limit]]))
    return start, end


def _changed_chars(old: str, new: str) -> tuple[int, int]:
    """Characters added and removed from ``old`` to ``new``.

    An edit of a long 名单 touches a few lines: the shared start and end are
    cut off first, and a middle too large to compare character by character
    (difflib is quadratic there) is compared line by line, then each changed
    block of lines character by character.
    """
    start, end = _common_ends(old, new)
    a, b = old[start:len(old) - end], new[start:len(new) - end]
    if len(a) * len(b) <= _CHAR_DIFF_LIMIT:
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        return (sum(j2 - j1 for op, _i1, _i2, j1, j2 in ops if op != "equal"),
                sum(i2 - i1 for op, i1, i2, _j1, _j2 in ops if op != "equal"))
    old_lines, new_lines = a.splitlines(keepends=True), b.splitlines(keepends=True)
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        was, now = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "replace" and len(was) * len(now) <= _CHAR_DIFF_LIMIT:
            more, less = _changed_chars(was, now)
        else:
            more, less = len(now), len(was)
        added, removed = added + more, removed + less
    return added, removed


#: Above this product of lengths, compare lines first (character diffs are quadratic).
_CHAR_DIFF_LIMIT = 1_000_000


def describe_change(old_title: str, old_body: str, title: str, body: str) -> str:
    """What an edit changed, in a few words: ``改标题；正文增加12字、删去3字``."""
    parts = []
    if title != old_title:
        parts.append("改标题")
    if body != old_body:
        added, removed = _changed_chars(old_body, body)
        parts.append(f"正文增加{added}字、删去{removed}字")
    return "；".join(parts) or "无改动"


def edit_notice(store: Store, notice_id: str, title: str | None = None,
                body: str | None = None, author: str = "", change: str = "") -> Notice:
    """Save a new revision; an approved notice goes back to draft and review starts again."""
    current = get_notice(store, notice_id)
    actions.require(current.status, "mask" if change.startswith("遮盖") else "edit")
    new_title = current.title if title is None else title.strip()
    new_body = current.body if body is None else body
    if not new_title:
        raise UserError("标题不能为空。")
    if (new_title, new_body) == (current.title, current.body):
        return current
    with store.transaction() as conn:
        rev = current.rev + 1
        change = change or describe_change(current.title, current.body, new_title, new_body)
        _add_revision(store, notice_id, rev, new_title, new_body, current.issuer,
                      current.phone, author, change)
        # The passed steps of this round stay on record but no longer count: they
        # were given to the revision before this one (review.review_state).
        back = current.status == "approved"
        conn.execute(
            "UPDATE notices SET current_rev = ?, updated_at = ?"
            + (", status = 'draft'" if back else "")
            + " WHERE id = ?", (rev, now_iso(), notice_id))
        if back:
            county_queue.drop_waiting(store, notice_id)
        store.audit("notice.edit", notice_id, {"rev": rev, "change": change,
                                               "back_to_draft": back}, actor=author)
    discard_autosave(store, notice_id)
    return get_notice(store, notice_id)


@dataclass(frozen=True)
class CheckResult:
    """What ``notice check`` reports."""

    missing: list[str]
    findings: list[Finding]
    #: Proofreading findings in the CONTRACT's shape (filled by app.notices.proofing).
    proofreading: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"missing_elements": self.missing,
                "personal_data": [f.to_json() for f in self.findings],
                "proofreading": self.proofreading}


def check_notice(store: Store, notice_id: str) -> CheckResult:
    """The 要素 the text does not cover yet, and the personal data it holds."""
    notice = get_notice(store, notice_id)
    return check_text(notice.title, notice.body, notice_elements(store, notice),
                      published_phones(store))


def notice_elements(store: Store, notice: Notice) -> list[str]:
    """The 要素 a notice must cover: its item's, or a 解读's (by its form)."""
    if notice.kind == "解读":
        return interpretation_elements(notice.form or "文字")
    return get_item(store, notice.item_id, notice.item_rev).elements


def mask_notice(store: Store, notice_id: str, author: str = "") -> tuple[Notice, int]:
    """Mask every finding in a new revision; returns the notice and how many were masked."""
    notice = get_notice(store, notice_id)
    actions.require(notice.status, "mask")
    phones = published_phones(store)
    title_findings = find_personal_data(notice.title, phones)
    body_findings = find_personal_data(notice.body, phones)
    count = len(title_findings) + len(body_findings)
    if not count:
        return notice, 0
    masked = edit_notice(store, notice_id, mask(notice.title, title_findings),
                         mask(notice.body, body_findings), author,
                         change=f"遮盖个人信息 {count} 处")
    return masked, count


def withdraw(store: Store, notice_id: str, reason: str, author: str = "") -> Notice:
    """Withdraw a notice (kept, with its history, never deleted)."""
    reason = reason.strip()
    if not reason:
        raise UserError("撤回时请写明理由。")
    notice = get_notice(store, notice_id)
    actions.require(notice.status, "withdraw")
    with store.transaction() as conn:
        conn.execute("UPDATE notices SET status = 'withdrawn', updated_at = ? WHERE id = ?",
                     (now_iso(), notice_id))
        county_queue.withdrawn(store, notice_id)
        store.audit("notice.withdraw", notice_id, {"reason": reason, "from": notice.status},
                    actor=author)
    return get_notice(store, notice_id)


def revise(store: Store, notice_id: str, reason: str, author: str = "") -> Notice:
    """修改后重新报审: an approved, posted or county-returned notice becomes a draft again.

    A new round of review begins; the postings stay in its history (the old
    sheet may still hang until the new one replaces it), the text last
    approved stays what the county has until the new revision passes review
    and goes out on the next sync, in place of the old one.
    """
    reason = reason.strip()
    if not reason:
        raise UserError("重新报审时请写明修改的理由。")
    if len(reason) > 500:
        raise UserError("理由太长了（不超过500个字）。")
    notice = get_notice(store, notice_id)
    actions.require(notice.status, "revise")
    with store.transaction() as conn:
        conn.execute("UPDATE notices SET status = 'draft', review_round = review_round + 1,"
                     " updated_at = ? WHERE id = ?", (now_iso(), notice_id))
        county_queue.drop_waiting(store, notice_id)
        store.audit("notice.revise", notice_id,
                    {"reason": reason, "from": notice.status, "rev": notice.rev,
                     "county": notice.sync}, actor=author)
    return get_notice(store, notice_id)


def list_notices(store: Store, status: str | None = None) -> list[Notice]:
    """Every notice (of one status), newest first."""
    return [get_notice(store, i) for i in list_ids(store, status)]


@dataclass(frozen=True)
class Autosave:
    """Text typed in the editor and not saved yet, kept against a crash."""

    base_rev: int
    title: str
    body: str
    saved_at: str


def _autosave_file(store: Store, notice_id: str) -> Path:
    if not re.fullmatch(r"[0-9a-f-]{36}", notice_id):
        raise UserError(f"没有编号为「{notice_id}」的公开信息。")
    return paths.autosave_dir(store.folder) / f"{notice_id}.json"


def autosave(store: Store, notice_id: str, base_rev: int, title: str, body: str) -> None:
    """Keep the editor's unsaved text against a crash: a file, written whole or not at all.

    Not a revision and not in the database: it is nobody's decision yet, and
    writing it there every few seconds would look to the open windows like
    somebody else changing the desk.
    """
    if len(title) + len(body) > 2_000_000:
        return  # beyond any notice; saving it is refused anyway
    text = json.dumps({"base_rev": base_rev, "title": title, "body": body,
                       "saved_at": now_iso()}, ensure_ascii=False)
    write_bytes(_autosave_file(store, notice_id), text.encode("utf-8"))


def discard_autosave(store: Store, notice_id: str) -> None:
    """Forget the unsaved text (the clerk saved it, or chose 不保存)."""
    _autosave_file(store, notice_id).unlink(missing_ok=True)


def recovered(store: Store, notice_id: str) -> Autosave | None:
    """Unsaved text left by a crash or kill, if any (a damaged file counts as none)."""
    path = _autosave_file(store, notice_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Autosave(int(data["base_rev"]), str(data["title"]), str(data["body"]),
                        str(data["saved_at"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def finding_lines(text: str, result: CheckResult) -> list[str]:
    """One line per finding for the editor: where it stands, what it is, how it is masked."""
    places = lines_and_columns(text, [f.start for f in result.findings])
    return [f"第{line}行第{col}字　{f.label}　{f.text} → {f.masked}"
            for f, (line, col) in zip(result.findings, places, strict=True)]


def check_text(title: str, body: str, elements: list[str],
               phones: tuple[str, ...]) -> CheckResult:
    """The same check as :func:`check_notice`, on text not saved yet (the editor, as it types)."""
    return CheckResult(missing_elements(elements, body),
                       find_personal_data(title + "\n" + body, phones))
