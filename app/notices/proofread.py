"""Reading a notice the way the assessor will: wording, punctuation, 文号, sensitive columns.

The rules are facts with their sources in ``resources/proofreading/*.toml``
(GB/T 15834 标点, GB/T 15835 数字, GB/T 9704 公文格式, the State Council's
departments after the 2018 and 2023 reforms, PIPL's sensitive categories),
read once. Each family is a function of the text; :func:`proofread` keeps,
where two findings overlap, the one of the earlier family.

Decisions: a one-character slip is looked for only in phrases of 4 or more
characters (an exact half of the phrase is the index, so a 3,000-line 名单
costs tens of milliseconds); a doubled character is flagged only for
function characters, never on a tab-separated line (王芳芳); 截止 is wrong
only before a date followed by a comma, i.e. a tally (截止11月30日，共…),
not as a deadline (截止日期、…前截止、报名截止12月10日。); 待定 is not a blank.

Offsets are into ``title + "\\n" + body``, as privacy findings are, so
:func:`app.notices.privacy.lines_and_columns` places both alike.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from resources import RESOURCES


@dataclass(frozen=True)
class ProofContext:
    """What the desk knows that the text should agree with, and what the township allows.

    ``public`` is true when the notice reaches 全社会 or the website (a
    sensitive column is then 严重, on a village board 一般); ``publicity`` the
    公示期 the item's rule and the posting date give (ISO dates), when known.
    """

    township: str = ""
    issuer: str = ""
    phones: tuple[str, ...] = ()
    publicity: tuple[str, str] | None = None
    public: bool = True
    whitelist: frozenset[str] = field(default_factory=frozenset)
    #: The township's own fixed expressions (its 党委 and 政府, villages, local bodies):
    #: one character off is 严重, as for the country's.
    phrases: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Fix:
    """One way to mend a finding: a label for the button, and the text that replaces it.

    ``replacement`` replaces ``text[start:end]`` of the finding; structural
    fixes (删除此列, 只保留到村组) carry ``action`` instead and are applied by
    :func:`apply_fix`.
    """

    label: str
    replacement: str | None = None
    action: str = ""


@dataclass(frozen=True)
class Proof:
    """One proofreading finding."""

    start: int
    end: int
    text: str
    rule: str
    severity: str
    explanation: str
    fixes: tuple[Fix, ...] = ()

    def to_json(self, line: int, col: int) -> dict[str, Any]:
        """The CONTRACT's shape: line, col, text, rule, severity, fix (the first, or null)."""
        first = self.fixes[0] if self.fixes else None
        fix = None if first is None else (first.replacement if first.replacement is not None
                                          else first.label)
        return {"line": line, "col": col, "text": self.text, "rule": self.rule,
                "severity": self.severity, "explanation": self.explanation, "fix": fix}


_CJK = "\u4e00-\u9fff"
_HAN = re.compile(f"[{_CJK}]")
RULES_DIR = RESOURCES / "proofreading"


@dataclass(frozen=True)
class _Rules:
    """The facts of resources/proofreading/*.toml, indexed for scanning."""

    halves: dict[int, dict[str, list[tuple[str, int]]]]  # half length → half → (phrase, offset)
    half_starts: dict[str, tuple[int, ...]]  # first two characters → lengths of halves
    canon: frozenset[str]
    known: tuple[str, ...]
    free_last: str
    min_length: int
    typos: dict[str, str]
    typo_re: re.Pattern[str] | None
    half_width: dict[str, str]
    pairs: dict[str, str]
    doubling: str
    before_closing: str
    closing: str
    function_chars: str
    real_words: tuple[str, ...]
    abab_first: str
    placeholder_marks: str
    placeholder_min: int
    placeholder_phrases: tuple[str, ...]
    columns: dict[str, str]
    renamed: dict[str, str]
    renamed_year: dict[str, int]
    docno_re: re.Pattern[str]
    docno_pairs: dict[str, str]
    renamed_re: re.Pattern[str]


_Halves = dict[int, dict[str, list[tuple[str, int]]]]


def _index(canon: frozenset[str]) -> tuple[_Halves, dict[str, tuple[int, ...]]]:
    """Each phrase by its two halves, and the lengths of halves by their first two characters."""
    halves: _Halves = {}
    # One substitution leaves one half intact, so an exact half is the index.
    for p in canon:
        h = len(p) // 2
        for part, off in ((p[:h], 0), (p[h:], h)):
            halves.setdefault(len(part), {}).setdefault(part, []).append((p, off))
    starts: dict[str, set[int]] = {}
    for k, table in halves.items():
        for part in table:
            starts.setdefault(part[:2], set()).add(k)
    return halves, {pair: tuple(sorted(ks)) for pair, ks in starts.items()}


@lru_cache(maxsize=8)
def _own_index(phrases: frozenset[str]) -> tuple[_Halves, dict[str, tuple[int, ...]]]:
    # A township's list changes seldom; the editor checks on every pause in typing.
    return _index(frozenset(p for p in phrases if len(p) >= 3))


def _load(name: str) -> dict[str, Any]:
    with open(RULES_DIR / name, "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The proofreading rules, read once from resources/proofreading/."""
    phrases = _load("phrases.toml")
    near = phrases["near_miss"]
    min_length = int(near["min_length"])
    canon = frozenset(p for p in near["phrases"] if len(p) >= min_length)
    halves, half_starts = _index(canon)
    typos = dict(phrases["typos"])
    typo_re = (re.compile("|".join(re.escape(t) for t in sorted(typos, key=len, reverse=True)))
               if typos else None)
    punct = _load("punctuation.toml")
    words = _load("words.toml")
    cols = _load("sensitive_columns.toml")
    renamed_file = _load("renamed.toml")
    renamed = dict(renamed_file["renamed"])
    docno = _load("document_numbers.toml")
    opens, closes = docno["open_brackets"], docno["close_brackets"]
    olds = "|".join(re.escape(o) for o in sorted(renamed, key=len, reverse=True))
    return _Rules(
        halves=halves, half_starts=half_starts, canon=canon, known=tuple(near.get("known", ())),
        free_last=str(near.get("free_last", "")), min_length=min_length,
        typos=typos, typo_re=typo_re, half_width=dict(punct["half_width"]),
        pairs=dict(punct["pairs"]), doubling=punct["doubling"]["marks"],
        before_closing=punct["before_closing"]["marks"],
        closing=punct["before_closing"]["closing"],
        function_chars=words["repeats"]["function_chars"],
        real_words=tuple(words["repeats"]["real_words"]),
        abab_first=words["repeats"].get("abab_first", ""),
        placeholder_marks=words["placeholders"]["marks"],
        placeholder_min=int(words["placeholders"]["min_run"]),
        placeholder_phrases=tuple(words["placeholders"]["phrases"]),
        columns=dict(cols["columns"]), renamed=renamed,
        renamed_year={k: int(v) for k, v in renamed_file.get("year", {}).items()},
        renamed_re=re.compile(f"(?:{olds})(?!门)"),
        docno_re=re.compile(f"(?<=[{_CJK}])([{re.escape(opens)}])(\\d{{4}})([{re.escape(closes)}])"
                            "(第?)(0*)(\\d+)号"),
        docno_pairs=dict(zip(opens, closes, strict=True)))


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    return start, len(text) if end < 0 else end


def _in_table(text: str, i: int) -> bool:
    a, b = _line_bounds(text, i)
    return "\t" in text[a:b]


# 1. 固定表述 -------------------------------------------------------------------------------

def _fixed_phrases(text: str, r: _Rules) -> list[Proof]:
    found: list[Proof] = []
    if r.typo_re is not None:
        for m in r.typo_re.finditer(text):
            fix = r.typos[m.group()]
            found.append(Proof(m.start(), m.end(), m.group(), "固定表述", "严重",
                               f"“{m.group()}”应为“{fix}”。", (Fix(f"改为“{fix}”", fix),)))
    return found + _near_misses(text, r.halves, r.half_starts, r.known, r.free_last)


def _own_phrases(text: str, phrases: frozenset[str]) -> list[Proof]:
    """The township's own fixed expressions (设置 › 本镇规范用语) one character off."""
    if not phrases:
        return []
    halves, starts = _own_index(phrases)
    return _near_misses(text, halves, starts, (), "", 3)


def _near_misses(text: str, halves: _Halves, half_starts: dict[str, tuple[int, ...]],
                 known: tuple[str, ...], free_last: str, shortest: int = 4) -> list[Proof]:
    """Every window one character off a phrase of the index (and not a known word there)."""
    found: list[Proof] = []
    for run in re.finditer(f"[{_CJK}]{{{shortest},}}", text):
        s, e = run.span()
        exact: list[tuple[int, int]] = []
        near: dict[tuple[int, str], None] = {}
        for pos in range(s, e - 1):
            # Most two-character pairs begin no half at all: one lookup settles them.
            for k in half_starts.get(text[pos:pos + 2], ()):
                if pos + k > e:
                    break
                hits = halves[k].get(text[pos:pos + k])
                if not hits:
                    continue
                for phrase, off in hits:
                    w0 = pos - off
                    w1 = w0 + len(phrase)
                    if w0 < s or w1 > e:
                        continue
                    window = text[w0:w1]
                    if window == phrase:
                        exact.append((w0, w1))
                    elif sum(a != b for a, b in zip(window, phrase, strict=True)) == 1:
                        near[(w0, phrase)] = None
        if not near:
            continue
        for kw in known:
            j = text.find(kw, s, e)
            while j >= 0:
                exact.append((j, j + len(kw)))
                j = text.find(kw, j + 1, e)
        # Nested slips (乡村震兴 in 全面推进乡村震兴) are one finding: the shortest phrase.
        for (w0, phrase) in sorted(near, key=lambda k: len(k[1])):
            w1 = w0 + len(phrase)
            window = text[w0:w1]
            if any(a < w1 and w0 < b for a, b in exact):
                continue
            i = next(k for k in range(len(phrase)) if window[k] != phrase[k])
            if i == len(phrase) - 1 and phrase[i] in free_last:
                continue
            exact.append((w0, w1))
            found.append(Proof(w0, w1, window, "固定表述", "严重",
                               f"“{window}”与规范表述“{phrase}”差一个字。",
                               (Fix(f"改为“{phrase}”", phrase),)))
    return found


_FORMER = re.compile("原(?![则因件始本来先有])")


def _in_title(text: str, i: int) -> bool:
    """Whether ``i`` is inside a 《…》 on its line."""
    a, _ = _line_bounds(text, i)
    opened = text.rfind("《", a, i)
    return opened >= 0 and text.find("》", opened, i) < 0


def _renamed(text: str, r: _Rules) -> list[Proof]:
    found = []
    for m in r.renamed_re.finditer(text):
        # A cited document keeps the name its issuer had then: 《国务院扶贫办关于…》.
        if text.startswith(("关于", "印发", "等部门"), m.end()) or _in_title(text, m.start()):
            continue
        # 原 governs the clause: 原县国土资源局、县农业局的职责… is history.
        clause = max(text.rfind(c, 0, m.start()) for c in "，。；！？\n")
        if _FORMER.search(text, clause + 1, m.start()):
            continue
        new = r.renamed[m.group()]
        year = r.renamed_year.get(m.group())
        when = f"{year}年" if year else ""
        found.append(Proof(m.start(), m.end(), m.group(), "机构更名", "一般",
                           f"“{m.group()}”自{when}起已改称“{new}”。" if when else
                           f"“{m.group()}”已更名为“{new}”（机构改革后）。",
                           (Fix(f"改为“{new}”", new),)))
    return found


# 2. 文号格式 -------------------------------------------------------------------------------



def _doc_numbers(text: str, r: _Rules) -> list[Proof]:
    found = []
    for m in r.docno_re.finditer(text):
        op, year, cl, di, zeros, num = m.groups()
        if r.docno_pairs[op] != cl:
            continue
        if op == "〔" and not di and not zeros:
            continue
        good = f"〔{year}〕{int(num)}号"
        why = []
        if op != "〔":
            why.append("年份应用六角括号〔〕")
        if di:
            why.append("顺序号前不加“第”")
        if zeros and int(num):
            why.append("顺序号不编虚位")
        found.append(Proof(m.start(), m.end(), m.group(), "文号格式", "一般",
                           "，".join(why) + "（GB/T 9704）。", (Fix(f"改为“{good}”", good),)))
    return found


# 3. 标点 -----------------------------------------------------------------------------------

def _punctuation(text: str, r: _Rules) -> list[Proof]:
    found = []
    marks = re.escape("".join(r.half_width))
    # A period after Chinese is a mark only before Chinese or at the line's end
    # (青石发布.PDF is a file name); the others are marks wherever they follow Chinese.
    half = re.compile(f"(?<=[{_CJK}])(?:[{marks.replace(re.escape('.'), '')}]"
                      f"|\\.(?=[{_CJK}“”《（]|$))", re.M)
    for m in half.finditer(text):
        full = r.half_width[m.group()]
        found.append(Proof(m.start(), m.end(), m.group(), "标点", "一般",
                           f"中文里应用全角“{full}”。", (Fix(f"改为“{full}”", full),)))
    paren = re.compile(r"\(([^()\n]{1,40})\)")
    for m in paren.finditer(text):
        inner = m.group(1)
        before = text[m.start() - 1] if m.start() else ""
        if _HAN.search(inner) and (_HAN.match(before) or _HAN.match(inner[0])):
            rep = f"（{inner}）"
            found.append(Proof(m.start(), m.end(), m.group(), "标点", "一般",
                               "中文里应用全角括号。", (Fix("改为全角括号", rep),)))
    dbl = re.compile(f"([{re.escape(r.doubling)}])\\1+")
    for m in dbl.finditer(text):
        found.append(Proof(m.start(), m.end(), m.group(), "标点", "一般",
                           f"“{m.group(1)}”重复了。",
                           (Fix(f"只留一个“{m.group(1)}”", m.group(1)),)))
    bc = re.compile(f"[{re.escape(r.before_closing)}](?=[{re.escape(r.closing)}])")
    for m in bc.finditer(text):
        found.append(Proof(m.start(), m.end(), m.group(), "标点", "一般",
                           f"“{m.group()}”不应放在后括号、后书名号前。", (Fix("删去", ""),)))
    closers = {v: k for k, v in r.pairs.items()}
    paired = re.compile("[" + re.escape("".join(r.pairs) + "".join(closers)) + "\n]")
    stack: list[tuple[str, int]] = []
    # Only the paired marks and line ends are visited: a 名单 has few of either.
    for m in paired.finditer(text + "\n"):
        ch, i = m.group(), m.start()
        if ch == "\n":
            found += [_unpaired(o, at, r.pairs[o]) for o, at in stack]
            stack = []
        elif ch in r.pairs:
            stack.append((ch, i))
        elif stack and stack[-1][0] == closers[ch]:
            stack.pop()
        elif any(o == closers[ch] for o, _ in stack):
            while stack and stack[-1][0] != closers[ch]:
                o, at = stack.pop()
                found.append(_unpaired(o, at, r.pairs[o]))
            stack.pop()
        else:
            found.append(Proof(i, i + 1, ch, "标点", "一般", f"“{ch}”前面缺少“{closers[ch]}”。"))
    return found


def _unpaired(opener: str, at: int, closer: str) -> Proof:
    return Proof(at, at + 1, opener, "标点", "一般", f"“{opener}”在本段没有配对的“{closer}”。")


# 4. 数字日期 -------------------------------------------------------------------------------

_DOTDATE = re.compile(r"(?<![0-9A-Za-z_/.\-])((?:19|20)\d{2})([.\-/])(\d{1,2})\2(\d{1,2})"
                      r"(?![0-9A-Za-z_/.\-])")
_DATE_PT = r"(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:\d{1,2}[时点:：]\d{0,2}分?)?"
_JIEZHI = re.compile("(?<![于到])截止(?=(?:\\d{4}年|\\d{1,2}月|目前|今年|本月|上月|去年|当前|"
                     "本年度|上年度|\\d{1,2}日))")
_JIEZHI_TAIL = re.compile(f"{_DATE_PT}(?:底|末)?(?:目前|今年|本月|上月|去年|当前|本年度|上年度)?"
                          f"(?:[底末])?")
_CN_YEAR = re.compile("[一二三四五六七八九〇零○O]{4}年")


def _numbers(text: str, r: _Rules) -> list[Proof]:
    found = []
    body_start = text.find("\n") + 1
    for m in _DOTDATE.finditer(text, body_start):
        y, _, mo, d = m.groups()
        if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31) or _in_table(text, m.start()):
            continue
        good = f"{y}年{int(mo)}月{int(d)}日"
        found.append(Proof(m.start(), m.end(), m.group(), "数字日期", "一般",
                           "正文里的日期应写作“年月日”（GB/T 15835）。",
                           (Fix(f"改为“{good}”", good),)))
    for m in _JIEZHI.finditer(text):
        tail = _JIEZHI_TAIL.match(text, m.end())
        after = tail.end() if tail else m.end()
        # 截止 with a date then a clause (截止11月30日，共发放…) is a tally up to that day: 截至.
        # 截止日期、…日前截止、…截止。 (the day it ends) are right as they are.
        if text[after:after + 1] in "，," and text[after:after + 1]:
            found.append(Proof(m.start(), m.end(), "截止", "数字日期", "一般",
                               "表示“到某时为止”应用“截至”。", (Fix("改为“截至”", "截至"),)))
    for m in _CN_YEAR.finditer(text):
        year = m.group()[:4]
        if "零" in year or "○" in year or "O" in year:
            good = year.replace("零", "〇").replace("○", "〇").replace("O", "〇")
            found.append(Proof(m.start(), m.start() + 4, year, "数字日期", "一般",
                               "汉字年份里的“0”应写作“〇”（GB/T 15835）。",
                               (Fix(f"改为“{good}”", good),)))
    return found


# 5. 重复字词 -------------------------------------------------------------------------------

_DOUBLE_WORD = re.compile(f"([{_CJK}]{{2,4}})\\1")


def _repeats(text: str, r: _Rules) -> list[Proof]:
    found = []
    single = re.compile(f"([{re.escape(r.function_chars)}])\\1")
    for pat in (single, _DOUBLE_WORD):
        for m in pat.finditer(text):
            if _in_table(text, m.start()) or _inside_word(text, m.start(), m.end(), r.real_words):
                continue
            unit = m.group(1)
            if len(unit) == 2 and unit[0] in r.abab_first:
                continue  # 一步一步、一次一次 repeat on purpose
            found.append(Proof(m.start(), m.end(), m.group(), "重复字词", "一般",
                               f"“{unit}”重复了。", (Fix(f"只留一个“{unit}”", unit),)))
    return found


def _inside_word(text: str, s: int, e: int, words: tuple[str, ...]) -> bool:
    for w in words:
        j = text.find(w, max(0, s - len(w) + 1), e + len(w) - 1)
        while j >= 0 and j < e:
            if j <= s and j + len(w) >= e:
                return True
            j = text.find(w, j + 1, e + len(w) - 1)
    return False


# 6. 占位符 ---------------------------------------------------------------------------------

def _placeholders(text: str, r: _Rules) -> list[Proof]:
    found = []
    marks = re.escape(r.placeholder_marks)
    run = re.compile(f"[{marks}]{{{r.placeholder_min},}}")
    for m in run.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end():m.end() + 1]
        stars = set(m.group()) <= set("*＊")
        if before.isascii() and before.isalnum() or after.isascii() and after.isalnum():
            continue
        if stars and (_HAN.match(before) or _HAN.match(after)):
            continue  # 张** and 马家沟村**** are privacy masks, not blanks
        if set(m.group()) <= set("x_＿") and len(m.group()) < 3:
            continue
        found.append(Proof(m.start(), m.end(), m.group(), "占位符", "严重",
                           "模板里待填的内容还没有写。"))
    for m in re.finditer(r"【([^】\n]{0,30})】", text):
        if re.fullmatch(r"\d{4}", m.group(1)):
            continue  # a 文号 year in the wrong brackets: 文号格式 says so
        found.append(Proof(m.start(), m.end(), m.group(), "占位符", "严重",
                           "【】是模板留下的空，请填写后删去括号。"))
    for p in r.placeholder_phrases:
        j = text.find(p)
        while j >= 0:
            found.append(Proof(j, j + len(p), p, "占位符", "严重", "模板的填写说明还留在正文里。"))
            j = text.find(p, j + 1)
    return found


# 7. 敏感列 ---------------------------------------------------------------------------------

def _tables(text: str) -> list[list[tuple[int, str]]]:
    """Runs of tab-separated lines, as (offset, line) lists; the first line is the header."""
    tables: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if "\t" in line:
            current.append((pos, line))
        elif current:
            tables.append(current)
            current = []
        pos += len(line) + 1
    if current:
        tables.append(current)
    return tables


def _sensitive_columns(text: str, r: _Rules, public: bool) -> list[Proof]:
    found = []
    severity = "严重" if public else "一般"
    for table in _tables(text):
        pos, header = table[0]
        off = pos
        for cell in header.split("\t"):
            name = cell.strip()
            hit = next((t for t in r.columns if t in name), None) if name else None
            if hit:
                cat = r.columns[hit]
                fixes = [Fix("删除此列", action="drop_column")]
                if cat == "address":
                    fixes.append(Fix("只保留到村组", action="to_village"))
                kind = "家庭住址" if cat == "address" else cat
                found.append(Proof(off, off + len(cell), cell, "敏感列", severity,
                                   f"“{name}”列属于敏感个人信息（{kind}），不应公开。",
                                   tuple(fixes)))
            off += len(cell) + 1
    return found


# 8. 与设置不符 -----------------------------------------------------------------------------

_TOWN = re.compile(f"([{_CJK}]{{1,6}}[镇乡])人民政府")
_PHONE = re.compile(r"(?:监督|举报|咨询|投诉)电话[:：为是]?\s*"
                    r"([0-9０-９][0-9０-９\-－—() （）]{5,18}[0-9０-９])")
_PUBLICITY = re.compile(r"公示期[为:：]?\s*(?:自|从)?(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?"
                        r"\s*(?:至|到|—|－|-|~|～)"
                        r"\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_CITED = re.compile("〔(\\d{4})〕(\\d+)号")
_CODE_BEFORE = re.compile(f"[{_CJK}]{{1,8}}$")
_TITLE_BEFORE = re.compile("《([^《》\\n]{2,80})》[（(]?$")
#: Words that end the sentence before a 机关代字 (根据民发〔…〕 → 民发).
_LEAD = re.compile("^.*(?:根据|按照|依据|依照|参照|执行|落实|以及|和|及|与|、|见|经|的|是)")


def _digits(s: str) -> str:
    return "".join(str(int(c)) for c in s if c.isdigit())


def _settings(text: str, ctx: ProofContext) -> list[Proof]:
    found = []
    town = ctx.township
    if town:
        for m in _TOWN.finditer(text):
            name = m.group(1)[-len(town):]
            if len(name) == len(town) and sum(a != b for a, b in zip(name, town, strict=True)) == 1:
                s = m.end(1) - len(town)
                found.append(Proof(s, m.end(1), name, "与设置不符", "一般",
                                   f"设置里的乡镇是“{town}”。", (Fix(f"改为“{town}”", town),)))
    if ctx.phones:
        allowed = {_digits(p)[-11:] for p in ctx.phones if _digits(p)}
        for m in _PHONE.finditer(text):
            if _digits(m.group(1))[-11:] not in allowed:
                found.append(Proof(m.start(1), m.end(1), m.group(1), "与设置不符", "一般",
                                   "这个电话不是设置里的监督电话。",
                                   (Fix(f"改为“{ctx.phones[0]}”", ctx.phones[0]),)))
    if ctx.publicity:
        a, b = (date.fromisoformat(d) for d in ctx.publicity)
        for m in _PUBLICITY.finditer(text):
            y1, m1, d1, y2, m2, d2 = m.groups()
            try:
                got = (date(int(y1), int(m1), int(d1)), date(int(y2 or y1), int(m2), int(d2)))
            except ValueError:
                continue
            if got != (a, b):
                s = m.start(1)
                # Keep the clerk's own joining words (起至, 至, —) and year style.
                mid = text[m.end(3) + 1:m.start(4) if y2 else m.start(5)]
                year2 = f"{b.year}年" if y2 or a.year != b.year else ""
                good = f"{a.year}年{a.month}月{a.day}日{mid}{year2}{b.month}月{b.day}日"
                found.append(Proof(s, m.end(), text[s:m.end()], "与设置不符", "一般",
                                   f"按事项规则，公示期是{a.isoformat()}至{b.isoformat()}。",
                                   (Fix("改为应有的公示期", good),)))
    if ctx.issuer:
        found += _signature(text, ctx.issuer)
    found += _cited_twice(text)
    return found


_SIGNED = re.compile(f"[{_CJK}（）()]{{2,24}}"
                     "(?:人民政府|委员会|办公室|办事处|服务中心|管理站|管理所)")
_DATE_LINE = re.compile(r"\s*(?:\d{4}|[一二三四五六七八九〇零○]{4})年.{1,3}月.{1,3}日\s*")


def _signature(text: str, issuer: str) -> list[Proof]:
    """A 落款 typed at the foot of the body: printed twice, or not the notice's issuer."""
    lines = text.split("\n")
    ends = [i for i, line in enumerate(lines) if line.strip()]
    if len(ends) < 2:
        return []
    last = ends[-1]
    if _DATE_LINE.fullmatch(lines[last]) and len(ends) > 2:
        last = ends[-2]
    line = lines[last].strip()
    if "\t" in lines[last] or not _SIGNED.fullmatch(line):
        return []
    start = sum(len(x) + 1 for x in lines[:last]) + lines[last].index(line)
    if line == issuer:
        return [Proof(start, start + len(line), line, "与设置不符", "提示",
                      "张贴稿会在文末印上发布单位和日期，正文里的这一行会重复。",
                      (Fix("删去这一行", ""),))]
    return [Proof(start, start + len(line), line, "与设置不符", "一般",
                  f"落款与这条公开信息的发布单位“{issuer}”不同。",
                  (Fix(f"改为“{issuer}”", issuer),))]


def _cited_twice(text: str) -> list[Proof]:
    """One 《文件》 cited with two 文号 (一般), or one 机关代字 and year with two numbers (提示)."""
    found = []
    by_title: dict[str, str] = {}
    by_code: dict[tuple[str, str], str] = {}
    for m in _CITED.finditer(text):
        year, num = m.groups()
        before = _CODE_BEFORE.search(text, max(0, m.start() - 8), m.start())
        if before is None:
            continue
        prefix = before.group()
        head = _TITLE_BEFORE.search(text, max(0, before.start() - 84), before.start())
        title = head.group(1) if head else None
        code = _LEAD.sub("", prefix)
        if not code:
            continue
        s = m.start() - len(code)
        docno = f"{code}〔{year}〕{num}号"
        if title and by_title.get(title, docno) != docno:
            found.append(Proof(s, m.end(), text[s:m.end()], "与设置不符", "一般",
                               f"《{title}》前文的文号是{by_title[title]}，请核对。"))
        elif by_code.get((code, year), num) != num:
            found.append(Proof(s, m.end(), text[s:m.end()], "与设置不符", "提示",
                               f"前文引用了{code}〔{year}〕{by_code[(code, year)]}号，"
                               "如是同一文件请统一文号。"))
        if title:
            by_title.setdefault(title, docno)
        by_code.setdefault((code, year), num)
    return found


# -------------------------------------------------------------------------------------------

def proofread(title: str, body: str, context: ProofContext | None = None) -> list[Proof]:
    """Every finding in the notice's title and body, in text order.

    Where two findings overlap, the one of the earlier rule family (固定表述 first,
    与设置不符 last) is kept; findings inside a word of ``context.whitelist`` are dropped.
    """
    ctx = context or ProofContext()
    r = rules()
    text = title + "\n" + body
    families = [_renamed(text, r), _fixed_phrases(text, r) + _own_phrases(text, ctx.phrases),
                _placeholders(text, r),
                _doc_numbers(text, r), _sensitive_columns(text, r, ctx.public),
                _punctuation(text, r), _numbers(text, r), _repeats(text, r),
                _settings(text, ctx)]
    covered: list[tuple[int, int]] = []
    for w in ctx.whitelist:
        if not w:
            continue
        j = text.find(w)
        while j >= 0:
            covered.append((j, j + len(w)))
            j = text.find(w, j + 1)
    kept: list[Proof] = []
    taken: list[tuple[int, int]] = []
    for family in families:
        for p in sorted(family, key=lambda p: (p.start, p.start - p.end)):
            if p.text in ctx.whitelist or any(a <= p.start and p.end <= b for a, b in covered):
                continue
            if any(a < p.end and p.start < b for a, b in taken):
                continue
            kept.append(p)
            taken.append((p.start, p.end))
    kept.sort(key=lambda p: (p.start, p.end))
    return kept


def apply_fix(title: str, body: str, proof: Proof, choice: int = 0) -> tuple[str, str]:
    """The title and body with ``proof.fixes[choice]`` applied."""
    fix = proof.fixes[choice]
    text = title + "\n" + body
    if fix.replacement is not None:
        mended = text[:proof.start] + fix.replacement + text[proof.end:]
    elif fix.action in ("drop_column", "to_village"):
        mended = _mend_column(text, proof.start, fix.action)
    else:
        raise ValueError(f"unknown fix action {fix.action!r}")
    new_title, _, new_body = mended.partition("\n")
    return new_title, new_body


_VILLAGE = re.compile(r"^.*?(?:村|社区|居委会|嘎查)(?:[^组\t]{0,6}?组)?")


def _mend_column(text: str, at: int, action: str) -> str:
    table = next((t for t in _tables(text) if t[0][0] <= at <= t[0][0] + len(t[0][1])), None)
    if table is None:
        raise ValueError("no table at the finding")
    col = text[table[0][0]:at].count("\t")
    lines = text.split("\n")
    first = text[:table[0][0]].count("\n")
    for n in range(len(table)):
        cells = lines[first + n].split("\t")
        if col >= len(cells):
            continue
        if action == "drop_column":
            del cells[col]
        elif n:
            m = _VILLAGE.match(cells[col])
            if m:
                cells[col] = m.group()
        lines[first + n] = "\t".join(cells)
    return "\n".join(lines)
