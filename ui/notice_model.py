"""Notices as a Qt table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.facts import STATUSES
from app.notices.drafts import Notice

Index = QModelIndex | QPersistentModelIndex


def _publicity(n: Notice) -> str:
    if not n.publicity:
        return ""
    start, end = n.publicity.get("start"), n.publicity.get("end")
    return f"{start}至{end}" if start else "张贴后开始"


class NoticeTableModel(QAbstractTableModel):
    """One row per notice."""

    COLUMNS = ("状态", "类型", "标题", "领域", "应公开日期", "公示期")

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[Notice] = []

    def set_notices(self, notices: list[Notice]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.notices = notices
        self.endResetModel()

    def notice(self, row: int) -> Notice | None:
        """The notice of a row, if any."""
        return self.notices[row] if 0 <= row < len(self.notices) else None

    def row_of(self, notice_id: str) -> int:
        """The row showing a notice, or -1."""
        return next((n for n, x in enumerate(self.notices) if x.id == notice_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Qt: number of rows."""
        return 0 if parent.isValid() else len(self.notices)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Qt: number of columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: a cell's text."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        n = self.notices[index.row()]
        due = (n.due or "") + ("" if n.calendar_known or not n.due else "（按周一至周五计）")
        values = (STATUSES.get(n.status, n.status), n.kind, n.title, n.domain, due,
                  _publicity(n))
        return values[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None
