"""设置 as the clerk types it: one phone rule for every number, board names kept as typed,
each part of the workflow saved on its own, and who may pass each review step."""

import json
import re

import pytest
from tests_support import approve_step

from app.errors import UserError
from app.notices import boards, drafts, privacy, review, workflow
from app.phones import check_phone, is_phone, split_phones
from app.township import get_township, set_township

PHONES = [
    # Landlines with the area code, spaced and hyphenated as letterheads print them.
    "0531-8765 4321", "0531 87654321", "(0531)87654321", "（0531）8765-4321",
    "0531-87654321", "0531－87654321", "0531—87654321", "010-6543 2100", "05318765432",
    # Without the area code.
    "8765 4321", "876-5432",
    # Mobiles.
    "138 0013 8000", "13800138000", "138-0013-8000", "+86 138 0013 8000",
    # Extensions.
    "0551-62345678转801", "0551-62345678 转 801", "0551-62345678-801",
    "0551-62345678ext.801", "0551-62345678 ext 801", "0551-62345678分机801",
    # Hotlines and service numbers.
    "400-123-4567", "4001234567", "800 123 4567", "400-123-4567转2",
    "12345", "12315", "0551-12345", "110", "95598",
]
NOT_PHONES = ["电话号码", "0531-8765 4321 转", "1380013800", "138001380001", "0531--87654321",
              "0531-8765  4321a", "12345678901234", "转801", "(0531", "400-12-4567", "-", ""]


@pytest.mark.parametrize("phone", PHONES)
def test_the_phone_rule_takes_what_letterheads_print(phone) -> None:
    assert is_phone(phone)
    assert check_phone(phone, "办公电话") == phone  # kept as typed


@pytest.mark.parametrize("text", NOT_PHONES)
def test_anything_else_is_refused_by_name(text) -> None:
    assert not is_phone(text)
    shown = re.escape(" ".join(text.split()))
    with pytest.raises(UserError, match=f"^办公电话：「{shown}」不是电话号码。$"):
        check_phone(text, "办公电话")


def test_only_spaces_are_tidied() -> None:
    assert check_phone("  0531-8765\u3000\u30004321 ", "监督电话") == "0531-8765 4321"
    assert check_phone("０５３１-87654321", "监督电话") == "0531-87654321"  # full-width digits


def test_a_list_splits_on_commas_never_inside_a_number() -> None:
    assert split_phones("0531-8765 4321，12345、138 0013 8000", "办公电话") == [
        "0531-8765 4321", "12345", "138 0013 8000"]
    # Spaces between whole numbers still separate them, as the old box did.
    assert split_phones("0551-62345000 12345\n12345", "办公电话") == ["0551-62345000", "12345"]
    with pytest.raises(UserError, match="办公电话：「0551-6234 电话」不是电话号码"):
        split_phones("12345，0551-6234 电话", "办公电话")


def test_township_and_office_numbers_follow_the_same_rule(township) -> None:
    """Today 「0531-8765 4321」 was taken as 监督电话 and refused as an office number."""
    typed = "0531-8765 4321"
    assert set_township(township, "青石镇", "东山县", typed).phone == typed
    assert workflow.set_office_phones(township, typed) == [typed]
    assert workflow.get_workflow(township).office_phones == [typed]
    for bad in ("0531-8765 43", "电话"):
        with pytest.raises(UserError, match=f"监督电话：「{bad}」不是电话号码"):
            set_township(township, "青石镇", "东山县", bad)
        with pytest.raises(UserError, match=f"办公电话：「{bad}」不是电话号码"):
            workflow.set_office_phones(township, bad)
    assert get_township(township).phone == typed  # refused, nothing changed


def test_published_numbers_as_typed_are_not_masked(township) -> None:
    workflow.set_office_phones(township, "138 0013 8000，0531-8765 4321")
    # Stored comma-separated, as drafts.published_phones reads them.
    assert township.get_setting("office_phones") == "138 0013 8000,0531-8765 4321"
    published = drafts.published_phones(township)
    assert "138 0013 8000" in published
    text = "咨询电话：13800138000；举报电话：138-0013-8000；联系人手机：13912345678。"
    masked = privacy.mask(text, published_phones=published)
    assert "13800138000" in masked and "138-0013-8000" in masked
    assert "139****5678" in masked


# -- board names ------------------------------------------------------------------------

BOARD_NAMES = [
    # typed                 stored board               shown in 设置
    ("西岭村", "西岭村村务公开栏", "西岭村"),
    ("东河村村务公开栏", "东河村村务公开栏", "东河村"),
    ("西岭村公示栏", "西岭村公示栏", "西岭村公示栏"),
    ("南岭", "南岭村村务公开栏", "南岭村"),
    ("幸福社区", "幸福社区居务公开栏", "幸福社区"),
    ("幸福社区居务公开栏", "幸福社区居务公开栏", "幸福社区"),
    ("巴彦嘎查", "巴彦嘎查村务公开栏", "巴彦嘎查"),
    ("东河村电子屏", "东河村电子屏", "东河村电子屏"),
]


@pytest.mark.parametrize(("typed", "stored", "shown"), BOARD_NAMES)
def test_board_names_are_kept_as_typed(township, typed, stored, shown) -> None:
    assert boards.board_name(boards.village_name(stored)) == stored  # shown, saved: same board
    assert workflow.set_villages(township, typed) == [shown]
    assert [b.name for b in boards.list_boards(township) if b.kind == "village"] == [stored]
    # Saving what 设置 shows again keeps the very same board.
    before = {b.name: b.id for b in boards.list_boards(township)}
    workflow.set_villages(township, shown)
    assert {b.name: b.id for b in boards.list_boards(township)} == before


def test_a_board_named_the_old_way_keeps_its_postings(township) -> None:
    """Boards saved before this change were named 西岭村务公开栏 for 西岭村."""
    boards.list_boards(township)  # the township's own board comes first
    with township.transaction() as conn:
        conn.execute("INSERT INTO boards (name, kind, position, created_at)"
                     " VALUES ('西岭村务公开栏', 'village', 1, '2026-01-01T00:00:00')")
    assert workflow.get_workflow(township).villages == ["西岭村"]
    workflow.set_villages(township, "西岭村\n东河村")
    assert [b.name for b in boards.list_boards(township)] == [
        "镇政务公开栏", "西岭村务公开栏", "东河村村务公开栏"]
    review.set_review_steps(township, 1)
    notice = drafts.create_notice(township, "shjz-002", formed="2026-11-02")
    approve_step(township, notice.id, "王明")
    boards.post(township, notice.id, "西岭村", "2026-11-05")
    assert drafts.get_notice(township, notice.id).postings[0]["board"] == "西岭村务公开栏"
    # Typing the board's full name is how the clerk renames it.
    workflow.set_villages(township, "西岭村村务公开栏\n东河村")
    assert [b.name for b in boards.list_boards(township)] == [
        "镇政务公开栏", "西岭村村务公开栏", "东河村村务公开栏"]


# -- each part on its own ---------------------------------------------------------------

def test_a_refused_number_holds_back_nothing_else(township) -> None:
    workflow.set_office_phones(township, "12345")
    review.set_review_steps(township, 2)
    assert workflow.set_villages(township, "西岭村\n东河村") == ["西岭村", "东河村"]
    with pytest.raises(UserError, match="办公电话：「0531-8765」不是电话号码"):
        workflow.set_office_phones(township, "0531-8765 4321，0531-8765")
    flow = workflow.get_workflow(township)
    assert flow.villages == ["西岭村", "东河村"] and flow.review_steps == 2
    assert flow.office_phones == ["12345"]


def test_set_workflow_still_saves_all_or_nothing(township) -> None:
    flow = workflow.set_workflow(township, 2, "西岭村", "0531-8765 4321")
    assert flow == workflow.Workflow(2, ["西岭村"], ["0531-8765 4321"])
    with pytest.raises(UserError, match="办公电话"):
        workflow.set_workflow(township, 3, "东河村", "0531-8765")
    assert workflow.get_workflow(township) == flow


# -- who may pass each step ------------------------------------------------------------

def test_reviewers_default_to_none_named(township) -> None:
    assert workflow.get_reviewers(township) == ({"初审": [], "审核": [], "审发": []}, False)


def test_reviewers_are_stripped_deduplicated_and_stored_as_json(township) -> None:
    workflow.set_reviewers(township, {"初审": [" 王明 ", "王明", "", "赵丽"], "审发": ["张强"]},
                           True)
    assert workflow.get_reviewers(township) == (
        {"初审": ["王明", "赵丽"], "审核": [], "审发": ["张强"]}, True)
    assert json.loads(township.get_setting("review.reviewers")) == {
        "初审": ["王明", "赵丽"], "审核": [], "审发": ["张强"]}
    assert township.get_setting("review.one_reviewer") == "1"
    workflow.set_reviewers(township, {"审核": ["李华"]}, False)
    assert workflow.get_reviewers(township) == ({"初审": [], "审核": ["李华"], "审发": []}, False)


def test_a_name_too_long_is_refused_naming_the_step(township) -> None:
    with pytest.raises(UserError, match="^审核：审核人「长+」太长了"):
        workflow.set_reviewers(township, {"初审": ["王明"], "审核": ["长" * 21]}, False)
    with pytest.raises(UserError, match="没有「复核」这一审核步骤"):
        workflow.set_reviewers(township, {"复核": ["王明"]}, False)
    assert workflow.get_reviewers(township) == ({"初审": [], "审核": [], "审发": []}, False)


def test_the_review_box_saves_steps_and_reviewers_together(township) -> None:
    workflow.set_review(township, 2, {"初审": workflow.split_names("王明，赵丽、王明")}, False)
    assert review.review_steps(township) == ("初审", "审核")
    assert workflow.get_reviewers(township)[0]["初审"] == ["王明", "赵丽"]
    with pytest.raises(UserError, match="审发"):
        workflow.set_review(township, 3, {"审发": ["长" * 30]}, True)
    assert review.review_steps(township) == ("初审", "审核")  # one transaction
