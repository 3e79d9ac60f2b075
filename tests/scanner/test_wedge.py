"""A keyboard-wedge scan is recognised by timing and terminator, not by what was typed."""

from __future__ import annotations

import pytest

from drivers.scanner import WedgeDetector


def feed(detector, text, *, start=0.0, interval=8.0, end="\r", end_after=None):
    """Keys ``interval`` ms apart, then the terminator; the result of each key."""
    results = []
    at = start
    for char in text:
        results.append(detector.key(char, at))
        at += interval
    if end is not None:
        results.append(detector.key(end, at - interval + (end_after if end_after is not None else interval)))
    return results, at


def test_a_fast_burst_ended_by_enter_is_a_scan():
    detector = WedgeDetector(max_interval_ms=40, min_length=6)
    results, _ = feed(detector, "YC2511170007")
    assert results[:-1] == [None] * 12
    scan = results[-1]
    assert scan.text == "YC2511170007" and scan.chars_per_second > 100


def test_the_same_text_typed_by_a_person_is_not_a_scan():
    detector = WedgeDetector(max_interval_ms=40, min_length=6)
    results, _ = feed(detector, "YC2511170007", interval=150)
    assert results == [None] * 13


@pytest.mark.parametrize(
    "text, kwargs",
    [
        ("YC25", {}),  # too short
        ("YC2511170007", {"end_after": 300}),  # the person pressed Enter after a paste-like burst
        ("YC2511170007", {"end": "\t"}),  # not the configured terminator
    ],
)
def test_not_a_scan(text, kwargs):
    detector = WedgeDetector(max_interval_ms=40, min_length=6)
    results, _ = feed(detector, text, **kwargs)
    assert all(r is None for r in results)


def test_a_pause_inside_starts_a_new_burst():
    detector = WedgeDetector(max_interval_ms=40, min_length=6)
    feed(detector, "abc", interval=8, end=None)
    results, _ = feed(detector, "YC2511170007", start=500)
    assert results[-1].text == "YC2511170007"


def test_a_control_key_inside_a_burst_means_a_person():
    detector = WedgeDetector(max_interval_ms=40, min_length=4)
    feed(detector, "YC25", end=None)
    detector.key("", 40)  # e.g. backspace: no text
    assert detector.pending == ""
    results, _ = feed(detector, "1117", start=48)
    assert results[-1].text == "1117"


def test_tab_terminated_scanners():
    detector = WedgeDetector(max_interval_ms=40, min_length=6, terminator="tab")
    results, _ = feed(detector, "YC2511170007", end="\t")
    assert results[-1].text == "YC2511170007"
    with pytest.raises(ValueError):
        WedgeDetector(terminator="space")
