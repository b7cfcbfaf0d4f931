"""Budgets for the files a clerk imports: refuse what no county table could be, before reading it.

openpyxl and python-docx build everything a file declares: a merged range of
A1:XFD1048576 becomes 17 billion cells, a ``gridSpan`` of 50,000,000 a row of
fifty million strings, a 20 KB part can unpack to gigabytes. So before either
library sees a file, :func:`check_package` looks at what it declares, cheaply:
the zip directory for sizes, and each XML part streamed through expat (no tree,
a few kilobytes of memory) for the sheet's dimension, rows, cells and merged
ranges, or the document's tables, rows, spans and cell text. :func:`check_json`
does the same for a catalog JSON's size and nesting. The figures live in
``resources/catalog/reader_limits.toml`` with the reasons real county tables
never come near them; each refusal is one sentence that names the limit.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
import zlib
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import IO
from xml.parsers import expat

from app.errors import UserError
from resources import RESOURCES

LIMITS_FILE = RESOURCES / "catalog" / "reader_limits.toml"

MB = 1024 * 1024
_CHUNK = 256 * 1024
_STOP = "，不像是目录表格，已停止读取。"
_CORRUPT = "无法读取该文件：它不是有效的Excel或Word表格，请确认文件没有损坏。"

_SHEET_NS = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
             "http://purl.oclc.org/ooxml/spreadsheetml/main"}
_WORD_NS = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            "http://purl.oclc.org/ooxml/wordprocessingml/main"}
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


@dataclass(frozen=True)
class Limits:
    """The figures of reader_limits.toml (see that file for what each one bounds and why)."""

    file_mb: int
    zip_members: int
    part_mb: int
    total_mb: int
    ratio: int
    ratio_floor_kb: int
    xml_elements: int
    rows: int
    cols: int
    cells: int
    sheets: int
    merges: int
    tables: int
    cell_chars: int
    json_mb: int
    json_depth: int


@cache
def limits() -> Limits:
    """The reader's limits, read once from resources/catalog/reader_limits.toml."""
    data = tomllib.loads(LIMITS_FILE.read_text(encoding="utf-8"))
    return Limits(**{f.name: int(data[f.name]) for f in fields(Limits)})


class _Refused(Exception):
    """Raised inside expat's callbacks; carries the sentence out of the parser."""


def _refuse(message: str) -> _Refused:
    return _Refused(message)


def _size(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB else f"{max(n // 1024, 1)} KB"


def check_file_size(size: int) -> None:
    """Refuse a file larger than any county table before a byte of it is read."""
    lim = limits()
    if size > lim.file_mb * MB:
        raise UserError(f"文件有 {_size(size)}，"
                        f"远超县级目录表格的大小（最多 {lim.file_mb} MB）{_STOP}")


# --------------------------------------------------------------------------- packages


@dataclass
class PackageShape:
    """What a checked .xlsx declares that the reader needs: merged ranges by sheet part."""

    #: zip member name of each worksheet → its merged ranges (min_row, min_col, max_row, max_col)
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


def check_package(path: Path, kind: str) -> PackageShape:
    """Check an .xlsx (``kind="xlsx"``) or .docx against the limits; raise UserError past one.

    Reads the zip directory and streams every XML part once; nothing is kept
    but counters and, for a workbook, its merged ranges (which the reader
    applies itself, so openpyxl never expands them).
    """
    lim = limits()
    check_file_size(path.stat().st_size)
    scan: _Scan = _SheetScan(lim) if kind == "xlsx" else _WordScan(lim)
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            _check_directory(infos, lim)
            for info in infos:
                with package.open(info) as stream:
                    _scan_part(info, stream, scan, lim)
    except _Refused as exc:
        raise UserError(str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, expat.ExpatError, ValueError, RuntimeError,
            EOFError, NotImplementedError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise UserError(_CORRUPT, detail=repr(exc)) from exc
    return scan.shape


def _check_directory(infos: list[zipfile.ZipInfo], lim: Limits) -> None:
    if len(infos) > lim.zip_members:
        raise _refuse(f"文件里打包了 {len(infos)} 个部件，"
                      f"远超县级目录表格（最多 {lim.zip_members} 个）{_STOP}")
    total = sum(i.file_size for i in infos)
    if total > lim.total_mb * MB:
        raise _refuse(f"文件解压后共有 {_size(total)}，远超县级目录表格（最多 {lim.total_mb} MB），"
                      "可能是恶意构造的压缩包，已停止读取。")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > lim.ratio_floor_kb * 1024 and ratio > lim.ratio:
            raise _refuse(f"文件中的部件「{info.filename}」压缩比高达 {ratio:,.0f} 倍，"
                          f"远超正常表格（最多 {lim.ratio} 倍），"
                          f"可能是恶意构造的压缩包，已停止读取。")


def _scan_part(info: zipfile.ZipInfo, stream: IO[bytes], scan: _Scan, lim: Limits) -> None:
    head = stream.read(_CHUNK)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and head[:2] not in (
        b"\xff\xfe", b"\xfe\xff"
    ):
        return  # a picture or other binary part: neither library parses it
    if info.file_size > lim.part_mb * MB:
        raise _refuse(f"文件中的部件「{info.filename}」解压后有 {_size(info.file_size)}，"
                      f"远超县级目录表格（最多 {lim.part_mb} MB）{_STOP}")
    parser = scan.parser(info.filename)
    chunk = head
    while chunk:
        parser.Parse(chunk, False)
        chunk = stream.read(_CHUNK)
    parser.Parse(b"", True)


class _Scan:
    """Counts what every XML part of one package declares; subclasses know the vocabulary."""

    namespaces: set[str] = set()
    #: the local names :meth:`start` looks at
    watched: frozenset[str] = frozenset()

    def __init__(self, lim: Limits) -> None:
        self.lim = lim
        self.names: dict[str, str] = {}
        self.elements = 0
        self.shape = PackageShape()
        self.part = ""
        self.stack: list[str] = []

    def parser(self, part: str) -> expat.XMLParserType:
        """A fresh expat parser for one part, wired to this scan."""
        self.part = part
        self.stack = []
        p = expat.ParserCreate(namespace_separator=" ")
        p.buffer_text = True
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._doctype
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text
        return p

    def _doctype(self, *_args: object) -> None:
        # No Office part has a DTD; one here can only be an entity bomb.
        raise _refuse("文件中含有表格不会有的文档类型声明（DTD），"
                      "可能是恶意构造的文件，已停止读取。")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.lim.xml_elements:
            raise _refuse(f"文件中的 XML 元素超过 {self.lim.xml_elements:,} 个，"
                          f"远超县级目录表格{_STOP}")
        local = self.names.get(name)
        if local is None:  # names repeat: split each one once
            ns, _, local = name.rpartition(" ")
            local = self.names[name] = local if ns in self.namespaces else ""
        self.stack.append(local)
        if local in self.watched:
            self.start(local, {k.rpartition(" ")[2]: v for k, v in attrs.items()})

    def _end(self, _name: str) -> None:
        local = self.stack.pop()
        if local:
            self.end(local)

    def _text(self, data: str) -> None:
        if self.stack and self.stack[-1] in ("t", "v"):
            self.text(len(data))

    def start(self, local: str, attrs: dict[str, str]) -> None:
        """An element of the package's own vocabulary begins."""

    def end(self, local: str) -> None:
        """An element of the package's own vocabulary ends."""

    def text(self, n: int) -> None:
        """``n`` characters of cell text (inside ``t`` or ``v``)."""

    def cell_text(self, total: int) -> None:
        """Refuse a cell longer than Excel allows."""
        if total > self.lim.cell_chars:
            raise _refuse(f"表格中有一格文字超过 {self.lim.cell_chars:,} 字，"
                          f"远超县级目录表格（最多 {self.lim.cell_chars:,} 字）{_STOP}")


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int]:
    match = _CELL_REF.fullmatch(ref.strip())
    if not match:
        raise ValueError(f"bad cell reference {ref!r}")
    return int(match.group(2)), _column(match.group(1))


def _range(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    (r1, c1), (r2, c2) = _cell(first), _cell(last or first)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class _SheetScan(_Scan):
    """A workbook: its sheets, each sheet's dimension, rows, cells and merged ranges."""

    namespaces = _SHEET_NS
    watched = frozenset({"sheet", "dimension", "row", "c", "si", "mergeCell"})

    def __init__(self, lim: Limits) -> None:
        super().__init__(lim)
        self.sheets = self.cells = self.strings = self.merge_count = self.merged = 0
        self.row = self.col = self.chars = 0

    def parser(self, part: str) -> expat.XMLParserType:
        """A parser for one part; row and column counters start again."""
        self.row = self.col = 0
        return super().parser(part)

    def _too_big(self, what: str) -> _Refused:
        return _refuse(f"{what}远超县级目录的大小"
                       f"（最多 {self.lim.rows} 行 × {self.lim.cols} 列）{_STOP}")

    def start(self, local: str, attrs: dict[str, str]) -> None:
        """Count and bound sheets, rows, cells, strings and merged ranges as they stream by."""
        lim = self.lim
        if local == "sheet":
            self.sheets += 1
            if self.sheets > lim.sheets:
                raise _refuse(f"工作簿有 {self.sheets} 个以上工作表，"
                              f"远超县级目录（最多 {lim.sheets} 个）{_STOP}")
        elif local == "dimension":
            ref = attrs.get("ref", "A1")
            _r1, _c1, r2, c2 = _range(ref)
            if r2 > lim.rows or c2 > lim.cols:
                raise self._too_big(f"表格声明的范围 {ref} ")
        elif local == "row":
            self.row = int(attrs["r"]) if "r" in attrs else self.row + 1
            self.col = 0
            if self.row > lim.rows:
                raise self._too_big(f"工作表有第 {self.row:,} 行，")
        elif local == "c":
            self.col = _cell(attrs["r"])[1] if "r" in attrs else self.col + 1
            self.cells += 1
            self.chars = 0
            if self.col > lim.cols:
                raise self._too_big(f"工作表有第 {self.col:,} 列，")
            if self.cells > lim.cells:
                raise _refuse(f"表格超过 {lim.cells:,} 格，远超县级目录的大小{_STOP}")
        elif local == "si":
            self.strings += 1
            self.chars = 0
            if self.strings > lim.cells:
                raise _refuse(f"表格的文字超过 {lim.cells:,} 段，远超县级目录的大小{_STOP}")
        elif local == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def _merge(self, ref: str) -> None:
        lim = self.lim
        r1, c1, r2, c2 = _range(ref)
        if r2 > lim.rows or c2 > lim.cols:
            raise self._too_big(f"合并单元格 {ref} ")
        self.merge_count += 1
        self.merged += (r2 - r1 + 1) * (c2 - c1 + 1)
        if self.merge_count > lim.merges:
            raise _refuse(f"表格有 {self.merge_count:,} 处以上合并单元格，"
                          f"远超县级目录（最多 {lim.merges:,} 处）{_STOP}")
        if self.merged > lim.cells:
            raise _refuse(f"合并单元格共覆盖 {self.merged:,} 格以上，"
                          f"远超县级目录的大小（最多 {lim.cells:,} 格）{_STOP}")
        self.shape.merges.setdefault(self.part, []).append((r1, c1, r2, c2))

    def text(self, n: int) -> None:
        """Bound the text of one cell or one shared string."""
        self.chars += n
        self.cell_text(self.chars)


@dataclass
class _Table:
    rows: int = 0
    widest: int = 0
    width: int = 0  # of the row being read


class _WordScan(_Scan):
    """A document: its tables, each table's rows, each row's cells and spans, each cell's text."""

    namespaces = _WORD_NS
    watched = frozenset({"tbl", "tr", "tc", "gridSpan", "gridBefore", "vMerge"})

    def __init__(self, lim: Limits) -> None:
        super().__init__(lim)
        self.tables: list[_Table] = []
        self.table_count = self.area = 0
        self.cell_chars: list[int] = []

    def _span(self, attrs: dict[str, str], what: str) -> int:
        value = attrs.get("val", "1")
        if not value.isdigit():
            raise _refuse(f"表格的{what}「{value[:20]}」不是有效数字，文件可能已损坏，已停止读取。")
        n = int(value)
        if n > self.lim.cols:
            raise _refuse(f"表格中一格声明{what} {n:,}，"
                          f"远超县级目录的大小（最多 {self.lim.cols} 列）{_STOP}")
        return n

    def start(self, local: str, attrs: dict[str, str]) -> None:
        """Count and bound tables, rows, row widths and merges as they stream by."""
        lim = self.lim
        table = self.tables[-1] if self.tables else None
        if local == "tbl":
            self.table_count += 1
            if self.table_count > lim.tables:
                raise _refuse(f"文档有 {self.table_count} 个以上表格，"
                              f"远超县级目录（最多 {lim.tables} 个）{_STOP}")
            self.tables.append(_Table())
        elif table is None:
            return
        elif local == "tr":
            table.rows += 1
            table.width = 0
            if table.rows > lim.rows:
                raise _refuse(f"文档中一个表格有 {table.rows:,} 行以上，"
                              f"远超县级目录的大小（最多 {lim.rows:,} 行）{_STOP}")
        elif local == "tc":
            self._widen(table, 1)
            self.cell_chars.append(0)
        elif local == "gridSpan":
            self._widen(table, self._span(attrs, "合并列数") - 1)
        elif local == "gridBefore":
            self._widen(table, self._span(attrs, "行首空列数"))
        elif local == "vMerge" and attrs.get("val", "continue") not in ("restart", "continue"):
            raise _refuse(f"表格的纵向合并标记「{attrs['val'][:20]}」无效，"
                          f"文件可能已损坏，已停止读取。")

    def _widen(self, table: _Table, n: int) -> None:
        table.width += n
        table.widest = max(table.widest, table.width)
        if table.width > self.lim.cols:
            raise _refuse(f"文档中一个表格有 {table.width:,} 列以上，"
                          f"远超县级目录的大小（最多 {self.lim.cols} 列）{_STOP}")

    def end(self, local: str) -> None:
        """A table ends: what the reader will build for it (rows × widest row) counts."""
        if local == "tbl" and self.tables:
            table = self.tables.pop()
            self.area += table.rows * table.widest
            if self.area > self.lim.cells:
                raise _refuse(f"文档的表格共超过 {self.lim.cells:,} 格，远超县级目录的大小{_STOP}")
        elif local == "tc" and self.cell_chars:
            self.cell_chars.pop()

    def text(self, n: int) -> None:
        """Bound the text of the innermost open cell."""
        if self.cell_chars:
            self.cell_chars[-1] += n
            self.cell_text(self.cell_chars[-1])


# --------------------------------------------------------------------------- JSON

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")


def check_json(path: Path) -> None:
    """Refuse a catalog JSON file larger or deeper than any export before ``json`` parses it."""
    lim = limits()
    try:
        size = path.stat().st_size
        if size > lim.json_mb * MB:
            raise UserError(f"目录文件有 {_size(size)}，"
                            f"远超工作台导出的目录（最多 {lim.json_mb} MB）{_STOP}")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError("无法读取这个目录文件，请确认它存在且没有被其他程序占用。",
                        repr(exc)) from exc
    check_json_bytes(data)


def check_json_bytes(data: bytes, what: str = "目录文件") -> None:
    """Refuse JSON text nested deeper than ``json_depth`` (or with unpaired brackets).

    The depth is found without recursion: strings and everything but brackets
    are cut away (C speed), then innermost empty pairs are removed once per
    level; what is left after ``json_depth`` rounds is deeper than allowed, or
    brackets that do not pair, which no parser would accept either. ``what``
    names the file in the refusal, so any JSON handed to the desk can use it.
    """
    lim = limits()
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", data))
    for _level in range(lim.json_depth):
        if not brackets:
            return
        shorter = _EMPTY_PAIR.sub(b"", brackets)
        if shorter == brackets:
            break
        brackets = shorter
    if brackets:
        raise UserError(f"{what}的括号嵌套超过 {lim.json_depth} 层或不配对，"
                        "不是有效的 JSON，已停止读取。")
