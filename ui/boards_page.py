"""公开栏: the boards and what hangs on each, with the photo that proves it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.notices import boards
from app.store import Store
from ui.page import Page
from ui.tasks import Changes, Runner
from ui.widgets import stacked, with_tooltips

THUMB = 96


def _thumbnails(paths: list[str]) -> dict[str, QImage]:
    # QImage (unlike QPixmap) may be made off the UI thread.
    out = {}
    for path in paths:
        image = QImage(path)
        if not image.isNull():
            out[path] = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
    return out


class BoardsPage(Page):
    """Each board, what hangs on it, and what must come down."""

    open_notice = Signal(str)
    shown = Signal()
    #: The boards (the villages are 设置) and what hangs on them.
    cares = Changes.SETTINGS | Changes.NOTICES | Changes.POSTINGS

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.rows: list[boards.Hanging] = []
        title = QLabel("公开栏")
        title.setObjectName("pageTitle")
        self.include_down = QCheckBox("显示已撤下的")
        self.include_down.toggled.connect(lambda _c: self.refresh())
        self.takedown_button = QPushButton("记录撤下（今天）")
        self.takedown_button.clicked.connect(self.take_down_selected)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.include_down)
        top.addWidget(self.takedown_button)

        self.board_list = QListWidget()
        self.board_list.currentItemChanged.connect(lambda _c, _p: self._fill())
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["照片", "公开信息", "张贴日期", "公示期至", "状态"])
        self.tree.setIconSize(QSize(THUMB, THUMB))
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, THUMB + 12)
        self.tree.setColumnWidth(1, 420)
        self.tree.itemActivated.connect(
            lambda item, _c: self.open_notice.emit(item.data(1, Qt.ItemDataRole.UserRole)))
        self.note = QLabel("双击一行打开该公开信息。公示期已过仍在栏上的标为“待撤栏”"
                           "（谁公开谁清理）。")
        self.note.setWordWrap(True)
        splitter = QSplitter()
        splitter.addWidget(self.board_list)
        splitter.addWidget(stacked(self.tree, self.note, margins=False, stretch_first=True))
        splitter.setSizes([220, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        """Reload the boards and their postings in the background."""
        include = self.include_down.isChecked()

        def work(store: Store) -> tuple[list[str], list[boards.Hanging]]:
            return ([b.name for b in boards.list_boards(store)],
                    boards.hanging(store, include_down=include))

        self.runner.run(work, self._loaded)

    def _loaded(self, data: tuple[list[str], list[boards.Hanging]]) -> None:
        names, self.rows = data
        keep = self.board_list.currentItem().text().split("（")[0] \
            if self.board_list.currentItem() else None
        self.board_list.blockSignals(True)
        self.board_list.clear()
        all_entry = QListWidgetItem(f"全部（{len(self.rows)}）")
        all_entry.setData(Qt.ItemDataRole.UserRole, None)
        self.board_list.addItem(all_entry)
        for name in names:
            count = sum(1 for r in self.rows if r.board == name)
            late = sum(1 for r in self.rows if r.board == name and r.overdue)
            entry = QListWidgetItem(f"{name}（{count}）" + (f"　待撤栏 {late}" if late else ""))
            entry.setData(Qt.ItemDataRole.UserRole, name)
            if late:
                entry.setForeground(QBrush(QColor("#b00020")))
            self.board_list.addItem(entry)
        self.board_list.blockSignals(False)
        texts = [self.board_list.item(i).text().split("（")[0]
                 for i in range(self.board_list.count())]
        self.board_list.setCurrentRow(texts.index(keep) if keep in texts else 0)
        self._fill()

    def _fill(self) -> None:
        entry = self.board_list.currentItem()
        board = entry.data(Qt.ItemDataRole.UserRole) if entry else None
        self.tree.clear()
        shown = [r for r in self.rows if board is None or r.board == board]
        for r in shown:
            state = "已撤下 " + r.taken_down if r.taken_down else ("待撤栏" if r.overdue
                                                                else "在栏")
            title = r.title if board else f"{r.title}（{r.board}）"
            item = with_tooltips(QTreeWidgetItem(["", title, r.posted, r.publicity_end or "—",
                                                  state]))
            item.setData(1, Qt.ItemDataRole.UserRole, r.notice_id)
            item.setData(0, Qt.ItemDataRole.UserRole, r.board)
            if r.overdue:
                item.setForeground(4, QBrush(QColor("#b00020")))
            self.tree.addTopLevelItem(item)
        photos = [r.photo for r in shown if r.photo]
        if photos:
            self.runner.compute(lambda: _thumbnails(photos), self._thumbs)
        self.shown.emit()

    def _thumbs(self, images: dict[str, QImage]) -> None:
        entry = self.board_list.currentItem()
        board = entry.data(Qt.ItemDataRole.UserRole) if entry else None
        shown = [r for r in self.rows if board is None or r.board == board]
        for n, r in enumerate(shown):
            item = self.tree.topLevelItem(n)
            if item is not None and r.photo in images:
                item.setIcon(0, QIcon(QPixmap.fromImage(images[r.photo])))

    def take_down_selected(self) -> None:
        """Record that the selected notice came down from its board today."""
        item = self.tree.currentItem()
        if item is None:
            QMessageBox.information(self, "记录撤下", "请先选中一张在栏上的公开信息。")
            return
        notice_id = item.data(1, Qt.ItemDataRole.UserRole)
        board = item.data(0, Qt.ItemDataRole.UserRole)

        self.runner.run(lambda s: boards.take_down(s, notice_id, board), lambda _r: self.refresh(),
                        lambda m: QMessageBox.warning(self, "未能记录", m),
                        changes=Changes.POSTINGS, origin=self)
