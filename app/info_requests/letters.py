"""The letters of a 依申请公开 case: receipt, 补正 and extension notices, third-party letter, reply.

Each letter is drafted from resources/templates/letters.toml and the request's
own dates and outcome, edited by the clerk, then printed through the same
renderers as a board sheet (:mod:`app.printing.sheet_pdf`, :mod:`app.printing.sheet_docx`) and
kept in the case file as a PDF (:func:`app.info_requests.cases.attach`).

The clerk's edited text is kept per request and kind, with a fingerprint of
the draft it was edited from: when the register changes afterwards (another
outcome, a new extension) the letter says it is stale instead of silently
printing the old facts.

``【…】`` marks what only the clerk can write (which part is withheld, the
reason for the extension) where the register does not hold it; a letter
that still has one may be previewed and saved as a draft file (marked 草稿,
its blanks listed) but is neither kept in the case file nor printed final.

What the clerk wrote in the register (a reason, the items to 补正) goes into
a letter as a sentence of its own: it is closed with a full stop and placed
after a colon or a full stop of the template, never glued onto template words.

A final letter carries its 文号 (青政依复〔2026〕3号), given once when it is
first kept or printed final and never given again (table ``letter_numbers``).
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
from app.info_requests.cases import InfoRequest, attach, get_request, register_facts
from app.info_requests.deadlines import ANSWER_WORKDAYS
from app.printing.output import PrintOptions, PrintTarget, Rendered, check_options
from app.printing.sheet import Block, Sheet, chinese_date, split_body
from app.store import Store, now_iso
from app.township import Township, get_township
from app.workdays import Calendar
from resources import RESOURCES

LETTERS = RESOURCES / "templates" / "letters.toml"
MAX_LETTER = 5000
PREFIX_SETTING = "letter_prefix"
_TO_FILL = re.compile(r"【[^】]*】")
#: Where a sentence may end; a clerk's sentence that ends otherwise is closed with 。.
_SENTENCE_END = "。！？"
#: Punctuation a clerk may leave at either end of a phrase (dropped before it is placed).
_LOOSE = "，、；：,;:.。 　\t"


@cache
def _templates() -> dict[str, Any]:
    return tomllib.loads(LETTERS.read_text(encoding="utf-8"))


def letter_title(kind: str) -> str:
    """The printed title of a letter kind (政府信息公开申请答复书 …)."""
    return str(_templates()[kind]["title"])


def _attachment_marks() -> tuple[str, ...]:
    return tuple(_templates()["附件提法"])


def _is_attachment_line(line: str) -> bool:
    return line.startswith(("附件：", "附件:"))


def needs_attachment(body: str) -> bool:
    """Whether the text refers to an attachment (「（见附件）」 …) outside an 附件 line."""
    marks = _attachment_marks()
    return any(mark in line for line in body.splitlines() if not _is_attachment_line(line)
               for mark in marks)


def with_attachment(body: str, name: str = "") -> str:
    """The text with its 附件 line: added (``name``, else a blank) when it refers to one."""
    if not needs_attachment(body) or any(_is_attachment_line(line)
                                         for line in body.splitlines()):
        return body
    return body.rstrip("\n") + "\n附件：" + (name or "【附件名称】")


def blanks(text: str) -> list[str]:
    """The ``【…】`` places in a text, in order (a place written twice counts twice)."""
    return _TO_FILL.findall(text)


@dataclass(frozen=True)
class LetterDraft:
    """The text of one letter of one request, and where it stands.

    ``number`` is the letter's 文号 once given (empty before it is kept or
    printed final).
    """

    request_id: str
    kind: str
    title: str
    addressee: str
    body: str
    edited: bool
    stale: bool
    number: str = ""

    @property
    def to_fill(self) -> list[str]:
        """The ``【…】`` places the clerk has still to write."""
        return blanks(self.body)

    def to_json(self) -> dict[str, Any]:
        """As JSON for ``gongkai request letter --json``."""
        return {"request": self.request_id, "kind": self.kind, "title": self.title,
                "addressee": self.addressee, "body": self.body, "edited": self.edited,
                "stale": self.stale, "to_fill": self.to_fill, "number": self.number or None}


def blanks_sentence(places: list[str], then: str) -> str:
    """One sentence naming the blanks left: 文书里还有2处【】需要填写（【延期理由】、…），…"""
    named = "、".join(dict.fromkeys(places))
    return f"文书里还有{len(places)}处【】需要填写（{named}），{then}"


def check_kind(kind: str) -> None:
    """Refuse a letter kind gongkai does not draft."""
    if kind not in LETTER_KINDS:
        raise UserError(f"文书只能是{'、'.join(LETTER_KINDS)}之一。")


def available_kinds(request: InfoRequest) -> list[str]:
    """The letters the register has the facts for, in the order a case is worked."""
    facts = {"登记回执": True,
             "补正通知": request.correction_sent is not None,
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


def phrase(text: str) -> str:
    """A clerk's words as a phrase to quote: one line, no loose punctuation at either end."""
    return " ".join(text.split()).strip(_LOOSE)


def sentence(text: str, blank: str = "") -> str:
    """A clerk's words as a whole sentence ending in 。 (or the blank, closed, when empty).

    The template places it after a colon or a full stop and goes on with a new
    sentence, so whatever the clerk ended with, no two clauses run together.
    """
    words = " ".join(text.split()).lstrip(_LOOSE)
    if words and words[-1] in _SENTENCE_END:
        return words
    words = words.rstrip(_LOOSE)
    return (words or blank) + "。" if (words or blank) else ""


def _day(d: date | None) -> str:
    return chinese_date(d) if d else "【日期】"


def _values(request: InfoRequest, info: Township, cal: Calendar) -> dict[str, str]:
    spec = _templates()
    asked = request.consultations[-1] if request.consultations else None
    legal = cal.add_workdays(request.clock.start, ANSWER_WORKDAYS)
    return {
        "申请人": request.applicant, "申请编号": request.id,
        "收到日期": _day(request.received), "申请内容": phrase(request.content),
        "申请方式": request.channel.removesuffix("提交"),
        "乡镇名称": info.township, "县": info.county or "【县（市、区）】",
        "答复期限": _day(request.clock.due), "延期天数": str(request.extension_days),
        "法定期限": chinese_date(legal.date) + ("" if legal.calendar_known
                                               else "（按周一至周五推算）"),
        "第三方": asked.third_party if asked else "",
        "第三方答复日期": _day(asked.replied if asked else None),
        "补正收到日期": _day(request.correction_received),
        "补正通知日期": _day(request.correction_sent),
        "联系电话": info.phone or "【联系电话】",
        "获取方式": request.delivery,
        "具体理由": sentence(request.outcome_reason, spec["答复书"]["具体理由"]),
        "补正事项": sentence(request.correction_items, spec["补正通知"]["补正事项"]),
        "延期理由": sentence(request.extension_reason, spec["延期通知"]["延期理由"]),
        "负责机关": sentence(request.referred_to, "【负责公开的机关及其联系方式】"),
    }


def _withheld_touches_third_party(request: InfoRequest) -> bool:
    words = _templates()["答复书"]["涉及第三方"]["词语"]
    refused = any(c.opinion == "不同意" for c in request.consultations)
    return refused or any(word in request.outcome_reason for word in words)


def _consulted(request: InfoRequest, values: dict[str, str]) -> str:
    reply = _templates()["答复书"]
    asked = request.consultations[-1]
    said = ("逾期" if asked.replied is None else asked.opinion or "未记意见")
    return _fill(reply["consulted"], {**values, "第三方意见": _fill(reply["第三方意见"][said],
                                                                  values)})


def _reply_body(request: InfoRequest, values: dict[str, str]) -> str:
    reply = _templates()["答复书"]
    key = request.outcome or ""
    if request.outcome_item:
        key += "/" + request.outcome_item
    if request.outcome_item == "本机关不掌握相关政府信息" and request.referred_to:
        text = reply["not_ours"]
    else:
        text = reply["正文"].get(key) or reply["正文"].get(request.outcome or "",
                                                          "【请写明答复内容】")
    parts = [reply["corrected"] if request.correction_received else reply["opening"]]
    if request.consultations:
        parts.append(_consulted(request, values))
    parts.append(text)
    if request.outcome == "部分公开" and _withheld_touches_third_party(request):
        parts.append(reply["涉及第三方"]["句子"])
    if request.outcome_reason.strip() and "{具体理由}" not in text:
        # The reason recorded with the answer belongs in the letter the applicant reads.
        parts.append(reply["reason"])
    if request.delivery:
        parts.append(reply["delivery"])
    parts += [reply["remedy"], reply["closing"]]
    body = "\n".join(_fill(part, values) for part in parts)
    return with_attachment(body, _fill(reply["附件"].get(request.outcome or "", ""), values))


def template_text(request: InfoRequest, kind: str, info: Township, cal: Calendar) -> str:
    """The letter as the template drafts it from the register (no clerk's edits)."""
    check_kind(kind)
    if kind not in available_kinds(request):
        raise UserError(_why_not(kind))
    values = _values(request, info, cal)
    if kind == "答复书":
        return _reply_body(request, values)
    spec = _templates()[kind]
    if kind == "登记回执":
        said = spec["送达"] if request.delivery else spec["未选送达"]
        values["送达说明"] = _fill(said, values)
    return with_attachment("\n".join(_fill(part, values)
                                      for part in (spec["body"], spec["closing"])))


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
    drafted = template_text(request, kind, get_township(store), Calendar.from_store(store))
    fingerprint = _fingerprint(request, kind, drafted)
    rows = store.query("SELECT body, drafted_from FROM request_letters"
                       " WHERE request_id = ? AND kind = ?", (request.id, kind))
    body, edited = (with_attachment(rows[0]["body"]), True) if rows else (drafted, False)
    stale = bool(rows) and rows[0]["drafted_from"] != fingerprint
    return (LetterDraft(request.id, kind, letter_title(kind), addressee(request, kind), body,
                        edited=edited, stale=stale, number=dict(request.letter_numbers).get(
                            kind, "")), fingerprint)


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
    """Keep the clerk's text of a letter (replacing any earlier edit), in one transaction.

    A text with blanks left is saved too: it is the clerk's draft.
    """
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


# -- 文号 ----------------------------------------------------------------------------------

def default_prefix(township: str) -> str:
    """The 文号 prefix a township gets unless it sets one: 青石镇 → 青政依复."""
    return (township[:1] or "【机关代字】") + str(register_facts()["文号"]["后缀"])


def letter_prefix(store: Store) -> str:
    """The township's 文号 prefix (its setting, else the default from its name)."""
    return (store.get_setting(PREFIX_SETTING) or "").strip() or default_prefix(
        get_township(store).township)


def set_letter_prefix(store: Store, prefix: str) -> str:
    """Set the 文号 prefix (empty: back to the default); numbers already given keep theirs."""
    prefix = "".join(prefix.split())
    if len(prefix) > 12:
        raise UserError("文号前缀太长了（至多12个字），例如：青政依复。")
    if any(c in prefix for c in "〔〕[]【】()（）"):
        raise UserError("文号前缀只写机关代字，不带括号和年份，例如：青政依复。")
    store.set_settings({PREFIX_SETTING: prefix})
    return letter_prefix(store)


def _number_text(prefix: str, year: int, seq: str) -> str:
    return _fill(str(register_facts()["文号"]["样式"]), {"前缀": prefix, "年": str(year),
                                                       "号": seq})


def unnumbered(store: Store, year: int) -> str:
    """How a letter not yet numbered shows its 文号 line: the number left open."""
    return _number_text(letter_prefix(store), year, str(register_facts()["文号"]["未编号"]))


def number_letter(store: Store, request_id: str, kind: str, year: int) -> str:
    """The letter's 文号: the one it was given, or the next of ``year``, kept for good."""
    with store.transaction() as conn:
        given = store.scalar("SELECT number FROM letter_numbers WHERE request_id = ?"
                             " AND kind = ?", (request_id, kind))
        if given:
            return str(given)
        seq = 1 + (store.scalar("SELECT MAX(seq) FROM letter_numbers WHERE year = ?",
                                (year,)) or 0)
        number = _number_text(letter_prefix(store), year, str(seq))
        conn.execute("INSERT INTO letter_numbers (request_id, kind, year, seq, number,"
                     " assigned_at) VALUES (?, ?, ?, ?, ?, ?)",
                     (request_id, kind, year, seq, number, now_iso()))
        store.audit("request.letter_number", request_id, {"kind": kind, "number": number})
    return number


# -- printing ------------------------------------------------------------------------------

def _letter_day(request: InfoRequest, kind: str, today: date) -> date:
    """The date printed under the signature: the day the register says the letter went out."""
    day = {"登记回执": request.received,
           "补正通知": request.correction_sent, "延期通知": request.extended_on,
           "征求意见函": request.consultations[-1].sent if request.consultations else None,
           "答复书": request.answered}[kind]
    return day or today


def letter_sheet(store: Store, request_id: str, kind: str, body: str | None = None,
                 today: date | None = None, final: bool = False) -> Sheet:
    """The letter laid out as a sheet: 文号, addressee flush left, paragraphs, seal and date.

    ``final`` is the letter as sent: refused while blanks remain, and given its
    文号 (once). Otherwise it is a preview: a text with blanks prints as a 草稿
    whose first line lists them, and a letter not yet numbered leaves the number open.
    """
    today = today or clock.today()
    request = get_request(store, request_id, today)
    draft = _draft(store, request, kind)[0]
    info = get_township(store)
    text = with_attachment(_clean(body)) if body is not None else draft.body
    left = blanks(text)
    day = _letter_day(request, kind, today)
    if final and left:
        raise UserError(blanks_sentence(left, "填好后才能生成正式文书。"))
    number = (number_letter(store, request.id, kind, day.year) if final
              else draft.number or unnumbered(store, day.year))
    blocks = [Block(text=number, flush=True)]
    if left:
        named = "、".join(dict.fromkeys(left))
        blocks.append(Block(text=f"草稿：还有{len(left)}处【】待填写（{named}），"
                                 "填好后才能作为正式文书送达。", flush=True))
    blocks += [Block(text=f"{draft.addressee}：", flush=True), *split_body(text)]
    issuer = f"{info.township}人民政府" if info.township else "【发文机关】"
    # A letter that already gives the number (the 登记回执) does not print it twice.
    phone = "" if info.phone and info.phone in text else info.phone
    return Sheet(draft.title, blocks, publicity="", phone=phone, issuer=issuer,
                 dated=chinese_date(day), draft=bool(left), phone_label="联系电话")


def render_letter(store: Store, request_id: str, kind: str, out: Path, options: PrintOptions,
                  body: str | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  final: bool = False) -> Rendered:
    """Write the letter (A4) to ``out`` as PDF or DOCX, atomically (``final``: see letter_sheet)."""
    check_options(False, options)
    sheet = letter_sheet(store, request_id, kind, body, final=final)
    pages = 0
    if options.fmt == "pdf":
        from app.printing.sheet_pdf import render_sheet_pdf

        pages = render_sheet_pdf(sheet, out, "A4", progress=progress)
    else:
        from app.printing.sheet_docx import render_sheet_docx

        render_sheet_docx(sheet, out, "A4")
    if progress and not pages:
        progress(1, 1)
    return Rendered(out, pages, draft=sheet.draft, handout=False, what=kind)


def keep_letter(store: Store, request_id: str, kind: str, body: str | None = None,
                today: date | None = None) -> InfoRequest:
    """Save the text, print it final to PDF (with its 文号) and keep it in the case file."""
    draft = (save_letter(store, request_id, kind, body, today) if body is not None
             else get_letter(store, request_id, kind, today))
    if draft.to_fill:
        raise UserError(blanks_sentence(draft.to_fill, "填好后再存入案卷。"))
    if draft.stale:
        raise UserError("登记的办理情况在文书修改之后变了，"
                        "请核对文书（或恢复模板文字）后再存入案卷。")
    with tempfile.TemporaryDirectory(prefix="gongkai-letter-") as folder:
        pdf = Path(folder) / f"{draft.title}（{draft.request_id}）.pdf"
        render_letter(store, draft.request_id, kind, pdf, PrintOptions("pdf"), final=True)
        return attach(store, draft.request_id, pdf, kind)


def letter_target(request_id: str, kind: str, body: str | None = None) -> PrintTarget:
    """The letter as the print preview's target (always A4), with the text being edited."""
    return PrintTarget(lambda store: f"{letter_title(kind)}（{request_id}）",
                       lambda store, out, options, progress: render_letter(
                           store, request_id, kind, out, options, body, progress),
                       choose_paper=False)
