"""The catalog items as a Qt table model (model/view: no widget per row)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.catalog.item import CatalogItem
from app.catalog.timelimits import describe_rule

UNREAD = QBrush(QColor("#b00020"))

Index = QModelIndex | QPersistentModelIndex


class ItemTableModel(QAbstractTableModel):
    """Rows of catalog items; the 领域 column shows only for search results."""

    COLUMNS = (("序号", "seq"), ("领域", "domain"), ("一级事项", "level1"),
               ("二级事项", "level2"), ("公开时限", "time_limit"), ("公开主体", "subject"))

    def __init__(self) -> None:
        super().__init__()
        self.items: list[CatalogItem] = []
        self.columns = [c for c in self.COLUMNS if c[1] != "domain"]

    def set_items(self, items: list[CatalogItem], with_domain: bool = False) -> None:
        """Replace the rows (and show the 领域 column for mixed results)."""
        self.beginResetModel()
        self.items = items
        self.columns = [c for c in self.COLUMNS if with_domain or c[1] != "domain"]
        self.endResetModel()

    def item(self, row: int) -> CatalogItem | None:
        """The item of a row, if any."""
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Qt: number of rows."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Qt: number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: a cell's text (and the full text as tooltip)."""
        if not index.isValid():
            return None
        item = self.items[index.row()]
        key = self.columns[index.column()][1]
        value = getattr(item, key)
        if key == "level2" and item.level3:
            value = f"{item.level2} › {item.level3}"
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value).replace("\n", " ")
        unread = key == "time_limit" and (not item.rule or item.rule.get("kind") == "unknown")
        if role == Qt.ItemDataRole.ToolTipRole and key == "time_limit":
            return f"{value}\n（程序理解为：{describe_rule(item.rule)}）"
        if role == Qt.ItemDataRole.ToolTipRole and key != "seq":
            return str(value)
        if role == Qt.ItemDataRole.ForegroundRole and unread:
            # The program cannot count this deadline: the clerk must read the wording.
            return UNREAD
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "seq":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None
