"""The privacy guard: what is personal data, what is not, and how it is masked."""

import pytest

from app.notices.privacy import (
    find_personal_data,
    line_and_column,
    luhn,
    mask,
    valid_id15,
    valid_id18,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """A real-looking ID number: the check digit computed as GB 11643 says."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def make_card(prefix: str, length: int = 19) -> str:
    """A Luhn-valid card number."""
    body = prefix.ljust(length - 1, "0")
    for check in "0123456789":
        if luhn(body + check):
            return body + check
    raise AssertionError


ID_A = make_id("34010219800101301")
ID_X = next(i for n in range(1000) if (i := make_id(f"34010219750601{n:03d}")).endswith("X"))
CARD = make_card("622202")


def kinds(text: str, phones: tuple[str, ...] = ()) -> list[str]:
    return [f.kind for f in find_personal_data(text, phones)]


def test_id_numbers_are_validated() -> None:
    assert valid_id18(ID_A) and valid_id18(ID_X.lower())
    broken = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    assert not valid_id18(broken)
    assert not valid_id18(make_id("34010219801301301"))  # month 13
    assert valid_id15("340102800101301") and not valid_id15("340102801301301")


def test_finds_each_kind_where_it_stands() -> None:
    text = (f"张三，身份证{ID_A}，电话138 1234 5678\n"
            f"李四 {ID_X} 银行卡 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}\n"
            "王五 旧证 340102800101301 手机 +86-139-8765-4321 住址 青石镇东山村3组12号")
    found = find_personal_data(text)
    assert [f.kind for f in found] == ["id_card", "mobile", "id_card", "bank_card",
                                       "old_id_card", "mobile", "address"]
    first = found[0]
    assert text[first.start:first.end] == ID_A
    assert line_and_column(text, found[2].start)[0] == 2


def test_masks_the_way_notices_do() -> None:
    text = f"{ID_A} 13812345678 {CARD} 青石镇东山村3组12号 幸福路18号2栋301室"
    masked = mask(text)
    assert ID_A[:4] + "*" * 10 + ID_A[-4:] in masked
    assert "138****5678" in masked
    assert CARD[:4] + "*" * (len(CARD) - 8) + CARD[-4:] in masked
    assert "青石镇东山村****" in masked and "12号" not in masked
    assert find_personal_data(masked) == []


def test_not_personal_data() -> None:
    text = ("依据《最低生活保障审核确认办法》（民发〔2021〕57号），2026年11月23日起公示，"
            "月保障金额 680.00 元，合计 123456.78 元，文号 皖政办〔2026〕15号，"
            "日期 2026-11-23，户数 20260101，邮编 230000，座机 0551-62345678。")
    assert kinds(text) == []


def test_published_phone_is_never_masked() -> None:
    text = "监督电话：138 0000 1234；咨询：13900001234"
    assert kinds(text, ("13800001234",)) == ["mobile"]
    assert mask(text, published_phones=("138-0000-1234",)).startswith("监督电话：138 0000 1234")


@pytest.mark.parametrize("number", ["13812345678", "138-1234-5678", "138 1234 5678",
                                    "+8613812345678", "+86 138 1234 5678", "008613812345678"])
def test_mobile_spellings(number: str) -> None:
    assert kinds(f"联系人电话{number}。") == ["mobile"]


def test_digits_inside_longer_numbers_are_left_alone() -> None:
    assert kinds("订单号 A13812345678B 和 1381234567890123") == []


def test_an_id_number_with_a_mistyped_check_digit_is_still_masked() -> None:
    real = make_id("34012319560312452")
    wrong = real[:17] + ("0" if real[17] != "0" else "1")
    assert kinds(f"张桂兰\t{wrong}\t东山村") == ["id_card"]
    # Eighteen digits that cannot be a birth date are left alone (an order number).
    assert kinds("订单号 340123999999999999") == []
