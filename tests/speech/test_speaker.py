"""espeak-ng speaking to real WAV files: long enough for the text, and not silent."""

from __future__ import annotations

import array
import math
import shutil
import time
import wave

import pytest

from kiosk.config import SpeechConfig, load_config
from kiosk.speech import EspeakSpeaker, NullSpeaker, SpeechUnavailable, make_speaker


def read_wav(path):
    with wave.open(str(path)) as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
    return seconds, rms


@pytest.fixture
def slow_player(tmp_path):
    """A "player" that takes 30 s over any file, as a long announcement would."""
    script = tmp_path / "slow-player"
    script.write_text("#!/bin/sh\nexec sleep 30\n")
    script.chmod(0o755)
    return str(script)


@pytest.fixture
def speaker():
    made = EspeakSpeaker(player="true")  # `true` plays nothing, at once: no sound card in CI
    yield made
    made.close()


def test_greeting_in_mandarin_is_seconds_long_and_not_silent(speaker, tmp_path):
    seconds, rms = read_wav(speaker.synthesize("您好，欢迎来到政务服务中心。", tmp_path / "hello.wav"))
    assert 2.0 < seconds < 8.0
    assert rms > 500  # 16-bit samples; silence is 0


def test_longer_text_takes_longer(speaker, tmp_path):
    short, _ = read_wav(speaker.synthesize("请到A03窗口。", tmp_path / "short.wav"))
    long, _ = read_wav(
        speaker.synthesize("请到一楼A区A03企业开办综合窗口办理，请携带身份证原件和营业执照。", tmp_path / "long.wav")
    )
    assert long > short * 2


def test_volume_changes_loudness(tmp_path):
    quiet, loud = EspeakSpeaker(volume=20, player="true"), EspeakSpeaker(volume=100, player="true")
    _, quiet_rms = read_wav(quiet.synthesize("营业执照", tmp_path / "quiet.wav"))
    _, loud_rms = read_wav(loud.synthesize("营业执照", tmp_path / "loud.wav"))
    assert loud_rms > quiet_rms * 2


def test_english_voice(speaker, tmp_path):
    seconds, rms = read_wav(speaker.synthesize("Welcome to the government service center.", tmp_path / "en.wav", "en"))
    assert seconds > 1.5 and rms > 500


def test_say_returns_at_once_and_stop_ends_the_player(slow_player):
    speaker = EspeakSpeaker(player=slow_player)  # a "player" that would take 30 s
    started = time.monotonic()
    speaker.say("您好，欢迎来到政务服务中心。")
    assert time.monotonic() - started < 0.2  # never blocks the caller (the UI thread)
    deadline = time.monotonic() + 5
    while speaker._process is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert speaker._process is not None and speaker.speaking
    process = speaker._process
    speaker.stop()
    speaker.wait(5)
    assert process.poll() is not None and not speaker.speaking
    speaker.close()


def test_a_new_text_replaces_the_one_being_said(slow_player):
    speaker = EspeakSpeaker(player=slow_player)
    speaker.say("第一句")
    deadline = time.monotonic() + 5
    while speaker._process is None and time.monotonic() < deadline:
        time.sleep(0.02)
    first = speaker._process
    speaker.say("第二句")
    first.wait(5)
    assert first.returncode != 0  # killed, not finished
    speaker.close()


def test_closing_while_a_text_is_synthesised_is_quiet(caplog):
    # The kiosk closes its speaker while espeak-ng may still be writing into the speaker's
    # temp folder; the write then fails, which is no fault worth a warning.
    speaker = EspeakSpeaker(player="true")
    speaker.say("请到一楼A区A03企业开办综合窗口办理，请携带身份证原件和营业执照。" * 8)
    speaker.close()
    speaker.wait(30)
    assert not speaker.speaking
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []


def test_a_failing_synthesis_is_logged(caplog, tmp_path):
    speaker = EspeakSpeaker(player="true")
    speaker._tmp = tmp_path / "missing"  # espeak-ng cannot write its WAV there
    speaker.say("您好")
    speaker.wait(30)
    assert any("speech failed" in r.getMessage() for r in caplog.records)
    speaker.close()


def test_disabled_speech_is_the_null_speaker(tmp_path):
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text("[speech]\nenabled = false\nvolume = 40\n")
    settings = load_config(config_file, env={}).speech
    assert settings == SpeechConfig(enabled=False, volume=40)
    speaker = make_speaker(settings)
    assert isinstance(speaker, NullSpeaker) and not speaker.enabled
    speaker.say("您好")  # nothing happens, nothing fails
    with pytest.raises(SpeechUnavailable):
        speaker.synthesize("您好", tmp_path / "x.wav")


def test_missing_espeak_is_a_clear_error_and_falls_back_to_silence(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "espeak-ng" else real_which(name))
    with pytest.raises(SpeechUnavailable) as caught:
        EspeakSpeaker()
    assert "espeak-ng" in caught.value.zh
    assert isinstance(make_speaker(SpeechConfig()), NullSpeaker)


def test_missing_player_is_refused():
    with pytest.raises(SpeechUnavailable):
        EspeakSpeaker(player="no-such-player-xyz")


def test_self_test_measures_the_sentence_and_then_says_it(speaker):
    from kiosk.speech import self_test

    check = self_test(speaker)
    assert check.ok and check.seconds > 2 and "语音合成正常" in check.text_zh()
    speaker.wait(5)


def test_a_silent_wav_fails_the_check(tmp_path):
    from kiosk.speech import wav_check

    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(b"\x00\x00" * 22050 * 2)
    check = wav_check(path)
    assert check.seconds == 2.0 and check.rms == 0 and not check.ok
    assert "异常" in check.text_zh()
