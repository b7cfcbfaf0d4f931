"""整改: the county's problem lists (测评问题清单), each problem's deadline and its fix.

A list arrives as a Word or Excel table (or, later, through sync) and is kept
whole in one transaction: each row a problem with its 整改时限 turned into a
deadline counted in official working days from the day the list was received.
A problem points at what it concerns (a notice, a catalog item or a board):
a row whose 问题页面 is a notice's address on the county platform is linked at
import, the others by the clerk. A fix is the township's word to the county
and is never rewritten: a better one is a new fix, and the latest counts.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import clock
from app.atomic import keep_once
from app.catalog.items import get_item
from app.catalog.search import search
from app.errors import UserError
from app.facts import squash, tidy
from app.notices.boards import find_board, photo_path, store_photo
from app.notices.drafts import get_notice, resolve_id
from app.store import Store, now_iso
from app.workdays import MAX_WORKDAYS, Calendar, check_day, parse_date
from resources import RESOURCES

if TYPE_CHECKING:
    from app.catalog.table_reader import Grid

COLUMNS_FILE = RESOURCES / "rectify" / "columns.toml"
DEFAULT_DAYS_SETTING = "rectify.default_days"
TARGET_KINDS: dict[str, str] = {"notice": "公开信息", "item": "目录事项", "board": "公开栏"}
EVIDENCE_KINDS: dict[str, str] = {"photo": "照片", "screenshot": "截图", "file": "文件"}
#: ``Problem.status`` and the clerk's words for it.
STATUSES: dict[str, str] = {"open": "整改中", "overdue": "已超期", "fixed": "已整改",
                            "fixed_late": "逾期完成"}
_HEADER_SEARCH_ROWS = 15  # title and note rows above a header never run longer
_HEADER_CHARS = 16  # a header cell is a label, not a sentence (or the list's title)

_NO_LIST = ("文件中没有找到问题清单表格（表头应有“问题描述”或“存在问题”等列），"
            "请确认选择了正确的文件。")
_WRONG_TYPE = ("问题清单只能导入Excel（.xlsx）或Word（.docx）格式的表格，"
               "请把文件另存为这两种格式之一后再导入。")


@dataclass(frozen=True)
class Fix:
    """What the township did about a problem, when, and the evidence."""

    fixed_on: date
    action: str
    evidence: tuple[dict[str, str], ...]  # {"kind": "photo"|"file"|"screenshot", "sha256", "name"}
    author: str

    def to_json(self) -> dict[str, Any]:
        """As JSON (each evidence also names its ``path`` inside the data folder)."""
        return {"fixed_on": self.fixed_on.isoformat(), "action": self.action,
                "evidence": [dict(e) for e in self.evidence], "author": self.author}


@dataclass(frozen=True)
class Problem:
    """One problem of a county list."""

    id: str
    list_title: str
    received: date
    seq: int
    problem: str
    indicator: str
    requirement: str
    target_kind: str  # "notice" | "item" | "board" | ""
    target_id: str
    days: int
    deadline: date
    calendar_known: bool
    fixes: tuple[Fix, ...] = field(default_factory=tuple)
    list_id: int = 0
    #: What the target is called (a notice's title, an item's name, a board's name).
    target_label: str = ""

    @property
    def fix(self) -> Fix | None:
        """The fix that counts (the latest recorded)."""
        return self.fixes[-1] if self.fixes else None

    @property
    def fixed_late(self) -> bool:
        """Fixed, but after its deadline."""
        return self.fix is not None and self.fix.fixed_on > self.deadline

    def overdue(self, today: date) -> bool:
        """Not fixed and past its deadline."""
        return self.fix is None and today > self.deadline

    @property
    def late_days(self) -> int:
        """Calendar days a fix came after the deadline (0 if on time or not fixed)."""
        fix = self.fix
        return max(0, (fix.fixed_on - self.deadline).days) if fix else 0

    def status(self, today: date | None = None) -> str:
        """``open``, ``overdue``, ``fixed`` or ``fixed_late`` (keys of :data:`STATUSES`)."""
        if self.fix is not None:
            return "fixed_late" if self.fixed_late else "fixed"
        return "overdue" if self.overdue(today or clock.today()) else "open"

    def status_words(self, today: date | None = None) -> str:
        """The status as the clerk reads it, with the days late: 逾期完成（超期3天）."""
        today = today or clock.today()
        state = self.status(today)
        if state == "fixed_late":
            return f"逾期完成（超期{self.late_days}天）"
        if state == "overdue":
            return f"已超期{(today - self.deadline).days}天"
        return STATUSES[state]

    def target_words(self) -> str:
        """「公开信息：标题」, or 未关联."""
        if not self.target_kind:
            return "未关联"
        return f"{TARGET_KINDS[self.target_kind]}：{self.target_label or self.target_id}"

    def to_json(self, today: date | None = None) -> dict[str, Any]:
        """As JSON for ``rectify list --json``."""
        today = today or clock.today()
        target = ({"kind": self.target_kind, "id": self.target_id, "label": self.target_label}
                  if self.target_kind else None)
        return {
            "id": self.id, "list_id": self.list_id, "list_title": self.list_title,
            "received": self.received.isoformat(), "seq": self.seq, "problem": self.problem,
            "indicator": self.indicator, "requirement": self.requirement, "target": target,
            "days": self.days, "deadline": self.deadline.isoformat(),
            "calendar_known": self.calendar_known, "status": self.status(today),
            "late_days": self.late_days,
            "fix": self.fix.to_json() if self.fix else None,
            "fixes": [f.to_json() for f in self.fixes],
        }


@dataclass(frozen=True)
class Imported:
    """What an import kept: the list, its problems, and what the clerk should know."""

    list_id: int
    title: str
    received: date
    problems: list[Problem]
    warnings: list[str]

    def to_json(self, today: date | None = None) -> dict[str, Any]:
        """As JSON for ``rectify import --json``."""
        return {"list_id": self.list_id, "title": self.title,
                "received": self.received.isoformat(),
                "problems": [p.to_json(today) for p in self.problems],
                "linked": sum(bool(p.target_kind) for p in self.problems),
                "warnings": self.warnings}


# --------------------------------------------------------------------------- settings


@cache
def _columns_file() -> dict[str, Any]:
    with open(COLUMNS_FILE, "rb") as file:
        return tomllib.load(file)


def column_words() -> dict[str, list[str]]:
    """Each field of a problem row and the header words that name its column (in match order)."""
    return dict(_columns_file()["fields"])


def _limit(name: str) -> int:
    return int(_columns_file()["settings"][name])


def default_days(store: Store) -> int:
    """Working days given to a problem whose row names no 整改时限 (the township's setting)."""
    try:
        value = int(store.get_setting(DEFAULT_DAYS_SETTING, "") or _limit("default_days"))
    except ValueError:
        return _limit("default_days")
    return value if 1 <= value <= MAX_WORKDAYS else _limit("default_days")


def check_days(days: int | str) -> int:
    """A number of working days the clerk gave: 1 to :data:`MAX_WORKDAYS`."""
    try:
        value = int(str(days).strip())
    except ValueError:
        raise UserError(f"整改期限「{days}」不是天数，请写1到{MAX_WORKDAYS}之间的整数。") from None
    if not 1 <= value <= MAX_WORKDAYS:
        raise UserError(f"整改期限应为1到{MAX_WORKDAYS}个工作日。")
    return value


def set_default_days(store: Store, days: int | str) -> int:
    """Set the working days a problem without its own 整改时限 gets (one audited write)."""
    value = check_days(days)
    store.set_settings({DEFAULT_DAYS_SETTING: str(value)})
    return value


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """A 整改时限 as read: working days from the day received, and the day they end."""

    days: int
    deadline: date
    calendar_known: bool


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}


def _number(text: str) -> int | None:
    """10, 十, 十五, 二十, 三十 … as an int (None if it is no number)."""
    if text.isdigit():
        return int(text[:4])
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text[0]] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_CN_DIGITS.get(ones, 0) if ones else 0)


_NUM = r"([0-9]{1,4}|[零〇一二两三四五六七八九十]{1,3})"
_WORKDAYS = re.compile(_NUM + r"个?工作日")
_DAYS = re.compile(_NUM + r"(?:个自然日|个日历日|自然日|天|日)(?!期)")
_WEEKS = re.compile(_NUM + r"(?:周|个星期|星期)")
_MONTHS = re.compile(_NUM + r"个(?:月|自然月)")
_FULL_DATE = re.compile(r"(20[0-9]{2})\s*[年\-./]\s*([0-9]{1,2})\s*[月\-./]\s*([0-9]{1,2})")
_MONTH_DAY = re.compile(r"([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")
_AT_ONCE = ("立行立改", "立即整改", "即知即改", "立即", "马上")


def _workdays_between(cal: Calendar, start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    n, day = 0, start
    while day < end and n < MAX_WORKDAYS:
        day += timedelta(days=1)
        n += cal.is_workday(day)
    return n


def _month_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise UserError("整改期限超出了日历的范围。")  # unreachable: 28 days exist in every month


def _dated(cal: Calendar, received: date, end: date, counted: bool = False) -> Deadline:
    end = check_day(end, "整改期限")
    # A period counted in calendar days that ends on a day off ends on the next working
    # day, as the 行政程序 rule reads; a day the county wrote is kept as written.
    while counted and not cal.is_workday(end) and end < date(2099, 12, 31):
        end += timedelta(days=1)
    known = all(cal.knows(y) for y in range(received.year, end.year + 1))
    return Deadline(_workdays_between(cal, received, end), end, known)


def read_deadline(cal: Calendar, received: date, text: str, days: int) -> Deadline | None:
    """What a 整改时限 cell says, counted from ``received``; None if it says nothing readable.

    「10个工作日」「十个工作日内」 are working days; 「15天」「1个月」「2周」 calendar time;
    「2026年12月15日前」「12月15日」 a day (the year the list came in, or the next if it
    would fall before it); 「立行立改」 the day received. ``days`` is what an empty
    cell gets (the township's default).
    """
    plain = squash(unicodedata.normalize("NFKC", text or ""))
    if not plain:
        count = cal.add_workdays(received, days)
        return Deadline(days, count.date, count.calendar_known)
    if m := _WORKDAYS.search(plain):
        n = _number(m.group(1))
        if n is not None and 0 < n <= MAX_WORKDAYS:
            count = cal.add_workdays(received, n)
            return Deadline(n, count.date, count.calendar_known)
    if m := _FULL_DATE.search(plain):
        try:
            return _dated(cal, received, date(*(int(g) for g in m.groups())))
        except ValueError:
            return None
    if m := _MONTH_DAY.search(plain):
        try:
            end = date(received.year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        if end < received:
            end = end.replace(year=received.year + 1)
        return _dated(cal, received, end)
    for pattern, unit in ((_DAYS, 1), (_WEEKS, 7)):
        if m := pattern.search(plain):
            n = _number(m.group(1))
            if n is not None and 0 < n * unit <= 4 * 366:
                return _dated(cal, received, received + timedelta(days=n * unit), True)
    if m := _MONTHS.search(plain):
        n = _number(m.group(1))
        if n is not None and 0 < n <= 48:
            return _dated(cal, received, _month_later(received, n), True)
    if any(word in plain for word in _AT_ONCE):
        return Deadline(0, received, cal.knows(received.year))
    return None


# --------------------------------------------------------------------------- reading tables


def _field_of(label: str, words: dict[str, list[str]]) -> str:
    key = squash(unicodedata.normalize("NFKC", label))
    if not key or len(key) > _HEADER_CHARS:
        return ""
    return next((name for name, names in words.items() if any(w in key for w in names)), "")


def _header(rows: list[list[str]], words: dict[str, list[str]]) -> tuple[int, dict[str, int]]:
    """The header row of a problem list and each field's column; (-1, {}) if there is none."""
    for r, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for c, text in enumerate(row):
            name = _field_of(text, words)
            if name and name not in columns:
                columns[name] = c
        # A title row spread over merged cells names one field in every cell; a header
        # names the problem and at least one other thing about it.
        if "problem" in columns and len(columns) >= 2:
            return r, columns
    return -1, {}


def _seq(text: str) -> int | None:
    plain = unicodedata.normalize("NFKC", text).strip().rstrip(".、")
    return int(plain) if plain.isdigit() and len(plain) <= 5 else None


def rows_of_grid(grid: Grid, words: dict[str, list[str]] | None = None
                 ) -> tuple[list[dict[str, str]], list[str]] | None:
    """The problem rows of one table (keys as :func:`import_rows` takes them), and warnings.

    None when the table is no problem list.
    """
    words = words or column_words()
    header, columns = _header(grid.rows, words)
    if header < 0:
        return None
    keys = {"seq": "序号", "problem": "问题", "indicator": "指标", "requirement": "整改要求",
            "deadline": "期限", "url": "网址", "unit": "责任单位", "note": "备注"}
    rows: list[dict[str, str]] = []
    warnings: list[str] = []
    heading = {squash(c) for c in grid.rows[header]}
    problem_col = columns["problem"]
    for index in range(header + 1, len(grid.rows)):
        cells = grid.rows[index]
        texts = [tidy(c) for c in cells]
        filled = [t for t in texts if t]
        if not filled or {squash(t) for t in filled} <= heading:
            continue  # a blank row, or the header repeated after a page break
        if squash(texts[problem_col]) in heading:
            continue  # the second row of a two-row header (整改情况 over 措施 and 时间)
        if len(set(filled)) == 1 and (len(filled) > 1 or not texts[problem_col]):
            continue  # a section row ("一、政务公开平台"), merged across or in its own column
        row = {keys[name]: texts[col] if col < len(texts) else ""
               for name, col in columns.items()}
        if not row.get("问题"):
            warnings.append(f"{grid.source}第{index + 1}行没有填写问题，已跳过")
            continue
        rows.append(row)
    return rows, warnings


def list_title(rows: list[list[str]]) -> str:
    """The title a county writes above its table (东山县2026年第三季度政务公开测评问题清单), or ''.

    It is the first row above the header holding one text only (merged across the
    columns or in the first cell) that names a list, a problem or an assessment.
    """
    header, _columns = _header(rows, column_words())
    for row in rows[:max(header, 0)]:
        texts = {tidy(c) for c in row if tidy(c)}
        if len(texts) == 1:
            text = texts.pop()
            if 4 <= len(text) <= 80 and any(w in text for w in ("清单", "问题", "测评", "整改",
                                                               "检查", "考核")):
                return text
    return ""


def read_list(path: Path) -> tuple[list[dict[str, str]], list[str], str]:
    """Every problem row in a county's ``.xlsx`` or ``.docx`` 测评问题清单, warnings, and the
    title written above the first table ('' if none).

    UserError (one sentence) for a file that is not a readable table or holds no
    problem list; the reader limits are checked before anything is parsed.
    """
    # Imported here: openpyxl and python-docx take longer to load than the 工作台's
    # due lines, which read this module, take to compute.
    from app.catalog.table_reader import read_grids

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".docx", ".xls", ".doc", ".et", ".wps"):
        raise UserError(_WRONG_TYPE)
    grids = read_grids(path)
    rows: list[dict[str, str]] = []
    warnings: list[str] = []
    found = False
    title = ""
    words = column_words()
    for grid in grids:
        read = rows_of_grid(grid, words)
        if read is None:
            continue
        if not found:
            title = list_title(grid.rows)
        found = True
        rows += read[0]
        warnings += read[1]
    if not found:
        raise UserError(_NO_LIST)
    if not rows:
        raise UserError("问题清单表格中没有读到任何问题，请确认表格里填写了问题描述。")
    return rows, warnings, title


# --------------------------------------------------------------------------- keeping lists


def _check_title(title: str) -> str:
    title = tidy(title or "")
    if not title:
        raise UserError("请填写问题清单的名称（如“2026年第三季度政务公开测评问题清单”）。")
    if len(title) > 200 or "\n" in title:
        raise UserError("问题清单的名称应是一行、不超过200个字。")
    return title


def _normal_url(url: str) -> str:
    url = squash(unicodedata.normalize("NFKC", url or "")).lower()
    url = re.sub(r"^[a-z]+://", "", url)
    return url.rstrip("/")


def _notice_urls(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in store.query("SELECT id, county_url FROM notices WHERE county_url IS NOT NULL"
                         " AND county_url != ''"):
        out.setdefault(_normal_url(r["county_url"]), r["id"])
    return out


_URL = re.compile(r"(?:https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s，。；、]*")


def _explicit_target(store: Store, text: str) -> tuple[str, str] | None:
    """A 关联 given by sync or the clerk as ``notice:ID``, ``item:ID`` or ``board:名称``."""
    kind, _, value = (text or "").partition(":")
    if kind.strip() in TARGET_KINDS and value.strip():
        try:
            return resolve_target(store, kind.strip(), value.strip())[:2]
        except UserError:
            return None
    return None


def import_rows(store: Store, title: str, source: str, received: date,
                rows: list[dict[str, str]], default: int | None = None) -> list[Problem]:
    """Keep one problem list in one transaction; rows carry 问题/指标/整改要求/期限(工作日)/关联.

    Each row is a dict with 问题 (required) and optionally 序号, 指标, 整改要求, 期限
    (a 整改时限 as counties write it, or a number of working days), 网址 (a notice's
    address on the county platform links the problem to it), 关联 (``notice:ID``,
    ``item:ID``, ``board:名称``), 责任单位 and 备注. ``default`` is the working days a
    row without 期限 gets (the township's setting when None).
    """
    return _keep(store, title, source, received, rows, default)[0]


def _keep(store: Store, title: str, source: str, received: date, rows: list[dict[str, str]],
          default: int | None) -> tuple[list[Problem], list[str]]:
    title = _check_title(title)
    received = check_day(received, "收到日期")
    if received > clock.today():
        raise UserError("收到问题清单的日期不能晚于今天。")
    days = check_days(default) if default is not None else default_days(store)
    if not rows:
        raise UserError("问题清单中没有问题，未导入。")
    if len(rows) > _limit("most_problems"):
        raise UserError(f"一份问题清单最多{_limit('most_problems')}个问题，这份有{len(rows)}个，"
                        "不像是问题清单，未导入。")
    cal = Calendar.from_store(store)
    urls = _notice_urls(store)
    warnings: list[str] = []
    planned: list[dict[str, Any]] = []
    used: set[int] = set()
    for n, row in enumerate(rows, start=1):
        problem = tidy(str(row.get("问题", "")))
        if not problem:
            raise UserError(f"问题清单第{n}行没有填写问题，未导入。")
        seq = _seq(str(row.get("序号", ""))) or n
        if seq in used:
            seq = max(used) + 1
        used.add(seq)
        limit_text = str(row.get("期限", "") or "")
        limit_text = f"{limit_text}个工作日" if limit_text.strip().isdigit() else limit_text
        deadline = read_deadline(cal, received, limit_text, days)
        if deadline is None:
            warnings.append(f"第{seq}个问题的整改时限「{limit_text[:20]}」无法识别，"
                            f"按{days}个工作日计算")
            count = cal.add_workdays(received, days)
            deadline = Deadline(days, count.date, count.calendar_known)
        requirement = tidy(str(row.get("整改要求", "")))
        extra = "；".join(f"{key}：{tidy(str(row[key]))}" for key in ("责任单位", "备注")
                         if tidy(str(row.get(key, ""))))
        url = tidy(str(row.get("网址", "")))
        target = _explicit_target(store, str(row.get("关联", "")))
        if target is None and url:
            found = next((urls[_normal_url(u)] for u in _URL.findall(url) + [url]
                          if _normal_url(u) in urls), None)
            target = ("notice", found) if found else None
        if url and (target is None or target[0] != "notice"):
            # The page the assessor saw is part of the problem; without a notice to hold it,
            # the problem's own text keeps it.
            problem += f"（问题页面：{url}）"
        planned.append({
            "seq": seq, "problem": problem, "indicator": tidy(str(row.get("指标", ""))),
            "requirement": requirement + (f"（{extra}）" if extra else ""),
            "target_kind": target[0] if target else "", "target_id": target[1] if target else "",
            "days": deadline.days, "deadline": deadline.deadline.isoformat(),
            "calendar_known": int(deadline.calendar_known),
        })
    with store.transaction() as conn:
        cursor = conn.execute("INSERT INTO rectify_lists (title, source, received, created_at)"
                              " VALUES (?, ?, ?, ?)", (title, source, received.isoformat(),
                                                       now_iso()))
        list_id = int(cursor.lastrowid or 0)
        for p in planned:
            conn.execute(
                "INSERT INTO rectify_problems (id, list_id, seq, problem, indicator, requirement,"
                " target_kind, target_id, days, deadline, calendar_known, created_at) VALUES"
                " (:id, :list_id, :seq, :problem, :indicator, :requirement, :target_kind,"
                " :target_id, :days, :deadline, :calendar_known, :created_at)",
                p | {"id": problem_id(list_id, p["seq"]), "list_id": list_id,
                     "created_at": now_iso()})
        store.audit("rectify.import", str(list_id),
                    {"title": title, "source": source, "received": received.isoformat(),
                     "problems": len(planned), "rows": rows})
    problems = [p for p in list_problems(store) if p.list_id == list_id]
    return problems, warnings


def problem_id(list_id: int, seq: int) -> str:
    """The id of a list's problem: ZG3-05 is the fifth problem of the third list kept."""
    return f"ZG{list_id}-{seq:02d}"


def import_file(store: Store, path: Path, title: str | None = None,
                received: date | str | None = None, default_days: int | None = None,
                ) -> Imported:
    """Read a county's 测评问题清单 (.xlsx/.docx) and keep it as one list, in one transaction.

    ``title`` defaults to the title written above the table, else the file's name;
    ``received`` to today and ``default_days``
    (working days for rows with no 整改时限) to the township's setting.
    """
    path = Path(path)
    day = (clock.today() if received is None
           else received if isinstance(received, date) else parse_date(received))
    rows, warnings, written = read_list(path)
    title = title or written or path.stem
    problems, more = _keep(store, title, path.name, day, rows, default_days)
    kept = problems[0].list_id if problems else 0
    return Imported(kept, _check_title(title), day, problems, warnings + more)


# --------------------------------------------------------------------------- reading back


def _fixes(store: Store) -> dict[str, list[Fix]]:
    out: dict[str, list[Fix]] = {}
    for r in store.query("SELECT problem_id, fixed_on, action, evidence, author"
                         " FROM rectify_fixes ORDER BY id"):
        try:
            evidence = tuple(dict(e) for e in json.loads(r["evidence"]))
        except (ValueError, TypeError):
            evidence = ()
        out.setdefault(r["problem_id"], []).append(
            Fix(date.fromisoformat(r["fixed_on"]), r["action"], evidence, r["author"]))
    return out


def _labels(store: Store, rows: list[Any]) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    for kind, target in {(r["target_kind"], r["target_id"]) for r in rows if r["target_kind"]}:
        try:
            labels[(kind, target)] = _label(store, kind, target)
        except UserError:
            labels[(kind, target)] = f"{target}（已不存在）"
    return labels


def _label(store: Store, kind: str, target: str) -> str:
    if kind == "notice":
        return get_notice(store, target).title
    if kind == "item":
        item = get_item(store, target)
        return "—".join(t for t in (item.level1, item.level2) if t)
    name = store.scalar("SELECT name FROM boards WHERE id = ?", (target,))
    if name is None:
        raise UserError("没有这块公开栏。")
    return str(name)


def list_problems(store: Store, year: int | None = None, open_only: bool = False
                  ) -> list[Problem]:
    """Every problem (of lists received in ``year``, or all), oldest list first.

    ``open_only`` keeps the problems not yet fixed.
    """
    sql = ("SELECT p.*, l.title, l.received FROM rectify_problems p"
           " JOIN rectify_lists l ON l.id = p.list_id")
    params: tuple[Any, ...] = ()
    if year is not None:
        sql += " WHERE l.received LIKE ?"
        params = (f"{int(year):04d}-%",)
    sql += " ORDER BY l.received, l.id, p.seq"
    with store.snapshot():
        rows = store.query(sql, params)
        fixes = _fixes(store)
        labels = _labels(store, rows)
    out = [Problem(
        id=r["id"], list_title=r["title"], received=date.fromisoformat(r["received"]),
        seq=r["seq"], problem=r["problem"], indicator=r["indicator"],
        requirement=r["requirement"], target_kind=r["target_kind"], target_id=r["target_id"],
        days=r["days"], deadline=date.fromisoformat(r["deadline"]),
        calendar_known=bool(r["calendar_known"]), fixes=tuple(fixes.get(r["id"], ())),
        list_id=r["list_id"], target_label=labels.get((r["target_kind"], r["target_id"]), ""),
    ) for r in rows]
    return [p for p in out if p.fix is None] if open_only else out


def resolve_problem(store: Store, text: str) -> str:
    """A problem's id from what the clerk typed (zg3-5, ZG3-05); UserError if none."""
    plain = squash(unicodedata.normalize("NFKC", text or "")).upper()
    if m := re.fullmatch(r"(?:ZG)?([0-9]{1,9})-([0-9]{1,5})", plain):
        wanted = problem_id(int(m.group(1)), int(m.group(2)))
        if store.scalar("SELECT 1 FROM rectify_problems WHERE id = ?", (wanted,)):
            return wanted
    shown = (text or "").strip()[:24]
    raise UserError(f"没有编号为「{shown}」的整改问题（编号如 ZG1-03，见 gongkai rectify list）。")


def get_problem(store: Store, text: str) -> Problem:
    """One problem by its id (as :func:`resolve_problem` reads it)."""
    wanted = resolve_problem(store, text)
    return next(p for p in list_problems(store) if p.id == wanted)


# --------------------------------------------------------------------------- linking


def _resolve_item(store: Store, text: str) -> str:
    try:
        return get_item(store, text.strip()).id
    except UserError:
        pass
    key = squash(text)
    hits = search(store, text, limit=20)
    exact = [h.item for h in hits
             if key in (squash(h.item.level2), squash(h.item.level1),
                        squash(h.item.level1 + h.item.level2))]
    chosen = exact if exact else [h.item for h in hits]
    if len(chosen) == 1:
        return chosen[0].id
    if not chosen:
        raise UserError(f"目录中没有找到事项「{text.strip()[:24]}」，请写事项编号或事项名称。")
    names = "、".join(f"{i.level2 or i.level1}（{i.id}）" for i in chosen[:3])
    raise UserError(f"「{text.strip()[:24]}」对应多个目录事项（{names}……），请写事项编号。")


def _resolve_notice(store: Store, text: str) -> str:
    try:
        return resolve_id(store, text)
    except UserError:
        pass
    key = squash(text)
    rows = [r["id"] for r in store.query(
        "SELECT n.id, r.title FROM notices n JOIN notice_revisions r ON r.notice_id = n.id"
        " AND r.rev = n.current_rev") if squash(r["title"]) == key]
    if len(rows) == 1:
        return str(rows[0])
    if rows:
        raise UserError(f"标题为「{text.strip()[:24]}」的公开信息不止一条，请写编号。")
    raise UserError(f"没有编号或标题为「{text.strip()[:24]}」的公开信息。")


def resolve_target(store: Store, kind: str, text: str) -> tuple[str, str, str]:
    """What the clerk named (a notice's id or title, an item's id or name, a board's name).

    Returns (kind, id, label); UserError if it names nothing, or more than one thing.
    """
    if kind not in TARGET_KINDS:
        raise UserError("只能关联公开信息、目录事项或公开栏。")
    if not (text or "").strip():
        raise UserError(f"请写要关联的{TARGET_KINDS[kind]}。")
    if kind == "notice":
        target = _resolve_notice(store, text)
    elif kind == "item":
        target = _resolve_item(store, text)
    else:
        target = str(find_board(store, text).id)
    return kind, target, _label(store, kind, target)


def link(store: Store, problem: str, kind: str, text: str) -> Problem:
    """Point a problem at the notice, catalog item or board it concerns (one audited write)."""
    wanted = resolve_problem(store, problem)
    kind, target, label = resolve_target(store, kind, text)
    with store.transaction() as conn:
        conn.execute("UPDATE rectify_problems SET target_kind = ?, target_id = ? WHERE id = ?",
                     (kind, target, wanted))
        store.audit("rectify.link", wanted, {"kind": kind, "id": target, "label": label})
    return get_problem(store, wanted)


# --------------------------------------------------------------------------- fixing


_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    # A screen capture is saved as PNG (or BMP) by Windows and by WeChat; a camera's is JPEG.
    (b"\x89PNG\r\n\x1a\n", "screenshot"), (b"BM", "screenshot"),
    (b"\xff\xd8\xff", "photo"), (b"GIF8", "photo"),
)


def _evidence_kind(head: bytes) -> str:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "photo"
    return next((kind for magic, kind in _IMAGE_MAGIC if head.startswith(magic)), "file")


def _read_evidence(path: Path) -> bytes:
    most = _limit("evidence_mb") * 1024 * 1024
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserError(f"「{path.name}」不是文件，请选择照片、截图或文件作为整改佐证。")
        if size > most:
            raise UserError(f"佐证文件「{path.name}」超过{_limit('evidence_mb')}MB，"
                            "请压缩或截取需要的部分后再附上。")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到佐证文件「{path.name}」，请确认它没有被移动或删除。") from None
    except OSError as exc:
        raise UserError(f"无法读取佐证文件「{path.name}」，请关闭占用它的程序后重试。",
                        repr(exc)) from exc
    if not data:
        raise UserError(f"佐证文件「{path.name}」是空的。")
    return data


def evidence_path(store: Store, evidence: dict[str, str]) -> Path:
    """Where a kept evidence file lives in the data folder."""
    if evidence.get("path"):
        return store.folder / evidence["path"]
    return photo_path(store, evidence["sha256"])


def _keep_evidence(store: Store, path: Path, data: bytes) -> dict[str, str]:
    kind = _evidence_kind(data[:16])
    digest = hashlib.sha256(data).hexdigest()
    if kind != "file":
        # A photo or screenshot is kept as the boards' photos are, so it prints in the 佐证材料.
        digest = store_photo(store, path)
        relative = str(store.scalar("SELECT path FROM photos WHERE sha256 = ?", (digest,)))
        return {"kind": kind, "sha256": digest, "name": path.name, "path": relative}
    suffix = re.sub(r"[^0-9a-z.]", "", path.suffix.lower())[:10]
    relative_path = Path("rectify") / digest[:2] / f"{digest}{suffix}"
    keep_once(store.folder / relative_path, data)
    return {"kind": kind, "sha256": digest, "name": path.name, "path": relative_path.as_posix()}


def record_fix(store: Store, problem: str, fixed_on: date | str, action: str,
               evidence: list[Path] | tuple[Path, ...] = (), author: str = "",
               today: date | None = None) -> Problem:
    """Record what was done about a problem and when, with its evidence files (one transaction).

    A fix after the deadline is kept as it is and reads 逾期完成; a fix is never
    rewritten, a later one counts instead.
    """
    wanted = resolve_problem(store, problem)
    current = get_problem(store, wanted)
    day = check_day(fixed_on if isinstance(fixed_on, date) else parse_date(fixed_on),
                    "整改完成日期")
    if day > (today or clock.today()):
        raise UserError("整改完成日期不能晚于今天。")
    if day < current.received:
        raise UserError("整改完成日期不能早于收到问题清单的日期"
                        f"（{current.received.isoformat()}）。")
    words = tidy(action or "")
    if not words:
        raise UserError("请写明整改措施（做了什么）。")
    if len(words) > 5000:
        raise UserError("整改措施太长了，请控制在5000字以内，详细材料可作为佐证文件附上。")
    files = [Path(p) for p in evidence]
    if len(files) > _limit("most_evidence"):
        raise UserError(f"一次整改最多附{_limit('most_evidence')}个佐证文件。")
    # Every file is read before anything is written: one unreadable file keeps nothing.
    contents = [(path, _read_evidence(path)) for path in files]
    with store.transaction() as conn:
        kept = [_keep_evidence(store, path, data) for path, data in contents]
        conn.execute("INSERT INTO rectify_fixes (problem_id, fixed_on, action, evidence, author,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     (wanted, day.isoformat(), words, json.dumps(kept, ensure_ascii=False),
                      author or store.get_setting("clerk", "") or "", now_iso()))
        store.audit("rectify.fix", wanted, {"fixed_on": day.isoformat(), "action": words,
                                            "evidence": kept, "late": day > current.deadline})
    return replace(current, fixes=current.fixes + (
        Fix(day, words, tuple(kept), author or store.get_setting("clerk", "") or ""),))


def fix_line(p: Problem) -> str:
    """The sentence after a fix is recorded: on time, or how late."""
    fix = p.fix
    if fix is None:
        return f"{p.id} 尚未整改。"
    when = f"{p.id} 已于{fix.fixed_on.isoformat()}完成整改"
    if p.fixed_late:
        return f"{when}，超过整改期限（{p.deadline.isoformat()}）{p.late_days}天，记为逾期完成。"
    return f"{when}，在整改期限（{p.deadline.isoformat()}）内，按期完成。"
