"""The county's scoring rules (考核细则) as a file: its shape, its reader, the loaded ones.

A rules file is TOML, UTF-8, at most 64 KB::

    [rules]
    name = "东山县乡镇政务公开工作考核细则"   # what the desk calls it (1–80 characters)
    year = 2026                             # the year it scores (optional)
    max = 100                               # the full score (1–1000)
    example = false                         # true: an example, not the county's word
    source = "东政办〔2026〕5号"              # where it comes from (optional, ≤ 200)

    [[indicator]]                           # 1 to 100 of them, in the order shown
    key = "timely"                          # [a-z0-9_], 1–40, unique in the file
    name = "主动公开及时性"                   # 1–60 characters
    section = "主动公开"                      # the part of the rules it sits in (1–30)
    points = 20                             # the most this indicator can lose
    per = 5                                 # lost per record (default: all ``points`` at once)
    counts = "late_notices"                 # what is counted: a key of COUNTERS
    basis = "超期公开每条扣5分"                # the rule's own words (optional, ≤ 500)

The indicators' points together may not pass ``max``: what the county judges by
visiting (网站, 解读质量 …) is simply not in the file, and the score is ``max``
less what the desk's own records lose. A key the reader does not know, a
counter that is not in :data:`app.assessment.counters.COUNTERS`, a number out of
range or a line that is not TOML is refused with one sentence naming the line
or the indicator, and nothing is stored.

Every file loaded (by hand or from the county) is kept whole in
``scoring_rules``; the latest loaded is the active one and the older ones stay,
inactive. The county may publish its rules (``gongkai-county rules publish``):
``sync pull`` keeps the offer, :func:`preview_offer` shows which indicators it
adds, drops or changes, and :func:`take_offer` makes it the active rules. With
none loaded the shipped example
(resources/assessment/example_rules.toml, ``example = true``) applies, and
everything that shows a score says it is an example.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.assessment.counters import COUNTERS
from app.errors import UserError
from app.store import Store, now_iso
from app.sync import rules_offers
from app.sync.rules_offers import RulesOffer
from resources import RESOURCES

EXAMPLE_FILE = RESOURCES / "assessment" / "example_rules.toml"
#: What a rules file may be before it is read at all: far above any real county's
#: rules (a page or two, 10–30 indicators, about 5 KB), far below what could stall the PC.
MAX_BYTES = 64 * 1024
MAX_INDICATORS = 100
MAX_POINTS = 1000.0
_LENGTHS = {"name": 80, "source": 200}
_INDICATOR_LENGTHS = {"name": 60, "section": 30, "basis": 500}
_HEADER_KEYS = {"name", "year", "max", "example", "source"}
_INDICATOR_KEYS = {"key", "name", "section", "points", "per", "counts", "basis"}
_KEY = re.compile(r"[a-z0-9_]{1,40}")
_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the rules: what it counts and what each record costs."""

    key: str
    name: str
    section: str
    points: float
    per: float
    counts: str
    basis: str = ""

    def to_json(self) -> dict[str, Any]:
        """As JSON (``assess rules show --json``)."""
        return {"key": self.key, "name": self.name, "section": self.section,
                "points": self.points, "per": self.per, "counts": self.counts,
                "basis": self.basis}


@dataclass(frozen=True)
class Rules:
    """One rules file, read and checked."""

    name: str
    max: float
    indicators: tuple[Indicator, ...]
    year: int | None = None
    example: bool = False
    source: str = ""
    #: Its row in ``scoring_rules`` (None: the shipped example, not loaded).
    id: int | None = None
    loaded_at: str = ""
    origin: str = ""

    @property
    def label(self) -> str:
        """How the desk names it: the name, and 示例 when it is an example."""
        return self.name if not self.example or "示例" in self.name else f"{self.name}（示例）"

    def to_json(self) -> dict[str, Any]:
        """As JSON (``assess rules show --json``)."""
        return {"id": self.id, "name": self.name, "label": self.label, "year": self.year,
                "max": self.max, "example": self.example, "source": self.source,
                "origin": self.origin, "loaded_at": self.loaded_at,
                "indicators": [i.to_json() for i in self.indicators]}


# --------------------------------------------------------------------------- reading


def _refuse(text: str) -> UserError:
    return UserError(text)


def _text(table: dict[str, Any], key: str, where: str, most: int, required: bool) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise _refuse(f"考核细则{where}缺少 {key}。")
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _refuse(f"考核细则{where}的 {key} 应为非空的文字。")
    value = " ".join(value.split())
    if len(value) > most:
        raise _refuse(f"考核细则{where}的 {key} 超过{most}个字。")
    return value


def _number(table: dict[str, Any], key: str, where: str, low: float, high: float) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _refuse(f"考核细则{where}的 {key} 应为数字。")
    if not low < value <= high:
        raise _refuse(f"考核细则{where}的 {key} 应大于{low:g}且不超过{high:g}。")
    return float(value)


def _unknown(table: dict[str, Any], known: set[str], where: str) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise _refuse(f"考核细则{where}有不认识的项「{extra[0][:40]}」。")


def _indicator(data: Any, n: int, seen: set[str], full: float) -> Indicator:
    where = f"第{n}个指标"
    if not isinstance(data, dict):
        raise _refuse(f"考核细则{where}写法不对，应写在 [[indicator]] 之下。")
    _unknown(data, _INDICATOR_KEYS, where)
    key = data.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise _refuse(f"考核细则{where}的 key 应为1到40个小写字母、数字或下划线。")
    if key in seen:
        raise _refuse(f"考核细则的指标「{key}」出现了两次。")
    seen.add(key)
    where = f"指标「{key}」"
    counts = data.get("counts")
    if not isinstance(counts, str) or counts not in COUNTERS:
        shown = str(counts)[:40] if counts is not None else ""
        raise _refuse(f"考核细则{where}的计分方式「{shown}」工作台不认识，"
                      f"可用的有：{'、'.join(COUNTERS)}。")
    points = _number(data, "points", where, 0, full)
    per = _number(data, "per", where, 0, points) if "per" in data else points
    return Indicator(key, _text(data, "name", where, _INDICATOR_LENGTHS["name"], True),
                     _text(data, "section", where, _INDICATOR_LENGTHS["section"], True),
                     points, per, counts,
                     _text(data, "basis", where, _INDICATOR_LENGTHS["basis"], False))


def parse_rules(raw: bytes) -> Rules:
    """Read and check a rules file's bytes; UserError (one sentence) on the first problem."""
    if len(raw) > MAX_BYTES:
        raise _refuse(f"考核细则文件超过{MAX_BYTES // 1024}KB，不像是考核细则，未载入。")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # Notepad's UTF-8 mark
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("考核细则文件不是 UTF-8 编码的文字，请另存为 UTF-8 后再载入。") from None
    # Counted before parsing: a file of ten thousand empty indicators is refused unread.
    if text.count("[[indicator]]") > MAX_INDICATORS:
        raise _refuse(f"考核细则的指标超过{MAX_INDICATORS}个，未载入。")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _LINE.search(str(exc))
        where = (f"第{line.group(1)}行" if line
                 else "末尾" if "end of document" in str(exc) else "")
        raise UserError(f"考核细则文件{where}写法不对（不是有效的 TOML），未载入。",
                        str(exc)) from None
    except RecursionError:
        raise _refuse("考核细则文件嵌套过深，不像是考核细则，未载入。") from None
    return _checked(data)


def _checked(data: dict[str, Any]) -> Rules:
    _unknown(data, {"rules", "indicator"}, "")
    header = data.get("rules")
    if not isinstance(header, dict):
        raise _refuse("考核细则文件缺少 [rules] 部分（名称、满分）。")
    _unknown(header, _HEADER_KEYS, "的 [rules] 部分")
    where = "的 [rules] 部分"
    full = _number(header, "max", where, 0, MAX_POINTS)
    year = header.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 2000 <= year <= 2100):
        raise _refuse("考核细则的 year 应为2000到2100之间的年份。")
    example = header.get("example", False)
    if not isinstance(example, bool):
        raise _refuse("考核细则的 example 只能是 true 或 false。")
    items = data.get("indicator")
    if not isinstance(items, list) or not items:
        raise _refuse("考核细则文件没有任何指标（[[indicator]]）。")
    if len(items) > MAX_INDICATORS:
        raise _refuse(f"考核细则的指标超过{MAX_INDICATORS}个，未载入。")
    seen: set[str] = set()
    indicators = tuple(_indicator(d, n, seen, full) for n, d in enumerate(items, 1))
    if sum(i.points for i in indicators) > full + 1e-9:
        raise _refuse(f"考核细则各指标的分值合计超过满分{full:g}分。")
    return Rules(_text(header, "name", where, _LENGTHS["name"], True), full, indicators,
                 year, example, _text(header, "source", where, _LENGTHS["source"], False))


def read_rules_file(path: Path) -> tuple[Rules, str]:
    """A rules file from disk, checked, with its text; its size is checked before reading."""
    try:
        if path.is_dir():
            raise _refuse(f"「{path.name}」是文件夹，请选择考核细则文件（.toml）。")
        if path.stat().st_size > MAX_BYTES:
            raise _refuse(f"考核细则文件超过{MAX_BYTES // 1024}KB，不像是考核细则，未载入。")
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _refuse(f"找不到文件「{path.name}」。") from None
    rules = parse_rules(raw)
    return rules, raw.decode("utf-8-sig")


# --------------------------------------------------------------------------- keeping


def _stored(row: Any) -> Rules:
    rules = parse_rules(row["body"].encode("utf-8"))
    return Rules(rules.name, rules.max, rules.indicators, rules.year, rules.example,
                 rules.source, int(row["id"]), row["loaded_at"], row["source"])


def store_rules(store: Store, text: str, origin: str) -> Rules:
    """Keep a checked rules file as the active one (one transaction; the older stay inactive).

    ``origin`` says where it came from (``file:名称.toml``, ``county:3``).
    """
    rules = parse_rules(text.encode("utf-8"))
    with store.transaction() as conn:
        conn.execute("UPDATE scoring_rules SET active = 0 WHERE active != 0")
        cur = conn.execute(
            "INSERT INTO scoring_rules (label, source, year, body, loaded_at, active)"
            " VALUES (?, ?, ?, ?, ?, 1)", (rules.label, origin, rules.year, text, now_iso()))
        store.audit("assess.rules", rules.label,
                    {"id": cur.lastrowid, "origin": origin, "year": rules.year,
                     "indicators": [i.key for i in rules.indicators]})
    return active_rules(store)


def load_rules_file(store: Store, path: Path) -> Rules:
    """Read, check and keep a rules file the clerk chose; nothing is stored if it is refused."""
    _rules, text = read_rules_file(path)
    return store_rules(store, text, f"file:{path.name}")


def example_rules() -> Rules:
    """The shipped example (marked as one)."""
    rules = parse_rules(EXAMPLE_FILE.read_bytes())
    return Rules(rules.name, rules.max, rules.indicators, rules.year, True, rules.source,
                 origin="example")


def active_rules(store: Store) -> Rules:
    """The rules that score the desk: the latest loaded, else the shipped example."""
    rows = store.query("SELECT id, source, body, loaded_at FROM scoring_rules"
                       " WHERE active != 0 ORDER BY id DESC LIMIT 1")
    return _stored(rows[0]) if rows else example_rules()


def loaded_rules(store: Store) -> list[dict[str, Any]]:
    """Every rules file loaded, newest first: id, label, origin, year, when, active."""
    return [{"id": r["id"], "label": r["label"], "origin": r["source"], "year": r["year"],
             "loaded_at": r["loaded_at"], "active": bool(r["active"])}
            for r in store.query("SELECT id, label, source, year, loaded_at, active"
                                 " FROM scoring_rules ORDER BY id DESC")]


# --------------------------------------------------------------------------- the county's offer


@dataclass(frozen=True)
class Change:
    """One difference between the rules in force and the county's offer."""

    key: str  # the indicator's key, or "" for the header
    what: str  # "added" | "removed" | "changed"
    name: str
    detail: str  # in the clerk's words: 最多扣20→15分；每条扣5→3分

    def to_json(self) -> dict[str, str]:
        """As JSON."""
        return {"key": self.key, "what": self.what, "name": self.name, "detail": self.detail}

    def line(self) -> str:
        """The change as the preview prints it."""
        words = {"added": "新增", "removed": "取消", "changed": "调整"}[self.what]
        return f"{words}：{self.name}" + (f"（{self.key}）" if self.key else "") + (
            f"——{self.detail}" if self.detail else "")


def _rule_words(i: Indicator) -> str:
    per = "" if i.per == i.points else f"，每条扣{i.per:g}分"
    return f"【{i.section}】最多扣{i.points:g}分{per}，计{COUNTERS[i.counts][0]}"


def compare_rules(old: Rules, new: Rules) -> list[Change]:
    """What taking ``new`` in place of ``old`` changes, header first, then by indicator."""
    out = []
    head = []
    if old.name != new.name:
        head.append(f"名称「{old.name}」→「{new.name}」")
    if old.max != new.max:
        head.append(f"满分{old.max:g}→{new.max:g}分")
    if old.year != new.year:
        head.append(f"年度{old.year or '未写'}→{new.year or '未写'}")
    if head:
        out.append(Change("", "changed", "考核细则", "；".join(head)))
    before = {i.key: i for i in old.indicators}
    after = {i.key: i for i in new.indicators}
    for i in new.indicators:
        was = before.get(i.key)
        if was is None:
            out.append(Change(i.key, "added", i.name, _rule_words(i)))
            continue
        parts = []
        if was.name != i.name:
            parts.append(f"名称「{was.name}」→「{i.name}」")
        if was.section != i.section:
            parts.append(f"部分「{was.section}」→「{i.section}」")
        if was.points != i.points:
            parts.append(f"最多扣{was.points:g}→{i.points:g}分")
        if was.per != i.per:
            parts.append(f"每条扣{was.per:g}→{i.per:g}分")
        if was.counts != i.counts:
            parts.append(f"计分「{COUNTERS[was.counts][0]}」→「{COUNTERS[i.counts][0]}」")
        if was.basis != i.basis:
            parts.append("依据文字有改动")
        if parts:
            out.append(Change(i.key, "changed", i.name, "；".join(parts)))
    out += [Change(i.key, "removed", i.name, _rule_words(i))
            for i in old.indicators if i.key not in after]
    return out


@dataclass(frozen=True)
class OfferPreview:
    """The county's offer read against the rules in force: what would change, or why not."""

    offer: RulesOffer
    current: Rules
    rules: Rules | None
    problem: str
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        """``assess rules offer --json``."""
        return {"offer": self.offer.to_json(), "current": self.current.label,
                "rules": self.rules.to_json() if self.rules else None,
                "problem": self.problem or None,
                "changes": [c.to_json() for c in self.changes]}


def preview_offer(store: Store) -> OfferPreview:
    """The county's rules waiting for the clerk, checked and compared; nothing is written."""
    offer = rules_offers.waiting(store)
    current = active_rules(store)
    try:
        rules = parse_rules(offer.body.encode("utf-8"))
    except UserError as err:
        return OfferPreview(offer, current, None, str(err), ())
    return OfferPreview(offer, current, rules, "", tuple(compare_rules(current, rules)))


def take_offer(store: Store) -> Rules:
    """Keep the county's offer as the active rules and mark its version taken (one transaction)."""
    offer = rules_offers.waiting(store)
    parse_rules(offer.body.encode("utf-8"))  # an offer the desk cannot read is refused here
    with store.transaction():
        rules = store_rules(store, offer.body, offer.origin)
        rules_offers.mark_taken(store, offer, "assess.rules_taken")
    return rules


def decline_offer(store: Store) -> RulesOffer:
    """Set the county's offer aside; the rules in force stay and it is not offered again."""
    offer = rules_offers.waiting(store)
    rules_offers.mark_taken(store, offer, "assess.rules_declined")
    return offer


def pending_preview(store: Store) -> OfferPreview | None:
    """The preview of the county's offer if one waits, else None."""
    return preview_offer(store) if rules_offers.offered(store) is not None else None
