"""Finding catalog items by any words of their columns, best first.

Clerks search with two-character words (低保, 危房, 补贴) that an FTS trigram
index cannot see, and with the short names that the catalog spells out in
full (低保 is 最低生活保障). A catalog is a few thousand rows at most, so we
score substrings over an in-memory index, rebuilt only when the catalog changes.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from app.catalog.item import CatalogItem
from app.catalog.items import list_items
from app.facts import squash
from app.store import Store

#: Short words clerks type, and the catalog's full wording they stand for.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "低保": ("最低生活保障",),
    "特困": ("特困人员", "供养"),
    "五保": ("特困人员", "供养"),
    "临救": ("临时救助",),
    "危房": ("危房改造",),
    "社保": ("社会保险",),
    "医保": ("医疗保险", "医疗保障"),
    "养老金": ("养老保险", "待遇"),
    "残补": ("残疾人两项补贴", "残疾人"),
    "预算": ("预决算", "预算"),
    "决算": ("预决算", "决算"),
    "三公": ("三公经费",),
    "招标": ("招标投标", "招投标"),
    "法援": ("法律援助",),
    "乡村振兴": ("扶贫", "衔接资金", "脱贫"),
}

#: How much a hit in each column counts: the 事项 names say what an item *is*,
#: the basis and subject only mention things.
WEIGHTS: tuple[tuple[str, float], ...] = (
    ("level1", 10.0), ("level2", 8.0), ("level3", 6.0), ("domain", 7.0),
    ("elements", 4.0), ("time_limit", 1.5), ("basis", 1.5), ("subject", 1.0),
    ("channels", 0.5),
)


@dataclass(frozen=True)
class Hit:
    """One search result."""

    item: CatalogItem
    score: float


class _Index:
    def __init__(self, items: list[CatalogItem]) -> None:
        self.items = items
        self.fields = [
            {
                "level1": squash(i.level1), "level2": squash(i.level2),
                "level3": squash(i.level3), "domain": i.domain,
                "elements": squash("|".join(i.elements)), "time_limit": squash(i.time_limit),
                "basis": squash(i.basis), "subject": squash(i.subject),
                "channels": "|".join(i.channels),
            }
            for i in items
        ]
        self.ids = {i.id.lower(): n for n, i in enumerate(items)}


_cache: dict[str, tuple[tuple[int, int, int], _Index]] = {}
_lock = threading.Lock()


def _index(store: Store) -> _Index:
    stamp = tuple(store.conn.execute(
        "SELECT (SELECT coalesce(max(pk), 0) FROM catalog_items),"
        " (SELECT count(*) FROM catalog_items WHERE active),"
        " (SELECT coalesce(sum(hidden * id), 0) + count(*) FROM domains)"
    ).fetchone())
    key = str(store.folder)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
    index = _Index(list_items(store))
    with _lock:
        _cache[key] = (stamp, index)
    return index


_SPLIT = re.compile(r"[\s,，、;；]+")


def _terms(query: str) -> list[tuple[str, ...]]:
    """Each term with its alternatives (the term itself first, then its synonyms)."""
    return [(t, *SYNONYMS.get(t, ())) for t in _SPLIT.split(query.strip()) if t]


def search(store: Store, query: str, limit: int = 50) -> list[Hit]:
    """Items matching every word of ``query``, best first (an exact id comes first of all)."""
    terms = _terms(query)
    if not terms:
        return []
    index = _index(store)
    hits: list[Hit] = []
    exact = index.ids.get(query.strip().lower())
    for n, fields in enumerate(index.fields):
        total = 0.0
        for alternatives in terms:
            best = 0.0
            for rank, word in enumerate(alternatives):
                factor = 1.0 if rank == 0 else 0.9
                score = sum(w for name, w in WEIGHTS if word in fields[name]) * factor
                if word == fields["level1"] or word == fields["level2"]:
                    score += 5.0
                best = max(best, score)
            if best == 0.0:
                break
            total += best
        else:
            # Earlier rows of a table are its main items; keep their order among equals.
            hits.append(Hit(index.items[n], total))
    if exact is not None:
        hits = [h for h in hits if h.item is not index.items[exact]]
        hits.insert(0, Hit(index.items[exact], 1000.0))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]
