"""One row of the standard disclosure catalog, and its JSON shape (CONTRACT.md)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from app.catalog.timelimits import parse_time_limit

#: What a clerk calls each field when a revision changes it (``rule`` follows ``time_limit``).
FIELD_LABELS: dict[str, str] = {
    "level1": "一级事项", "level2": "二级事项", "level3": "三级事项", "elements": "公开内容",
    "basis": "公开依据", "time_limit": "公开时限", "subject": "公开主体", "channels": "公开渠道",
    "audience": "公开对象", "mode": "公开方式", "levels": "公开层级", "seq": "序号",
}


@dataclass
class CatalogItem:
    """A catalog row: 公开事项, 要素, 依据, 时限 and the checkbox columns.

    ``rule`` is always derived from ``time_limit`` (see :func:`parse_time_limit`)
    unless a caller passes one explicitly; it is stored so that a later, better
    parser does not silently change the due dates of notices already drafted.
    """

    id: str
    domain: str
    seq: int
    level1: str
    level2: str = ""
    level3: str = ""
    elements: list[str] = field(default_factory=list)
    basis: str = ""
    time_limit: str = ""
    rule: dict[str, Any] | None = None
    subject: str = ""
    channels: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rule is None:
            self.rule = parse_time_limit(self.time_limit)

    def to_json(self) -> dict[str, Any]:
        """The item as the JSON object of CONTRACT.md (plus ``level3``)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CatalogItem:
        """Build an item from its JSON object; unknown keys are ignored."""
        names = cls.__dataclass_fields__.keys()
        values = {k: v for k, v in data.items() if k in names}
        values.setdefault("seq", 0)
        return cls(**values)

    def content_key(self) -> str:
        """A canonical string of everything but id and seq, to tell a changed row."""
        data = self.to_json()
        data.pop("id")
        data.pop("seq")
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def differences(self, other: CatalogItem) -> list[str]:
        """The names (FIELD_LABELS) of the fields in which ``other`` differs from this item."""
        return [label for name, label in FIELD_LABELS.items()
                if getattr(self, name) != getattr(other, name)]

    def title(self) -> str:
        """The 事项 as a clerk says it: ``最低生活保障 › 审核信息``."""
        return " › ".join(p for p in (self.level1, self.level2, self.level3) if p)
