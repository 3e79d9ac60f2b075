"""Speech output (来有迎声、问有答声、走有送声): the terminal reads text aloud.

``Speaker`` is the interface the UI talks to, so a better engine can replace espeak-ng without
touching a screen:

* ``say(text)`` returns at once; the text is synthesised and played on a worker thread, and
  replaces whatever was being said (a new screen's text must not queue behind the last one).
* ``stop()`` silences it at once (the session resets, the citizen leaves).
* ``synthesize(text, path)`` writes a WAV file and returns when it is written (tests, the
  maintainer's speech test).

Engines: ``EspeakSpeaker`` (espeak-ng's Mandarin voice ``cmn``, English ``en-gb``, to a WAV file,
played by sox's ``play``, else ``aplay``/``paplay``/``pw-play``) and ``NullSpeaker`` (speech off).
``make_speaker(config.speech)`` picks one.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

#: players tried in this order; each plays the WAV file given as the last argument
PLAYERS = (("play", "-q"), ("aplay", "-q"), ("paplay",), ("pw-play",))
MAX_TEXT = 2000  # characters read at once; longer text is cut (a screen is not a book)


class SpeechUnavailable(KioskError):
    """espeak-ng is missing or failed."""


class Speaker(Protocol):
    enabled: bool

    def say(self, text: str, language: str = "zh_CN") -> None: ...

    def stop(self) -> None: ...

    def synthesize(self, text: str, path: Path, language: str = "zh_CN") -> Path: ...

    @property
    def speaking(self) -> bool: ...


class NullSpeaker:
    """Speech switched off: says nothing, writes silent WAV files for the maintainer's test."""

    enabled = False
    speaking = False

    def say(self, text: str, language: str = "zh_CN") -> None:
        pass

    def stop(self) -> None:
        pass

    def wait(self, timeout: float = 10) -> None:
        pass

    def close(self) -> None:
        pass

    def synthesize(self, text: str, path: Path, language: str = "zh_CN") -> Path:
        raise SpeechUnavailable("语音播报已关闭（speech.enabled = false）", "speech is disabled in the configuration")


class EspeakSpeaker:
    enabled = True

    def __init__(
        self,
        volume: int = 80,
        rate: int = 150,
        voice: str = "cmn",
        voice_en: str = "en-gb",
        player: str = "",
        executable: str = "espeak-ng",
    ):
        found = shutil.which(executable)
        if not found:
            raise SpeechUnavailable(
                "本机未安装语音合成（espeak-ng），暂不能语音播报", f"{executable} not found (install Debian package espeak-ng)"
            )
        self.executable = found
        self.volume = max(0, min(100, volume))
        self.rate = rate
        self.voices = {"zh_CN": voice, "en": voice_en}
        self.player = self._find_player(player)
        self._lock = threading.Lock()
        self._generation = 0  # each say() or stop() starts a new one; older work stops itself
        self._process: subprocess.Popen | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="kiosk-speech-"))
        self._thread: threading.Thread | None = None

    @staticmethod
    def _find_player(player: str) -> tuple[str, ...] | None:
        if player:
            parts = tuple(player.split())
            if not shutil.which(parts[0]):
                raise SpeechUnavailable(f"找不到播放程序 {parts[0]}", f"speech.player {parts[0]!r} not found")
            return parts
        for candidate in PLAYERS:
            if shutil.which(candidate[0]):
                return candidate
        log.warning("no audio player found (%s): speech is synthesised but not played", ", ".join(p[0] for p in PLAYERS))
        return None

    def _command(self, text: str, path: Path, language: str) -> list[str]:
        amplitude = round(self.volume * 2)  # espeak-ng: 0..200, 100 is its normal loudness
        voice = self.voices.get(language, self.voices["zh_CN"])
        return [self.executable, "-v", voice, "-a", str(amplitude), "-s", str(self.rate), "-w", str(path), "--", text]

    def synthesize(self, text: str, path: Path, language: str = "zh_CN") -> Path:
        text = " ".join(text.split())[:MAX_TEXT]
        path = Path(path)
        try:
            result = subprocess.run(self._command(text, path, language), capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechUnavailable("语音合成失败", f"espeak-ng failed: {exc}") from exc
        if result.returncode != 0 or not path.is_file():
            raise SpeechUnavailable(
                "语音合成失败", f"espeak-ng exited {result.returncode}: {result.stderr.decode(errors='replace').strip()}"
            )
        return path

    def say(self, text: str, language: str = "zh_CN") -> None:
        text = " ".join((text or "").split())
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._kill_locked()
        if not text:
            return
        thread = threading.Thread(target=self._speak, args=(text, language, generation), name="speech", daemon=True)
        self._thread = thread
        thread.start()

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _speak(self, text: str, language: str, generation: int) -> None:
        path = self._tmp / f"say-{generation}.wav"
        try:
            self.synthesize(text, path, language)
            if self.player is None:
                return
            with self._lock:
                if not self._current(generation):
                    return
                self._process = subprocess.Popen(
                    [*self.player, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
                process = self._process
            _, error = process.communicate()
            if process.returncode not in (0, -9, -15) and self._current(generation):
                log.warning("audio player %s exited %s: %s", self.player[0], process.returncode, error.decode(errors="replace").strip())
        except (SpeechUnavailable, OSError) as exc:
            # Work that was stopped or closed meanwhile (its temp folder may be gone) is no fault.
            if self._current(generation):
                log.warning("speech failed: %s", getattr(exc, "en", exc))
        finally:
            path.unlink(missing_ok=True)

    def _kill_locked(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
            self._kill_locked()

    @property
    def speaking(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def wait(self, timeout: float = 10) -> None:
        """For tests and the command line: until the current speech has finished."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)


def make_speaker(settings) -> Speaker:
    """The speaker ``settings`` (a SpeechConfig) ask for; a NullSpeaker when speech is off or
    espeak-ng is missing (logged: the terminal works silently rather than not at all)."""
    if not settings.enabled:
        return NullSpeaker()
    try:
        return EspeakSpeaker(
            volume=settings.volume, rate=settings.rate, voice=settings.voice, voice_en=settings.voice_en, player=settings.player
        )
    except SpeechUnavailable as exc:
        log.error("speech disabled: %s", exc.en)
        return NullSpeaker()


TEST_SENTENCE = "语音测试：您好，欢迎来到政务服务中心。"


@dataclass(frozen=True)
class SpeechCheck:
    """The maintainer's speech test: what was synthesised, how long, how loud."""

    seconds: float
    rms: float  # of 16-bit samples; silence is 0

    @property
    def ok(self) -> bool:
        return self.seconds >= 1.0 and self.rms >= 200

    def text_zh(self) -> str:
        if self.ok:
            return f"语音合成正常：{self.seconds:.1f} 秒，音量 {self.rms:.0f}。请听扬声器是否播放。"
        return f"语音合成异常：{self.seconds:.1f} 秒，音量 {self.rms:.0f}（应至少 1 秒、不是静音）。"


def wav_check(path: Path) -> SpeechCheck:
    """Length and loudness (RMS) of a 16-bit mono WAV file."""
    import array
    import math
    import wave

    with wave.open(str(path)) as wav:
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
        width = wav.getsampwidth()
    if width != 2:
        return SpeechCheck(seconds, 0.0)
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
    return SpeechCheck(seconds, rms)


def self_test(speaker: Speaker, text: str = TEST_SENTENCE) -> SpeechCheck:
    """Synthesise ``text`` to a temporary WAV, measure it, then say it aloud. Blocks for the
    synthesis (a fraction of a second): run it off the UI thread."""
    with tempfile.TemporaryDirectory(prefix="kiosk-speech-test-") as scratch:
        check = wav_check(speaker.synthesize(text, Path(scratch) / "test.wav"))
    speaker.say(text)
    return check
