"""Masking (BRIEF §4: 张*三 / 李*, ID with first and last digit, 138****5678) and the keyed hash."""

from __future__ import annotations

import os
import stat

import pytest

from kiosk.privacy import (
    KEY_FILE_NAME,
    PrivacyKey,
    PrivacyKeyError,
    id_number_problem,
    mask_id_number,
    mask_name,
    mask_phone,
)


@pytest.mark.parametrize(
    "name, masked",
    [("张小三", "张*三"), ("李四", "李*"), ("欧阳小明", "欧**明"), ("王", "*"), (" 赵桂兰 ", "赵*兰"), ("", ""), ("张*三", "张*三")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_id_number_keeps_only_the_first_and_last_character():
    assert mask_id_number("41148119900101123x") == "4****************X"
    assert mask_id_number("4114 8119 9001 0112 34") == "4****************4"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    "phone, masked",
    [("13812345678", "138****5678"), ("+86 138-1234-5678", "138****5678"), ("0370-5138111", "037****8111"), ("037051381112", "037*****1112"), ("12345", "***45"), ("", "")],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_id_number_check_digit():
    assert id_number_problem("11010519491231002X") is None  # the standard's own example
    assert "check digit" in id_number_problem("110105194912310021")
    assert "18-character" in id_number_problem("1101051949123100")


def test_key_file_is_created_once_with_mode_0600(tmp_path):
    first = PrivacyKey.load_or_create(tmp_path)
    path = tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    content = path.read_text()
    second = PrivacyKey.load_or_create(tmp_path)
    assert path.read_text() == content, "an existing key is never replaced"
    assert first.hash_phone("13812345678") == second.hash_phone("138 1234 5678")
    assert content.strip() not in repr(first)


def test_the_hash_depends_on_the_key_and_is_not_the_value(tmp_path):
    one = PrivacyKey.load_or_create(tmp_path / "a")
    two = PrivacyKey.load_or_create(tmp_path / "b")
    value = "41148119900101123X"
    assert one.hash_id_number(value) != two.hash_id_number(value)
    assert value not in one.hash_id_number(value) and len(one.hash_id_number(value)) == 64
    assert one.hash_id_number(value) == one.hash_id_number(value.lower())
    assert one.hash("id", "x") != one.hash("phone", "x")


def test_a_damaged_key_file_is_an_error_not_a_new_key(tmp_path):
    (tmp_path / KEY_FILE_NAME).write_text("not hex")
    with pytest.raises(PrivacyKeyError, match="隐私密钥"):
        PrivacyKey.load_or_create(tmp_path)
    (tmp_path / KEY_FILE_NAME).write_text("abcd")
    with pytest.raises(PrivacyKeyError, match="expected 32"):
        PrivacyKey.load_or_create(tmp_path)
