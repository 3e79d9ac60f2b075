"""The real zinnia recognizer with the tegaki simplified-Chinese model, fed strokes drawn as a
finger would draw them on a 300×300 pad (y grows downwards)."""

from __future__ import annotations

import pytest

from kiosk.input import handwriting
from kiosk.input.handwriting import HandwritingUnavailable, Recognizer


def stroke(*corners, steps=8):
    """A stroke through ``corners``, sampled like touch events along the way."""
    points = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        points += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps)]
    return points + [corners[-1]]


CHARACTERS = {
    # character: (strokes, how far down the list it may be)
    "一": ([stroke((20, 150), (280, 150))], 1),
    "十": ([stroke((20, 150), (280, 150)), stroke((150, 20), (150, 280))], 1),
    "大": (
        [
            stroke((30, 110), (270, 110)),
            stroke((150, 20), (148, 110), (120, 200), (40, 280)),
            stroke((150, 120), (210, 210), (275, 275)),
        ],
        1,
    ),
    "中": (
        [
            stroke((60, 80), (60, 200)),
            stroke((60, 80), (240, 80), (240, 200)),
            stroke((60, 200), (240, 200)),
            stroke((150, 20), (150, 290)),
        ],
        1,
    ),
    "口": (
        [stroke((60, 60), (60, 240)), stroke((60, 60), (240, 60), (240, 240)), stroke((60, 240), (240, 240))],
        2,  # 囗 (the enclosure radical) looks the same
    ),
    "人": (
        [stroke((150, 30), (150, 100), (110, 200), (40, 270)), stroke((150, 90), (210, 200), (270, 270))],
        5,  # a finger's 人 is close to 入
    ),
}


@pytest.fixture(scope="module")
def recognizer():
    with Recognizer() as opened:
        yield opened


@pytest.mark.parametrize("character", list(CHARACTERS))
def test_drawn_character_is_among_the_top_candidates(recognizer, character):
    strokes, within = CHARACTERS[character]
    candidates = recognizer.recognize(strokes, width=300, height=300, limit=10)
    assert len(candidates) == 10
    assert character in [c.text for c in candidates[:within]]
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)


def test_the_pad_size_does_not_matter(recognizer):
    strokes, _ = CHARACTERS["十"]
    big = [[(x * 3, y * 3) for x, y in s] for s in strokes]
    assert recognizer.recognize(big, width=900, height=900)[0].text == "十"


def test_no_strokes_give_no_candidates(recognizer):
    assert recognizer.recognize([], 300, 300) == []
    assert recognizer.recognize([[]], 300, 300) == []


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(HandwritingUnavailable) as caught:
        Recognizer(tmp_path / "none.model")
    assert "手写" in caught.value.zh and "zinnia" in caught.value.en


def test_unreadable_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a model")
    with pytest.raises(HandwritingUnavailable) as caught:
        Recognizer(bad)
    assert "无法打开" in caught.value.zh


def test_missing_library_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(handwriting, "LIBRARY_NAMES", ("libzinnia-does-not-exist.so.9",))
    with pytest.raises(HandwritingUnavailable) as caught:
        Recognizer()
    assert "libzinnia0" in caught.value.zh
