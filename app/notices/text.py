"""The words of a notice: its title pattern, its body outline, and which 要素 it covers.

A body is read the way a clerk writes it: numbered headings (``一、…：``) with
what is written on the same line or under them, plain paragraphs, and 名单
pasted from Excel or WPS (tab-separated, space-aligned or ``|``-separated rows,
the first row the header). Which 名单 columns speak to which 要素, and which
明白纸 section a 要素 belongs in, are data: ``resources/elements.toml``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from app.catalog.item import CatalogItem
from app.facts import NOTICE_KINDS, PUBLICITY_UNITS, squash
from resources import RESOURCES

ELEMENTS = RESOURCES / "elements.toml"
#: The 要素 of a 政策解读 and the default questions of a 简明问答.
INTERPRETATION = RESOURCES / "interpretation.toml"
_NUMERALS = "一二三四五六七八九十"
#: A 要素 "申请人姓名" names the field 姓名; the qualifier before the field word is short.
_MAX_QUALIFIER = 6
#: A header cell "月保障金额" means 保障金额; a longer lead-in is another column.
_MAX_HEADER_LEAD = 4
_JOINERS = re.compile(r"[和及与、]")
_NOT_A_QUALIFIER = re.compile(r"[和及与、，,；;（）()\[\]【】：:或]")


# --- the vocabulary (resources/elements.toml) -------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """What resources/elements.toml says, ready to match against."""

    list_words: tuple[str, ...]
    closing_words: tuple[str, ...]
    #: field label → words a 要素 ends with when it names that field
    element_words: dict[str, tuple[str, ...]]
    #: field label → header cells (normalised) that mean that field
    columns: dict[str, frozenset[str]]
    #: 明白纸 sections in printed order: (name, rank, always, words)
    handout: tuple[tuple[str, int, bool, tuple[str, ...]], ...]
    person: str = "姓名"


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary of 名单 columns and 明白纸 sections."""
    data: dict[str, Any] = tomllib.loads(ELEMENTS.read_text(encoding="utf-8"))
    fields = data["fields"]
    return Vocabulary(
        list_words=tuple(data["lists"]["words"]),
        closing_words=tuple(data["closing_lines"]["words"]),
        element_words={f["label"]: tuple(sorted(f["elements"], key=len, reverse=True))
                       for f in fields},
        columns={f["label"]: frozenset(_cell_key(c) for c in f["columns"]) for f in fields},
        handout=tuple((h["section"], int(h["rank"]), bool(h.get("always", False)),
                       tuple(h["words"])) for h in data["handout"]),
        person=fields[0]["label"],
    )


def _cell_key(text: str) -> str:
    """A header cell as compared: no spaces, no units in brackets, no trailing colon."""
    text = squash(unicodedata.normalize("NFKC", text))
    text = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】", "", text)
    return text.strip(":：*＊")


# --- 要素 that are lists, and 要素 that are a column of one ------------------------------


def is_list_element(element: str) -> bool:
    """Whether the 要素 is itself a list (``初审对象名单及相关信息``)."""
    return any(w in element for w in vocabulary().list_words)


def _field_of_phrase(phrase: str) -> tuple[str, str] | None:
    """(field, qualifier) when the phrase ends with a field word: 申请人姓名 → (姓名, 申请人)."""
    best: tuple[str, str, int] | None = None
    for label, words in vocabulary().element_words.items():
        for word in words:
            if not phrase.endswith(word):
                continue
            qualifier = phrase[: len(phrase) - len(word)]
            if len(qualifier) > _MAX_QUALIFIER or _NOT_A_QUALIFIER.search(qualifier):
                continue
            if best is None or len(word) > best[2]:
                best = (label, qualifier, len(word))
    return (best[0], best[1]) if best else None


def element_fields(element: str) -> list[tuple[str, str]] | None:
    """The 名单 fields a 要素 names, each with the phrase that names it; None if it names none.

    ``补贴标准和金额`` names two (补贴标准, 补贴金额: the second word borrows the
    first one's qualifier); a 要素 any part of which is not a field is no column.
    """
    element = squash(element)
    if not element or is_list_element(element):
        return None
    whole = _field_of_phrase(element)
    if whole:
        return [(whole[0], element)]
    parts = [p for p in _JOINERS.split(element) if p]
    if len(parts) < 2:
        return None
    named: list[tuple[str, str]] = []
    for n, part in enumerate(parts):
        found = _field_of_phrase(part)
        # 金额 in 补贴标准和金额 is 补贴金额: try the first word's beginnings in front of it.
        for k in range(len(parts[0]) - 1, 0, -1):
            if found is not None or not n:
                break
            if (found := _field_of_phrase(parts[0][:k] + part)) is not None:
                part = parts[0][:k] + part
        if found is None:
            return None
        named.append((found[0], part))
    return named


def is_column_element(element: str) -> bool:
    """Whether the 要素 is a column of a 名单 (姓名, 家庭成员数量, 保障金额, 所在村 …)."""
    return element_fields(element) is not None


@dataclass(frozen=True)
class Roster:
    """Where an item's 名单 goes in an outline: its heading, its columns, what it covers."""

    heading: str
    columns: list[str]
    covers: list[str]
    at: int


def roster_of(elements: Sequence[str]) -> Roster | None:
    """The one 名单 table an item's outline has, if its 要素 call for one.

    A table when the item names a 名单 and at least one column of it, or, with no
    名单 named, two or more columns one of which is the person (补贴对象姓名, 补贴面积 …).
    """
    lists = [e for e in elements if is_list_element(e)]
    columns = [e for e in elements if is_column_element(e)]
    if not columns:
        return None
    person = vocabulary().person
    has_person = any(f == person for e in columns for f, _ in element_fields(e) or [])
    if not lists and not (len(columns) >= 2 and has_person):
        return None
    heading = lists[0] if lists else "名单"
    header = ["序号"] + ([] if has_person else [person]) + columns
    covers = ([lists[0]] if lists else []) + columns
    return Roster(heading, header, covers, min(list(elements).index(e) for e in covers))


# --- titles --------------------------------------------------------------------------------


def join_words(left: str, right: str) -> str:
    """``left + right`` without saying a word twice at the join: 政府采购 + 采购意向 → 政府采购意向.

    A run of two or more characters that ends ``left`` and opens what follows is
    said once, as often as it comes back.
    """
    while True:
        overlap = next((k for k in range(min(len(left), len(right)), 1, -1)
                        if left.endswith(right[:k])), 0)
        if not overlap:
            return left + right
        right = right[overlap:]


def _subject(item: CatalogItem) -> str:
    if not item.level2 or item.level2 in item.level1:
        return item.level1
    return join_words(item.level1, item.level2)


def title_for(item: CatalogItem, kind: str, township: str = "") -> str:
    """The usual title: ``青石镇关于最低生活保障审核信息的公示``.

    No word is said twice where the parts meet: 政府采购 + 采购意向 is
    ``政府采购意向``, and an item that is itself a 公示 is not ``…公示的公示``.
    """
    subject = _subject(item)
    if kind == "明白纸":
        return join_words(subject, "明白纸")
    if subject.endswith(kind) and len(subject) > len(kind) + 1:
        subject = subject[: -len(kind)]
    return f"{township}关于{subject}的{kind}"


# --- outlines ------------------------------------------------------------------------------


def _heading(n: int) -> str:
    return (_NUMERALS[n] if n < 10 else str(n + 1)) + "、"


def _notice_sections(elements: Sequence[str], written: str = "") -> list[tuple[str, list[str]]]:
    """(heading, table header or []) for each section of a 公告/公示/通知 body.

    A 要素 the outline writes out itself (监督电话, in its own line) gets no
    empty heading of its own.
    """
    roster = roster_of(elements)
    sections: list[tuple[str, list[str]]] = []
    for n, element in enumerate(elements):
        if roster and n == roster.at:
            sections.append((roster.heading, roster.columns))
        if not (roster and element in roster.covers) and squash(element) not in written:
            sections.append((element, []))
    return sections


def handout_sections(elements: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The 明白纸 sections (plain name, the 要素 it speaks to), in printed order.

    Each 要素 goes in the section whose words it uses (申请材料 → 要带什么材料);
    one that fits none becomes a section of its own, before 找谁咨询.
    """
    sections = vocabulary().handout
    placed: dict[str, list[str]] = {name: [] for name, *_ in sections}
    own: list[str] = []
    by_rank = sorted(sections, key=lambda s: s[1])
    for element in elements:
        home = next((name for name, _, _, words in by_rank if any(w in element for w in words)),
                    None)
        if home is None:
            own.append(element)
        else:
            placed[home].append(element)
    out: list[tuple[str, list[str]]] = []
    for n, (name, _, always, _) in enumerate(sections):
        if n == len(sections) - 1:
            out += [(e, [e]) for e in own]
        if placed[name] or always:
            out.append((name, placed[name]))
    return out


@dataclass(frozen=True)
class InterpretationGuide:
    """What resources/interpretation.toml says: the 要素 of a 解读 and the default questions."""

    #: (name, hint, required, drawn in a 图解) in outline order
    elements: tuple[tuple[str, str, bool, bool], ...]
    #: (question, the 要素 it answers)
    questions: tuple[tuple[str, str], ...]

    def hint(self, name: str) -> str:
        """The hint shown beside a 要素 (or a question: its 要素's hint)."""
        element = dict(self.questions).get(name, name)
        return next((h for n, h, _, _ in self.elements if n == element), "")


@cache
def interpretation_guide() -> InterpretationGuide:
    """The shipped 解读 要素 and 问答 questions."""
    data: dict[str, Any] = tomllib.loads(INTERPRETATION.read_text(encoding="utf-8"))
    return InterpretationGuide(
        tuple((e["name"], e.get("hint", ""), bool(e.get("required", False)),
               bool(e.get("graphic", False))) for e in data["elements"]),
        tuple((q["question"], q["element"]) for q in data["questions"]))


def interpretation_elements(form: str) -> list[str]:
    """The 要素 a 解读 of this form must cover: required headings, or every default question."""
    guide = interpretation_guide()
    if form == "问答":
        return [q for q, _ in guide.questions]
    return [n for n, _, required, drawn in guide.elements
            if required and (form != "图解" or drawn)]


def interpretation_title(subject: str) -> str:
    """``《青石镇最低生活保障实施办法》政策解读`` (a subject in 《》 is not wrapped twice)."""
    subject = subject.strip().strip("《》")
    return f"《{subject}》政策解读"


def interpretation_outline(form: str, subject: str, issuer: str, phone: str) -> str:
    """A 解读 to fill in: the 要素 as headings (文字, 图解) or the default questions (问答).

    The 咨询方式 is written out when the phone is known, so it is covered already.
    """
    guide = interpretation_guide()
    subject = subject.strip().strip("《》")
    contact = f"咨询电话：{phone}（{issuer}）" if phone else ""
    lines = []
    if form == "问答":
        lines.append(f"围绕《{subject}》，群众关心的问题解答如下：")
        for n, (question, element) in enumerate(guide.questions):
            lines.append(f"问{_NUMERALS[n] if n < 10 else n + 1}：{question}")
            lines.append("答：" + (contact if element == "咨询方式" else ""))
        return "\n".join(lines)
    lines.append(f"为便于群众了解《{subject}》，现将有关内容解读如下：")
    shown = [e for e in guide.elements if form != "图解" or e[3]]
    for n, (name, *_rest) in enumerate(shown):
        lines.append(f"{_heading(n)}{name}：" + (contact if name == "咨询方式" else ""))
    return "\n".join(lines)


_QUESTION = re.compile(r"^问(?:[一二三四五六七八九十\d]{0,3})[：:、.．]?\s*(?P<q>.+)$")
_ANSWER = re.compile(r"^答[：:]\s*(?P<a>.*)$")


def qa_pairs(body: str) -> list[tuple[str, str]]:
    """The questions of a 简明问答 with their answers (the lines after 答： up to the next 问)."""
    pairs: list[tuple[str, list[str]]] = []
    answering = False
    for raw in (body or "").splitlines():
        line = raw.strip(" \u3000\t\r")
        if not line:
            continue
        question = _QUESTION.match(line)
        if question and not line.startswith("问题"):
            pairs.append((question.group("q").strip(), []))
            answering = False
            continue
        answer = _ANSWER.match(line)
        if pairs and answer:
            answering = True
            if answer.group("a").strip():
                pairs[-1][1].append(answer.group("a").strip())
        elif pairs and answering:
            pairs[-1][1].append(line)
    return [(q, "\n".join(a)) for q, a in pairs]


def _is_question(element: str) -> bool:
    return element.endswith(("？", "?"))


def body_outline(item: CatalogItem, kind: str, issuer: str, phone: str) -> str:
    """A body to fill in whose headings cover the item's 要素 once filled.

    A 公告/公示/通知 has the basis, one heading per 要素, and a 名单's columns as
    one table header under the 名单's heading; a 明白纸 has plain-language
    sections naming the 要素 they answer, ending with 找谁咨询. Then the 公示期
    line and the 监督电话. Dates that depend on the day the notice goes up are
    written as a rule, not guessed; the printed sheet fills them in from the posting.
    """
    verb = NOTICE_KINDS.get(kind, "公告")
    basis = item.basis.split("；")[0] if item.basis else ""
    closing = []
    publicity = (item.rule or {}).get("publicity")
    if publicity and kind != "明白纸":
        unit = PUBLICITY_UNITS.get(publicity["unit"], "天")
        closing.append(f"公示期：自张贴之日起{publicity['n']}{unit}。公示期间如有异议，"
                       f"请向{issuer}实名反映。")
    if phone:
        closing.append(f"监督电话：{phone}")
    lines = []
    if kind == "明白纸":
        sections = handout_sections(item.elements)
        for n, (name, covers) in enumerate(sections):
            named = name if covers == [name] or not covers else f"{name}（{'、'.join(covers)}）"
            last = n == len(sections) - 1
            lines.append(f"{_heading(n)}{named}：{issuer if last else ''}")
    else:
        opening = f"根据{basis}，" if basis else ""
        lines.append(f"{opening}现将{_subject(item)}有关情况{verb}如下：")
        written = squash("".join(closing))
        for n, (heading, header) in enumerate(_notice_sections(item.elements, written)):
            lines.append(f"{_heading(n)}{heading}：")
            if header:
                lines.append("\t".join(header))
    return "\n".join(lines + closing)


# --- reading a body ------------------------------------------------------------------------

_NUMBERED = re.compile(
    r"^(?:(?P<l1>[一二三四五六七八九十]+[、.．])|(?P<l2>[（(][一二三四五六七八九十]+[）)])"
    r"|(?P<l3>\d{1,2}(?:[、．]|\.(?!\d)))|(?P<l4>[（(]\d{1,2}[）)]))\s*(?P<rest>.*)$")
#: Any other line ending with a colon introduces what follows it (``现将名单公示如下：``).
_LABEL = re.compile(r"^(?P<title>[^\t|｜]+?)[：:]$")
_SENTENCE = re.compile(r"[。；;！!？?，,]")
_PIPE = re.compile(r"[|｜]")
_RULE_ROW = re.compile(r"^[\s|｜:：\-—=+]+$")
_SPACES = re.compile(r"[ \u3000]+")
_LABEL_LEVEL = 5


@dataclass
class _Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Heading:
    level: int
    title: str
    rest: str


@dataclass
class _Text:
    text: str
    closing: bool = False


_Block = _Table | _Heading | _Text


def _heading_of(line: str) -> _Heading | None:
    match = _NUMBERED.match(line)
    if match:
        level = next(n for n in (1, 2, 3, 4) if match.group(f"l{n}"))
        rest = match.group("rest")
        colon = re.search(r"[：:]", rest)
        if colon:
            return _Heading(level, rest[: colon.start()].strip(), rest[colon.end():].strip())
        if rest and len(rest) <= 30 and not _SENTENCE.search(rest):
            return _Heading(level, rest.strip(), "")
        return None
    label = _LABEL.match(line)
    return _Heading(_LABEL_LEVEL, label.group("title").strip(), "") if label else None


def _cells(line: str) -> tuple[str, list[str]] | None:
    """('tab'|'pipe'|'space', cells) when the line may be a row of a pasted table."""
    if "\t" in line:
        return "tab", [c.strip() for c in line.split("\t")]
    if _PIPE.search(line):
        cells = [c.strip() for c in _PIPE.split(line)]
        while cells and not cells[0]:
            cells.pop(0)
        while cells and not cells[-1]:
            cells.pop()
        return ("pipe", cells) if len(cells) >= 2 else None
    cells = _SPACES.split(line)
    if len(cells) >= 2 and not _SENTENCE.search(line):
        return "space", cells
    return None


def _looks_like_header(cells: list[str]) -> bool:
    """A lone space-aligned line is a 名单's header (with no rows yet) when it names columns."""
    table = _Table(cells)
    return "序号" in cells or bool(_column_fields(table)[0])


def parse_body(body: str) -> list[_Block]:
    """The body as headings, paragraphs and tables, in order.

    Tab- or ``|``-separated lines are table rows; space-aligned lines are
    rows when two or more come together, or when the one line names columns
    (``序号 姓名 家庭人口``); otherwise it is a sentence with spaces in it. A
    table's first row is its header.
    """
    blocks: list[_Block] = []
    run: list[list[str]] = []
    run_kind = ""
    run_lines: list[str] = []

    def close_run() -> None:
        nonlocal run_kind
        if run_kind == "space" and len(run) < 2 and not _looks_like_header(run[0]):
            blocks.extend(_Text(line) for line in run_lines)
        elif run:
            blocks.append(_Table(run[0], run[1:]))
        run.clear()
        run_lines.clear()
        run_kind = ""

    closing = vocabulary().closing_words
    for raw in (body or "").splitlines():
        line = raw.strip(" \u3000\r\n")  # keep the tabs: an empty first cell is still a cell
        stripped = line.strip()
        if not stripped:
            close_run()
            continue
        if _RULE_ROW.match(line) and run_kind == "pipe":
            continue  # the |---|---| under a header pasted from Markdown
        if stripped.startswith(closing):
            close_run()
            blocks.append(_Text(stripped, closing=True))
            continue
        heading = _heading_of(stripped)
        row = None if heading else _cells(line)
        if row and (row[0] == run_kind or not run_kind):
            run_kind = row[0]
            run.append(row[1])
            run_lines.append(stripped)
            continue
        close_run()
        if row:
            run_kind = row[0]
            run.append(row[1])
            run_lines.append(stripped)
        elif heading:
            blocks.append(heading)
        else:
            blocks.append(_Text(stripped))
    close_run()
    return blocks


def _has_content(block: _Block) -> bool:
    if isinstance(block, _Table):
        return bool(block.rows)
    if isinstance(block, _Heading):
        return bool(block.rest)
    return not block.closing and bool(block.text)


@dataclass
class _Reading:
    """What a body says: the text that counts, and the tables with data under their header."""

    text: str
    tables: list[_Table]
    #: (heading title, the tables under it) of every heading with something under it
    headed: list[tuple[str, list[_Table]]]


def _read(body: str) -> _Reading:
    blocks = parse_body(body)
    said: list[str] = []
    tables = [b for b in blocks if isinstance(b, _Table) and b.rows]
    headed: list[tuple[str, list[_Table]]] = []
    for n, block in enumerate(blocks):
        if isinstance(block, _Heading):
            under: list[_Block] = []
            for later in blocks[n + 1:]:
                if (isinstance(later, _Heading) and later.level <= block.level) or (
                        isinstance(later, _Text) and later.closing):
                    break
                under.append(later)
            if block.rest or any(_has_content(b) for b in under):
                said += [block.title, block.rest]
                headed.append((block.title, [b for b in under
                                             if isinstance(b, _Table) and b.rows]))
        elif isinstance(block, _Table):
            if block.rows:
                said += block.header + [c for r in block.rows for c in r]
        else:
            said.append(block.text)
    return _Reading(squash("\n".join(said)), tables, headed)


_FILLER = re.compile(r"及|和|与|或|、|，|的|相关|有关|信息|情况|等|其他|以及")


def _words_cover(element: str, text: str) -> bool:
    """The whole phrase, or most of its key words, is in the text."""
    key = squash(element)
    if key and key in text:
        return True
    words = [w for w in _FILLER.split(key) if len(w) >= 2]
    if not words:
        return False
    hits = sum(1 for w in words if w in text)
    return hits * 2 > len(words) or (len(words) == 1 and hits == 1)


def _column_fields(table: _Table) -> tuple[set[str], set[str]]:
    """(fields, header keys) of a table's columns."""
    keys = {_cell_key(c) for c in table.header} - {""}
    fields: set[str] = set()
    for label, names in vocabulary().columns.items():
        for key in keys:
            if key in names or any(key.endswith(n) and len(n) >= 2
                                   and len(key) - len(n) <= _MAX_HEADER_LEAD
                                   and not _NOT_A_QUALIFIER.search(key[: len(key) - len(n)])
                                   for n in names):
                fields.add(label)
    return fields, keys


def _columns_cover(element: str, table: _Table) -> bool:
    fields, keys = _column_fields(table)
    key = _cell_key(element)
    if key and any(key in k for k in keys):
        return True
    named = element_fields(element)
    return bool(named) and all(f in fields or _cell_key(p) in keys for f, p in named or [])


def _roster_covers(element: str, table: _Table, elements: Sequence[str]) -> bool:
    """Whether a table with data is the 名单 the 要素 asks for: a column of a person."""
    fields, _ = _column_fields(table)
    columns = [e for e in elements if is_column_element(e)]
    return vocabulary().person in fields or any(_columns_cover(c, table) for c in columns)


def _covered(element: str, reading: _Reading, elements: Sequence[str]) -> bool:
    if _words_cover(element, reading.text):
        return True
    if is_list_element(element):
        # Under a heading that names it; or, when it is the item's only 名单, anywhere.
        if any(tables and _words_cover(element, squash(title))
               for title, tables in reading.headed):
            return True
        lists = [e for e in elements if is_list_element(e)] or [element]
        return lists == [element] and any(_roster_covers(element, t, elements)
                                          for t in reading.tables)
    return is_column_element(element) and any(_columns_cover(element, t)
                                              for t in reading.tables)


def element_covered(element: str, body: str, elements: Sequence[str] = ()) -> bool:
    """Whether the body speaks to an 要素.

    It does when the 要素 (the whole phrase, or most of its key words) is in a
    paragraph, or in a heading with something under it (on its line, or the
    lines up to the next heading: text, or a table with at least one data row);
    when it is a column of a 名单 (申请人姓名 → a 姓名 column) and a table with
    data has that column; when it is a 名单 and a table with data follows a
    heading naming it, or is a 名单 of people and the item has no other 名单.
    ``elements`` are the item's other 要素, to tell which 名单 a table is.
    A heading left empty (``一、救助金额：`` with nothing under it) does not count.
    """
    return _covered(element, _read(body), list(elements) or [element])


def missing_elements(elements: list[str], body: str) -> list[str]:
    """The 要素 the body does not yet cover, in the catalog's order.

    A 要素 written as a question (a 简明问答's) is covered by a 问 with that
    question and an answer under it.
    """
    reading = _read(body)
    answered = ({squash(q) for q, a in qa_pairs(body) if a.strip()}
                if any(_is_question(e) for e in elements) else set())
    return [e for e in elements
            if (squash(e) not in answered if _is_question(e)
                else not _covered(e, reading, elements))]


def list_rows(body: str) -> list[int]:
    """How many rows each 名单 (table with rows under its header) in the body has, in order."""
    return [len(b.rows) for b in parse_body(body) if isinstance(b, _Table) and b.rows]
