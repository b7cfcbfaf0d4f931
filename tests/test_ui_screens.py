"""设置 › 电子屏: the screens the clerk names, saved on their own, refused lines kept to fix."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.desk import open_desk  # noqa: E402
from app.printing.screen import list_screens  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def test_screens_box_saves_and_refuses_a_bad_line(configured_window, qtbot) -> None:
    configured_window.show_page("设置")
    box = configured_window.settings.screens
    with qtbot.waitSignal(box.loaded, timeout=WAIT):
        box.refresh()
    # The page's own read on showing may still be on its way: let it land before typing.
    qtbot.waitUntil(lambda: not configured_window.runner.busy(), timeout=WAIT)
    box.screens.setPlainText("镇大厅大屏 1920x1080\n村委会门口LED屏 七六八")
    box.save()
    qtbot.waitUntil(lambda: box.message.text() != "", timeout=WAIT)
    assert box.message.text() == "第2行应写成“名称 宽x高”，如：村委会门口LED屏 768x384。"
    assert "七六八" in box.screens.toPlainText()  # kept to fix
    box.screens.setPlainText("镇大厅大屏 1920X1080\n村委会门口LED屏   768x384\n")
    with qtbot.waitSignal(box.saved, timeout=WAIT):
        box.save()
    assert box.screens.toPlainText() == "镇大厅大屏 1920x1080\n村委会门口LED屏 768x384"
    with open_desk(configured_window.folder) as store:
        assert [(s.name, s.size.width, s.size.height) for s in list_screens(store)] == [
            ("镇大厅大屏", 1920, 1080), ("村委会门口LED屏", 768, 384)]
