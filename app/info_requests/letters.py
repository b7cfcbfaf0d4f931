"""The letters of a 依申请公开 case: reply, 补正 notice, extension notice, third-party letter.

Each letter is drafted from resources/templates/letters.toml and the request's
own dates and outcome, edited by the clerk, then printed through the same
renderers as a board sheet (:mod:`app.printing.sheet_pdf`, :mod:`app.printing.sheet_docx`) and
kept in the case file as a PDF (:func:`app.info_requests.cases.attach`).

The clerk's edited text is kept per request and kind, with a fingerprint of
the draft it was edited from: when the register changes afterwards (another
outcome, a new extension) the letter says it is stale instead of silently
printing the old facts.

``【…】`` marks what only the clerk can write (which part is withheld, the
reason for the extension); a letter that still has one may be previewed and
saved as a draft file but is not kept in the case file.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from app import clock
from app.errors import UserError
from app.facts import LETTER_KINDS
from app.info_requests.cases import InfoRequest, attach, get_request
from app.printing.output import PrintOptions, PrintTarget, Rendered, check_options
from app.printing.sheet import Block, Sheet, chinese_date, split_body
from app.store import Store, now_iso
from app.township import get_township
from resources import RESOURCES

LETTERS = RESOURCES / "templates" / "letters.toml"
MAX_LETTER = 5000
_TO_FILL = re.compile(r"【[^】]*】")


@cache
def _templates() -> dict[str, Any]:
    return tomllib.loads(LETTERS.read_text(encoding="utf-8"))


def letter_title(kind: str) -> str:
    """The printed title of a letter kind (政府信息公开申请答复书 …)."""
    return str(_templates()[kind]["title"])


@dataclass(frozen=True)
class LetterDraft:
    """The text of one letter of one request, and where it stands."""

    request_id: str
    kind: str
    title: str
    addressee: str
    body: str
    edited: bool
    stale: bool

    @property
    def to_fill(self) -> list[str]:
        """The ``【…】`` places the clerk has still to write."""
        return _TO_FILL.findall(self.body)

    def to_json(self) -> dict[str, Any]:
        """As JSON for ``gongkai request letter --json``."""
        return {"request": self.request_id, "kind": self.kind, "title": self.title,
                "addressee": self.addressee, "body": self.body, "edited": self.edited,
                "stale": self.stale, "to_fill": self.to_fill}


def check_kind(kind: str) -> None:
    """Refuse a letter kind gongkai does not draft."""
    if kind not in LETTER_KINDS:
        raise UserError(f"文书只能是{'、'.join(LETTER_KINDS)}之一。")


def available_kinds(request: InfoRequest) -> list[str]:
    """The letters the register has the facts for, in the order a case is worked."""
    facts = {"补正通知": request.correction_sent is not None,
             "延期通知": request.extension_days > 0,
             "征求意见函": bool(request.consultations),
             "答复书": request.outcome is not None}
    return [kind for kind in LETTER_KINDS if facts[kind]]


def _why_not(kind: str) -> str:
    return {"补正通知": "这件申请还没有登记补正通知，请先登记发出补正通知的日期。",
            "延期通知": "这件申请还没有延期，请先登记延长的天数和批准人。",
            "征求意见函": "这件申请还没有征求第三方意见，请先登记征求意见。",
            "答复书": "这件申请还没有登记办理结果，请先登记答复（办理结果）。"}[kind]


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _values(request: InfoRequest, township: str, county: str) -> dict[str, str]:
    def day(d: date | None) -> str:
        return chinese_date(d) if d else "【日期】"

    return {
        "申请人": request.applicant, "申请编号": request.id,
        "收到日期": day(request.received), "申请内容": request.content.rstrip("。"),
        "乡镇名称": township, "县": county or "【县（市、区）】",
        "答复期限": day(request.clock.due), "延期天数": str(request.extension_days),
        "第三方": request.consultations[-1].third_party if request.consultations else "",
        "补正收到日期": day(request.correction_received),
        "补正通知日期": day(request.correction_sent),
        "具体理由": request.outcome_reason.strip().rstrip("。") or "【具体理由】",
    }


def _reply_body(request: InfoRequest, values: dict[str, str]) -> str:
    reply = _templates()["答复书"]
    key = request.outcome or ""
    if request.outcome_item:
        key += "/" + request.outcome_item
    text = reply["正文"].get(key) or reply["正文"].get(request.outcome or "", "【请写明答复内容】")
    if request.outcome_reason.strip() and "{具体理由}" not in text:
        # The reason recorded with the answer belongs in the letter the applicant reads.
        text += f"具体理由：{request.outcome_reason.strip().rstrip('。')}。"
    opening = reply["corrected"] if request.correction_received else reply["opening"]
    return "\n".join(_fill(part, values) for part in
                     (opening, text, reply["remedy"], reply["closing"]))


def template_text(request: InfoRequest, kind: str, township: str, county: str) -> str:
    """The letter as the template drafts it from the register (no clerk's edits)."""
    check_kind(kind)
    if kind not in available_kinds(request):
        raise UserError(_why_not(kind))
    values = _values(request, township, county)
    if kind == "答复书":
        return _reply_body(request, values)
    spec = _templates()[kind]
    return "\n".join(_fill(part, values) for part in (spec["body"], spec["closing"]))


def addressee(request: InfoRequest, kind: str) -> str:
    """Who the letter is to: the third party for a 征求意见函, the applicant otherwise."""
    if kind == "征求意见函" and request.consultations:
        return request.consultations[-1].third_party
    return request.applicant


def _fingerprint(request: InfoRequest, kind: str, drafted: str) -> str:
    # The addressee prints outside the body (a second third party changes only that).
    text = addressee(request, kind) + "\n" + drafted
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _draft(store: Store, request: InfoRequest, kind: str) -> tuple[LetterDraft, str]:
    """The letter of a request already read, and the fingerprint of its template draft."""
    info = get_township(store)
    drafted = template_text(request, kind, info.township, info.county)
    fingerprint = _fingerprint(request, kind, drafted)
    rows = store.query("SELECT body, drafted_from FROM request_letters"
                       " WHERE request_id = ? AND kind = ?", (request.id, kind))
    body, edited = (rows[0]["body"], True) if rows else (drafted, False)
    stale = bool(rows) and rows[0]["drafted_from"] != fingerprint
    return (LetterDraft(request.id, kind, letter_title(kind), addressee(request, kind), body,
                        edited=edited, stale=stale), fingerprint)


def get_letter(store: Store, request_id: str, kind: str,
               today: date | None = None) -> LetterDraft:
    """The letter's text: the clerk's saved edit, else the fresh draft from the template."""
    return _draft(store, get_request(store, request_id, today), kind)[0]


def _clean(body: str) -> str:
    lines = [line.strip() for line in body.replace("\r\n", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise UserError("文书内容不能为空。")
    if len(text) > MAX_LETTER:
        raise UserError(f"文书太长了（{len(text)}字），请控制在{MAX_LETTER}字以内。")
    return text


def save_letter(store: Store, request_id: str, kind: str, body: str,
                today: date | None = None) -> LetterDraft:
    """Keep the clerk's text of a letter (replacing any earlier edit), in one transaction."""
    request = get_request(store, request_id, today)
    _, fingerprint = _draft(store, request, kind)
    text = _clean(body)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO request_letters (request_id, kind, body, drafted_from, saved_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id, kind) DO UPDATE SET"
            " body = excluded.body, drafted_from = excluded.drafted_from,"
            " saved_at = excluded.saved_at",
            (request.id, kind, text, fingerprint, now_iso()))
        store.audit("request.letter", request.id, {"kind": kind, "chars": len(text)})
    return _draft(store, request, kind)[0]


def reset_letter(store: Store, request_id: str, kind: str,
                 today: date | None = None) -> LetterDraft:
    """Drop the clerk's edit: the letter follows the template (and the register) again."""
    request = get_request(store, request_id, today)
    check_kind(kind)
    with store.transaction() as conn:
        gone = conn.execute("DELETE FROM request_letters WHERE request_id = ? AND kind = ?",
                            (request.id, kind)).rowcount
        if gone:
            store.audit("request.letter_reset", request.id, {"kind": kind})
    return _draft(store, request, kind)[0]


def _letter_day(request: InfoRequest, kind: str, today: date) -> date:
    """The date printed under the signature: the day the register says the letter went out."""
    day = {"补正通知": request.correction_sent, "延期通知": request.extended_on,
           "征求意见函": request.consultations[-1].sent if request.consultations else None,
           "答复书": request.answered}[kind]
    return day or today


def letter_sheet(store: Store, request_id: str, kind: str, body: str | None = None,
                 today: date | None = None) -> Sheet:
    """The letter laid out as a sheet: addressee flush left, paragraphs, seal and date."""
    today = today or clock.today()
    request = get_request(store, request_id, today)
    draft = _draft(store, request, kind)[0]
    info = get_township(store)
    text = _clean(body) if body is not None else draft.body
    blocks = [Block(text=f"{draft.addressee}：", flush=True), *split_body(text)]
    issuer = f"{info.township}人民政府" if info.township else "【发文机关】"
    return Sheet(draft.title, blocks, publicity="", phone=info.phone, issuer=issuer,
                 dated=chinese_date(_letter_day(request, kind, today)), draft=False,
                 phone_label="联系电话")


def render_letter(store: Store, request_id: str, kind: str, out: Path, options: PrintOptions,
                  body: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Rendered:
    """Write the letter (A4) to ``out`` as PDF or DOCX, atomically."""
    check_options(False, options)
    sheet = letter_sheet(store, request_id, kind, body)
    pages = 0
    if options.fmt == "pdf":
        from app.printing.sheet_pdf import render_sheet_pdf

        pages = render_sheet_pdf(sheet, out, "A4", progress=progress)
    else:
        from app.printing.sheet_docx import render_sheet_docx

        render_sheet_docx(sheet, out, "A4")
    if progress and not pages:
        progress(1, 1)
    return Rendered(out, pages, draft=False, handout=False, what=kind)


def keep_letter(store: Store, request_id: str, kind: str, body: str | None = None,
                today: date | None = None) -> InfoRequest:
    """Save the text, print it to PDF and keep that PDF in the case file under its kind."""
    draft = (save_letter(store, request_id, kind, body, today) if body is not None
             else get_letter(store, request_id, kind, today))
    if draft.to_fill:
        raise UserError(f"文书里还有{len(draft.to_fill)}处【】需要填写（如{draft.to_fill[0]}），"
                        "填好后再存入案卷。")
    if draft.stale:
        raise UserError("登记的办理情况在文书修改之后变了，"
                        "请核对文书（或恢复模板文字）后再存入案卷。")
    with tempfile.TemporaryDirectory(prefix="gongkai-letter-") as folder:
        pdf = Path(folder) / f"{draft.title}（{draft.request_id}）.pdf"
        render_letter(store, draft.request_id, kind, pdf, PrintOptions("pdf"))
        return attach(store, draft.request_id, pdf, kind)


def letter_target(request_id: str, kind: str, body: str | None = None) -> PrintTarget:
    """The letter as the print preview's target (always A4), with the text being edited."""
    return PrintTarget(lambda store: f"{letter_title(kind)}（{request_id}）",
                       lambda store, out, options, progress: render_letter(
                           store, request_id, kind, out, options, body, progress),
                       choose_paper=False)
