"""Print templates: what a township prints around every notice of a kind.

The defaults live in resources/templates/default.toml, one table per kind.
A township keeps its own heading line, closing words or phone label without
touching code or that file: only the fields it changed are stored (in the
settings table, so they are backed up, audited and survive upgrades), and
everything else follows the shipped default.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from functools import cache

from app.errors import UserError
from app.facts import NOTICE_KINDS
from app.store import Store
from resources import RESOURCES

DEFAULTS = RESOURCES / "templates" / "default.toml"

#: Field names and what the clerk calls them.
FIELD_LABELS: dict[str, str] = {
    "heading": "标题上方一行",
    "opening": "正文前固定文字",
    "closing": "结束语",
    "phone_label": "电话名称",
    "paper": "默认纸张",
    "qr_caption": "二维码说明",
}
#: Placeholders a template may use, filled in when printing.
PLACEHOLDERS = ("{乡镇名称}", "{发布单位}", "{监督电话}")
_LIMITS = {"heading": 40, "opening": 500, "closing": 500, "phone_label": 8, "paper": 2,
           "qr_caption": 20}


@dataclass(frozen=True)
class Template:
    """The fixed parts printed around a notice of one kind."""

    kind: str
    heading: str = ""
    opening: str = ""
    closing: str = ""
    phone_label: str = "监督电话"
    paper: str = "A4"
    qr_caption: str = ""

    def filled(self, township: str, issuer: str, phone: str) -> Template:
        """This template with its placeholders replaced by the township's own words."""
        values = {"{乡镇名称}": township, "{发布单位}": issuer, "{监督电话}": phone}

        def fill(text: str) -> str:
            for key, value in values.items():
                text = text.replace(key, value)
            return text

        return replace(self, **{f: fill(getattr(self, f)) for f in FIELD_LABELS})

    def to_json(self) -> dict[str, str]:
        """All fields, for ``template show --json``."""
        return asdict(self)


@cache
def default_templates() -> dict[str, Template]:
    """The shipped templates, one per notice kind."""
    data = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Template)} - {"kind"}
    return {kind: Template(kind, **{k: str(v) for k, v in data.get(kind, {}).items()
                                    if k in known})
            for kind in NOTICE_KINDS}


def _key(kind: str) -> str:
    return f"template.{kind}"


def _check_kind(kind: str) -> None:
    if kind not in NOTICE_KINDS:
        raise UserError(f"没有「{kind}」这种公开形式，只有{'、'.join(NOTICE_KINDS)}。")


def township_changes(store: Store, kind: str) -> dict[str, str]:
    """The fields this township changed for ``kind`` (empty: all default)."""
    _check_kind(kind)
    raw = store.get_setting(_key(kind), "") or "{}"
    try:
        saved = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return {k: str(v) for k, v in saved.items() if k in FIELD_LABELS}


def get_template(store: Store, kind: str) -> Template:
    """The template in force: the shipped default with the township's changes on top."""
    _check_kind(kind)
    return replace(default_templates()[kind], **township_changes(store, kind))


def set_template(store: Store, kind: str, changes: dict[str, str]) -> Template:
    """Change some fields of the township's template (one transaction, audited).

    A field set back to its shipped value is no longer stored, so a later
    improvement of the default reaches this township too.
    """
    _check_kind(kind)
    default = default_templates()[kind]
    merged = township_changes(store, kind)
    for name, value in changes.items():
        if name not in FIELD_LABELS:
            raise UserError(f"模板里没有「{name}」这一项。")
        value = value.strip()
        if name == "paper" and value not in ("A4", "A3"):
            raise UserError("默认纸张只能是 A4 或 A3。")
        if name == "phone_label" and not value:
            raise UserError("电话名称不能为空，例如“监督电话”。")
        if len(value) > _LIMITS[name]:
            raise UserError(f"{FIELD_LABELS[name]}最多{_LIMITS[name]}个字。")
        if value == getattr(default, name):
            merged.pop(name, None)
        else:
            merged[name] = value
    store.set_settings({_key(kind): json.dumps(merged, ensure_ascii=False, sort_keys=True)})
    return get_template(store, kind)


def reset_template(store: Store, kind: str) -> Template:
    """Go back to the shipped template for ``kind``."""
    _check_kind(kind)
    store.set_settings({_key(kind): "{}"})
    return get_template(store, kind)
