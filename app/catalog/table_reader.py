"""Read a county's 基层政务公开标准目录 from the Word or Excel table it was published in.

Counties print the same standard table in many slightly different ways: merged or
plain headers, marks or words in the 对象/方式/层级 columns, spaces inside words,
title rows and section rows. This module turns any of them into :class:`CatalogItem`
rows and reports what it found, nothing more: it neither assigns ids nor decides
which of the township's domains a label means (the caller does both).
"""

from __future__ import annotations

import re
import traceback
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.table import Table, _Cell

from app.catalog.item import CatalogItem
from app.catalog.limits import PackageShape, check_file_size, check_package, limits
from app.errors import UserError
from app.facts import (
    AUDIENCES,
    CHANNELS,
    DEFAULT_DOMAIN_NAMES,
    DOMAIN_ALIAS_GROUPS,
    LEVELS,
    MODES,
    fullwidth_brackets,
    order_like,
    squash,
    standard_audience,
    standard_channel,
    standard_level,
    standard_mode,
    tidy,
)

NO_LEVEL_WARNING = "表中没有公开层级列：新事项按乡级导入，已有事项保留目录中的公开层级"

#: Columns a table may lack, and what the clerk calls them. A missing column
#: never overwrites what the catalog holds (the importer keeps the old value).
OPTIONAL_COLUMNS: dict[str, str] = {
    "seq": "序号", "level3": "三级事项", "elements": "公开内容（要素）", "basis": "公开依据",
    "time_limit": "公开时限", "subject": "公开主体", "channels": "公开渠道和载体",
    "audience": "公开对象", "mode": "公开方式", "levels": "公开层级",
}
# Columns whose absence is usual and needs no word to the clerk.
_QUIET = ("seq", "level3", "levels")

_MISSING = "找不到该文件，请确认它没有被移动、改名或删除。"
_BUSY = "无法打开该文件：它可能正被其他程序占用或没有读取权限，请关闭该文件后重试。"
_EMPTY = "该文件是空的（0字节），请确认选择了正确的文件。"
_WRONG_TYPE = (
    "只能导入Excel（.xlsx）或Word（.docx）格式的目录表格，"
    "请把文件另存为这两种格式之一后再导入。"
)
_OLD_FORMAT = (
    "这是旧版Excel或Word文件（.xls或.doc），"
    "请先在Excel或WPS中另存为.xlsx或.docx格式后再导入。"
)
_LOCKED = "该文件设置了打开密码，请先在Excel、Word或WPS中取消密码后再导入。"
_CORRUPT = "无法读取该文件：它不是有效的Excel或Word表格，请确认文件没有损坏。"
_NO_CATALOG = (
    "文件中没有找到政务公开标准目录表格（表头应有“公开事项”和“公开依据”或“公开时限”），"
    "请确认选择了正确的文件。"
)
_PARSE_FAILED = "读取表格内容时出现意外错误，请把该文件发给技术支持人员检查。"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx/.docx is an OLE container holding this stream (name in UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass
class TableSection:
    """One catalog table found in a file: a worksheet, or one table of a Word document."""

    domain_label: str | None
    source: str
    items: list[CatalogItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: OPTIONAL_COLUMNS keys the table has no column for.
    absent: frozenset[str] = frozenset()


def read_county_table(path: Path, learned_channels: Iterable[str] = ()) -> list[TableSection]:
    """Read every catalog table in a county ``.xlsx`` or ``.docx`` file, in file order.

    Raises :class:`UserError` (one Chinese sentence) for anything that is not a
    readable catalog table: wrong type, old binary format, password, corruption,
    or a file without a recognisable catalog header. ``learned_channels`` are the
    county's own channel names the catalog already holds: wrapped pieces of a
    channel label are joined against them as against the standard names.
    """
    raw_tables = _raw_tables(Path(path))
    try:
        lookup = known_channels(learned_channels)
        sections = [s for raw in raw_tables if (s := _parse_table(raw, lookup)) is not None]
    except Exception as exc:  # a bug must still reach the clerk as a sentence, not a trace
        raise UserError(_PARSE_FAILED, detail=traceback.format_exc()) from exc
    if not sections:
        raise UserError(_NO_CATALOG)
    return sections


@dataclass(frozen=True)
class Grid:
    """One table of a file as text: a worksheet or a Word table, merged cells spread out."""

    rows: list[list[str]]
    #: Text outside the table that may name it (a Word table's paragraphs above), nearest first.
    titles: list[str]
    source: str


def read_grids(path: Path) -> list[Grid]:
    """Every table of an ``.xlsx`` or ``.docx`` file as rows of text, within the reader limits.

    The same checks as :func:`read_county_table` (type, old format, password, damage,
    resources/catalog/reader_limits.toml) come first; other county tables (the 测评问题清单)
    are read through here and interpreted by their own module.
    """
    return [Grid(raw.grid, raw.titles, raw.source) for raw in _raw_tables(Path(path))]


# --------------------------------------------------------------------------- files


def _raw_tables(path: Path) -> list[_RawTable]:
    suffix = path.suffix.lower()
    if suffix in (".xls", ".doc", ".et", ".wps"):
        raise UserError(_OLD_FORMAT)
    if suffix not in (".xlsx", ".docx"):
        raise UserError(_WRONG_TYPE)
    _check_container(path)
    # What the file declares is checked before a library builds any of it (limits.py).
    shape = check_package(path, suffix[1:])
    try:
        return list(_xlsx_tables(path, shape) if suffix == ".xlsx" else _docx_tables(path))
    except UserError:
        raise
    except Exception as exc:  # any library error here means the file itself is bad
        raise UserError(_CORRUPT, detail=traceback.format_exc()) from exc


@dataclass
class _RawTable:
    grid: list[list[str]]  # merged cells expanded: every covered cell carries the value
    titles: list[str]  # text outside the table that may name the domain, nearest first
    source: str
    sheet_name: str | None = None


def _check_container(path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(len(_OLE_MAGIC))
            body = fh.read(64 * 1024 * 1024) if head == _OLE_MAGIC else b""
    except FileNotFoundError as exc:
        raise UserError(_MISSING) from exc
    except OSError as exc:
        raise UserError(_BUSY, detail=repr(exc)) from exc
    if size == 0:
        raise UserError(_EMPTY)
    check_file_size(size)
    if head == _OLE_MAGIC:
        raise UserError(_LOCKED if _ENCRYPTED_STREAM in body else _OLD_FORMAT)
    if not zipfile.is_zipfile(path):
        raise UserError(_CORRUPT)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _xlsx_tables(path: Path, shape: PackageShape) -> Iterator[_RawTable]:
    # Read-only: cells stream by row and are never kept as objects. Read-only sheets
    # do not expose merged ranges, so check_package collected them (already bounded).
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            # The declared dimension only pads rows (and can be stale): read what is there.
            sheet.reset_dimensions()
            grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            width = max((len(r) for r in grid), default=0)
            grid = [r + [""] * (width - len(r)) for r in grid]
            _spread_merges(grid, shape.merges.get(getattr(sheet, "_worksheet_path", ""), []))
            yield _RawTable(grid, [], f"工作表「{sheet.title}」", sheet.title)
    finally:
        book.close()


def _spread_merges(grid: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    """Give every cell a merged range covers the value of its top-left cell."""
    # check_package bounded the ranges (rows, columns and the cells they cover together).
    for min_row, min_col, max_row, max_col in merges:
        if min_row > len(grid) or min_col > len(grid[0]):
            continue
        value = grid[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(grid))):
            for c in range(min_col - 1, min(max_col, len(grid[r]))):
                grid[r][c] = value


def _docx_tables(path: Path) -> Iterator[_RawTable]:
    document = docx.Document(str(path))
    paragraphs: list[str] = []
    titles: list[str] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            number += 1
            # A table with no text before it continues the previous one (a page break).
            titles = paragraphs[::-1] or titles
            yield _RawTable(_docx_grid(block), titles, f"第{number}个表格")
            paragraphs = []
        elif text := block.text.strip():
            paragraphs.append(text)


def _docx_grid(table: Table) -> list[list[str]]:
    # Built from the XML rather than table.rows[i].cells: those ignore w:gridBefore,
    # which shifts every later cell of a row one column to the left.
    cols = limits().cols  # check_package bounded spans already; the loop never trusts them
    rows: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        row = [""] * min(tr.grid_before, cols)
        for tc in tr.tc_lst:
            col = len(row)
            if col + tc.grid_span > cols:
                raise UserError(f"表格的一行超过 {cols} 列，远超县级目录的大小，"
                                "不像是目录表格，已停止读取。")
            if tc.vMerge == "continue":
                above = rows[-1] if rows else []
                text = above[col] if col < len(above) else ""
            else:
                text = _Cell(tc, table).text
            row.extend([text] * tc.grid_span)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


# --------------------------------------------------------------------------- cells


def _label(text: str) -> str:
    return squash(text).replace("(", "（").replace(")", "）")


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    # 《A、B》 and （电子屏、广播） are one value, not two.
    parts: list[str] = []
    depth = 0
    buf: list[str] = []
    for ch in text:
        if ch in "（(《【[":
            depth += 1
        elif ch in "）)》】]" and depth:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _clean(text: str) -> str:
    return tidy(text).strip(" \t\n；;，,、。")


_ELEMENT_MARKER = re.compile(
    r"[●•▪◆■◦]|[①-⑳]|(?:^|(?<=\s))[-·—]"
    r"|(?:^|(?<=[\s；;。，,]))"
    r"(?:\d{1,2}[.．、)）](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[)）])",
    re.MULTILINE,
)


def split_elements(text: str) -> list[str]:
    """Split a 公开内容（要素） cell into its elements.

    A cell with bullets, line breaks or numbering is split only on those (an element
    may itself contain ``、``); otherwise on ``、`` and ``；``.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" in text or _ELEMENT_MARKER.search(text):
        pieces = _ELEMENT_MARKER.sub("\n", text).split("\n")
    else:
        pieces = _split_outside_brackets(text, "、；;")
    return [p for p in map(_clean, pieces) if p]


# Ticked and empty marks as counties print them, and the look-alikes typed by hand.
_ON = "■☑☒√✔✓●•▪◆◼◾⬛▣█"
_OFF = "□☐○◇▢◻◽⬜❑❒❏"
_MARKS = _ON + _OFF
# 口 and 囗 are real characters (窗口): a box only where a name starts and one follows.
_BOX = re.compile(f"([{_MARKS}]|(?<![^\\s、，,；;{_MARKS}])[口囗](?=[^\\s{_MARKS}]))")
_YES = {"是", "有", "v", "V", "Y", "y"}
_HARD = "、，,；;"  # always between two names; line breaks and spaces may fall inside one
_SOFT = re.compile(r"[\s\u3000]+")
_MAX_JOIN = 12  # a wrapped label never runs over more line pieces than this
# A real cell holds 13 channels in a few dozen pieces; past this it is no checkbox
# list, and is read piece by piece so that a hostile cell costs no more than before.
_MAX_PIECES = 100
_MAX_CHECKLIST = 2000  # characters; all 13 channels with boxes are under 200
_DANGLING = re.compile(r"^[（()）/／]")  # a bracket or slash never starts a name

Lookup = Callable[[str], str | None]


@dataclass
class Picked:
    """What a checkbox cell selects: recognised names, other whole names, and leftovers.

    ``names`` are standard (or already learned) names; ``others`` are names the
    cell gives on their own (a box or separators around them) that no list knows;
    ``fragments`` are pieces that matched nothing, left over after joining the
    pieces that did, or too ambiguous to be a name.
    """

    names: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)


def _join(pieces: list[str], lookup: Lookup) -> list[tuple[str, str | None]]:
    """Group consecutive pieces into the names of ``lookup``, covering the most text.

    Returns (joined text, name or None) per group. Of the partitions covering the
    same number of characters with known names, the one with fewest unknown groups,
    then fewest groups, wins, so a label wrapped at any point reads back whole.
    """
    n = len(pieces)
    # best[i]: (known characters, -unknown groups, -groups, first group end) for pieces[i:]
    best: list[tuple[int, int, int, int]] = [(0, 0, 0, n)] * (n + 1)
    names: dict[tuple[int, int], str | None] = {}
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, min(n, i + _MAX_JOIN) + 1):
            text = "".join(pieces[i:j])
            names[i, j] = name = lookup(text)
            known, unknown, groups, _ = best[j]
            options.append((known + (len(text) if name else 0), unknown - (name is None),
                            groups - 1, j))
        best[i] = max(options)
    out, i = [], 0
    while i < n:
        j = best[i][3]
        out.append(("".join(pieces[i:j]), names[i, j]))
        i = j
    return out


def _pick_unit(unit: str, lookup: Lookup, picked: Picked) -> None:
    """One stretch of a cell between boxes or hard separators."""
    lines = [line for line in unit.split("\n") if line.strip(" \t\u3000")]
    pieces = [_clean(p.strip(":：。")) for p in _SOFT.split(unit)]
    pieces = [p for p in pieces if p]
    if not pieces:
        return
    if len(pieces) > _MAX_PIECES:
        found = [(p, lookup(p)) for p in pieces]
        picked.names += [name for _p, name in found if name]
        left = " ".join(p for p, name in found if not name)
        if left:
            picked.fragments.append(left[:40] + ("…" if len(left) > 40 else ""))
        return
    groups = _join(pieces, lookup)
    if any(name for _text, name in groups):
        picked.names += [name for _text, name in groups if name]
        picked.fragments += [text for text, name in groups if not name]
        return
    whole = "".join(pieces)
    spaced_word = len(lines) == 1 and all(len(p) == 1 for p in pieces)
    if (len(pieces) == 1 or spaced_word) and not _DANGLING.search(whole):
        picked.others.append(whole)
    else:  # several unknown pieces: one wrapped name, or several? The clerk decides.
        picked.fragments.append(" ".join(pieces))


def pick(text: str, lookup: Lookup) -> Picked:
    """Read a checkbox cell (``■甲 □乙``, look-alike boxes, or a plain list of names).

    Text after an empty box is not selected; text before the first box is a plain
    list. Names may be wrapped across lines or spaced out at any point: pieces are
    joined by the names ``lookup`` knows, and what matches nothing is a fragment.
    """
    picked = Picked()
    if len(text or "") > _MAX_CHECKLIST:
        picked.fragments.append(text[:40] + "…")
        return picked
    parts = _BOX.split((text or "").replace("\r", "\n"))
    chunks = [parts[0]] + [chunk for mark, chunk in zip(parts[1::2], parts[2::2], strict=True)
                           if mark in _ON]
    for chunk in chunks:
        for unit in _split_outside_brackets(chunk, _HARD):
            _pick_unit(unit, lookup, picked)
    return picked


def known_channels(learned: Iterable[str] = ()) -> Lookup:
    """A channel lookup: the standard names and aliases, then the county's learned names."""
    own = {_key(name): name for name in learned if name and not standard_channel(name)}

    def lookup(value: str) -> str | None:
        return standard_channel(value) or own.get(_key(value))

    return lookup


def _key(value: str) -> str:
    return fullwidth_brackets(squash(unicodedata.normalize("NFKC", value)))


def split_channels(text: str, learned: Iterable[str] = ()) -> list[str]:
    """The channels ticked or listed in a 公开渠道和载体 cell, standard names first.

    Standard channels get their standard name; a name the cell gives on its own
    is kept as written; a leftover fragment is not a channel (see :func:`pick`).
    """
    picked = pick(text, known_channels(learned))
    return order_like(list(dict.fromkeys(picked.names + picked.others)), CHANNELS)


def _is_marked(text: str, name: str, lookup: Lookup) -> bool:
    value = squash(text)
    if not value:
        return False
    if value in _YES or any(ch in value for ch in _ON):
        return True
    return lookup(value) == name  # a column that repeats its own name, e.g. "乡级"


def _seq(text: str) -> int | None:
    match = re.search(r"\d+", squash(text))
    return int(match.group()) if match else None


# --------------------------------------------------------------------------- domain

_KNOWN_DOMAINS = sorted(
    set(DEFAULT_DOMAIN_NAMES).union(*DOMAIN_ALIAS_GROUPS), key=len, reverse=True
)
_PLACE = re.compile(
    r"(.{1,10}?)(自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗|街道办事处|街道|苏木|乡|镇)"
)
_TOWNSHIP = ("街道办事处", "街道", "苏木", "乡", "镇")
_PLACE_ENDS = (*"省市州盟县区旗乡镇", "街道", "苏木", "政府")
_TITLE_END = re.compile(r"领域|基层政务公开|政务公开|标准目录|公开目录|目录|事项清单")
_NUMBERING = re.compile(
    r"^(?:附件\d*[:：]?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)
_YEAR = re.compile(r"\d{4}年度?|（\d{4}年?版?）")
_PUNCT = re.compile(r"[，,。：:；;！？!?]")
_GENERIC_SHEET = re.compile(r"(?i)(sheet|工作表|表|table)\d*")


def _strip_place(text: str) -> str:
    while match := _PLACE.match(text):
        name, suffix = match.groups()
        # 城乡规划, 社区矫正, 城市管理: a word, not a place ("沛县" is a real one-character county).
        if len(name) < 2 and suffix != "县":
            break
        text = text[match.end():]
        if suffix in _TOWNSHIP:  # nothing below the township is ever part of a title
            break
    return re.sub(r"^(?:人民政府|政府)", "", text)


def domain_label_from_title(text: str, hint: str | None = None) -> str | None:
    """The domain named by a title such as ``XX县XX镇社会救助领域基层政务公开标准目录``.

    Returns the raw squashed name (``社会救助``), or None if the text names no domain.
    A bare heading (``一、社会救助``) counts as a title. ``hint`` (e.g. the sheet name)
    wins when the title ends with it, because place-name stripping is a guess.
    """
    core = _YEAR.sub("", _NUMBERING.sub("", _label(text), count=1))
    if match := _TITLE_END.search(core):
        core = core[: match.start()]
    elif len(core) > 15:
        return None
    core = re.sub(r"(?:乡镇)?基层$", "", core)
    if not core or _PUNCT.search(core):
        return None
    if hint and core.endswith(hint):
        return hint
    for name in _KNOWN_DOMAINS:
        rest = core[: -len(name)]
        if core.endswith(name) and (not rest or rest.endswith(_PLACE_ENDS)):
            return name
    return _strip_place(core) or None


def _domain_label(titles: list[str], sheet_name: str | None) -> str | None:
    hint = None
    if sheet_name and not _GENERIC_SHEET.fullmatch(squash(sheet_name)):
        hint = domain_label_from_title(sheet_name)
    for title in titles:
        if label := domain_label_from_title(title, hint):
            return label
    return hint


# --------------------------------------------------------------------------- header


@dataclass
class _Choice:
    """A checkbox group (渠道, 对象, 方式, 层级): free-text columns and/or mark columns."""

    title: str
    noun: str  # what the clerk calls one option, in a warning
    words: tuple[str, ...]
    lookup: Lookup
    canon: tuple[str, ...]
    keep_unknown: bool = False
    text_cols: list[int] = field(default_factory=list)
    mark_cols: list[tuple[int, str]] = field(default_factory=list)
    #: A column shared with other groups (``公开对象及方式``), by column: the clerk's
    #: (title, noun) for it in warnings, and the other groups' lookups.
    shared: dict[int, tuple[tuple[str, str], list[Lookup]]] = field(default_factory=dict)
    #: Shared columns another group already warns about.
    quiet: set[int] = field(default_factory=set)

    @property
    def present(self) -> bool:
        """Whether the table has this group at all."""
        return bool(self.text_cols or self.mark_cols)

    def read(self, row: list[str], warn: Callable[[str], None]) -> list[str]:
        """The options this row selects, in standard order; what is not one goes to ``warn``."""
        found: list[str] = []
        for col in self.text_cols:
            text = row[col] if self.keep_unknown else re.sub("[/／]", "、", row[col])
            picked = pick(text, self._lookup_in(col))
            found += [name for name in picked.names if self.lookup(name)]
            if self.keep_unknown:
                found += picked.others
            if col in self.quiet:
                continue
            title, noun = self.shared[col][0] if col in self.shared else (self.title, self.noun)
            if not self.keep_unknown:
                for name in picked.others:
                    warn(f"{title}“{name}”无法识别，已忽略")
            for piece in picked.fragments:
                warn(f"{title}中的“{piece}”对不上任何{noun}名称，未导入，请核对原表")
        found += [name for col, name in self.mark_cols if _is_marked(row[col], name, self.lookup)]
        return order_like(list(dict.fromkeys(found)), self.canon)

    def _lookup_in(self, col: int) -> Lookup:
        if col not in self.shared:
            return self.lookup
        lookups = [self.lookup, *self.shared[col][1]]
        # The words of every group sharing the column join and are told apart here.
        return lambda value: next((n for f in lookups if (n := f(value))), None)


def _choices(channels: Lookup) -> dict[str, _Choice]:
    return {
        "channels": _Choice("公开渠道和载体", "渠道", ("渠道", "载体"), channels, CHANNELS, True),
        "audience": _Choice("公开对象", "公开对象", ("对象",), standard_audience, AUDIENCES),
        "mode": _Choice("公开方式", "公开方式", ("方式",), standard_mode, MODES),
        "levels": _Choice("公开层级", "公开层级", ("层级",), standard_level, LEVELS),
    }


_FIELD_WORDS = (
    ("id", ("目录编号",)),
    ("seq", ("序号",)),
    ("elements", ("要素", "内容")),
    ("basis", ("依据",)),
    ("time_limit", ("时限",)),
    ("subject", ("主体",)),
)


@dataclass
class _Columns:
    fields: dict[str, int] = field(default_factory=dict)
    choices: dict[str, _Choice] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _is_header(labels: list[str]) -> bool:
    short = [t for t in labels if 0 < len(t) <= 12]
    return any("事项" in t for t in short) and any("依据" in t or "时限" in t for t in short)


def _is_option(label: str) -> bool:
    lookups = (standard_audience, standard_mode, standard_level, standard_channel)
    return any(lookup(label) for lookup in lookups)


def _is_sub_header(top: list[str], below: list[str]) -> bool:
    if any("级事项" in b for b in below):
        return True
    # In a one-row header the first data row also holds 全社会/主动/乡级, so only a
    # group header that spans its neighbours (merged, or left blank) proves a sub-row.
    for col, text in enumerate(below):
        if not text or text == top[col] or not _is_option(text):
            continue
        neighbours = top[col - 1 : col] + top[col + 1 : col + 2]
        if not top[col] or top[col] in neighbours:
            return True
    return False


def _map_columns(top: list[str], sub_raw: list[str] | None, channels: Lookup) -> _Columns:
    cols = _Columns(choices=_choices(channels))
    sub = [_label(s) for s in sub_raw] if sub_raw else [""] * len(top)
    top = list(top)
    for col in range(1, len(top)):
        if not top[col] and sub[col]:  # unmerged group header: blank right of its label
            top[col] = top[col - 1]
    for col, (head, below) in enumerate(zip(top, sub, strict=True)):
        below = "" if below == head else below
        matching = [c for c in cols.choices.values() if any(w in head for w in c.words)]
        if matching and not below and len(matching) > 1:  # e.g. one 公开对象及方式 column
            title = "、".join(c.title for c in matching)
            for n, group in enumerate(matching):
                group.text_cols.append(col)
                group.shared[col] = ((title, "选项"), [c.lookup for c in matching
                                                        if c is not group])
                if n:
                    group.quiet.add(col)
            continue
        choice = next((c for c in matching if below and c.lookup(below)),
                      matching[0] if matching else None)
        if choice:
            if not below:
                choice.text_cols.append(col)
            elif (name := choice.lookup(below)) or choice.keep_unknown:
                assert sub_raw is not None  # below is blank when there is no sub header row
                choice.mark_cols.append((col, name or _clean(sub_raw[col])))
            else:
                cols.warnings.append(f"{choice.title}下的“{below}”列无法识别，已忽略")
            continue
        label = below or head
        if "事项" in label:
            key = "level3" if "三级" in label else "level2" if "二级" in label else "level1"
        else:
            key = next((k for k, words in _FIELD_WORDS if any(w in label for w in words)), "")
            if not key and label == "编号":
                key = "id" if col else "seq"
        if key:
            cols.fields.setdefault(key, col)
            continue
        for key in ("audience", "mode", "levels"):  # a bare 全社会 / 主动 / 乡级 column
            choice = cols.choices[key]
            if name := choice.lookup(label):
                choice.mark_cols.append((col, name))
                break
    return cols


# --------------------------------------------------------------------------- rows


_HEADER_SEARCH_ROWS = 15  # title and note rows above the header never run longer


def _parse_table(raw: _RawTable, channels: Lookup) -> TableSection | None:
    grid = raw.grid
    rows = enumerate(grid[:_HEADER_SEARCH_ROWS])
    header = next((r for r, row in rows if _is_header(list(map(_label, row)))), None)
    if header is None:
        return None
    top = [_label(c) for c in grid[header]]
    below = grid[header + 1] if header + 1 < len(grid) else None
    two_rows = below is not None and _is_sub_header(top, [_label(c) for c in below])
    cols = _map_columns(top, below if two_rows else None, channels)
    titles = [t for row in grid[:header][::-1] for t in dict.fromkeys(row) if t.strip()]
    label = _domain_label(titles + raw.titles, raw.sheet_name)
    absent = frozenset(key for key in OPTIONAL_COLUMNS
                       if key not in cols.fields and not (key in cols.choices
                                                          and cols.choices[key].present))
    section = TableSection(label, raw.source, [], list(cols.warnings), absent)
    for key in (k for k in OPTIONAL_COLUMNS if k in absent and k not in _QUIET):
        name = OPTIONAL_COLUMNS[key]
        section.warnings.append(f"{raw.source}没有{name}列：已有事项保留目录中的{name}")
    if "levels" in absent:
        section.warnings.append(NO_LEVEL_WARNING)
    first = header + (2 if two_rows else 1)
    skip = {tuple(map(_label, grid[r])) for r in range(header, first)}
    _read_rows(grid, first, skip, cols, section)
    if not section.items:
        section.warnings.append(f"{raw.source}中没有读到任何事项")
    return section


def _read_rows(
    grid: list[list[str]], first: int, skip: set[tuple[str, ...]], cols: _Columns,
    section: TableSection,
) -> None:
    def _get(row: list[str], key: str) -> str:
        return row[cols.fields[key]] if key in cols.fields else ""

    previous_level1 = ""
    for index in range(first, len(grid)):
        row = grid[index]
        where = f"{section.source}第{index + 1}行"
        labels = tuple(map(_label, row))
        filled = [t for t in labels if t]
        if not filled or labels in skip or _is_column_numbers(filled):
            continue
        if len(set(filled)) == 1:  # a section row such as "一、最低生活保障"
            previous_level1 = ""
            continue
        level1, level2, level3 = (tidy(_get(row, k)) for k in ("level1", "level2", "level3"))
        if not level1 and not level2:
            section.warnings.append(f"{where}没有填写公开事项，已跳过")
            continue
        # An unmerged table often leaves 一级事项 blank to mean "same as above".
        level1 = level1 or previous_level1
        previous_level1 = level1

        def _warn(message: str, where: str = where) -> None:
            section.warnings.append(f"{where}的{message}")

        # Any: the keys are CatalogItem's list fields (see _choices), passed as keywords.
        chosen: dict[str, Any] = {key: choice.read(row, _warn)
                                  for key, choice in cols.choices.items()}
        if not cols.choices["levels"].present:
            chosen["levels"] = ["乡级"]  # it is the township's own catalog
        section.items.append(CatalogItem(
            id=tidy(_get(row, "id")),
            domain=section.domain_label or "",
            seq=_seq(_get(row, "seq")) or len(section.items) + 1,
            level1=level1,
            level2=level2,
            level3=level3,
            elements=split_elements(_get(row, "elements")),
            basis=tidy(_get(row, "basis")),
            time_limit=tidy(_get(row, "time_limit")),
            subject=tidy(_get(row, "subject")),
            **chosen,
        ))


def _is_column_numbers(filled: list[str]) -> bool:
    # Some counties print a row "1 2 3 … 15" under the header to number the columns.
    return len(filled) >= 4 and [int(t) for t in filled if t.isdigit()] == list(
        range(1, len(filled) + 1)
    )
