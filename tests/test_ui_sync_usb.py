"""同步 page: 从U盘导入县级回复… applies the county's signed reply file, or says why not."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_ui_sync import approve_one, sync_page  # noqa: E402

from app.county.answers import mark  # noqa: E402
from app.county.database import open_database  # noqa: E402
from app.county.intake import import_bundle  # noqa: E402
from app.county.keys import county_signer, register_by_name  # noqa: E402
from app.county.reply_files import write_reply_file  # noqa: E402
from app.county.tokens import add_token, township_id  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.notices import drafts  # noqa: E402
from app.sync import exchange, signing  # noqa: E402

pytest_plugins = ["conftest_ui", "keyring_support"]
WAIT = 15_000


def test_the_county_reply_file_brings_the_return_to_the_page(
        configured_window, qtbot, tmp_path, no_keyring) -> None:
    nid = approve_one(configured_window.folder)
    page = sync_page(configured_window, qtbot)
    county = open_database(tmp_path / "county.sqlite3")
    add_token(county, "青石镇")
    with open_desk(configured_window.folder) as store:
        exchange.export_bundle(store, tmp_path / "报送.zip")
        register_by_name(county, "青石镇", store.get_setting(signing.DESK_KEY, ""), "张科长")
        signing.set_county_key(store, county_signer(county).public_text)
    import_bundle(county, tmp_path / "报送.zip")
    with county.read() as conn:
        town = township_id(conn, "青石镇")
    assert town is not None
    mark(county, town, nid, "returned", reason="公示期写错了，请改正后重报", staff="张科长")
    answers = tmp_path / "青石镇答复.zip"
    write_reply_file(county, "青石镇", answers)
    county.close()

    assert page.import_button.text() == "从U盘导入县级回复…"
    page.import_replies(str(answers))
    qtbot.waitUntil(lambda: "已导入县级答复 2 条" in page.done.text(), timeout=WAIT)
    assert "退回 1 条" in page.done.text()
    qtbot.waitUntil(lambda: page.in_flight.text() == "0 条", timeout=WAIT)
    with open_desk(configured_window.folder) as store:
        assert drafts.get_notice(store, nid).county_reason == "公示期写错了，请改正后重报"

    page.import_replies(str(tmp_path / "报送.zip"))  # the wrong file: one sentence, nothing lost
    qtbot.waitUntil(lambda: "不是县级平台导出的答复文件" in page.done.text(), timeout=WAIT)
