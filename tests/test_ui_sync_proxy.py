"""连接设置 with a proxy password: kept with the token, and a failed 连接 changes nothing."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from net_support import ForwardProxy, county_serving  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.sync import credentials  # noqa: E402

pytest_plugins = ["conftest_ui", "keyring_support"]
WAIT = 15_000
PASSWORD = "secretpw"


def test_connect_through_a_dead_proxy_stays_open_and_saves_nothing(
        configured_window, qtbot, no_keyring, tmp_path) -> None:
    page = configured_window.sync
    with county_serving(tmp_path / "county") as county:
        dialog = page.login()
        dialog.server.setText(county.url)
        dialog.token.setText(county.token())
        dialog.proxy.setText(f"http://u:{PASSWORD}@127.0.0.1:9")
        dialog.save()
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT)
        assert dialog.isVisible() and "代理" in dialog.message.text()
        # What was typed is still there to correct; nothing reached the settings.
        assert dialog.proxy.text() == f"http://u:{PASSWORD}@127.0.0.1:9"
        with open_desk(configured_window.folder) as store:
            assert store.get_setting("sync.proxy") is None
            assert store.get_setting("sync.server") is None
        dialog.reject()


def test_connect_through_a_proxy_keeps_its_password_out_of_the_settings(
        configured_window, qtbot, no_keyring, tmp_path) -> None:
    page = configured_window.sync
    with county_serving(tmp_path / "county") as county, \
            ForwardProxy(auth=("u", PASSWORD)) as proxy:
        dialog = page.login()
        dialog.server.setText(county.url)
        dialog.token.setText(county.token())
        dialog.proxy.setText(f"http://u:{PASSWORD}@127.0.0.1:{proxy.port}")
        dialog.save()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT)
        # The login and the signing key it registers both went through the proxy.
        assert proxy.refused == 0 and proxy.paths() == ["/api/v1/hello", "/api/v1/township-key"]
        bare = f"http://u@127.0.0.1:{proxy.port}"
        with open_desk(configured_window.folder) as store:
            assert store.get_setting("sync.proxy") == bare
        assert credentials.proxy_with_password(bare) == \
            f"http://u:{PASSWORD}@127.0.0.1:{proxy.port}"
        # Reopened, the dialog shows the proxy without its password.
        qtbot.waitUntil(lambda: page.proxy == bare, timeout=WAIT)
        again = page.login()
        assert again.proxy.text() == bare
        again.reject()
