"""公开时限 wording becomes a countable rule, or stays unknown — never guessed."""

import pytest

from app.catalog.timelimits import chinese_number, describe_rule, parse_time_limit


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("信息形成或变更之日起20个工作日内",
         {"kind": "workdays", "n": 20, "publicity": None}),
        ("制定或获取信息之日起10个工作日内，公示7个工作日",
         {"kind": "workdays", "n": 10, "publicity": {"n": 7, "unit": "workdays"}}),
        ("自 信息形成之日起 二十 个工作日内", {"kind": "workdays", "n": 20, "publicity": None}),
        ("经本级人民代表大会批准后20日内", {"kind": "days", "n": 20, "publicity": None}),
        ("批复后二十日内", {"kind": "days", "n": 20, "publicity": None}),
        ("每季度", {"kind": "periodic", "period": "quarter", "publicity": None}),
        ("按季度更新", {"kind": "periodic", "period": "quarter", "publicity": None}),
        ("每月10日前", {"kind": "periodic", "period": "month", "publicity": None}),
        ("每年3月底前", {"kind": "periodic", "period": "year", "publicity": None}),
        ("及时公开", {"kind": "immediate", "publicity": None}),
        ("实时更新", {"kind": "immediate", "publicity": None}),
        ("审核确认后及时公示，公示期为7天",
         {"kind": "immediate", "publicity": {"n": 7, "unit": "days"}}),
        ("公示期不少于7天", {"kind": "unknown", "publicity": {"n": 7, "unit": "days"}}),
        ("长期公开", {"kind": "continuous", "publicity": None}),
        ("常态化公开", {"kind": "continuous", "publicity": None}),
        ("按有关规定办理", {"kind": "unknown", "publicity": None}),
        ("", {"kind": "unknown", "publicity": None}),
        ("评审结果确定后5个工作日内公示，公示期不少于十五日",
         {"kind": "workdays", "n": 5, "publicity": {"n": 15, "unit": "days"}}),
        ("公示一周", {"kind": "unknown", "publicity": {"n": 7, "unit": "days"}}),
    ],
)
def test_time_limit_texts(text: str, rule: dict) -> None:
    assert parse_time_limit(text) == rule


@pytest.mark.parametrize(("text", "value"), [("七", 7), ("十", 10), ("十五", 15), ("二十", 20),
                                             ("三十", 30), ("二十一", 21)])
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


def test_unknown_rules_are_shown_as_unknown() -> None:
    assert "未能识别" in describe_rule(parse_time_limit("视情况而定"))
    assert describe_rule(parse_time_limit("20个工作日内，公示7个工作日")) == \
        "20个工作日内；公示期7个工作日"
