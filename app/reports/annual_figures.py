"""The figures of the 政府信息公开工作年度报告 (format of 国办公开办函〔2021〕30号).

The report has six sections; three of them are tables, and this module
holds their figures for one year:

- **二、主动公开政府信息情况.** The format's table (规章, 行政规范性文件, 行政许可,
  行政处罚, 行政强制, 行政事业性收费) is entered by hand: a township rarely has
  anything but zeros there, and gongkai keeps none of those records. Below it,
  as a reference for the clerk (not part of the format), the notices
  *published in the year* by domain and kind. Published means what it means in
  the 台账 (app/reports/ledger.py) and in :func:`app.notices.boards.post`: the date of the
  notice's **first posting** on a board. A notice posted in the year and
  withdrawn later still counts (it was disclosed); one withdrawn before it went
  up, a draft, or an approved notice not yet posted does not.
- **三、收到和处理政府信息公开申请情况**, from the 依申请公开 register. For year Y:
  本年新收 = received in Y; 办理结果 = answered in Y (whenever received), by the
  outcome and sub-item recorded with the answer; 结转下年度 = received by
  Y-12-31 and not answered by then; 上年结转 = received before Y and not
  answered before Y — unless the clerk has entered the figure printed in last
  year's report, which then replaces the register's (in the first year of
  gongkai the older requests are not in the register). Every column must
  satisfy 新收 + 上年结转 = 办理结果总计 + 结转下年度; the register alone always
  does, so a column that does not names a hand-entered 上年结转 that the
  register cannot account for, and :func:`check_balance` refuses the year.
- **四、行政复议、行政诉讼**, entered by hand; every 总计 is computed (and a 总计 the
  clerk types is checked against its parts).

Hand-entered figures live in the settings table, one key per year
(``annual_report.2026``) holding JSON, written in one transaction with its
audit line (:meth:`app.store.Store.set_settings`). Columns and outcomes come
from app/facts.py (APPLICANT_TYPES, ORGANISATION_TYPES, REQUEST_OUTCOMES);
only the report's printed wording of its rows is here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from app import clock
from app.errors import UserError
from app.facts import APPLICANT_TYPES, NOTICE_KINDS, ORGANISATION_TYPES, REQUEST_OUTCOMES
from app.store import Store
from app.township import get_township

#: The oldest year a report can be asked for: the 条例 took effect on 2008-05-01.
FIRST_YEAR = 2008
TOTAL = "总计"
#: Table 三's columns before 总计: the natural person, then each kind of organisation.
APPLICANT_COLUMNS: tuple[str, ...] = (APPLICANT_TYPES[0], *ORGANISATION_TYPES)
REQUEST_COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, TOTAL)

#: The six sections of the report, in the format's words.
SECTIONS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

#: Table 二: (article of the 条例, column keys, column labels, rows).
ACTIVE_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
     ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额",), ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
#: The one cell of table 二 that is an amount (万元, up to 元), not a count.
FEE_KEY = "行政事业性收费.本年收费金额"
ACTIVE_KEYS: tuple[str, ...] = tuple(f"{row}.{column}" for _, columns, _, rows in ACTIVE_GROUPS
                                     for row in rows for column in columns)

#: Table 四: the columns of each of its three parts, before their 总计.
CASE_COLUMNS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结")
CASE_PARTS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}

#: Table 三's rows in the format's words.
NEW_LABEL = "一、本年新收政府信息公开申请数量"
CARRIED_IN_LABEL = "二、上年结转政府信息公开申请数量"
RESULTS_LABEL = "三、本年度办理结果"
RESULTS_TOTAL_LABEL = "（七）总计"
CARRIED_OUT_LABEL = "四、结转下年度继续办理"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_PRINTED_OUTCOME = {"部分公开": "部分公开（区分处理的，只计这一情形，不计其他情形）"}
_ORDINALS = "一二三四五六七八九十"


def outcome_label(category: str) -> str:
    """``（三）不予公开``: a REQUEST_OUTCOMES category as table 三 prints it."""
    number = list(REQUEST_OUTCOMES).index(category)
    return f"（{_ORDINALS[number]}）{_PRINTED_OUTCOME.get(category, category)}"


def item_label(category: str, item: str) -> str:
    """``2．重复申请``: a sub-item numbered as the format numbers it."""
    return f"{REQUEST_OUTCOMES[category].index(item) + 1}．{item}"


# -- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """One row of table 三: a count per applicant column (in APPLICANT_COLUMNS order)."""

    values: tuple[int, ...] = (0,) * len(APPLICANT_COLUMNS)

    @property
    def total(self) -> int:
        """The 总计 column."""
        return sum(self.values)

    def get(self, column: str) -> int:
        """The count in ``column`` (``总计`` included)."""
        return self.total if column == TOTAL else self.values[APPLICANT_COLUMNS.index(column)]

    def plus(self, other: Counts) -> Counts:
        """Column by column sum."""
        return Counts(tuple(a + b for a, b in zip(self.values, other.values, strict=True)))

    def add_one(self, column: str) -> Counts:
        """These counts with one more in ``column``."""
        values = list(self.values)
        values[APPLICANT_COLUMNS.index(column)] += 1
        return Counts(tuple(values))

    def to_json(self) -> dict[str, int]:
        """``{"自然人": n, …, "总计": n}``."""
        return {column: self.get(column) for column in REQUEST_COLUMNS}


@dataclass(frozen=True)
class OutcomeRow:
    """A row of 办理结果: an outcome, or one numbered sub-item of it."""

    category: str
    item: str | None
    counts: Counts

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"category": self.category, "item": self.item, "counts": self.counts.to_json()}


@dataclass(frozen=True)
class Imbalance:
    """A column of table 三 where 新收 + 上年结转 ≠ 办理结果总计 + 结转下年度."""

    column: str
    new: int
    carried_in: int
    results: int
    carried_out: int

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"column": self.column, "new": self.new, "carried_in": self.carried_in,
                "results": self.results, "carried_out": self.carried_out}


@dataclass(frozen=True)
class RequestFigures:
    """Table 三: requests received and handled in the year."""

    new: Counts
    carried_in: Counts
    carried_in_register: Counts
    carried_in_manual: bool
    outcomes: tuple[OutcomeRow, ...]
    carried_out: Counts

    @property
    def results(self) -> Counts:
        """（七）总计: every answer of the year."""
        total = Counts()
        for row in self.outcomes:
            total = total.plus(row.counts)
        return total

    def outcome(self, category: str, item: str | None = None) -> Counts:
        """The row of one outcome (and sub-item)."""
        return next(r.counts for r in self.outcomes if (r.category, r.item) == (category, item))

    def imbalances(self) -> list[Imbalance]:
        """The columns that do not balance, in the table's order (empty when all do)."""
        results = self.results
        found = []
        for column in REQUEST_COLUMNS:
            row = Imbalance(column, self.new.get(column), self.carried_in.get(column),
                            results.get(column), self.carried_out.get(column))
            if row.new + row.carried_in != row.results + row.carried_out:
                found.append(row)
        return found

    def to_json(self) -> dict[str, Any]:
        """As JSON: each row's counts by column, and the balance check."""
        return {
            "columns": list(REQUEST_COLUMNS),
            "new": self.new.to_json(),
            "carried_in": self.carried_in.to_json(),
            "carried_in_source": "manual" if self.carried_in_manual else "register",
            "carried_in_register": self.carried_in_register.to_json(),
            "outcomes": [row.to_json() for row in self.outcomes],
            "results": self.results.to_json(),
            "carried_out": self.carried_out.to_json(),
            "balanced": not self.imbalances(),
            "imbalances": [row.to_json() for row in self.imbalances()],
        }


@dataclass(frozen=True)
class CaseCounts:
    """One part of table 四: counts per CASE_COLUMNS, and their 总计."""

    values: tuple[int, ...] = (0,) * len(CASE_COLUMNS)

    @property
    def total(self) -> int:
        """The 总计 column."""
        return sum(self.values)

    def get(self, column: str) -> int:
        """The count in ``column`` (``总计`` included)."""
        return self.total if column == TOTAL else self.values[CASE_COLUMNS.index(column)]

    def to_json(self) -> dict[str, int]:
        """``{"结果维持": n, …, "总计": n}``."""
        return {column: self.get(column) for column in (*CASE_COLUMNS, TOTAL)}


@dataclass(frozen=True)
class ManualFigures:
    """What the clerk enters by hand for a year (nothing entered: zeros, register's 上年结转)."""

    active: dict[str, int | Decimal]
    carried_in: Counts | None
    review: CaseCounts
    litigation_direct: CaseCounts
    litigation_after_review: CaseCounts

    def to_json(self) -> dict[str, Any]:
        """The stored JSON (also printed): plain numbers, the fee as a string of 万元."""
        return {
            "active": {key: (str(value) if key == FEE_KEY else value)
                       for key, value in self.active.items()},
            "carried_in": (dict(zip(APPLICANT_COLUMNS, self.carried_in.values, strict=True))
                           if self.carried_in else None),
            **{part: dict(zip(CASE_COLUMNS, getattr(self, part).values, strict=True))
               for part in CASE_PARTS},
        }


@dataclass(frozen=True)
class DomainNotices:
    """Notices of one domain published in the year, by kind."""

    domain: str
    by_kind: tuple[int, ...]

    @property
    def total(self) -> int:
        """All kinds together."""
        return sum(self.by_kind)

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"domain": self.domain, "by_kind": dict(zip(NOTICE_KINDS, self.by_kind,
                                                           strict=True)), "total": self.total}


@dataclass(frozen=True)
class AnnualFigures:
    """Everything the year's report prints, read in one snapshot of the database."""

    year: int
    township: str
    as_of: date
    manual: ManualFigures
    notices: tuple[DomainNotices, ...]
    requests: RequestFigures

    @property
    def complete(self) -> bool:
        """Whether the year is over (before that the figures are "so far")."""
        return self.as_of > date(self.year, 12, 31)

    @property
    def notice_totals(self) -> tuple[int, ...]:
        """Published notices of every domain, by kind."""
        return tuple(sum(d.by_kind[k] for d in self.notices) for k in range(len(NOTICE_KINDS)))

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``gongkai report figures YEAR --json``."""
        totals = self.notice_totals
        return {
            "year": self.year,
            "township": self.township,
            "as_of": self.as_of.isoformat(),
            "complete": self.complete,
            "active": {
                "manual": {row: {column: _number_json(self.manual.active[f"{row}.{column}"])
                                 for column in columns}
                           for _, columns, _, rows in ACTIVE_GROUPS for row in rows},
                "notices": {
                    "published_means": "首次张贴日期在本年内（之后撤回的仍计入）",
                    "kinds": list(NOTICE_KINDS),
                    "domains": [d.to_json() for d in self.notices],
                    "total": {"by_kind": dict(zip(NOTICE_KINDS, totals, strict=True)),
                              "total": sum(totals)},
                },
            },
            "requests": self.requests.to_json(),
            "review": self.manual.review.to_json(),
            "litigation": {"direct": self.manual.litigation_direct.to_json(),
                           "after_review": self.manual.litigation_after_review.to_json()},
        }


def _number_json(value: int | Decimal) -> int | float:
    return float(value) if isinstance(value, Decimal) else value


def format_amount(value: int | Decimal) -> str:
    """An amount of 万元 as printed: ``0``, ``1.5``, ``12.3456``."""
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


# -- reading ------------------------------------------------------------------------------


def check_year(text: str | int, today: date | None = None) -> int:
    """The report's year from what the clerk typed; a year not yet begun is refused."""
    this_year = (today or clock.today()).year
    value = str(text).strip()
    if not re.fullmatch(r"\d{4}", value) or not FIRST_YEAR <= int(value) <= this_year:
        raise UserError(f"年份「{value}」不对，年度报告的年份应在{FIRST_YEAR}到{this_year}之间。")
    return int(value)


def _column(applicant_type: str, organisation_type: str | None) -> str:
    if applicant_type == APPLICANT_TYPES[0]:
        return APPLICANT_COLUMNS[0]
    # register() files an organisation without a type under 其他, as the report does.
    return organisation_type if organisation_type in ORGANISATION_TYPES else "其他"


def _request_figures(store: Store, year: int, carried_in: Counts | None) -> RequestFigures:
    first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    new, before, carried_out = Counts(), Counts(), Counts()
    keys = [(category, item) for category, items in REQUEST_OUTCOMES.items()
            for item in (items or (None,))]
    outcomes = {key: Counts() for key in keys}
    rows = store.query(
        "SELECT id, applicant_type, organisation_type, received, answered, outcome, outcome_item"
        " FROM info_requests WHERE received <= ? AND (answered IS NULL OR answered >= ?)"
        " ORDER BY received, id", (last, first))
    for row in rows:
        column = _column(row["applicant_type"], row["organisation_type"])
        if row["received"] >= first:
            new = new.add_one(column)
        else:
            before = before.add_one(column)
        if row["answered"] is None or row["answered"] > last:
            carried_out = carried_out.add_one(column)
            continue
        key = (row["outcome"], row["outcome_item"] or None)
        if key not in outcomes:
            raise UserError(f"登记簿中 {row['id']} 的办理结果「{row['outcome']}"
                            f"{('：' + row['outcome_item']) if row['outcome_item'] else ''}」"
                            "不在年度报告的分类中，请核对这件申请的答复记录。")
        outcomes[key] = outcomes[key].add_one(column)
    return RequestFigures(
        new=new, carried_in=before if carried_in is None else carried_in,
        carried_in_register=before,
        carried_in_manual=carried_in is not None,
        outcomes=tuple(OutcomeRow(c, i, outcomes[(c, i)]) for c, i in keys),
        carried_out=carried_out)


def _published_notices(store: Store, year: int) -> tuple[DomainNotices, ...]:
    counts: dict[str, list[int]] = {}
    rows = store.query(
        "SELECT d.name AS domain, d.hidden, f.kind, count(f.id) AS n FROM domains d"
        " LEFT JOIN (SELECT n.id, n.kind, c.domain_id FROM notices n"
        "  JOIN catalog_items c ON c.pk = n.item_pk"
        "  JOIN (SELECT notice_id, MIN(posted) AS published FROM postings GROUP BY notice_id) p"
        "   ON p.notice_id = n.id WHERE p.published BETWEEN ? AND ?) f ON f.domain_id = d.id"
        " GROUP BY d.id, f.kind ORDER BY d.position, d.id",
        (date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()))
    kinds = list(NOTICE_KINDS)
    for row in rows:
        # A hidden domain is listed only if something of it went up that year.
        if row["hidden"] and not row["n"]:
            continue
        by_kind = counts.setdefault(row["domain"], [0] * len(kinds))
        if row["kind"] in kinds:
            by_kind[kinds.index(row["kind"])] += row["n"]
    return tuple(DomainNotices(name, tuple(values)) for name, values in counts.items())


def annual_figures(store: Store, year: int, today: date | None = None) -> AnnualFigures:
    """The year's figures: the register, the notices and the hand-entered parts, one snapshot.

    Never refuses an unbalanced year (the clerk must be able to see it); the
    DOCX is written only after :func:`check_balance`.
    """
    with store.snapshot():
        manual = get_manual(store, year)
        return AnnualFigures(
            year=year, township=get_township(store).township, as_of=today or clock.today(),
            manual=manual, notices=_published_notices(store, year),
            requests=_request_figures(store, year, manual.carried_in))


def balance_problem(figures: AnnualFigures) -> str | None:
    """The sentence that refuses an unbalanced year, or None when table 三 balances."""
    broken = figures.requests.imbalances()
    if not broken:
        return None
    first, year = broken[0], figures.year
    left, right = first.new + first.carried_in, first.results + first.carried_out
    others = [b.column for b in broken[1:]]
    also = f"（{'、'.join(f'「{c}」' for c in others)}列也不平）" if others else ""
    if figures.requests.carried_in_manual and left > right:
        # Said the same to the command line and the GUI: the fix is named, not the keys.
        advice = (f"手填的上年结转比登记簿多出{left - right}件，请把这些上年结转的申请补登进"
                  f"登记簿（收到日期写{year - 1}年的日期）并记录答复，或改正手填的上年结转数")
    elif figures.requests.carried_in_manual:
        advice = (f"手填的上年结转比登记簿少{right - left}件，请核对{year - 1}年报告中的数字"
                  f"改正手填的上年结转数，或改回按登记簿计算")
    else:
        advice = "请核对登记簿中这一列申请的收到和答复日期"
    return (f"{year}年度报告第三部分的表格不平：「{first.column}」一列本年新收{first.new}件"
            f"加上年结转{first.carried_in}件共{left}件，而办理结果总计{first.results}件"
            f"加结转下年度{first.carried_out}件共{right}件{also}；{advice}。")


def with_carried_in(figures: AnnualFigures,
                    carried_in: dict[str, int] | None) -> AnnualFigures:
    """The same year with 上年结转 as the clerk is typing it (None: as the register counts).

    Pure arithmetic on figures already read, so the 年度报告 window re-checks the
    balance on every keystroke without reading the database.
    """
    requests = figures.requests
    if carried_in is None:
        counts, manual = requests.carried_in_register, False
    else:
        counts = Counts(tuple(max(0, int(carried_in.get(c, 0))) for c in APPLICANT_COLUMNS))
        manual = True
    return replace(figures, requests=replace(requests, carried_in=counts,
                                             carried_in_manual=manual))


def check_balance(figures: AnnualFigures) -> None:
    """Refuse an unbalanced year: UserError, one sentence naming the column and its numbers."""
    problem = balance_problem(figures)
    if problem:
        raise UserError(problem, json.dumps([b.to_json() for b in
                                             figures.requests.imbalances()], ensure_ascii=False))


# -- hand-entered figures -----------------------------------------------------------------


def _key(year: int) -> str:
    return f"annual_report.{year}"


def _case_counts(data: Any) -> CaseCounts:
    data = data if isinstance(data, dict) else {}
    return CaseCounts(tuple(int(data.get(column, 0)) for column in CASE_COLUMNS))


def get_manual(store: Store, year: int) -> ManualFigures:
    """The figures entered by hand for ``year`` (zeros, and no 上年结转, where none were)."""
    raw = store.get_setting(_key(year))
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}  # never written by us; the clerk re-enters rather than losing the report
    stored = data.get("active") or {}
    active: dict[str, int | Decimal] = {
        key: (Decimal(str(stored.get(key, "0"))) if key == FEE_KEY else int(stored.get(key, 0)))
        for key in ACTIVE_KEYS}
    carried = data.get("carried_in")
    return ManualFigures(
        active=active,
        carried_in=(Counts(tuple(int(carried.get(c, 0)) for c in APPLICANT_COLUMNS))
                    if isinstance(carried, dict) else None),
        review=_case_counts(data.get("review")),
        litigation_direct=_case_counts(data.get("litigation_direct")),
        litigation_after_review=_case_counts(data.get("litigation_after_review")),
    )


def parse_pairs(text: str | list[str] | None, what: str) -> dict[str, str]:
    """``自然人=2,商业企业=1`` (commas, 、 or spaces between; full-width signs welcome)."""
    if not text:
        return {}
    parts = text if isinstance(text, list) else [text]
    pairs: dict[str, str] = {}
    for part in parts:
        for piece in re.split(r"[,;、\s]+", unicodedata.normalize("NFKC", part)):
            if not piece:
                continue
            key, sep, value = piece.partition("=")
            if not sep or not key.strip():
                raise UserError(f"{what}的「{piece}」应写成 栏目=数字，如 结果维持=1。")
            pairs[key.strip()] = value.strip()
    return pairs


def _count(value: str, where: str) -> int:
    if not re.fullmatch(r"\d{1,7}", value):
        raise UserError(f"{where}的数字「{value}」不对，件数只能是0或正整数。")
    return int(value)


def _amount(value: str, where: str) -> Decimal:
    # 万元 to four decimals is to the 元: no finer, and never a float.
    if not re.fullmatch(r"\d{1,7}(\.\d{1,4})?", value):
        raise UserError(f"{where}的金额「{value}」不对，"
                        "应为以万元计、最多四位小数的非负数，如 1.25。")
    return Decimal(value)


def _active_key(key: str) -> str:
    if key in ACTIVE_KEYS:
        return key
    # A row with a single column may be given by its row alone (行政许可=0).
    single = [k for k in ACTIVE_KEYS if k.split(".")[0] == key]
    if len(single) == 1:
        return single[0]
    raise UserError(f"「{key}」不是年度报告第二部分表格的栏目，可填：{'、'.join(ACTIVE_KEYS)}。")


def _with_total(pairs: dict[str, str], columns: tuple[str, ...], what: str) -> dict[str, int]:
    known = (*columns, TOTAL)
    for key in pairs:
        if key not in known:
            raise UserError(f"「{key}」不是{what}的栏目，可填：{'、'.join(known)}。")
    return {key: _count(value, f"{what}「{key}」") for key, value in pairs.items()}


def _merge_case(old: CaseCounts, pairs: dict[str, str], what: str) -> CaseCounts:
    values = _with_total(pairs, CASE_COLUMNS, what)
    merged = CaseCounts(tuple(values.get(c, old.get(c)) for c in CASE_COLUMNS))
    if TOTAL in values and values[TOTAL] != merged.total:
        parts = "+".join(str(v) for v in merged.values)
        raise UserError(f"{what}的总计应为各栏之和 {parts}={merged.total}，"
                        f"不是{values[TOTAL]}，请核对后重填。")
    return merged


def set_manual(store: Store, year: int, *, active: dict[str, str] | None = None,
               carried_in: dict[str, str] | None = None, carried_in_from_register: bool = False,
               review: dict[str, str] | None = None,
               litigation_direct: dict[str, str] | None = None,
               litigation_after_review: dict[str, str] | None = None) -> ManualFigures:
    """Change some hand-entered figures of ``year``; the rest keep their values.

    Every value is checked first (known 栏目, counts 0 or more, the fee in 万元
    with at most four decimals, a 总计 typed by the clerk equal to its parts);
    then the year's figures are written in one transaction with one audit line.
    A 上年结转 entered for the first time starts from zero in every column.
    """
    if carried_in and carried_in_from_register:
        raise UserError("上年结转要么手填，要么按登记簿计算，不能同时选。")
    if not (active or carried_in or carried_in_from_register or review or litigation_direct
            or litigation_after_review):
        raise UserError("请至少给出一项要填的数字，例如 --review 结果维持=1。")
    # Read and write in one transaction: two desks saving at once cannot lose a figure.
    with store.transaction():
        old = get_manual(store, year)
        new_active = dict(old.active)
        for key, value in (active or {}).items():
            full = _active_key(key)
            new_active[full] = (_amount(value, f"「{full}」") if full == FEE_KEY
                                else _count(value, f"「{full}」"))
        new_carried = old.carried_in
        if carried_in_from_register:
            new_carried = None
        elif carried_in:
            values = _with_total(carried_in, APPLICANT_COLUMNS, "上年结转")
            base = old.carried_in or Counts()
            new_carried = Counts(tuple(values.get(c, base.get(c)) for c in APPLICANT_COLUMNS))
            if TOTAL in values and values[TOTAL] != new_carried.total:
                raise UserError(f"上年结转的总计应为各列之和{new_carried.total}，"
                                f"不是{values[TOTAL]}，请核对后重填。")
        manual = ManualFigures(
            active=new_active, carried_in=new_carried,
            review=_merge_case(old.review, review or {}, CASE_PARTS["review"]),
            litigation_direct=_merge_case(old.litigation_direct, litigation_direct or {},
                                          CASE_PARTS["litigation_direct"]),
            litigation_after_review=_merge_case(old.litigation_after_review,
                                                litigation_after_review or {},
                                                CASE_PARTS["litigation_after_review"]))
        store.set_settings({_key(year): json.dumps(manual.to_json(), ensure_ascii=False)})
    return manual
