"""One catalog item in full, as the clerk reads it."""

from __future__ import annotations

from html import escape

from app.catalog_item import CatalogItem
from app.facts import AUDIENCES, CHANNELS, LEVELS, MODES
from app.timelimits import describe_rule


def _checks(chosen: list[str], canon: tuple[str, ...]) -> str:
    extra = [c for c in chosen if c not in canon]
    marks = [("☑" if c in chosen else "☐") + escape(c) for c in canon]
    marks += ["☑" + escape(c) for c in extra]
    return "　".join(marks)


def item_html(item: CatalogItem, revisions: int = 1) -> str:
    """The detail view's HTML for an item (every column of the standard table)."""
    rule = describe_rule(item.rule)
    unknown = item.rule and item.rule.get("kind") == "unknown"
    rule_html = (f"<span style='color:#b00020'>（{escape(rule)}）</span>" if unknown
                 else f"<span style='color:#555'>（{escape(rule)}）</span>")
    elements = "".join(f"<li>{escape(e)}</li>" for e in item.elements)
    basis = "<br>".join(escape(line) for line in item.basis.splitlines())
    rows = [
        ("公开内容（要素）", f"<ul style='margin:0'>{elements}</ul>"),
        ("公开依据", basis),
        ("公开时限", escape(item.time_limit) + rule_html),
        ("公开主体", escape(item.subject)),
        ("公开渠道和载体", _checks(item.channels, CHANNELS)),
        ("公开对象", _checks(item.audience, AUDIENCES)),
        ("公开方式", _checks(item.mode, MODES)),
        ("公开层级", _checks(item.levels, LEVELS)),
    ]
    body = "".join(
        f"<tr><td style='color:#555;white-space:nowrap;padding:4px 8px 4px 0;"
        f"vertical-align:top'>{name}</td><td style='padding:4px 0'>{value}</td></tr>"
        for name, value in rows
    )
    revision = f"　第{revisions}版" if revisions > 1 else ""
    return (f"<h3 style='margin:0 0 4px 0'>{escape(item.title())}</h3>"
            f"<div style='color:#777'>{escape(item.domain)}　序号 {item.seq}　"
            f"编号 {escape(item.id)}{revision}</div>"
            f"<table style='margin-top:8px'>{body}</table>")
