"""The words of a notice: its title pattern, its body outline, and which 要素 it covers."""

from __future__ import annotations

import re

from app.catalog.item import CatalogItem
from app.facts import NOTICE_KINDS, PUBLICITY_UNITS, squash

_NUMERALS = "一二三四五六七八九十"


def _subject(item: CatalogItem) -> str:
    parts = [item.level1]
    if item.level2 and item.level2 not in item.level1:
        parts.append(item.level2)
    return "".join(parts)


def title_for(item: CatalogItem, kind: str, township: str = "") -> str:
    """The usual title: ``青石镇关于最低生活保障审核信息的公示``."""
    if kind == "明白纸":
        return f"{_subject(item)}明白纸"
    return f"{township}关于{_subject(item)}的{kind}"


def _heading(n: int) -> str:
    return (_NUMERALS[n] if n < 10 else str(n + 1)) + "、"


def body_outline(item: CatalogItem, kind: str, issuer: str, phone: str) -> str:
    """A body to fill in: the basis, one heading per 要素, the 公示期 line and the 监督电话.

    Dates that depend on the day the notice goes up are written as a rule, not
    guessed; the printed sheet fills them in from the posting.
    """
    verb = NOTICE_KINDS.get(kind, "公告")
    basis = item.basis.split("；")[0] if item.basis else ""
    lines = []
    if kind == "明白纸":
        lines += ["一、政策是什么：", "二、谁能享受：", "三、标准是多少：", "四、怎么办理：",
                  "五、要带什么材料：", f"六、找谁咨询：{issuer}"]
    else:
        opening = f"根据{basis}，" if basis else ""
        lines.append(f"{opening}现将{_subject(item)}有关情况{verb}如下：")
        lines += [f"{_heading(n)}{element}：" for n, element in enumerate(item.elements)]
    publicity = (item.rule or {}).get("publicity")
    if publicity and kind != "明白纸":
        unit = PUBLICITY_UNITS.get(publicity["unit"], "天")
        lines.append(f"公示期：自张贴之日起{publicity['n']}{unit}。公示期间如有异议，"
                     f"请向{issuer}实名反映。")
    if phone:
        lines.append(f"监督电话：{phone}")
    return "\n".join(lines)


_FILLER = re.compile(r"及|和|与|或|、|，|的|相关|有关|信息|情况|等|其他|以及")


def element_covered(element: str, body: str) -> bool:
    """Whether the body speaks to an 要素: the whole phrase, or most of its key words.

    A heading left empty (``一、救助金额：`` with nothing after it) does not count.
    """
    text = squash(_strip_empty_headings(body))
    key = squash(element)
    if key and key in text:
        return True
    words = [w for w in _FILLER.split(key) if len(w) >= 2]
    if not words:
        return False
    hits = sum(1 for w in words if w in text)
    return hits * 2 > len(words) or (len(words) == 1 and hits == 1)


_EMPTY_HEADING = re.compile(r"^[一二三四五六七八九十\d]+[、.．][^：:\n]*[：:]\s*$", re.MULTILINE)


def _strip_empty_headings(body: str) -> str:
    return _EMPTY_HEADING.sub("", body)


def missing_elements(elements: list[str], body: str) -> list[str]:
    """The 要素 the body does not yet cover, in the catalog's order."""
    return [e for e in elements if not element_covered(e, body)]
