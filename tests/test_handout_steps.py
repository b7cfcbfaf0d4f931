"""The steps of a 办理流程, read from the ways clerks write them (pure logic, no rendering)."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.printing.steps import find_flow, is_procedure

STEPS = ("申请", "入户调查", "民主评议", "公示", "审批", "发放")


@pytest.mark.parametrize("text", [
    "申请→入户调查→民主评议→公示→审批→发放",
    "申请 -> 入户调查 -> 民主评议 -> 公示 -> 审批 -> 发放",
    "1. 申请 2. 入户调查 3. 民主评议 4. 公示 5. 审批 6. 发放",
    "1、申请；2、入户调查；3、民主评议；4、公示；5、审批；6、发放。",
    "（1）申请（2）入户调查（3）民主评议（4）公示（5）审批（6）发放",
    "(一)申请；(二)入户调查；(三)民主评议；(四)公示；(五)审批；(六)发放",
    "①申请②入户调查③民主评议④公示⑤审批⑥发放",
    "第一步：申请。第二步：入户调查。第三步：民主评议。第四步：公示。第五步：审批。第六步：发放。",
    "1.申请\n2.入户调查\n3.民主评议\n4.公示\n5.审批\n6.发放",
])
def test_every_way_of_writing_steps_gives_the_same_steps(text) -> None:
    flow = find_flow(text, procedure=True)
    assert flow is not None and flow.steps == STEPS and not flow.lead and not flow.tail


def test_words_before_and_after_the_steps_are_kept() -> None:
    flow = find_flow("按以下流程办理：申请→审核→公示→发放。办理时限为20个工作日。")
    assert flow is not None
    assert flow.lead == "按以下流程办理：" and flow.tail == "办理时限为20个工作日。"
    assert flow.steps == ("申请", "审核", "公示", "发放")


def test_a_colon_inside_a_step_does_not_end_the_words_before_it() -> None:
    flow = find_flow("网上办理：登录https://zwfw.example.gov.cn→填表→8:30前提交")
    assert flow is not None and flow.lead == "网上办理："
    assert flow.steps == ("登录https://zwfw.example.gov.cn", "填表", "8:30前提交")


@pytest.mark.parametrize("text", [
    "户口簿、身份证、家庭收入和财产情况说明。",
    "人均收入低于每月700元、共2、3项的家庭。",
    "标准为1.5倍，2.5倍封顶。",
    "只有一步→",
    "",
])
def test_text_that_lists_no_steps_is_no_flow(text) -> None:
    assert find_flow(text, procedure=True) is None


def test_numbered_items_are_steps_only_in_a_section_about_applying() -> None:
    materials = "1. 户口簿 2. 身份证 3. 收入证明"
    assert find_flow(materials, procedure=False) is None
    assert find_flow(materials, procedure=True).steps == ("户口簿", "身份证", "收入证明")
    assert is_procedure("四、怎么办理") and is_procedure("办理流程") and is_procedure("申请程序")
    assert not is_procedure("五、要带什么材料")
    # Arrows and 第一步 say "steps" by themselves, in any section.
    assert find_flow("申请→审核", procedure=False).steps == ("申请", "审核")
    assert find_flow("第一步报名，第二步面试", procedure=False).steps == ("报名", "面试")


#: What a flow may drop: arrows, numbers, the punctuation between steps and spaces.
_DROPPABLE = re.compile(r"[\s\d一二三四五六七八九十第步①-⑳→⟶➔➜➡⇒=>\-—－＞.．、，,；;。:：()（）]")


def _kept(text: str) -> str:
    return _DROPPABLE.sub("", text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("申请审核公示发放材料1234（）()①②③第一二三步→。；，：、. \n")
                                + ["->", "第一步", "（1）", "2.", "①"]) | st.characters(),
                max_size=60).map("".join), st.booleans())
def test_any_text_reads_without_loss(text, procedure) -> None:
    flow = find_flow(text, procedure)
    if flow is None:
        return
    assert len(flow.steps) >= 2 and all(s.strip() for s in flow.steps)
    # Every step is the clerk's own words, in the order written ...
    at = 0
    for step in flow.steps:
        found = text.find(step, at)
        assert found >= 0, (step, text)
        at = found + len(step)
    # ... and joined back they are the text, less the arrows and numbers.
    assert _kept(flow.lead + "".join(flow.steps) + flow.tail) == _kept(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="申请审核公示发放领取补贴村镇县", min_size=1, max_size=12),
                min_size=2, max_size=12),
       st.sampled_from(["→", " -> ", "__n. ", "（__n）", "第__c步："]))
def test_steps_written_any_way_come_back(steps, style) -> None:
    numerals = "一二三四五六七八九十"
    parts = []
    for n, step in enumerate(steps, 1):
        chinese = numerals[n - 1] if n <= 10 else "十" + numerals[n - 11]
        mark = style.replace("__n", str(n)).replace("__c", chinese)
        parts.append(step if "→" in style or "->" in style else mark + step)
    joiner = style if ("→" in style or "->" in style) else "；"
    flow = find_flow(joiner.join(parts), procedure=True)
    assert flow is not None and flow.steps == tuple(steps)
