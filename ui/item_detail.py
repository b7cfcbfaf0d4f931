"""One catalog item in full, as the clerk reads it."""

from __future__ import annotations

from html import escape
from typing import Any

from app.catalog.item import CatalogItem
from app.catalog.timelimits import describe_rule
from app.facts import AUDIENCES, CHANNELS, LEVELS, MODES, offline_only

CHECKED, UNCHECKED = "☑", "☐"


def _marks(chosen: list[str], canon: tuple[str, ...]) -> list[tuple[bool, str]]:
    """Every standard name with its mark, then any non-standard name the county wrote."""
    return [(c in chosen, c) for c in canon] + [(True, c) for c in chosen if c not in canon]


def _inline(chosen: list[str], canon: tuple[str, ...]) -> str:
    return "　".join(_mark_html(on, name) for on, name in _marks(chosen, canon))


def _mark_html(on: bool, name: str) -> str:
    if on:
        return f"<span style='color:#1a1a1a'>{CHECKED} <b>{escape(name)}</b></span>"
    return f"<span style='color:#8a8a8a'>{UNCHECKED} {escape(name)}</span>"


def _checklist(chosen: list[str], canon: tuple[str, ...], columns: int = 2) -> str:
    """A checklist in columns: 13 channel names on one line would wrap mid-name."""
    marks = _marks(chosen, canon)
    rows = (len(marks) + columns - 1) // columns
    cells = []
    for r in range(rows):
        # Down each column first, so the list reads in the table's own order.
        row = [marks[c * rows + r] for c in range(columns) if c * rows + r < len(marks)]
        cells.append("<tr>" + "".join(
            f"<td style='padding:1px 12px 1px 0'>{_mark_html(on, name)}</td>" for on, name in row
        ) + "</tr>")
    return f"<table cellspacing='0'>{''.join(cells)}</table>"


def revision_text(revisions: list[dict[str, Any]]) -> str:
    """``第2版（县目录2026.xlsx，2026-11-20 载入）`` for the current revision."""
    if not revisions:
        return ""
    current = revisions[0]
    loaded = str(current.get("loaded_at") or "")[:10]
    source = "，".join(p for p in (str(current.get("label") or ""), f"{loaded} 载入"
                                  if loaded else "") if p)
    text = f"第{current['rev']}版"
    if source:
        text += f"（{source}）"
    if len(revisions) > 1:
        text += f"，共 {len(revisions)} 版，旧版仍可查阅"
    return text


def item_html(item: CatalogItem, revisions: list[dict[str, Any]] | None = None) -> str:
    """The detail view's HTML for an item: every column of the standard table."""
    rule = describe_rule(item.rule)
    unknown = not item.rule or item.rule.get("kind") == "unknown"
    # An unparsed limit must stand out: the program cannot count its due date.
    rule_html = (f"<br><span style='color:#b00020'><b>期限{escape(rule)}</b></span>" if unknown
                 else f"<br><span style='color:#555'>按程序计算：{escape(rule)}</span>")
    elements = "".join(f"<li>{escape(e)}</li>" for e in item.elements) or "<li>（未列出）</li>"
    basis = "<br>".join(escape(line) for line in item.basis.splitlines()) or "（未写明）"
    rows = [
        ("公开内容（要素）", f"<ul style='margin:0 0 0 -20px'>{elements}</ul>"),
        ("公开依据", basis),
        ("公开时限", escape(item.time_limit or "（未写明）") + rule_html),
        ("公开主体", escape(item.subject or "（未写明）")),
        ("公开渠道和载体", _checklist(item.channels, CHANNELS)),
        ("公开对象", _inline(item.audience, AUDIENCES)),
        ("公开方式", _inline(item.mode, MODES)),
        ("公开层级", _inline(item.levels, LEVELS)),
    ]
    if offline_only(item.channels, item.audience):
        rows.append(("网上公开", "<b style='color:#a61b1b'>仅限线下公开，不上网</b>"
                                 "<br><span style='color:#555'>未列政府网站，或公开对象为特定群体"
                                 "</span>"))
    body = "".join(
        f"<tr><td style='color:#555;white-space:nowrap;padding:5px 10px 5px 0;"
        f"vertical-align:top'>{name}</td><td style='padding:5px 0'>{value}</td></tr>"
        for name, value in rows
    )
    revision = revision_text(revisions or [])
    meta = f"{escape(item.domain)}　序号 {item.seq}　编号 {escape(item.id)}"
    if revision:
        meta += f"<br>{escape(revision)}"
    return (f"<h3 style='margin:0 0 4px 0'>{escape(item.title())}</h3>"
            f"<div style='color:#666'>{meta}</div>"
            f"<table style='margin-top:8px'>{body}</table>")
