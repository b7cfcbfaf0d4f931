"""The 考核自评 page: the score of a seeded 2026, its deductions with their records, a record
that opens its notice or request, and a rules file loaded (or refused) through the page."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_assess import RULES  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.assessment.assess import assess  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.info_requests import cases  # noqa: E402
from app.notices import boards, drafts, review  # noqa: E402
from ui.assess_page import AssessPage  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
TODAY = "2026-11-23"
WAIT = 10_000


@pytest.fixture
def seeded(configured_window, data_dir: Path) -> dict[str, str]:
    """A late notice, a notice posted without a photo, a request answered late."""
    with open_desk(data_dir) as store:
        review.set_review_steps(store, 1)
        late = drafts.create_notice(store, "snbt-002", formed="2026-02-02")
        approve_step(store, late.id, "王明")
        boards.post(store, late.id, "镇政务公开栏", "2026-03-20")
        request = cases.register(store, "张三", "自然人", "2026-03-02", "低保资金发放明细")
        cases.answer(store, request.id, "予以公开", None, on="2026-05-20")
    return {"late": late.id, "request": request.id}


def _page(window, qtbot) -> AssessPage:
    window.show_page("考核自评")
    page = window.page("考核自评")
    assert isinstance(page, AssessPage)
    qtbot.waitUntil(lambda: page.result is not None and not page.runner.busy(), timeout=WAIT)
    return page


def _top(page: AssessPage, key: str):
    for i in range(page.tree.topLevelItemCount()):
        item = page.tree.topLevelItem(i)
        if item.text(4) == key:
            return item
    raise AssertionError(key)


def test_the_page_shows_the_score_and_says_it_is_an_example(seeded, configured_window, qtbot,
                                                            data_dir) -> None:
    page = _page(configured_window, qtbot)
    with open_desk(data_dir) as store:
        expected = assess(store, 2026)
    assert page.score.text() == f"{expected.score:g} 分"
    assert "示例" in page.rules_line.text()
    assert page.tree.topLevelItemCount() == len(expected.indicators)
    timely = _top(page, "timely")
    assert timely.childCount() == 1 and timely.child(0).text(4) == seeded["late"]


def test_a_record_opens_its_notice_and_its_request(seeded, configured_window, qtbot) -> None:
    page = _page(configured_window, qtbot)
    timely = _top(page, "timely")
    page.tree.expandItem(timely)
    record = timely.child(0)
    rect = page.tree.visualItemRect(record)
    with qtbot.waitSignal(page.open_notice, timeout=WAIT) as opened:
        qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [seeded["late"]]
    editor = configured_window.notices
    qtbot.waitUntil(lambda: editor.state is not None
                    and editor.state.notice.id == seeded["late"], timeout=WAIT)
    assert configured_window.pages.currentWidget() is editor

    page = _page(configured_window, qtbot)
    late_request = _top(page, "request_late").child(0)
    with qtbot.waitSignal(page.open_request, timeout=WAIT) as opened:
        page.open_item(late_request)
    assert opened.args == [seeded["request"]]
    requests = configured_window.requests
    qtbot.waitUntil(lambda: requests.current() is not None
                    and requests.current().id == seeded["request"], timeout=WAIT)


def test_a_rules_file_loaded_through_the_page_scores_anew(seeded, configured_window, qtbot,
                                                         tmp_path) -> None:
    page = _page(configured_window, qtbot)
    bad = tmp_path / "bad.toml"
    bad.write_text(RULES.replace('"late_notices"', '"website"'), encoding="utf-8")
    with qtbot.waitSignal(page.rules_answered, timeout=WAIT) as answered:
        page.load_rules(bad)
    assert "website" in answered.args[0] and page.status.text() == answered.args[0]
    assert page.load_button.isEnabled() and "示例" in page.rules_line.text()

    good = tmp_path / "rules.toml"
    good.write_text(RULES, encoding="utf-8")
    with qtbot.waitSignal(page.rules_answered, timeout=WAIT):
        page.load_rules(good)
    qtbot.waitUntil(lambda: page.result is not None and not page.result.example
                    and not page.runner.busy(), timeout=WAIT)
    # The test rules: one late notice (2), ten film months missing (capped at 5), one
    # request answered late (6), one posting without a photo (1), the 2025 report (5).
    assert page.result.score == 100 - 2 - 5 - 6 - 1 - 5
    assert page.score.text() == "81 分" and "测试县" in page.rules_line.text()
    assert "示例" not in page.rules_line.text()


def test_the_year_chosen_is_the_year_scored(seeded, configured_window, qtbot) -> None:
    page = _page(configured_window, qtbot)
    page.year.setValue(2025)
    qtbot.waitUntil(lambda: page.result is not None and page.result.year == 2025
                    and not page.runner.busy(), timeout=WAIT)
    assert _top(page, "timely").childCount() == 0
    page.quarter.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.result.quarter == 1 and not page.runner.busy(), timeout=WAIT)
    assert "2025年第一季度" in page.rules_line.text()


def test_the_countys_rules_are_previewed_then_taken_on_the_page(seeded, configured_window,
                                                                qtbot, data_dir) -> None:
    from app.assessment.rules import active_rules
    from app.sync import rules_offers

    with open_desk(data_dir) as store:
        rules_offers.keep_offer(store, 1, "测试县乡镇政务公开考核细则", RULES, "http://县")
    page = _page(configured_window, qtbot)
    assert page.offer_bar.isVisibleTo(page) and "第1版" in page.offer_line.text()
    dialog = page.show_offer()
    assert dialog is not None and dialog.take_button.isEnabled()
    assert "新增：公开栏佐证（photo）" in dialog.changes.text()
    assert "每条扣5→2分" in dialog.changes.text()
    with qtbot.waitSignal(page.rules_answered, timeout=WAIT) as answered:
        dialog.take_button.click()
    assert "已采用" in answered.args[0]
    qtbot.waitUntil(lambda: page.result is not None and not page.result.example
                    and not page.runner.busy(), timeout=WAIT)
    assert not page.offer_bar.isVisibleTo(page) and page.score.text() == "81 分"
    with open_desk(data_dir) as store:
        assert active_rules(store).origin == "county:1"


def test_rules_the_desk_cannot_use_can_only_be_set_aside(seeded, configured_window, qtbot,
                                                         data_dir) -> None:
    from app.sync import rules_offers

    with open_desk(data_dir) as store:
        rules_offers.keep_offer(store, 2, "坏细则", "name = [", "http://县")
    page = _page(configured_window, qtbot)
    dialog = page.show_offer()
    assert dialog is not None and not dialog.take_button.isEnabled()
    assert "无法使用" in dialog.changes.text() and "TOML" in dialog.changes.text()
    with qtbot.waitSignal(page.rules_answered, timeout=WAIT) as answered:
        dialog.decline_button.click()
    assert "暂不采用" in answered.args[0]
    qtbot.waitUntil(lambda: not page.offer_bar.isVisibleTo(page) and not page.runner.busy(),
                    timeout=WAIT)
    assert "示例" in page.rules_line.text()
    with open_desk(data_dir) as store:
        assert rules_offers.taken_version(store) == 2
