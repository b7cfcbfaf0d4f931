"""公开目录: the domains, their items, one item in full, search, import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
)

from app.catalog import domains, search
from app.catalog.importing import export_catalog
from app.catalog.item import CatalogItem
from app.catalog.items import item_revisions, list_items
from app.notices import county_copy
from app.store import Store
from app.township import get_township
from ui.catalog_model import ItemTableModel
from ui.import_dialog import ImportDialog
from ui.item_detail import item_html
from ui.page import Page
from ui.tasks import Changes, Runner
from ui.widgets import open_file, save_file, stacked

SEARCH_DELAY_MS = 200
NAME_ROLE = Qt.ItemDataRole.UserRole
HIDDEN_ROLE = Qt.ItemDataRole.UserRole + 1
#: Widest a text column may start out; the full text is in the tooltip and the detail.
MAX_COLUMN = 220
#: Narrowest 公开时限 is squeezed to (about twelve characters): it used to be left the
#: width that remained after the others, which at 1366×768 was two characters, 「及…」.
TIME_LIMIT_MIN = 190
#: Narrowest any other text column is squeezed to (about four characters).
TEXT_MIN = 64
PLACEHOLDER = "<p style='color:#777'>选择一个事项查看全部内容。</p>"


def share_widths(wanted: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths that fit in ``room`` pixels where they can.

    Each column gets the width its text wants while all fit; otherwise the widest
    give way first (every column is capped at one common width), none below its
    floor. What still does not fit is cut, with the full text in the tooltip.
    """
    def at(cap: int) -> list[int]:
        return [max(floor, min(want, cap)) for want, floor in zip(wanted, floors, strict=True)]

    if sum(wanted) <= room or not wanted:
        return list(wanted)
    low, high = 0, max(wanted)  # the largest cap that fits, by halving
    while low < high:
        middle = (low + high + 1) // 2
        if sum(at(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return at(low)


class CatalogPage(Page):
    """The township's standard disclosure catalog."""

    items_shown = Signal()
    draft_requested = Signal(str, str)
    detail_shown = Signal()

    #: The domains and items (a county catalog applied from 同步 changes them).
    cares = Changes.CATALOG

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self._request = 0
        self.current_domain: str | None = None

        title = QLabel("公开目录")
        title.setObjectName("pageTitle")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("搜索事项、要素、依据……（如：低保、危房、补贴）")
        self.search_box.setClearButtonEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.search_box.textChanged.connect(lambda _t: self._timer.start())
        self.import_button = QPushButton("导入目录…")
        self.import_button.setToolTip("读入县里下发的标准目录表格（Excel、Word）"
                                      "或工作台导出的 JSON")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton("导出目录…")
        self.export_button.setToolTip("把本乡镇的公开目录存为 Excel、Word 或 JSON")
        self.export_button.clicked.connect(lambda: self.export_file())
        top = QHBoxLayout()
        self.draft_button = QPushButton("依此事项起草…")
        self.draft_button.setToolTip("用选中的目录事项起草公告、公示、通知或明白纸")
        self.draft_button.clicked.connect(self._request_draft)
        top.addWidget(title)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.draft_button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)

        self.domain_list = QListWidget()
        self.domain_list.setObjectName("domains")
        self.domain_list.setToolTip("右键可隐藏不适用于本乡镇的领域")
        self.domain_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.domain_list.customContextMenuRequested.connect(self._domain_menu)
        self.domain_list.currentItemChanged.connect(self._domain_chosen)
        self.show_hidden = QCheckBox("显示已隐藏领域")
        self.show_hidden.toggled.connect(lambda _c: self.refresh())
        left = stacked(self.domain_list, self.show_hidden, margins=False, stretch_first=True)

        self.model = ItemTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.selectionModel().selectionChanged.connect(self._item_chosen)
        # The columns are shared out again whenever the table's width changes (window,
        # splitter): the widths of the text, measured once per load, are kept here.
        self._wanted: list[int] = []
        self.table.installEventFilter(self)
        self.status = QLabel()
        middle = stacked(self.table, self.status, margins=False, stretch_first=True)

        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.detail.setHtml(PLACEHOLDER)
        # The township's word on the chosen item: what of its notices the county is given.
        self.metadata_only = QCheckBox("报送县级平台时只报元数据（标题、日期、数量、张贴和照片，"
                                       "不含正文）")
        self.metadata_only.setEnabled(False)
        self.metadata_only.toggled.connect(self._metadata_toggled)
        self._shown_item: CatalogItem | None = None
        right = stacked(self.detail, self.metadata_only, margins=False, stretch_first=True)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setSizes([170, 640, 420])
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    # -- loading ----------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the domain list (keeping the chosen domain) in the background."""
        include_hidden = self.show_hidden.isChecked()

        def work(store: Store) -> tuple[list[domains.Domain], int]:
            every = domains.list_domains(store, True)
            return [d for d in every if include_hidden or not d.hidden], len(every)

        self.runner.run(work, self._domains_loaded)

    def _domains_loaded(self, found: tuple[list[domains.Domain], int]) -> None:
        rows, every = found
        keep = self.current_domain
        self.domain_list.blockSignals(True)
        self.domain_list.clear()
        for d in rows:
            entry = QListWidgetItem(f"{d.name}（{d.items}）" + ("　已隐藏" if d.hidden else ""))
            entry.setData(NAME_ROLE, d.name)
            entry.setData(HIDDEN_ROLE, d.hidden)
            if d.hidden:
                entry.setForeground(Qt.GlobalColor.gray)
            self.domain_list.addItem(entry)
        names = [d.name for d in rows]
        row = names.index(keep) if keep in names else 0
        if rows:
            self.domain_list.setCurrentRow(row)
        self.domain_list.blockSignals(False)
        if not rows:
            self.current_domain = None
            self.model.set_items([])
            # Say which filter hides them, and how to undo it.
            self.status.setText(f"{every} 个领域都已隐藏（未勾选“显示已隐藏领域”）。" if every
                                else "目录里还没有领域，请点“导入目录…”读入县里下发的目录。")
            return
        if self.search_box.text().strip():
            self._search()
        else:
            self._load_domain(names[row])

    def _domain_chosen(self, current: QListWidgetItem | None, _prev: object) -> None:
        if current is None:
            return
        # Choosing a domain leaves the search: the table shows one thing at a time.
        self._timer.stop()
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self._load_domain(current.data(NAME_ROLE))

    def select_domain(self, name: str) -> bool:
        """Choose a domain in the list by name; False if it is not listed."""
        for row in range(self.domain_list.count()):
            entry = self.domain_list.item(row)
            if entry.data(NAME_ROLE) == name:
                if self.domain_list.currentRow() == row:
                    self._domain_chosen(entry, None)
                else:
                    self.domain_list.setCurrentRow(row)
                return True
        return False

    def _load_domain(self, name: str) -> None:
        self.current_domain = name
        self._request += 1
        token = self._request

        def loaded(items: list[CatalogItem]) -> None:
            self._show(token, items, False, f"「{name}」共 {len(items)} 项")

        self.runner.run(lambda s: list_items(s, name), loaded)

    def _search(self) -> None:
        query = self.search_box.text().strip()
        if not query:
            current = self.domain_list.currentItem()
            if current is not None:
                current.setSelected(True)
            if self.current_domain:
                self._load_domain(self.current_domain)
            return
        self._request += 1
        token = self._request

        def found(hits: list[search.Hit]) -> None:
            text = (f"搜索「{query}」：找到 {len(hits)} 项，最相关的在前；清空搜索框回到领域"
                    if hits else f"没有找到与「{query}」相关的事项")
            self._show(token, [h.item for h in hits], True, text)
            # The results span domains: the list should not claim one of them.
            self.domain_list.clearSelection()

        self.runner.run(lambda s: search.search(s, query), found)

    def _show(self, token: int, items: list[CatalogItem], with_domain: bool,
              status: str) -> None:
        if token != self._request:
            return  # an older answer arriving after a newer question
        self.model.set_items(items, with_domain)
        self._fit_columns()
        self.status.setText(status)
        if items:
            self.table.selectRow(0)
        else:
            self.detail.setHtml("<p style='color:#777'>没有事项。</p>")
        self.items_shown.emit()

    def _fit_columns(self) -> None:
        """Measure the columns' text, then share the table's width out (:func:`share_widths`)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)  # what is left over goes to the last column
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        self._wanted = []
        for col, (_title, key) in enumerate(self.model.columns):
            width = self.table.columnWidth(col) + 8
            self._wanted.append(width if key in ("seq", "time_limit")
                                else min(width, MAX_COLUMN))
        self._share_width()

    def _share_width(self) -> None:
        if len(self._wanted) != len(self.model.columns):
            return
        floors = [wanted if key == "seq" else TIME_LIMIT_MIN if key == "time_limit"
                  else min(wanted, TEXT_MIN)
                  for wanted, (_title, key) in zip(self._wanted, self.model.columns, strict=True)]
        room = self.table.viewport().width()
        for col, width in enumerate(share_widths(self._wanted, floors, room)):
            self.table.setColumnWidth(col, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Qt: share the columns out again when the table changes width."""
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._share_width()
        return False

    def _item_chosen(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = selected.indexes()
        item = self.model.item(rows[0].row()) if rows else None
        if item is None:
            return
        self.detail.setHtml(item_html(item))
        self._shown_item = None
        self.metadata_only.setEnabled(False)
        self.runner.run(lambda s: (item_revisions(s, item.id),
                                   county_copy.metadata_only(s, item.id)),
                        lambda got: self._revisions(item, *got))

    def _revisions(self, item: CatalogItem, revisions: list[dict[str, Any]],
                   bare: bool = False) -> None:
        current = self.model.item(self.table.currentIndex().row())
        if current is item:
            self.detail.setHtml(item_html(item, revisions))
            self.metadata_only.blockSignals(True)
            self.metadata_only.setChecked(bare)
            self.metadata_only.blockSignals(False)
            self.metadata_only.setEnabled(True)
            self._shown_item = item
            self.detail_shown.emit()

    def _metadata_toggled(self, on: bool) -> None:
        item = self._shown_item
        if item is None:
            return

        def done(again: int) -> None:
            self.status.setText(
                (f"「{item.title()}」报送县级平台时只报元数据，不含正文。" if on
                 else f"「{item.title()}」报送县级平台时含正文。")
                + (f"已报送过的{again}条将在下次同步时重新报送。" if again else ""))

        self.runner.run(lambda s: county_copy.set_metadata_only(s, item.id, on), done,
                        changes=Changes.CATALOG | Changes.COUNTY, origin=self)

    # -- domains ----------------------------------------------------------------

    def _domain_menu(self, pos: QPoint) -> None:
        entry = self.domain_list.itemAt(pos)
        if entry is None:
            return
        name = entry.data(NAME_ROLE)
        hidden = bool(entry.data(HIDDEN_ROLE))
        menu = QMenu(self)
        action = menu.addAction(f"恢复显示领域「{name}」" if hidden else f"隐藏领域「{name}」")
        if menu.exec(self.domain_list.mapToGlobal(pos)) is action:
            self.set_hidden(name, not hidden)

    def set_hidden(self, name: str, hidden: bool) -> None:
        """Hide (or show again) a domain; its items and notices stay."""
        def done(_result: object) -> None:
            self.status.setText(f"已隐藏领域「{name}」，勾选“显示已隐藏领域”可恢复。" if hidden
                                else f"已恢复显示领域「{name}」。")
            self.refresh()

        self.runner.run(lambda s: domains.set_hidden(s, name, hidden), done,
                        changes=Changes.CATALOG, origin=self)

    # -- files ------------------------------------------------------------------

    def import_file(self, path: str | None = None) -> ImportDialog | None:
        """Choose a county table and open the import preview."""
        if not path:
            path = open_file(self, "导入县里下发的目录", "目录表格 (*.xlsx *.docx *.json)")
        if not path:
            return None
        dialog = ImportDialog(self.runner, Path(path), self)
        dialog.imported.connect(self.refresh)
        dialog.open()
        return dialog

    def export_file(self, path: str | None = None) -> None:
        """Write the catalog as .xlsx, .docx or .json (by the name's ending)."""
        if not path:
            # A name typed without its ending takes the chosen type's (save_file does it).
            path = save_file(self, "导出公开目录", "基层政务公开标准目录.xlsx",
                             "Excel 表格 (*.xlsx);;Word 文档 (*.docx);;JSON (*.json)")
        if not path:
            return
        target = Path(path)
        self.export_button.setEnabled(False)
        self.status.setText(f"正在导出到 {target.name} ……")

        def work(store: Store) -> int:
            return export_catalog(store, target, get_township(store).township)

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(f"已导出 {count} 项到 {target}")

        def failed(message: str) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(message)
            QMessageBox.warning(self, "导出未完成", message)

        self.runner.run(work, done, failed)

    def selected_item(self) -> CatalogItem | None:
        """The catalog item chosen in the table, if any."""
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def _request_draft(self) -> None:
        item = self.selected_item()
        if item is None:
            QMessageBox.information(self, "起草公开信息", "请先在表格中选中一个目录事项。")
            return
        self.draft_requested.emit(item.id, item.title())
