"""同步: what waits for the county, what came back, and the two ways to send it.

The sync functions' refusals name the command line's commands for the command
line; everything run from here shows the window's own sentence instead
(:func:`in_window`), which names the button to press.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.store import Store
from app.sync import attached_sheets, catalog_offers, credentials, exchange, outbox, signing
from app.sync.http_client import in_window
from ui.import_dialog import ImportDialog
from ui.page import Page
from ui.tasks import Changes, Runner
from ui.widgets import dialog_buttons, open_file, save_file, say

NOTICE_ROLE = Qt.ItemDataRole.UserRole
NO_KEYRING = "本机没有可用的系统密钥环，令牌将加密保存在本机用户目录。"
KEPT_ENCRYPTED = "本机没有可用的系统密钥环，令牌已加密保存在本机用户目录。"
T = TypeVar("T")


def window_words(work: Callable[..., T]) -> Callable[..., T]:
    """``work`` refusing with the window's sentence, never one that names a command."""
    def run(*args: Any) -> T:
        try:
            return work(*args)
        except UserError as err:
            raise UserError(in_window(err), err.detail) from err

    return run


class LoginDialog(QDialog):
    """County server address, token (kept in the system keyring, or encrypted), CA, proxy."""

    def __init__(self, runner: Runner, server: str, parent: QWidget | None = None,
                 ca_cert: str = "", proxy: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("连接县级平台")
        self.runner = runner
        self.server = QLineEdit(server)
        self.server.setPlaceholderText("https://gongkai.县名.gov.cn")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("县里发给本乡镇的令牌")
        self.ca_cert = QLineEdit(ca_cert)
        self.ca_cert.setPlaceholderText("县里自己的 CA 证书（没有就不填）")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_cert, 1)
        ca_row.addWidget(browse)
        self.proxy = QLineEdit(proxy)
        self.proxy.setPlaceholderText("如 http://10.0.0.1:8080（没有就不填）")
        self.message = QLabel()
        self.message.setWordWrap(True)
        #: Where the token will be kept, said before the clerk types it (asked off the UI
        #: thread: finding out that there is no keyring can take a D-Bus timeout).
        self.keeping = QLabel()
        self.keeping.setWordWrap(True)
        self.keeping.setStyleSheet("color: #5a6673;")
        self.keeping.hide()
        self.kept: str = ""
        buttons, self.ok_button = dialog_buttons(self, "连接", "取消", self.save)
        form = QFormLayout(self)
        form.addRow("平台地址", self.server)
        form.addRow("令牌", self.token)
        form.addRow("CA 证书", ca_row)
        form.addRow("代理", self.proxy)
        form.addRow(self.keeping)
        form.addRow(self.message)
        form.addRow(buttons)
        self.setMinimumWidth(520)
        runner.compute(credentials.keyring_usable, self._keyring_known)

    def _keyring_known(self, usable: bool) -> None:
        self.keeping.setText("" if usable else NO_KEYRING)
        self.keeping.setVisible(not usable)

    def _choose_ca(self) -> None:
        path = open_file(self, "县里的 CA 证书", "证书 (*.pem *.crt *.cer);;所有文件 (*)")
        if path:
            self.ca_cert.setText(path)

    def save(self) -> None:
        """Check the token with the county in the background; close only when it works."""
        server, token = self.server.text().strip(), self.token.text()
        ca_cert, proxy = self.ca_cert.text().strip(), self.proxy.text().strip()
        self.ok_button.setEnabled(False)
        self.message.setText("正在连接……")

        @window_words
        def work(store: Store) -> dict:
            # Saved by login only after the county answered; a proxy password goes to the
            # keyring with the token, the setting keeps the address without it.
            return exchange.login(store, server, token, ca_cert=ca_cert, proxy=proxy)

        def done(hello: dict) -> None:
            self.kept = str(hello.get("token_kept", ""))
            self.accept()

        def failed(text: str) -> None:
            self.ok_button.setEnabled(True)
            say(self.message, text, error=True)

        self.runner.run(work, done, failed)


class SyncPage(Page):
    """Last sync, queued and in-flight notices, county returns, 立即同步 and 导出到U盘."""

    loaded = Signal()
    open_notice = Signal(str)
    #: Approving, editing or withdrawing a notice changes what waits for the county.
    cares = Changes.NOTICES

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.server = self.ca_cert = self.proxy = ""
        self._stop: threading.Event | None = None
        title = QLabel("同步")
        title.setObjectName("pageTitle")
        self.last_ok = QLabel()
        self.queued = QLabel()
        self.queued.setWordWrap(True)
        self.in_flight = QLabel()
        self.server_label = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        facts = QGroupBox("报送情况")
        grid = QGridLayout(facts)
        for row, (name, label) in enumerate((("县级平台", self.server_label),
                                             ("上次成功同步", self.last_ok),
                                             ("待报送", self.queued),
                                             ("报送中（等县里确认）", self.in_flight))):
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(label, row, 1)
        self.attach_pdf = QCheckBox("报送时附上每条信息的张贴稿 PDF（县级平台要求时勾选）")
        self.attach_pdf.toggled.connect(self._attach_pdf_toggled)
        grid.addWidget(self.attach_pdf, 4, 0, 1, 2)
        grid.addWidget(self.error, 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        self.sync_button = QPushButton("立即同步")
        self.sync_button.clicked.connect(self.sync_now)
        self.export_button = QPushButton("导出到U盘…")
        self.export_button.clicked.connect(lambda: self.export())
        self.import_button = QPushButton("从U盘导入县级回复…")
        self.import_button.clicked.connect(lambda: self.import_replies())
        self.login_button = QPushButton("连接设置…")
        self.login_button.clicked.connect(lambda: self.login())
        self.stop_button = QPushButton("停止")
        self.stop_button.setToolTip("停止这次同步；待报送的内容都保留，下次接着报送")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.done = QLabel()
        self.done.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.export_button, self.import_button,
                       self.login_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addWidget(self.progress, 1)

        self.offer_box = QGroupBox("县里发来的新目录")
        self.offer_label = QLabel()
        self.offer_label.setWordWrap(True)
        self.offer_button = QPushButton("查看并采用…")
        self.offer_button.clicked.connect(lambda: self.review_catalog())
        self.decline_button = QPushButton("暂不采用")
        self.decline_button.setToolTip("目录不作改动，县里也不再发来这一版")
        self.decline_button.clicked.connect(self.decline_catalog)
        offer_row = QHBoxLayout(self.offer_box)
        offer_row.addWidget(self.offer_label, 1)
        offer_row.addWidget(self.offer_button)
        offer_row.addWidget(self.decline_button)
        self.offer_box.hide()
        self.offer: dict | None = None
        self.catalog_dialog: ImportDialog | None = None

        returned_box = QGroupBox("县级退回（双击打开，点「修改后重新报审」修改，审核通过后"
                                 "再次报送）")
        self.returned = QListWidget()
        self.returned.itemDoubleClicked.connect(
            lambda item: self.open_notice.emit(item.data(NOTICE_ROLE)))
        QVBoxLayout(returned_box).addWidget(self.returned)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(facts)
        layout.addLayout(buttons)
        layout.addWidget(self.done)
        layout.addWidget(self.offer_box)
        layout.addWidget(returned_box, 1)
        self._busy = False

    def refresh(self) -> None:
        """Read the outbox and the county's answers in the background."""
        self.runner.run(outbox.sync_status, self._show)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """F5 reads the page again (a window-wide F5 shortcut, where there is one, comes first)."""
        if event.key() == Qt.Key.Key_F5:
            self.refresh()
            return
        super().keyPressEvent(event)

    def _show(self, status: outbox.SyncStatus) -> None:
        self.server = status.server
        self.ca_cert, self.proxy = status.ca_cert, status.proxy
        self.server_label.setText(status.server or "尚未设置（点“连接设置”，或用U盘报送）")
        self.last_ok.setText(status.last_ok.replace("T", " ")[:19] if status.last_ok
                             else "从未")
        held = [f"「{h['title']}」{h['why']}" for h in status.held]
        self.queued.setText(f"{status.queued} 条" + (
            f"（其中 {len(held)} 条暂不报送：{'；'.join(held)}）" if held else ""))
        self.queued.setToolTip("\n".join(held))
        self.in_flight.setText(f"{status.in_flight} 条")
        self.error.setText(f"上次出错：{status.last_error}" if status.last_error else "")
        self.attach_pdf.blockSignals(True)
        self.attach_pdf.setChecked(status.attach_pdf)
        self.attach_pdf.blockSignals(False)
        self.offer = status.catalog_offer
        if self.offer:
            self.offer_label.setText(
                f"县级平台目录第{self.offer['version']}版（{self.offer['items']} 项），"
                "采用前先预览它会新增、更新、停用哪些事项；在采用之前，本乡镇目录不会改动。")
        self.offer_box.setVisible(bool(self.offer))
        self.returned.clear()
        for entry in status.returned:
            item = QListWidgetItem(f"{entry['title']}　—　{entry['reason'] or '未说明理由'}")
            item.setToolTip(item.text())  # a long reason is cut at the list's edge
            item.setData(NOTICE_ROLE, entry["id"])
            self.returned.addItem(item)
        self.loaded.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.sync_button, self.export_button, self.import_button,
                       self.login_button):
            button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def sync_now(self) -> None:
        """Send what waits, then fetch the county's answers, in the background."""
        if self._busy:
            return
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self.done.setText("正在同步……")
        stop = self._stop = threading.Event()
        self.stop_button.setEnabled(True)
        self.stop_button.setVisible(True)

        @window_words
        def work(store: Store, report) -> tuple[exchange.PushReport, exchange.PullReport]:
            with exchange.connect(store, stop=stop) as client:
                pushed = exchange.push(store, client, report)
                return pushed, exchange.pull(store, client)

        def progress(done: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

        def finished(result: tuple[exchange.PushReport, exchange.PullReport]) -> None:
            pushed, pulled = result
            self._syncing_over()
            offered = (f"县里发来目录第{pulled.catalog_version}版，请查看后决定是否采用。"
                       if pulled.catalog_items else "")
            lists = pulled.problem_lists
            if lists.imported:
                offered += f"收到县里的问题清单{lists.imported}份，已列入整改页。"
            for refused in lists.refused:
                offered += (f"县里发来的问题清单「{refused['title'] or refused['filename']}」"
                            f"未能导入：{refused['reason']}")
            say(self.done, f"同步完成：报送 {pushed.notices} 条，收到县级答复 "
                f"{pulled.replies} 条（退回 {pulled.returned} 条）。{offered}")
            self.refresh()

        def failed(text: str) -> None:
            self._syncing_over()
            say(self.done, text, error=not stop.is_set())
            self.refresh()

        # A pull may bring the county's 测评问题清单 into 整改 (the plan's part).
        self.runner.run(work, finished, failed, progress, changes=Changes.COUNTY | Changes.PLAN,
                        origin=self)

    def stop(self) -> None:
        """Ask the running sync to stop at its next call or retry; nothing queued is lost.

        A request already on the wire is not cut: the page waits for it (at most
        one read timeout), so a new sync never overlaps the one stopping.
        """
        if self._stop is None:
            return
        self._stop.set()
        self.stop_button.setEnabled(False)
        self.done.setText("正在停止……")

    def _syncing_over(self) -> None:
        self._stop = None
        self.stop_button.setVisible(False)
        self._set_busy(False)

    def retry_if_waiting(self) -> None:
        """Sync now if a county is set and something waits (the window asks every ten minutes).

        The status is read afresh first: the page may have been built a moment ago.
        """
        def read(status: outbox.SyncStatus) -> None:
            self._show(status)
            if not self._busy and status.server and status.queued:
                self.sync_now()

        if not self._busy:
            self.runner.run(outbox.sync_status, read)

    def export(self, path: str | None = None) -> None:
        """Write everything waiting to a file for a USB stick."""
        if not path:
            path = save_file(self, "导出到U盘", "报送批次.zip", "报送批次 (*.zip)")
        if not path:
            return
        self._set_busy(True)
        self.progress.setRange(0, 0)

        def finished(batches: list) -> None:
            self._set_busy(False)
            count = sum(len(b.notices) for b in batches)
            say(self.done, f"已导出 {count} 条公开信息到 {Path(path).name}，"
                "请交县政务公开办导入。" if batches else "没有待报送的公开信息。")
            self.refresh()

        def failed(text: str) -> None:
            self._set_busy(False)
            say(self.done, text, error=True)

        self.runner.run(lambda s: exchange.export_bundle(s, Path(path)), finished, failed)

    def import_replies(self, path: str | None = None) -> None:
        """Apply the county's reply file brought on a USB stick (checked for the county's key)."""
        if not path:
            path = open_file(self, "从U盘导入县级回复", "县级答复 (*.zip)")
        if not path:
            return
        self._set_busy(True)
        self.progress.setRange(0, 0)

        def finished(done: signing.ImportedReplies) -> None:
            self._set_busy(False)
            say(self.done, f"已导入县级答复 {done.replies} 条（发布 {done.published} 条，"
                f"退回 {done.returned} 条），确认收到 {done.receipts} 个批次。"
                if done.replies or done.receipts else "这个答复文件里的县级答复此前都已收到。")
            self.refresh()

        def failed(text: str) -> None:
            self._set_busy(False)
            say(self.done, text, error=True)

        self.runner.run(lambda s: signing.import_replies(s, Path(path)), finished, failed,
                        changes=Changes.COUNTY, origin=self)

    def _attach_pdf_toggled(self, on: bool) -> None:
        self.runner.run(lambda s: attached_sheets.set_enabled(s, on), lambda _r: None,
                        self._failed_quietly)

    def review_catalog(self) -> None:
        """Preview the county's catalog revision; it is applied only when the clerk confirms.

        The offer is read in the background; the dialog then becomes ``catalog_dialog``.
        """
        if self._busy:
            return
        self._set_busy(True)

        def opened(offer: catalog_offers.CountyCatalog | None) -> None:
            self._set_busy(False)
            if offer is None:
                self.refresh()
                return
            box = ImportDialog(self.runner, offer, self, replace=True, confirm_text="采用")
            box.imported.connect(self._catalog_applied)
            box.open()
            self.catalog_dialog = box

        self.runner.run(catalog_offers.offered, opened, self._failed_quietly)

    def _catalog_applied(self) -> None:
        say(self.done, "已采用县里发来的目录。")
        self.refresh()

    def decline_catalog(self) -> None:
        """Set the county's revision aside; the catalog stays as it is."""
        def done(offer: catalog_offers.CountyCatalog) -> None:
            say(self.done, f"已搁置{offer.name}，目录未作改动。")
            self.refresh()

        self.runner.run(catalog_offers.decline, done, self._failed_quietly)

    def _failed_quietly(self, text: str) -> None:
        self._set_busy(False)
        say(self.done, text, error=True)
        self.refresh()

    def login(self) -> LoginDialog:
        """Open the connection settings."""
        dialog = LoginDialog(self.runner, self.server, self, self.ca_cert, self.proxy)
        dialog.accepted.connect(lambda: self._logged_in(dialog))
        dialog.open()
        return dialog

    def _logged_in(self, dialog: LoginDialog) -> None:
        say(self.done, "已连接县级平台。" + (KEPT_ENCRYPTED if dialog.kept == "encrypted_file"
                                       else ""))
        self.refresh()
