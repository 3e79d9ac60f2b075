"""librime with the Luna Pinyin data, deployed into a real user folder."""

from __future__ import annotations

import pytest

from kiosk.input import pinyin
from kiosk.input.pinyin import PinyinEngine, PinyinUnavailable


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    started = PinyinEngine.start(tmp_path_factory.mktemp("rime"))
    started.deploy()
    return started


@pytest.fixture
def session(engine):
    with engine.session() as opened:
        yield opened


def test_deploy_builds_the_simplified_schema_without_a_user_dictionary(engine):
    assert (engine.user_dir / "build" / "luna_pinyin_simp.schema.yaml").is_file()
    assert "enable_user_dict: false" in (engine.user_dir / "luna_pinyin_simp.custom.yaml").read_text()


@pytest.mark.parametrize(
    ("typed", "expected", "within"),
    [("nihao", "你好", 1), ("yingyezhizhao", "营业执照", 1), ("shebao", "社保", 1), ("hukou", "户口", 1),
     ("shenfenzheng", "身份证", 1), ("ni", "你", 3)],
)
def test_typed_pinyin_gives_chinese_candidates(session, typed, expected, within):
    state = session.set_input(typed)
    assert state.input == typed
    assert expected in state.candidates[:within]


def test_choosing_the_whole_phrase_commits_it(session):
    session.set_input("yingyezhizhao")
    assert session.select(0) == "营业执照"
    assert session.input == "" and session.state().candidates == ()


def test_choosing_part_of_the_input_converts_the_rest_next(session):
    state = session.set_input("nihaoma")
    assert session.select(state.candidates.index("你")) is None
    rest = session.state()
    assert rest.preedit.startswith("你")
    assert "好吗" in rest.candidates[:3]
    assert session.select(rest.candidates.index("好吗")) == "你好吗"


def test_a_choice_is_not_learnt_for_the_next_citizen(session):
    state = session.set_input("nihao")
    second = state.candidates[1]
    assert session.select(1) == second
    assert session.set_input("nihao").candidates[0] == "你好"


def test_backspace_and_other_characters(session):
    assert session.set_input("ni1hao!").input == "nihao"
    assert session.backspace().input == "niha"
    session.clear()
    assert session.input == "" and session.candidates() == []


def test_input_is_bounded(session):
    assert len(session.set_input("a" * 100).input) == pinyin.MAX_INPUT


def test_missing_library_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(pinyin, "LIBRARY_NAMES", ("librime-does-not-exist.so.9",))
    with pytest.raises(PinyinUnavailable) as caught:
        pinyin._load_library()
    assert "librime1" in caught.value.zh


def test_missing_data_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pinyin, "SHARED_DATA_DIRS", (tmp_path,))
    with pytest.raises(PinyinUnavailable) as caught:
        pinyin.shared_data_dir()
    assert "rime-data-luna-pinyin" in caught.value.en
