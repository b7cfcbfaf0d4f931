"""The 依申请公开 register: requests for information, their legal clock and their case files.

A request is numbered within the year it was received (``2026-003``). Every
change is one transaction with an audit line, and the audit lines of a request
are its history. Where a request stands (办理中, 待补正, 已超期 …) is always worked
out from its dates by app/info_requests/deadlines.py, never stored, so a corrected holiday
arrangement moves every due date with it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from app import clock
from app.atomic import keep_once
from app.errors import UserError
from app.facts import (
    APPLICANT_TYPES,
    ORGANISATION_TYPES,
    REQUEST_CHANNELS,
    REQUEST_FILE_KINDS,
    REQUEST_OUTCOMES,
    REQUEST_STATES,
)
from app.info_requests.deadlines import (
    EXTENSION_MAX_WORKDAYS,
    Clock,
    ClockInput,
    Consultation,
    compute,
)
from app.notices.privacy import valid_id15, valid_id18
from app.store import Store, now_iso
from app.workdays import Calendar, check_day, parse_date
from resources import RESOURCES

ID_PATTERN = re.compile(r"^(\d{4})-(\d{1,4})$")
REGISTER_FACTS = RESOURCES / "templates" / "requests.toml"
MAX_FIELD = 500


@cache
def register_facts() -> dict[str, Any]:
    """The register's fixed choices (resources/templates/requests.toml)."""
    return tomllib.loads(REGISTER_FACTS.read_text(encoding="utf-8"))


def delivery_ways() -> tuple[str, ...]:
    """How an applicant may choose to receive the information (获取方式)."""
    return tuple(register_facts()["获取方式"])


def served_ways() -> tuple[str, ...]:
    """How a letter is delivered (送达方式), as the 送达回证 says."""
    return tuple(register_facts()["送达方式"])


def opinions() -> tuple[str, ...]:
    """What a third party may answer: 同意 or 不同意 公开."""
    return tuple(register_facts()["第三方意见"])


@dataclass(frozen=True)
class CaseFile:
    """A document kept with a request: the request, notices sent, the reply, proof of delivery."""

    kind: str
    name: str
    path: str
    sha256: str
    added_at: str

    def to_json(self) -> dict[str, str]:
        """As JSON (``path`` relative to the data folder)."""
        return {"kind": self.kind, "name": self.name, "path": self.path,
                "sha256": self.sha256, "added_at": self.added_at}


@dataclass(frozen=True)
class InfoRequest:
    """One request with its clock worked out for ``today``."""

    id: str
    applicant: str
    applicant_type: str
    organisation_type: str | None
    contact: str
    channel: str
    received: date
    content: str
    correction_sent: date | None
    correction_received: date | None
    extension_days: int
    extension_approver: str | None
    extended_on: date | None
    consultations: tuple[Consultation, ...]
    outcome: str | None
    outcome_item: str | None
    outcome_reason: str
    answered: date | None
    clock: Clock
    state: str
    files: tuple[CaseFile, ...]
    id_number: str = ""
    address: str = ""
    delivery: str = ""
    correction_items: str = ""
    extension_reason: str = ""
    referred_to: str = ""
    served_on: date | None = None
    served_way: str = ""
    letter_numbers: tuple[tuple[str, str], ...] = ()

    @property
    def state_label(self) -> str:
        """The state in the clerk's words."""
        return REQUEST_STATES[self.state]

    @property
    def overdue(self) -> bool:
        """Not answered by the due date (or answered after it)."""
        return self.state == "overdue" or bool(
            self.answered and self.clock.due and self.answered > self.clock.due)

    def to_json(self) -> dict[str, Any]:
        """The JSON printed by ``gongkai request show --json``."""
        def day(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "applicant": self.applicant,
            "type": self.applicant_type,
            "organisation_type": self.organisation_type,
            "contact": self.contact,
            "channel": self.channel,
            "received": day(self.received),
            "content": self.content,
            "state": self.state,
            "state_label": self.state_label,
            "overdue": self.overdue,
            "clock": self.clock.to_json(),
            "id_number": self.id_number,
            "address": self.address,
            "delivery": self.delivery,
            "correction": ({"sent": day(self.correction_sent),
                            "received": day(self.correction_received),
                            "items": self.correction_items}
                           if self.correction_sent else None),
            "extension": ({"days": self.extension_days, "approver": self.extension_approver,
                           "on": day(self.extended_on), "reason": self.extension_reason}
                          if self.extension_days else None),
            "consultations": [{"third_party": c.third_party, "sent": day(c.sent),
                               "replied": day(c.replied), "opinion": c.opinion}
                              for c in self.consultations],
            "outcome": ({"category": self.outcome, "item": self.outcome_item,
                         "reason": self.outcome_reason, "referred_to": self.referred_to}
                        if self.outcome else None),
            "answered": day(self.answered),
            "served": ({"on": day(self.served_on), "way": self.served_way}
                       if self.served_on else None),
            "letter_numbers": dict(self.letter_numbers),
            "files": [f.to_json() for f in self.files],
        }


# -- reading ------------------------------------------------------------------------------

def resolve_id(store: Store, text: str) -> str:
    """A request's id from what the clerk typed (``2026-3`` and ``2026-003`` are the same)."""
    match = ID_PATTERN.match(str(text).strip())
    if match:
        found = store.scalar("SELECT id FROM info_requests WHERE year = ? AND seq = ?",
                             (int(match.group(1)), int(match.group(2))))
        if found:
            return str(found)
    raise UserError(f"没有编号为「{text}」的依申请公开件（编号形如 2026-001）。")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _state(clock_now: Clock, answered: date | None, extension_days: int,
           today: date) -> str:
    if answered:
        return "answered"
    if clock_now.paused:
        return "correction" if clock_now.paused.startswith("等待") else "consulting"
    if clock_now.due and clock_now.due < today:
        return "overdue"
    return "extended" if extension_days else "open"


def _build(store: Store, row: Any, cal: Calendar, today: date) -> InfoRequest:
    consultations = tuple(
        Consultation(c["third_party"], date.fromisoformat(c["sent"]), _day(c["replied"]),
                     c["opinion"])
        for c in store.query("SELECT third_party, sent, replied, opinion FROM"
                             " request_consultations WHERE request_id = ? ORDER BY id",
                             (row["id"],)))
    numbers = tuple((n["kind"], n["number"]) for n in store.query(
        "SELECT kind, number FROM letter_numbers WHERE request_id = ? ORDER BY year, seq",
        (row["id"],)))
    files = tuple(CaseFile(f["kind"], f["name"], f["path"], f["sha256"], f["added_at"])
                  for f in store.query("SELECT kind, name, path, sha256, added_at FROM"
                                       " request_files WHERE request_id = ? ORDER BY id",
                                       (row["id"],)))
    dates = ClockInput(
        received=date.fromisoformat(row["received"]),
        correction_sent=_day(row["correction_sent"]),
        correction_received=_day(row["correction_received"]),
        extension_days=row["extension_days"] or 0,
        consultations=consultations,
        answered=_day(row["answered"]),
    )
    worked = compute(cal, dates)
    return InfoRequest(
        id=row["id"], applicant=row["applicant"], applicant_type=row["applicant_type"],
        organisation_type=row["organisation_type"], contact=row["contact"],
        channel=row["channel"], received=dates.received, content=row["content"],
        correction_sent=dates.correction_sent, correction_received=dates.correction_received,
        extension_days=dates.extension_days, extension_approver=row["extension_approver"],
        extended_on=_day(row["extended_on"]), consultations=consultations,
        outcome=row["outcome"], outcome_item=row["outcome_item"],
        outcome_reason=row["outcome_reason"], answered=dates.answered, clock=worked,
        state=_state(worked, dates.answered, dates.extension_days, today), files=files,
        id_number=row["id_number"], address=row["address"], delivery=row["delivery"],
        correction_items=row["correction_items"], extension_reason=row["extension_reason"],
        referred_to=row["referred_to"], served_on=_day(row["served_on"]),
        served_way=row["served_way"], letter_numbers=numbers,
    )


def get_request(store: Store, request_id: str, today: date | None = None) -> InfoRequest:
    """One request, by id or by what the clerk typed."""
    request_id = resolve_id(store, request_id)
    row = store.query("SELECT * FROM info_requests WHERE id = ?", (request_id,))[0]
    return _build(store, row, Calendar.from_store(store), today or clock.today())


def list_requests(store: Store, year: int | None = None, open_only: bool = False,
                  today: date | None = None) -> list[InfoRequest]:
    """Requests received in ``year`` (all years if None), oldest first.

    ``open_only`` keeps the unanswered ones.
    """
    sql = "SELECT * FROM info_requests WHERE 1 = 1"
    params: list[Any] = []
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    if open_only:
        sql += " AND answered IS NULL"
    cal, today = Calendar.from_store(store), today or clock.today()
    return [_build(store, row, cal, today)
            for row in store.query(sql + " ORDER BY received, year, seq", tuple(params))]


def history(store: Store, request_id: str) -> list[dict[str, Any]]:
    """What was done to a request, oldest first (its audit lines)."""
    return [{"at": r["at"], "actor": r["actor"], "action": r["action"],
             "detail": json.loads(r["detail"])}
            for r in store.query("SELECT at, actor, action, detail FROM audit_log"
                                 " WHERE subject = ? AND action LIKE 'request.%' ORDER BY id",
                                 (request_id,))]


def describe(request: InfoRequest) -> list[str]:
    """A request in a few lines of the clerk's words (the CLI prints them, the GUI shows them)."""
    who = request.applicant_type + (f"·{request.organisation_type}"
                                    if request.organisation_type else "")
    lines = [f"{request.id}  {request.state_label}  {request.applicant}（{who}）",
             f"收到：{request.received.isoformat()}（{request.channel}）  "
             f"申请内容：{request.content}"]
    applicant = "  ".join(part for part in (
        f"证件号码：{request.id_number}" if request.id_number else "",
        f"地址：{request.address}" if request.address else "",
        f"获取方式：{request.delivery}" if request.delivery else "") if part)
    if applicant:
        lines.append(applicant)
    c = request.clock
    if request.answered:
        late = "，已超过期限" if request.overdue else ""
        lines.append(f"已于{request.answered.isoformat()}答复：{request.outcome}"
                     + (f"（{request.outcome_item}）" if request.outcome_item else "") + late)
    elif c.paused:
        lines.append(f"期限暂停：{c.paused}")
    if c.due:
        basis = "（按周一至周五计，节假日安排未载入）" if not c.calendar_known else ""
        lines.append(
            f"答复期限：{c.due.isoformat()}{basis}，自{c.start.isoformat()}起计算"
            + (f"，已延长{request.extension_days}个工作日（{request.extension_approver}批准）"
               if request.extension_days else "")
            + (f"，不计征求意见的{c.excluded_workdays}个工作日" if c.excluded_workdays else ""))
    if request.correction_sent:
        late = "（超过7个工作日）" if c.correction_late else ""
        back = (f"，{request.correction_received.isoformat()}收到补正"
                if request.correction_received else "")
        items = f"，补正事项：{request.correction_items}" if request.correction_items else ""
        lines.append(f"补正通知：{request.correction_sent.isoformat()}{late}{back}{items}")
    if request.extension_reason:
        lines.append(f"延期理由：{request.extension_reason}")
    for asked in request.consultations:
        reply = (f"，{asked.replied.isoformat()}答复" + (f"{asked.opinion}公开"
                                                        if asked.opinion else "")
                 if asked.replied else "，尚未答复")
        lines.append(f"征求意见：{asked.third_party}，{asked.sent.isoformat()}发出{reply}")
    if request.served_on:
        lines.append(f"送达：{request.served_on.isoformat()}（{request.served_way}）")
    lines += [f"文号：{kind} {number}" for kind, number in request.letter_numbers]
    lines += [f"材料：{f.kind}  {f.name}" for f in request.files]
    return lines


# -- changing -----------------------------------------------------------------------------

def _not_future(day: date, today: date, what: str) -> None:
    # Within the program's years first: a request received 1900-01-01 is a slip.
    check_day(day, what)
    if day > today:
        raise UserError(f"{what}不能晚于今天。")


def _text(value: str, what: str) -> str:
    """A clerk's field, trimmed, one line, of a sane length."""
    value = " ".join(value.split())
    if len(value) > MAX_FIELD:
        raise UserError(f"{what}太长了（{len(value)}字），请控制在{MAX_FIELD}字以内。")
    return value


def _id_number(value: str) -> str:
    # A number that looks like a 居民身份证号码 must be one; a passport or a
    # 统一社会信用代码 is kept as written.
    value = "".join(value.split()).upper()
    if re.fullmatch(r"\d{17}[\dX]", value) and not valid_id18(value):
        raise UserError(f"身份证号码「{value}」的校验位不对，请核对。")
    if re.fullmatch(r"\d{15}", value) and not valid_id15(value):
        raise UserError(f"身份证号码「{value}」的出生日期不对，请核对。")
    if len(value) > 40:
        raise UserError("证件号码太长了，请核对。")
    return value


def _delivery(value: str) -> str:
    value = value.strip()
    if value and value not in delivery_ways():
        raise UserError(f"获取方式只能是{'、'.join(delivery_ways())}之一。")
    return value


def register(store: Store, applicant: str, applicant_type: str, received: str, content: str,
             channel: str = "当面提交", organisation_type: str | None = None,
             contact: str = "", today: date | None = None, id_number: str = "",
             address: str = "", delivery: str = "") -> InfoRequest:
    """Enter a request in the register and start its clock.

    ``id_number``, ``address`` and ``delivery`` (the way the applicant chose to
    receive the information) are what the letters print instead of blanks.
    """
    today = today or clock.today()
    id_number, delivery = _id_number(id_number), _delivery(delivery)
    address = _text(address, "通讯地址")
    applicant, content = applicant.strip(), content.strip()
    if not applicant:
        raise UserError("请填写申请人姓名或名称。")
    if applicant_type not in APPLICANT_TYPES:
        raise UserError(f"申请人类型只能是{'或'.join(APPLICANT_TYPES)}。")
    if applicant_type == "法人或其他组织":
        organisation_type = organisation_type or "其他"
        if organisation_type not in ORGANISATION_TYPES:
            raise UserError(f"组织类型只能是{'、'.join(ORGANISATION_TYPES)}之一。")
    elif organisation_type:
        raise UserError("只有法人或其他组织才填写组织类型。")
    if channel not in REQUEST_CHANNELS:
        raise UserError(f"申请方式只能是{'、'.join(REQUEST_CHANNELS)}之一。")
    if not content:
        raise UserError("请填写申请公开的内容。")
    day = parse_date(received)
    _not_future(day, today, "收到申请的日期")
    stamp = now_iso()
    with store.transaction() as conn:
        seq = 1 + (store.scalar("SELECT MAX(seq) FROM info_requests WHERE year = ?",
                                (day.year,)) or 0)
        request_id = f"{day.year}-{seq:03d}"
        conn.execute(
            "INSERT INTO info_requests (id, year, seq, applicant, applicant_type,"
            " organisation_type, contact, channel, received, content, created_at, updated_at,"
            " id_number, address, delivery)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (request_id, day.year, seq, applicant, applicant_type, organisation_type,
             contact.strip(), channel, day.isoformat(), content, stamp, stamp,
             id_number, address, delivery))
        store.audit("request.new", request_id, {"received": day.isoformat(),
                                                "applicant_type": applicant_type})
    return get_request(store, request_id, today)


def _open(store: Store, request_id: str, today: date) -> InfoRequest:
    request = get_request(store, request_id, today)
    if request.answered:
        raise UserError(f"{request.id} 已于{request.answered.isoformat()}答复，办理已经结束。")
    return request


def _update(store: Store, request_id: str, action: str, detail: dict[str, Any],
            sql: str, params: tuple[Any, ...]) -> None:
    # One step of a request: its own write, the request's timestamp and the audit
    # line (its history) in one transaction.
    with store.transaction() as conn:
        conn.execute(sql, params)
        conn.execute("UPDATE info_requests SET updated_at = ? WHERE id = ?",
                     (now_iso(), request_id))
        store.audit(action, request_id, detail)


def send_correction(store: Store, request_id: str, on: str | None = None,
                    today: date | None = None, items: str = "") -> InfoRequest:
    """Record the 补正 notice sent to the applicant: the clock stops until the answer comes.

    ``items`` is what the applicant must supply (the notice names it).
    """
    today = today or clock.today()
    request = _open(store, request_id, today)
    items = _text(items, "补正事项")
    day = parse_date(on) if on else today
    _not_future(day, today, "补正通知日期")
    if request.correction_sent:
        raise UserError(f"{request.id} 已于{request.correction_sent.isoformat()}发出补正通知，"
                        "条例只允许一次性告知补正。")
    if day < request.received:
        raise UserError("补正通知日期不能早于收到申请的日期。")
    _update(store, request.id, "request.correction", {"sent": day.isoformat(), "items": items},
            "UPDATE info_requests SET correction_sent = ?, correction_items = ? WHERE id = ?",
            (day.isoformat(), items, request.id))
    return get_request(store, request.id, today)


def consult(store: Store, request_id: str, third_party: str, on: str | None = None,
            today: date | None = None) -> InfoRequest:
    """Record that a third party was asked for its view: its days are not counted."""
    today = today or clock.today()
    request = _open(store, request_id, today)
    third_party = third_party.strip()
    if not third_party:
        raise UserError("请填写征求意见的第三方名称。")
    day = parse_date(on) if on else today
    _not_future(day, today, "征求意见日期")
    if day < request.clock.start:
        raise UserError("征求意见日期不能早于申请开始计时的日期。")
    _update(store, request.id, "request.consult",
            {"third_party": third_party, "sent": day.isoformat()},
            "INSERT INTO request_consultations (request_id, third_party, sent) VALUES (?, ?, ?)",
            (request.id, third_party, day.isoformat()))
    return get_request(store, request.id, today)


def resume(store: Store, request_id: str, on: str | None = None,
           today: date | None = None, opinion: str | None = None) -> InfoRequest:
    """The clock runs again: the corrected request arrived, or the third party replied.

    ``opinion`` is the third party's answer (同意 or 不同意 公开), dated ``on``.
    """
    today = today or clock.today()
    request = _open(store, request_id, today)
    day = parse_date(on) if on else today
    _not_future(day, today, "恢复计时的日期")
    if opinion is not None and opinion not in opinions():
        raise UserError(f"第三方意见只能是{'或'.join(opinions())}。")
    if request.correction_sent and not request.correction_received:
        if opinion is not None:
            raise UserError(f"{request.id} 正在等待申请人补正，第三方意见要等补正之后再登记。")
        if day < request.correction_sent:
            raise UserError("收到补正材料的日期不能早于补正通知日期。")
        _update(store, request.id, "request.resume", {"correction_received": day.isoformat()},
                "UPDATE info_requests SET correction_received = ? WHERE id = ?",
                (day.isoformat(), request.id))
        return get_request(store, request.id, today)
    waiting = store.query("SELECT id, third_party, sent FROM request_consultations"
                          " WHERE request_id = ? AND replied IS NULL ORDER BY id",
                          (request.id,))
    if not waiting:
        raise UserError(f"{request.id} 的期限没有暂停（没有待补正或征求意见中的事项）。")
    asked = waiting[0]
    if day < date.fromisoformat(asked["sent"]):
        raise UserError("第三方答复日期不能早于征求意见日期。")
    _update(store, request.id, "request.resume",
            {"third_party": asked["third_party"], "replied": day.isoformat(),
             "opinion": opinion},
            "UPDATE request_consultations SET replied = ?, opinion = ? WHERE id = ?",
            (day.isoformat(), opinion, asked["id"]))
    return get_request(store, request.id, today)


def extend(store: Store, request_id: str, days: int, approver: str, on: str | None = None,
           today: date | None = None, reason: str = "") -> InfoRequest:
    """The one extension the law allows, of up to 20 working days, with its approver and reason."""
    today = today or clock.today()
    request = _open(store, request_id, today)
    approver, reason = approver.strip(), _text(reason, "延期理由")
    if request.extension_days:
        raise UserError(f"{request.id} 已经延期过一次，条例只允许延长一次。")
    if not 1 <= days <= EXTENSION_MAX_WORKDAYS:
        raise UserError(f"延长的期限为1到{EXTENSION_MAX_WORKDAYS}个工作日。")
    if not approver:
        raise UserError("延长答复期限须经负责人同意，请填写批准人。")
    day = parse_date(on) if on else today
    _not_future(day, today, "延期决定日期")
    if request.clock.due is None:
        raise UserError("期限暂停期间（待补正或征求意见中）不需要延期。")
    if day > request.clock.due:
        raise UserError(f"延期须在答复期限届满前决定，本件期限为{request.clock.due.isoformat()}。")
    _update(store, request.id, "request.extend",
            {"days": days, "approver": approver, "on": day.isoformat(), "reason": reason},
            "UPDATE info_requests SET extension_days = ?, extension_approver = ?,"
            " extended_on = ?, extension_reason = ? WHERE id = ?",
            (days, approver, day.isoformat(), reason, request.id))
    return get_request(store, request.id, today)


def answer(store: Store, request_id: str, outcome: str, item: str | None = None,
           reason: str = "", on: str | None = None, today: date | None = None,
           referred_to: str = "") -> InfoRequest:
    """Record the reply, in the categories of the annual report.

    ``referred_to`` names the office that does hold the information (and how
    to reach it) when it is not this township's to disclose (第三十六条第五项).
    """
    today = today or clock.today()
    request = _open(store, request_id, today)
    referred_to = _text(referred_to, "负责公开的机关")
    if outcome not in REQUEST_OUTCOMES:
        raise UserError(f"办理结果只能是{'、'.join(REQUEST_OUTCOMES)}之一。")
    items = REQUEST_OUTCOMES[outcome]
    if items and item not in items:
        raise UserError(f"「{outcome}」须注明具体情形：{'；'.join(items)}。")
    if not items and item:
        raise UserError(f"「{outcome}」不分具体情形。")
    day = parse_date(on) if on else today
    _not_future(day, today, "答复日期")
    if day < request.received:
        raise UserError("答复日期不能早于收到申请的日期。")
    if referred_to and item != "本机关不掌握相关政府信息":
        raise UserError("只有「本机关不掌握相关政府信息」才登记负责公开的机关。")
    _update(store, request.id, "request.answer",
            {"outcome": outcome, "item": item, "on": day.isoformat()},
            "UPDATE info_requests SET outcome = ?, outcome_item = ?, outcome_reason = ?,"
            " answered = ?, referred_to = ? WHERE id = ?",
            (outcome, item, reason.strip(), day.isoformat(), referred_to, request.id))
    return get_request(store, request.id, today)


def serve(store: Store, request_id: str, way: str, on: str | None = None,
          today: date | None = None) -> InfoRequest:
    """Record that the reply was delivered (送达): the day and the way, as the 送达回证 says."""
    today = today or clock.today()
    request = get_request(store, request_id, today)
    if way not in served_ways():
        raise UserError(f"送达方式只能是{'、'.join(served_ways())}之一。")
    if not request.answered:
        raise UserError(f"{request.id} 还没有登记答复，答复之后再登记送达。")
    day = parse_date(on) if on else today
    _not_future(day, today, "送达日期")
    if day < request.answered:
        raise UserError("送达日期不能早于答复日期。")
    _update(store, request.id, "request.serve", {"on": day.isoformat(), "way": way},
            "UPDATE info_requests SET served_on = ?, served_way = ? WHERE id = ?",
            (day.isoformat(), way, request.id))
    return get_request(store, request.id, today)


def update_applicant(store: Store, request_id: str, id_number: str | None = None,
                     address: str | None = None, delivery: str | None = None,
                     contact: str | None = None) -> InfoRequest:
    """Fill in or correct the applicant's details (None leaves a field as it is)."""
    request = get_request(store, request_id)
    values = {"id_number": request.id_number if id_number is None else _id_number(id_number),
              "address": request.address if address is None else _text(address, "通讯地址"),
              "delivery": request.delivery if delivery is None else _delivery(delivery),
              "contact": request.contact if contact is None else _text(contact, "联系方式")}
    changed = [key for key, value in values.items() if value != getattr(request, key)]
    if not changed:
        return request
    _update(store, request.id, "request.edit", {"changed": changed},
            "UPDATE info_requests SET id_number = ?, address = ?, delivery = ?, contact = ?"
            " WHERE id = ?", (values["id_number"], values["address"], values["delivery"],
                              values["contact"], request.id))
    return get_request(store, request.id)


def attach(store: Store, request_id: str, path: Path, kind: str) -> InfoRequest:
    """Keep a document with the request: copied into the data folder under its hash."""
    request_id = resolve_id(store, request_id)
    if kind not in REQUEST_FILE_KINDS:
        raise UserError(f"材料类型只能是{'、'.join(REQUEST_FILE_KINDS)}之一。")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取文件「{path.name}」。", str(exc)) from exc
    if not data:
        raise UserError(f"文件「{path.name}」是空的。")
    digest = hashlib.sha256(data).hexdigest()
    relative = Path("requests") / request_id / f"{digest[:12]}{path.suffix.lower()}"
    target = store.folder / relative
    keep_once(target, data)
    with store.transaction() as conn:
        conn.execute("INSERT INTO request_files (request_id, kind, name, path, sha256, added_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (request_id, kind, path.name,
                                                    relative.as_posix(), digest, now_iso()))
        store.audit("request.attach", request_id, {"kind": kind, "name": path.name})
    return get_request(store, request_id)
