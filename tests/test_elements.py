"""Which 要素 a body covers, read the way clerks write: headings, paragraphs and pasted 名单."""

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.item import CatalogItem
from app.catalog.items import DEFAULT_CATALOG, get_item, read_catalog_json
from app.desk import open_desk
from app.notices import drafts
from app.notices.text import (
    body_outline,
    element_covered,
    is_column_element,
    join_words,
    missing_elements,
    title_for,
)

pytestmark = pytest.mark.usefixtures("pinned_today")

ISSUER, PHONE = "青石镇人民政府", "0551-62345678"
DEFAULT_ITEMS = read_catalog_json(DEFAULT_CATALOG)[2]

#: A 低保 名单 as it comes out of Excel (tabs), WPS (spaces), a web page (|) or a
#: full-width keyboard (｜): the header first, then the households.
ROSTERS = {
    "tab": "序号\t姓名\t身份证号码\t联系电话\t家庭人口\t保障金额（元/月）\t所在村\n"
           "1\t张三\t3401**********3012\t138****5678\t3\t1260\t东山村\n"
           "2\t李四\t3401**********1234\t139****0000\t2\t840\t西山村",
    "spaces": "序号  姓名    家庭人口  保障金额（元/月）  所在村\n"
              "1     张三    3         1260               东山村\n"
              "2     李四    2         840                西山村",
    "pipes": "| 序号 | 姓名 | 家庭人口 | 保障金额（元/月） | 所在村 |\n"
             "|---|---|---|---|---|\n"
             "| 1 | 张三 | 3 | 1260 | 东山村 |",
    "full-width": "序号｜户主姓名｜家庭成员｜月保障金额\n1｜张三｜3｜1260",
}


def roster_notice(heading: str, roster: str) -> str:
    return (f"根据《最低生活保障审核确认办法》，现将本季度低保情况公示如下：\n"
            f"一、{heading}：\n{roster}\n监督电话：{PHONE}")


@pytest.mark.parametrize("layout", ROSTERS)
@pytest.mark.parametrize(("item_id", "heading"), [
    ("shjz-002", "初审对象名单"),             # 初审对象名单、家庭人口、拟保障金额
    ("shjz-003", "低保对象名单及相关信息"),    # …名单及相关信息、申请人姓名、家庭成员数量、保障金额
])
def test_a_dibao_roster_under_its_heading_covers_its_elements(township, item_id, heading,
                                                              layout) -> None:
    item = get_item(township, item_id)
    body = roster_notice(heading, ROSTERS[layout])
    assert missing_elements(item.elements, body) == []
    # The same, through a saved draft in the real database.
    n = drafts.create_notice(township, item_id, body=body, formed="2026-11-20")
    assert drafts.check_notice(township, n.id).missing == []


@pytest.mark.parametrize("layout", ["tab", "pipes", "full-width"])
def test_a_roster_header_with_no_households_covers_nothing(store, layout) -> None:
    item = get_item(store, "shjz-003")
    header_only = roster_notice("低保对象名单及相关信息", ROSTERS[layout].splitlines()[0])
    assert missing_elements(item.elements, header_only) == item.elements


def test_a_roster_under_another_heading_still_covers_its_columns(store) -> None:
    item = get_item(store, "shjz-003")
    body = "现将名单公示如下：\n" + ROSTERS["tab"]
    # One 名单 in the item: a 名单 of people anywhere is it.
    assert missing_elements(item.elements, body) == []
    # Names with no 家庭人口 or 金额 column leave those 要素 open.
    names = "一、低保户名单：\n序号\t姓名\n1\t张三"
    assert missing_elements(item.elements, names) == ["家庭成员数量", "保障金额"]


def test_one_table_does_not_stand_for_two_rosters(store) -> None:
    item = get_item(store, "shjz-009")  # 特困人员名单、救助供养形式和标准、终止救助供养名单
    body = "一、特困人员名单：\n序号\t姓名\t供养形式\n1\t张三\t分散供养"
    assert missing_elements(item.elements, body) == ["救助供养形式和标准", "终止救助供养名单"]
    body += "\n二、终止救助供养名单：\n序号\t姓名\t终止原因\n1\t王五\t死亡"
    assert missing_elements(item.elements, body) == ["救助供养形式和标准"]


@pytest.mark.parametrize(("header", "element"), [
    ("户主姓名", "申请人姓名"), ("姓名", "对象姓名"), ("申请人", "户主姓名"),
    ("家庭人口（人）", "家庭成员数量"), ("家庭成员", "家庭成员数量"), ("人口数", "家庭成员数量"),
    ("保障金额（元/月）", "保障金额"), ("补助金额（元）", "补助标准"), ("补贴金额(元)", "补贴金额"),
    ("金额", "保障金额"), ("所在村", "所在村组"), ("村组", "所在村组"), ("住址", "所在村组"),
    ("身份证号", "身份证号码"), ("公民身份号码", "身份证号码"), ("补贴面积（亩）", "补贴面积"),
])
def test_a_column_speaks_for_the_element_it_means(header, element) -> None:
    table = f"序号\t{header}\n1\t张三"
    assert element_covered(element, table)
    assert not element_covered(element, f"序号\t{header}")  # no row: no column


def test_which_elements_are_columns_of_a_roster() -> None:
    for column in ("申请人姓名", "家庭成员数量", "拟保障金额", "所在乡镇和村", "补贴标准和金额",
                   "补贴对象", "房屋危险等级"):
        assert is_column_element(column), column
    # Amounts of a contract, a project's manager, the 名单 itself: no column of a 名单.
    for other in ("中标（成交）金额", "预算金额", "项目负责人姓名及证书", "初审对象名单",
                  "办理流程", "救助金额和发放方式"):
        assert not is_column_element(other), other


def test_an_empty_heading_does_not_count_but_one_with_lines_under_it_does() -> None:
    elements = ["救助金额", "救助事由"]
    assert missing_elements(elements, "一、救助金额：\n二、救助事由：\n监督电话：0551-1") \
        == elements
    # The 公示期 and 监督电话 lines are not what the heading above them says.
    assert not element_covered("救助事由", "一、救助事由：\n公示期：自张贴之日起7天。")
    written = "一、救助金额：\n每户一次性发放2000元。\n二、救助事由：因病致困。"
    assert missing_elements(elements, written) == []
    # Sub-headings with words under them fill the heading above.
    assert element_covered("低保对象名单", "一、低保对象名单：\n（一）东山村：张三、李四")


def test_the_outline_of_an_approval_list_has_one_table_stub(store) -> None:
    item = get_item(store, "shjz-003")
    outline = body_outline(item, "公示", ISSUER, PHONE)
    tables = [line for line in outline.splitlines() if "\t" in line]
    assert tables == ["序号\t申请人姓名\t家庭成员数量\t保障金额"]
    lines = outline.splitlines()
    assert lines[lines.index(tables[0]) - 1] == "一、低保对象名单及相关信息："
    for column in ("申请人姓名", "家庭成员数量", "保障金额"):
        assert f"、{column}：" not in outline
    # Drafted, nothing is covered yet.
    assert missing_elements(item.elements, outline) == item.elements


def test_the_review_list_outline_keeps_its_own_headings_for_other_elements(store) -> None:
    item = get_item(store, "shjz-008")  # 初审对象名单及相关信息、拟供养形式、异议反映方式
    lines = body_outline(item, "公示", ISSUER, PHONE).splitlines()
    assert lines[1:4] == ["一、初审对象名单及相关信息：", "序号\t姓名\t拟供养形式",
                          "二、异议反映方式："]


def test_a_handout_outline_names_the_elements_in_plain_sections(store) -> None:
    item = get_item(store, "shjz-005")
    outline = body_outline(item, "明白纸", ISSUER, PHONE)
    assert outline.splitlines() == [
        "一、政策是什么：",
        "二、谁能享受（办理条件）：",
        "三、标准是多少（最低生活保障标准）：",
        "四、怎么办理（办理事项、办理流程、办理时间和地点）：",
        "五、要带什么材料（申请材料）：",
        f"六、找谁咨询（联系方式）：{ISSUER}",
        f"监督电话：{PHONE}",
    ]


_HEADING = re.compile(r"^[一二三四五六七八九十\d]+、.*[：:]$")


def fill_in(outline: str) -> str:
    """What a clerk does with an outline: a sentence under each heading, a row in each table."""
    lines = outline.splitlines()
    out = []
    for n, line in enumerate(lines):
        under = lines[n + 1] if n + 1 < len(lines) else ""
        if _HEADING.match(line) and "\t" not in under:
            out.append(line + "具体内容已经核实写明。")
        elif "\t" in line:
            out += [line, "\t".join(["1"] + ["示例"] * (line.count("\t")))]
        else:
            out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Iterator:
    """One data folder with the default catalog, shared by the per-item tests."""
    store = open_desk(tmp_path_factory.mktemp("data"))
    yield store
    store.close()


@pytest.mark.parametrize("kind", ["明白纸", "公示", "公告", "通知"])
@pytest.mark.parametrize("item_id", [i.id for i in DEFAULT_ITEMS])
def test_an_outline_filled_in_covers_every_element(catalog, item_id, kind) -> None:
    item = get_item(catalog, item_id)
    outline = body_outline(item, kind, ISSUER, PHONE)
    assert missing_elements(item.elements, fill_in(outline)) == []


#: The characters that matter to the reader: heading marks, colons, separators, field words.
PIECES = list("一二、：:（）()|｜\t \u3000\n1.姓名金额名单序号张三，。-")


@settings(max_examples=300, deadline=None)
@given(body=st.text(alphabet=st.sampled_from(PIECES)) | st.text(),
       elements=st.lists(st.text(max_size=12), max_size=5))
def test_garbage_never_raises(body, elements) -> None:
    missing = missing_elements(elements, body)
    assert set(missing) <= set(elements)
    assert all(isinstance(element_covered(e, body, elements), bool) for e in elements)


def item(level1: str, level2: str) -> CatalogItem:
    return CatalogItem(id="x-1", domain="社会救助", seq=1, level1=level1, level2=level2)


@pytest.mark.parametrize(("level1", "level2", "kind", "title"), [
    ("政府采购", "采购意向", "公示", "青石镇关于政府采购意向的公示"),
    ("政府采购", "采购公告", "公告", "青石镇关于政府采购的公告"),
    ("农村集体产权交易", "交易结果", "公告", "青石镇关于农村集体产权交易结果的公告"),
    ("工程建设项目招标投标", "中标候选人公示", "公示",
     "青石镇关于工程建设项目招标投标中标候选人的公示"),
    ("居家社区养老服务", "服务站点和服务项目", "明白纸", "居家社区养老服务站点和服务项目明白纸"),
    ("最低生活保障", "审核信息", "公示", "青石镇关于最低生活保障审核信息的公示"),
])
def test_titles_say_no_word_twice_where_the_parts_meet(level1, level2, kind, title) -> None:
    assert title_for(item(level1, level2), kind, "青石镇") == title


def doubled_at(text: str, at: int) -> str:
    """The run of two or more characters that ends ``text[:at]`` and opens ``text[at:]``."""
    return next((text[at - k:at] for k in range(2, at + 1) if text[at - k:at] == text[at:at + k]),
                "")


words = st.text(alphabet=st.sampled_from(list("政府采购意向交易结果服务公示公告明白纸")),
                min_size=1, max_size=10)


@settings(max_examples=400, deadline=None)
@given(level1=words, level2=words, kind=st.sampled_from(["公示", "公告", "通知", "明白纸"]))
def test_no_title_doubles_a_word_at_the_join(level1, level2, kind) -> None:
    joined = join_words(level1, level2)
    assert joined.startswith(level1) and not doubled_at(joined, len(level1)), joined
    title = title_for(item(level1, level2), kind)
    subject = (title.removesuffix("明白纸") if kind == "明白纸"
               else title.removeprefix("关于").removesuffix(f"的{kind}"))
    assert joined.startswith(subject) or subject.startswith(level1), title
    assert not doubled_at(subject, len(level1)), title
    if kind == "明白纸":
        assert not doubled_at(title, len(subject)), title
