"""The 公开渠道 checklist in the notice editor, driven offscreen on a real data folder:
what each channel asks and whether it is done, 记录…, 撤销… and 生成…."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import boards, channels, drafts, review  # noqa: E402

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def _seed(folder: Path, approve: bool = True) -> str:
    with open_desk(folder) as store:
        review.set_review_steps(store, 1)
        notice = drafts.create_notice(store, "jy-005", formed="2026-11-16", kind="通知")
        if approve:
            approve_step(store, notice.id, "王明")
            boards.post(store, notice.id, "镇政务公开栏", "2026-11-17")
        return notice.id


def _open(window, qtbot, notice_id: str):
    page = window.notices
    window.show_page("公开信息")
    box = page.channel_box
    with qtbot.waitSignal(box.shown, timeout=WAIT):
        page.open_notice(notice_id)
    return page, box


def _lines(box) -> dict[str, tuple[str, str]]:
    """channel line text → (status text, status colour)."""
    tree = box.tree
    return {tree.topLevelItem(i).text(0): (tree.topLevelItem(i).text(1),
                                           tree.topLevelItem(i).foreground(1).color().name())
            for i in range(tree.topLevelItemCount())}


def _choose(box, starts: str) -> None:
    tree = box.tree
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0).startswith(starts):
            tree.setCurrentItem(tree.topLevelItem(i))
            return
    raise AssertionError(starts)


def test_checklist_record_and_withdraw(configured_window, data_dir, qtbot, monkeypatch) -> None:
    from ui import channel_box

    notice = _seed(data_dir)
    _page, box = _open(configured_window, qtbot, notice)
    lines = _lines(box)
    assert list(lines) == ["政府网站 · 网站", "两微一端 · 图文", "广播电视 · 广播稿",
                           "政务服务中心 · 查阅文本", "便民服务站 · 查阅文本",
                           "公示栏（电子屏） · 张贴稿、屏幕页"]
    assert lines["广播电视 · 广播稿"] == ("☐ 未记录", channel_box.MISSING)
    assert lines["政府网站 · 网站"][0] == "☐ 待县级平台发布"
    assert lines["公示栏（电子屏） · 张贴稿、屏幕页"] == (
        "☑ 已完成（目录未要求）：镇政务公开栏：2026-11-17张贴", channel_box.DONE)
    # The first channel the clerk can record and has not is chosen.
    assert box.tree.currentItem().text(0) == "两微一端 · 图文"
    assert box.make_button.text() == "生成两微一端图文…" and box.make_button.isEnabled()
    _choose(box, "政府网站")
    assert not box.record_button.isEnabled() and not box.make_button.isEnabled()

    _choose(box, "广播电视")
    assert box.make_button.text() == "生成广播稿…"

    def fill(dialog) -> int:
        assert "村" in dialog.problem()  # the village is needed
        dialog.place.setText("东山村")
        assert not dialog.problem()
        return channel_box.RecordDialog.DialogCode.Accepted

    monkeypatch.setattr(channel_box.RecordDialog, "exec", fill)
    with qtbot.waitSignal(box.shown, timeout=WAIT):
        box.record_button.click()
    assert box.message.text().startswith("已记录：广播电视 2026-11-23　东山村")
    assert _lines(box)["广播电视 · 广播稿"] == ("☑ 已完成：2026-11-23　东山村", channel_box.DONE)
    with open_desk(data_dir) as store:
        duty = next(d for d in channels.channel_duties(store, notice)
                    if d.channel == "广播电视")
        assert [r.place for r in duty.records] == ["东山村"]

    # 撤销…: the record's own line, a reason, and it no longer counts.
    line = next(box.tree.topLevelItem(i) for i in range(box.tree.topLevelItemCount())
                if box.tree.topLevelItem(i).text(0).startswith("广播电视"))
    box.tree.setCurrentItem(line.child(0))
    assert box.withdraw_button.isEnabled()
    monkeypatch.setattr(channel_box.ReasonDialog, "exec", lambda d: (
        d.reason.setText("播出的是西河村"), channel_box.ReasonDialog.DialogCode.Accepted)[1])
    with qtbot.waitSignal(box.shown, timeout=WAIT):
        box.withdraw_button.click()
    assert box.message.text() == "已撤销第1条渠道记录。"
    assert _lines(box)["广播电视 · 广播稿"][0] == "☐ 未记录"
    line = next(box.tree.topLevelItem(i) for i in range(box.tree.topLevelItemCount())
                if box.tree.topLevelItem(i).text(0).startswith("广播电视"))
    assert line.child(0).text(1).startswith("（已更正或撤销）2026-11-23")


def test_refused_record_says_why(configured_window, data_dir, qtbot, monkeypatch) -> None:
    from ui import channel_box

    notice = _seed(data_dir)
    _page, box = _open(configured_window, qtbot, notice)
    _choose(box, "两微一端")

    def fill(dialog) -> int:
        dialog.url.setText("mp.weixin.qq.com/s/abc")  # no http(s)://
        return channel_box.RecordDialog.DialogCode.Accepted

    monkeypatch.setattr(channel_box.RecordDialog, "exec", fill)
    with qtbot.waitSignal(box.answered, timeout=WAIT):
        box.record_button.click()
    assert "http" in box.message.text() and box.message.isVisible()
    assert "#b00020" in box.message.styleSheet()


def test_make_buttons_run_in_the_background(configured_window, data_dir, qtbot, monkeypatch,
                                            tmp_path) -> None:
    from ui import channel_box

    notice = _seed(data_dir)
    _page, box = _open(configured_window, qtbot, notice)
    folder = tmp_path / "图文"
    folder.mkdir()
    monkeypatch.setattr(channel_box, "choose_folder", lambda *_a: str(folder))
    _choose(box, "两微一端")
    with qtbot.waitSignal(box.answered, timeout=30_000):
        box.make_button.click()
    assert box.message.text().startswith("已生成两微一端图文（2个文件）")
    pictures = sorted(folder.glob("*.png"))
    assert len(pictures) == 1 and Image.open(pictures[0]).width == 1080
    assert (folder / (pictures[0].name.split("-第")[0] + ".txt")).exists()
    # The 广播稿 and the screen pages are written by their own parts; until they are, the
    # button says so in one sentence instead of failing.
    target = tmp_path / "广播稿.docx"
    monkeypatch.setattr(channel_box, "save_file", lambda *_a: str(target))
    _choose(box, "广播电视")
    with qtbot.waitSignal(box.answered, timeout=30_000):
        box.make_button.click()
    said = box.message.text()
    assert said.startswith("已生成广播稿") and target.exists() or (
        said == "这个版本的工作台还不能生成广播稿，请先用打印预览里的张贴稿。")


def test_a_draft_waits_for_approval(configured_window, data_dir, qtbot) -> None:
    notice = _seed(data_dir, approve=False)
    _page, box = _open(configured_window, qtbot, notice)
    lines = _lines(box)
    assert {status for status, _colour in lines.values()} == {"审核通过后公开"}
    assert not box.record_button.isEnabled() and not box.make_button.isEnabled()


def test_a_posting_made_in_the_editor_ticks_the_board(configured_window, data_dir, qtbot,
                                                      monkeypatch) -> None:
    from ui import notices_page

    with open_desk(data_dir) as store:
        review.set_review_steps(store, 1)
        notice = drafts.create_notice(store, "fp-009", formed="2026-11-16", kind="公示").id
        approve_step(store, notice, "王明")
    page, box = _open(configured_window, qtbot, notice)
    assert _lines(box)["公示栏（电子屏） · 张贴稿、屏幕页"][0] == "☐ 未张贴"
    monkeypatch.setattr(notices_page.PostDialog, "exec",
                        lambda d: notices_page.PostDialog.DialogCode.Accepted)
    with qtbot.waitSignal(box.shown, timeout=WAIT):
        page.post_button.click()
    qtbot.waitUntil(lambda: _lines(box)["公示栏（电子屏） · 张贴稿、屏幕页"][0].startswith(
        "☑ 已完成：镇政务公开栏：2026-11-23张贴"), timeout=WAIT)
    assert _lines(box)["入户/现场 · 明白纸"][0] == "☐ 未记录"


def test_the_due_line_opens_the_notice(configured_window, data_dir, qtbot) -> None:
    with open_desk(data_dir) as store:
        review.set_review_steps(store, 1)
        notice = drafts.create_notice(store, "fp-009", formed="2026-11-10", kind="公示").id
        approve_step(store, notice, "王明")
        boards.post(store, notice, "镇政务公开栏", "2026-11-16")
    window = configured_window
    window.refresh()
    dash = window.dashboard
    qtbot.waitUntil(lambda: any(dash.due_list.topLevelItem(i).text(0) == "渠道未完成"
                                for i in range(dash.due_list.topLevelItemCount())),
                    timeout=WAIT)
    item = next(dash.due_list.topLevelItem(i) for i in range(dash.due_list.topLevelItemCount())
                if dash.due_list.topLevelItem(i).text(0) == "渠道未完成")
    assert "入户/现场尚未记录" in item.text(3)
    box = window.notices.channel_box
    with qtbot.waitSignal(box.shown, timeout=WAIT):
        dash.due_list.itemActivated.emit(item, 0)
    assert window.notices.state.notice.id == notice and box.notice_id == notice
    assert _lines(box)["入户/现场 · 明白纸"][0] == "☐ 未记录"
