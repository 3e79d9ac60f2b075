from __future__ import annotations

from datetime import date

import pytest

from drivers.idcard.record import (
    NATIONS,
    CardDataError,
    id_check_digit,
    is_valid_id_number,
    parse_text_block,
)
from emulators.idcard.cards import EmulatedCard, encode_text_block


def card(**changes) -> EmulatedCard:
    values = dict(
        name="样卡甲", sex="2", nation="01", birth="19850312", address="演示省样例县测试路1号",
        id_number="411481198503122426", issuer="样例县公安局", valid_from="20160301", valid_to="20360301",
    )
    values.update(changes)
    return EmulatedCard(**values)


def test_gb11643_check_digit():
    # The standard's own example (GB 11643-1999 annex) and an X check character.
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("110105194913310020")  # month 13
    assert not is_valid_id_number("1101051949123100")


def test_the_56_nations_and_the_two_extra_codes():
    assert len([c for c in NATIONS if int(c) <= 56]) == 56
    assert NATIONS["01"] == "汉" and NATIONS["29"] == "柯尔克孜" and NATIONS["56"] == "基诺"
    assert NATIONS["97"] == "其他" and NATIONS["98"] == "外国血统中国籍人士"


def test_a_text_block_becomes_a_typed_record():
    record = parse_text_block(encode_text_block(card()), b"\x01" * 1024)
    assert record.name == "样卡甲"
    assert record.sex == "女" and record.nation == "汉"
    assert record.birth == date(1985, 3, 12)
    assert record.address == "演示省样例县测试路1号"
    assert record.id_number == "411481198503122426" and record.check_digit_ok
    assert record.issuer == "样例县公安局"
    assert record.valid_from == date(2016, 3, 1) and record.valid_to == date(2036, 3, 1)
    assert record.photo == b"\x01" * 1024
    assert record.problems(date(2026, 12, 5)) == ()
    # the record never shows the person in a log line
    assert "样卡甲" not in repr(record) and "411481198503122426" not in repr(record)
    assert "样卡甲" not in f"{record}"


def test_long_term_validity_and_expiry():
    forever = parse_text_block(encode_text_block(card(valid_to="长期")))
    assert forever.valid_to is None and not forever.expired(date(2099, 1, 1))
    assert forever.validity_text == "2016.03.01-长期"
    ending = parse_text_block(encode_text_block(card(valid_to="20261205")))
    assert not ending.expired(date(2026, 12, 5))  # valid through its last day
    assert ending.expired(date(2026, 12, 6))
    assert ending.problems(date(2026, 12, 6)) == ("expired",)
    assert ending.problems(date(2016, 2, 29)) == ("not_yet_valid",)


def test_a_wrong_check_digit_or_birth_date_is_a_problem():
    wrong = parse_text_block(encode_text_block(card(id_number="411481198503122427")))
    assert not wrong.check_digit_ok
    assert wrong.problems(date(2026, 1, 1)) == ("id_check_digit",)
    other_birth = parse_text_block(encode_text_block(card(birth="19850313")))
    assert other_birth.problems(date(2026, 1, 1)) == ("birth_mismatch",)


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"sex": "5"}, "sex"),
        ({"nation": "77"}, "nation"),
        ({"birth": "19851332"}, "calendar"),
        ({"valid_to": "2036"}, "YYYYMMDD"),
        ({"id_number": "41148119850312"}, "ID number"),
        ({"name": " "}, "name"),
    ],
)
def test_a_malformed_block_is_a_card_data_error(changes, problem):
    with pytest.raises(CardDataError, match=problem):
        parse_text_block(encode_text_block(card(**changes)))


def test_a_short_or_undecodable_block():
    with pytest.raises(CardDataError):
        parse_text_block(b"\x00" * 100)
    block = bytearray(encode_text_block(card()))
    block[0:2] = b"\x00\xd8"  # a lone UTF-16 surrogate
    with pytest.raises(CardDataError, match="UCS-2"):
        parse_text_block(bytes(block))
