"""Bringing a county's catalog table in, and writing the catalog out.

An import is planned and applied inside one transaction: the preview (GUI) and
``--dry-run`` (CLI) run the very same plan and roll it back, so what the clerk
was shown is what is written, and a failure half-way writes nothing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from app.atomic import write_bytes
from app.catalog import domains
from app.catalog.item import FIELD_LABELS, CatalogItem
from app.catalog.items import (
    IdAllocator,
    catalog_json,
    insert_revision,
    learned_channels,
    list_items,
    move_item,
    new_version,
    read_catalog_json,
    retire,
)
from app.catalog.limits import check_json
from app.catalog.timelimits import parse_time_limit
from app.errors import UserError
from app.facts import CHANNELS, squash
from app.store import Store

Progress = Callable[[int, int], None]


@dataclass
class SectionPlan:
    """What an import does to one domain."""

    label: str
    domain: str
    new_domain: bool
    sources: list[str] = field(default_factory=list)
    rows: int = 0
    added: list[CatalogItem] = field(default_factory=list)
    changed: list[CatalogItem] = field(default_factory=list)
    unchanged: list[CatalogItem] = field(default_factory=list)
    retired: list[CatalogItem] = field(default_factory=list)
    #: For each changed item id, which fields changed (FIELD_LABELS names), old and new.
    changes: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    #: Items that only moved in the table (a new 序号): id -> the 序号 before.
    moved: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Counts and the rows with what happens to each."""
        actions = [("added", self.added), ("changed", self.changed),
                   ("unchanged", self.unchanged), ("retired", self.retired)]
        return {
            "label": self.label, "domain": self.domain, "new_domain": self.new_domain,
            "sources": self.sources, "rows": self.rows,
            **{name: len(items) for name, items in actions},
            "moved": len(self.moved),
            "items": [{"id": i.id, "seq": i.seq, "title": i.title(), "action": name}
                      | self._detail(name, i.id) for name, items in actions for i in items],
        }

    def _detail(self, action: str, item_id: str) -> dict[str, Any]:
        if action == "changed":
            diff = self.changes.get(item_id, {})
            return {"fields": list(diff),
                    "diff": {label: {"from": old, "to": new} for label, (old, new) in diff.items()}}
        if item_id in self.moved:
            return {"moved_from": self.moved[item_id]}
        return {}


@dataclass
class ImportReport:
    """The outcome (or, with ``dry_run``, the preview) of one import."""

    file: str
    dry_run: bool
    replace: bool
    sections: list[SectionPlan]
    warnings: list[str]
    version: int | None = None

    @property
    def rows(self) -> int:
        """Rows read from the file."""
        return sum(s.rows for s in self.sections)

    def new_domains(self) -> list[str]:
        """Domains the file brings that the township does not have yet."""
        return [s.domain for s in self.sections if s.new_domain]

    def to_json(self) -> dict[str, Any]:
        """The ``catalog import --json`` report."""
        return {"file": self.file, "dry_run": self.dry_run, "replace": self.replace,
                "version": self.version, "rows": self.rows,
                "new_domains": self.new_domains(),
                "domains": [s.to_json() for s in self.sections], "warnings": self.warnings}

    def summary(self) -> str:
        """One line a clerk reads after an import."""
        verb = "将" if self.dry_run else "已"
        added = sum(len(s.added) for s in self.sections)
        changed = sum(len(s.changed) for s in self.sections)
        retired = sum(len(s.retired) for s in self.sections)
        moved = sum(len(s.moved) for s in self.sections)
        names = "、".join(s.domain for s in self.sections)
        return (f"读到 {self.rows} 行（{names}），{verb}新增 {added} 项、更新 {changed} 项、"
                f"停用 {retired} 项" + (f"，{moved} 项只调整序号" if moved else "") + "。")


#: (domain label, source, items, the fields the table has no column for) per table.
Sections = list[tuple[str | None, str, list[CatalogItem], frozenset[str]]]


class CatalogSource(Protocol):
    """Where an import's rows come from: a county table on disk, or the county platform."""

    @property
    def name(self) -> str:
        """How the preview and the catalog history name the source."""

    @property
    def origin(self) -> str:
        """Where the rows came from (a file path or a county server)."""

    def sections(self) -> tuple[Sections, list[str]]:
        """The tables (see :data:`Sections`), plus reader warnings."""

    def applied(self, store: Store, report: ImportReport) -> None:
        """Called inside the import's transaction once the rows are written."""


@dataclass(frozen=True)
class FileSource:
    """A .xlsx or .docx table as counties send them, or a catalog .json export."""

    path: Path
    #: The county's own channel names the catalog already holds (see read_county_table).
    learned: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name, shown in the preview and kept as the version's label."""
        return self.path.name

    @property
    def origin(self) -> str:
        """The full path, kept with the catalog version."""
        return str(self.path)

    def sections(self) -> tuple[Sections, list[str]]:
        """The file's tables."""
        return read_sections(self.path, self.learned)

    def applied(self, store: Store, report: ImportReport) -> None:
        """Nothing more to record for a file."""


def read_sections(path: Path, learned: tuple[str, ...] = ()) -> tuple[Sections, list[str]]:
    """The file's tables (see :data:`Sections`), plus reader warnings.

    ``learned`` are channel names the catalog holds besides the standard ones.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"找不到文件「{path.name}」。")
    if suffix == ".json":
        check_json(path)  # json recurses once per level: its depth is bounded before it parses
        _label, _order, items = read_catalog_json(path)
        return sections_by_domain(items, path.name), []
    if suffix in (".xlsx", ".docx"):
        from app.catalog.table_reader import read_county_table

        sections = read_county_table(path, learned)
        warnings = [w for s in sections for w in s.warnings]
        return [(s.domain_label, s.source, s.items, s.absent) for s in sections], warnings
    raise UserError("只能导入 .xlsx、.docx 或工作台导出的 .json 目录文件。")


def sections_by_domain(items: list[CatalogItem], source: str) -> Sections:
    """Catalog items (JSON shape) grouped into one section per domain, in order of appearance."""
    by_domain: dict[str, list[CatalogItem]] = {}
    for item in items:
        # The rule follows the wording; a stale rule in the file must not win.
        item.rule = parse_time_limit(item.time_limit)
        by_domain.setdefault(item.domain, []).append(item)
    return [(d, source, its, frozenset()) for d, its in by_domain.items()]


def import_catalog(
    store: Store,
    source: Path | CatalogSource,
    *,
    domain: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    add_domains: set[str] | frozenset[str] = frozenset(),
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a county table (or preview it with ``dry_run``), all or nothing.

    ``source`` is a file path or a :class:`CatalogSource`. ``domain`` puts
    every table under that domain (for a file with no title). ``mapping``
    sends a label to an existing domain and remembers it as an alias;
    ``add_domains`` confirms labels that become new domains. Labels that are
    neither refuse the import (the preview lists them).
    """
    src = FileSource(Path(source)) if isinstance(source, (str, Path)) else source
    learned = learned_channels(store)
    if isinstance(src, FileSource) and not src.learned:
        src = dataclasses.replace(src, learned=tuple(learned))
    raw, warnings = src.sections()
    if not any(items for _l, _s, items, _a in raw):
        raise UserError("文件里没有读到任何目录事项，请确认它是标准目录表格。")
    # A channel name the catalog has never held is kept as written, but never silently.
    new_channels = [c for c in dict.fromkeys(c for _l, _s, its, _a in raw for i in its
                                             for c in i.channels)
                    if c not in CHANNELS and c not in learned]
    if new_channels:
        warnings = [*warnings, f"表中有目录里还没有的公开渠道「{'、'.join(new_channels)}」，"
                    f"{'将' if dry_run else '已'}按表中写法作为新渠道导入"]
    mapping = {squash(k): v for k, v in (mapping or {}).items()}
    add_domains = {squash(d) for d in add_domains}
    report = ImportReport(src.name, dry_run, replace, [], warnings)
    total = sum(len(items) for _l, _s, items, _a in raw)
    done = 0
    with store.transaction():
        for label, origin, items, _absent in raw:
            section = _section_for(store, report, domain or label, origin, mapping, add_domains)
            section.sources.append(origin)
            section.rows += len(items)
            for item in items:
                item.domain = section.domain
            done += len(items)
            if progress:
                progress(done, total)
        blocked = [s.domain for s in report.sections if s.new_domain
                   and s.domain not in add_domains]
        if blocked and not dry_run:
            raise UserError(
                f"表中有目录里没有的领域「{'、'.join(blocked)}」：请确认新增这个领域，"
                "或把它对应到已有领域后再导入。"
            )
        version = new_version(store, src.name, src.origin, {}) if not dry_run else 0
        for section in report.sections:
            rows = [(i, absent) for (_lab, _s, its, absent) in raw for i in its
                    if i.domain == section.domain]
            _plan_section(store, section, rows, replace, version if not dry_run else None)
        if not dry_run:
            summary = {s.domain: {k: v for k, v in s.to_json().items() if k != "items"}
                       for s in report.sections}
            store.conn.execute("UPDATE catalog_versions SET summary = ? WHERE id = ?",
                               (json.dumps(summary, ensure_ascii=False), version))
            store.audit("catalog.import", src.name, {"version": version, "rows": report.rows,
                                                     "replace": replace})
            report.version = version
            src.applied(store, report)
    return report


def _section_for(store: Store, report: ImportReport, label: str | None, source: str,
                 mapping: dict[str, str], add_domains: set[str]) -> SectionPlan:
    if not label:
        raise UserError(f"看不出{source}属于哪个领域：请在导入时指定领域。")
    label = squash(label)
    target = mapping.get(label) or domains.resolve_domain(store, label)
    new = target is None
    target = target or label
    if mapping.get(label) and not report.dry_run:
        if domains.resolve_domain(store, label) != target:
            domains.add_alias(store, label, target)
    if new and label in add_domains and not report.dry_run:
        domains.add_domain(store, label)
        new = True
    for section in report.sections:
        if section.domain == target:
            return section
    section = SectionPlan(label, target, new)
    report.sections.append(section)
    return section


def _match_key(item: CatalogItem, absent: frozenset[str] = frozenset()) -> tuple[str, ...]:
    # A table without a 三级事项 column names its rows by 一级 and 二级 only.
    names = (item.level1, item.level2) + (() if "level3" in absent else (item.level3,))
    return tuple(squash(n) for n in names)


#: The fields that are an item's content (a change is a new revision); 序号 is its place.
_CONTENT = tuple(name for name in FIELD_LABELS if name != "seq")


def _keep_absent(old: CatalogItem, item: CatalogItem, absent: frozenset[str]) -> None:
    """Give ``item`` the catalog's value of every field its table has no column for."""
    for name in absent:
        setattr(item, name, getattr(old, name))
    if "time_limit" in absent:
        item.rule = old.rule


def _plan_section(store: Store, section: SectionPlan,
                  rows: list[tuple[CatalogItem, frozenset[str]]],
                  replace: bool, version: int | None) -> None:
    """Match rows to current items and, when ``version`` is given, write the changes."""
    current = [] if section.new_domain else list_items(store, section.domain)
    by_id = {i.id: i for i in current}
    by_key: dict[tuple[str, ...], list[CatalogItem]] = {}
    old: CatalogItem | None  # the name is reused below for a match that may be missing
    for old in current:
        by_key.setdefault(_match_key(old), []).append(old)
        by_key.setdefault(_match_key(old, frozenset({"level3"})), []).append(old)
    matched: set[str] = set()
    ids = row = None
    if version is not None:
        ids = IdAllocator(store, domains.domain_code(store, section.domain))
        row = domains.domain_id(store, section.domain)
    for item, absent in rows:
        # The 目录编号 column of our own export wins; a county's table has none,
        # so its rows are matched by 事项 names.
        old = by_id.get(item.id) if item.id else None
        if old is None:
            candidates = [c for c in by_key.get(_match_key(item, absent), [])
                          if c.id not in matched]
            old = candidates[0] if candidates else None
        if old is not None and old.id not in matched:
            item.id = old.id
            matched.add(old.id)
            _keep_absent(old, item, absent)
            diff = {FIELD_LABELS[n]: (getattr(old, n), getattr(item, n)) for n in _CONTENT
                    if getattr(old, n) != getattr(item, n)}
            if item.rule != old.rule and not diff:
                diff[FIELD_LABELS["time_limit"]] = (old.time_limit, item.time_limit)
            if diff:
                section.changed.append(item)
                section.changes[item.id] = diff
                if version is not None:
                    insert_revision(store, item, version, row)
                continue
            section.unchanged.append(item)
            # A row that only moved keeps its revision: the new 序号 is its place, not content.
            if old.seq != item.seq:
                section.moved[item.id] = old.seq
                if version is not None:
                    move_item(store, item.id, item.seq)
            continue
        if version is not None:
            # A 目录编号 from another township's export is kept if this one never used it.
            known = item.id and store.scalar(
                "SELECT 1 FROM catalog_items WHERE item_id = ?", (item.id,))
            item.id = ids.take("" if known else item.id)  # type: ignore[union-attr]
            insert_revision(store, item, version, row)
        section.added.append(item)
    if replace:
        for old in current:
            if old.id not in matched:
                section.retired.append(old)
                if version is not None:
                    retire(store, old.id, version)


def export_catalog(store: Store, path: Path, title_prefix: str = "") -> int:
    """Write the current catalog to ``path`` (.xlsx, .docx or .json by extension); returns items."""
    path = Path(path)
    suffix = path.suffix.lower()
    items = list_items(store)
    order = [d.name for d in domains.list_domains(store)]
    try:
        if suffix == ".json":
            data = catalog_json(store)
            write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        elif suffix == ".xlsx":
            from app.catalog.table_writer import write_catalog_xlsx

            write_catalog_xlsx(path, items, order, title_prefix)
        elif suffix == ".docx":
            from app.catalog.table_writer import write_catalog_docx

            write_catalog_docx(path, items, order, title_prefix)
        else:
            raise UserError("只能导出为 .xlsx、.docx 或 .json 文件。")
    except OSError as exc:
        raise UserError("无法写入导出文件，请检查文件夹是否可写、磁盘是否已满。", str(exc)) from exc
    return len(items)
