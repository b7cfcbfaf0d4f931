"""同步 page: queue shown, USB export, a dead network in one sentence, the button to press."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import socket  # noqa: E402
import time  # noqa: E402

from net_support import county_serving  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import drafts  # noqa: E402
from app.sync import http_client  # noqa: E402
from app.sync.bundle import read_bundle  # noqa: E402
from ui.sync_page import KEPT_ENCRYPTED, NO_KEYRING  # noqa: E402

pytest_plugins = ["conftest_ui", "keyring_support"]
WAIT = 15_000


def approve_one(folder) -> str:
    with open_desk(folder) as store:
        n = drafts.create_notice(store, "shjz-002", formed="2026-11-20")
        for reviewer in ("王明", "李华", "赵强"):
            approve_step(store, n.id, reviewer)
        return n.id


def sync_page(window, qtbot):
    window.show_page("同步")
    page = window.sync
    page.refresh()  # an earlier answer (from the window's first load) may still arrive first
    qtbot.waitUntil(lambda: page.queued.text() == "1 条", timeout=WAIT)
    return page


def test_queue_shows_and_usb_export_writes_the_batch(configured_window, qtbot, tmp_path) -> None:
    nid = approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    assert page.queued.text() == "1 条" and page.last_ok.text() == "从未"
    assert "尚未设置" in page.server_label.text()
    out = tmp_path / "报送.zip"
    page.export(str(out))
    qtbot.waitUntil(lambda: "已导出 1 条" in page.done.text(), timeout=WAIT)
    assert read_bundle(out).batch.notices[0].notice_id == nid
    qtbot.waitUntil(lambda: page.in_flight.text() == "1 条", timeout=WAIT)


def test_unreachable_county_is_one_sentence_and_keeps_the_queue(configured_window, qtbot,
                                                                monkeypatch) -> None:
    monkeypatch.setattr(http_client, "DEFAULT_RETRY", http_client.RetryPolicy(base=0.01))
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with open_desk(configured_window.folder) as store:
        store.set_settings({"sync.server": f"http://127.0.0.1:{port}"})
    monkeypatch.setenv("GONGKAI_COUNTY_TOKEN", "t" * 43)
    approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    ticks = []
    timer = qtbot_timer(ticks)
    page.sync_now()
    qtbot.waitUntil(lambda: "连不上县级平台" in page.done.text(), timeout=WAIT)
    timer.stop()
    assert page.sync_button.isEnabled()
    qtbot.waitUntil(lambda: "上次出错：连不上县级平台" in page.error.text(), timeout=WAIT)
    assert page.in_flight.text() == "1 条"  # frozen in its batch, nothing lost
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.25  # UI kept moving


def qtbot_timer(ticks: list):
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    return timer


def test_attach_pdf_box_shows_and_stores_the_setting(configured_window, qtbot) -> None:
    from app.sync import attached_sheets

    approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    assert not page.attach_pdf.isChecked()
    page.attach_pdf.setChecked(True)

    def stored() -> bool:
        with open_desk(configured_window.folder) as store:
            return attached_sheets.enabled(store)

    qtbot.waitUntil(stored, timeout=WAIT)
    page.refresh()
    qtbot.wait(200)
    assert page.attach_pdf.isChecked()


def test_connection_settings_reopen_with_what_was_saved(configured_window, qtbot) -> None:
    with open_desk(configured_window.folder) as store:
        store.set_settings({"sync.server": "https://gk.example.gov.cn",
                            "sync.ca_cert": "/etc/gongkai/county-ca.pem",
                            "sync.proxy": "http://10.0.0.1:8080"})
    approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    dialog = page.login()
    assert dialog.server.text() == "https://gk.example.gov.cn"
    assert dialog.ca_cert.text() == "/etc/gongkai/county-ca.pem"
    assert dialog.proxy.text() == "http://10.0.0.1:8080"
    dialog.reject()


def test_sync_before_connecting_names_the_button_never_a_command(configured_window, qtbot,
                                                                 no_keyring) -> None:
    approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    page.sync_now()
    qtbot.waitUntil(lambda: page.sync_button.isEnabled() and bool(page.done.text()),
                    timeout=WAIT)
    assert page.done.text() == "尚未连接县级平台，请点「连接设置…」填写平台地址和令牌。"
    # An address saved but no token kept anywhere (no keyring, no encrypted file): the same.
    with open_desk(configured_window.folder) as store:
        store.set_settings({"sync.server": "https://gk.example.gov.cn"})
    page.done.clear()
    page.sync_now()
    qtbot.waitUntil(lambda: page.sync_button.isEnabled() and bool(page.done.text()),
                    timeout=WAIT)
    assert "「连接设置…」" in page.done.text() and "gongkai" not in page.done.text()
    assert "gongkai" not in page.error.text()


def test_f5_reads_the_sync_page_again(configured_window, qtbot) -> None:
    approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    with open_desk(configured_window.folder) as store:
        store.set_settings({"sync.server": "https://gk.example.gov.cn"})
    assert "尚未设置" in page.server_label.text()
    qtbot.keyClick(page.returned, Qt.Key.Key_F5)  # the list ignores F5: it reaches the page
    qtbot.waitUntil(lambda: page.server_label.text() == "https://gk.example.gov.cn",
                    timeout=WAIT)


def test_without_a_keyring_connecting_says_the_token_is_kept_encrypted(
        configured_window, qtbot, no_keyring, tmp_path) -> None:
    approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    with county_serving(tmp_path / "county") as county:
        dialog = page.login()
        qtbot.waitUntil(dialog.keeping.isVisible, timeout=WAIT)
        assert dialog.keeping.text() == NO_KEYRING
        # One sentence, wrapped rather than cut at the dialog's edge.
        assert dialog.keeping.wordWrap()
        assert dialog.keeping.height() >= dialog.keeping.heightForWidth(dialog.keeping.width())
        dialog.server.setText(county.url)
        dialog.token.setText(county.token())
        dialog.save()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT)
        qtbot.waitUntil(lambda: "已连接县级平台" in page.done.text(), timeout=WAIT)
        assert page.done.text() == "已连接县级平台。" + KEPT_ENCRYPTED
        page.sync_now()  # the kept token carries the sync
        qtbot.waitUntil(lambda: "同步完成" in page.done.text(), timeout=WAIT)
        assert county.stats()["notices"] == 1


def test_a_解读_waiting_for_its_policy_says_so_beside_待报送(configured_window, qtbot) -> None:
    from app.notices import interpretation, review

    with open_desk(configured_window.folder) as store:
        review.set_review_steps(store, 1)
        parent = drafts.create_notice(store, "shjz-002", kind="公示").id
        interpretation.set_interpret(store, parent, True)
        made = drafts.create_notice(store, None, kind="解读", explains=parent, form="问答").id
        approve_step(store, made, "王明")
    configured_window.show_page("同步")
    page = configured_window.sync
    page.refresh()
    qtbot.waitUntil(lambda: "暂不报送" in page.queued.text(), timeout=WAIT)
    assert page.queued.text() == (
        "1 条（其中 1 条暂不报送：「《青石镇关于最低生活保障审核信息的公示》政策解读」"
        "等《青石镇关于最低生活保障审核信息的公示》审核通过后与它一同报送（政策文件与解读同步发布））")
