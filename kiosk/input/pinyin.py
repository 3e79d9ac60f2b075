"""Pinyin input (拼音输入): typed letters → Chinese candidates, from librime.

A small ctypes layer over librime (Debian ``librime1``) with the Luna Pinyin schema
(``rime-data-luna-pinyin``, simplified output: ``luna_pinyin_simp``) and Rime's shared data
(``librime-data``: default.yaml, punctuation, the essay of word frequencies).

librime is a process-wide engine: ``PinyinEngine.start(user_dir)`` sets it up once; the user
folder (``<data_dir>/rime``) holds our ``default.custom.yaml`` and the compiled schema
(``build/``), made by ``deploy()`` — the first time takes a few seconds, later starts only check
timestamps. The UI runs ``start``/``deploy`` off the Qt event loop; a ``PinyinSession`` is cheap
and answers in well under a millisecond.

A session works as a phone's input method does: ``type`` letters, read ``candidates`` and the
``preedit`` (what is converted so far), ``select`` a candidate; when every letter is converted
``select`` returns the text to insert.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError

LIBRARY_NAMES = ("librime.so.1",)
SHARED_DATA_DIRS = (Path("/usr/share/rime-data"), Path("/usr/share/rime"))
SCHEMA = "luna_pinyin_simp"
PAGE_SIZE = 9
#: letters a session accepts; anything else is ignored (the keyboard only sends these)
PINYIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz'")
MAX_INPUT = 40

DEFAULT_CUSTOM = f"""# Written by the kiosk (kiosk/input/pinyin.py); rewritten at every start.
patch:
  schema_list:
    - schema: {SCHEMA}
  menu/page_size: {PAGE_SIZE}
"""
#: a public terminal must not learn from one citizen's choices (privacy, and the next citizen
#: would get them first): no user dictionary
SCHEMA_CUSTOM = """# Written by the kiosk (kiosk/input/pinyin.py); rewritten at every start.
patch:
  translator/enable_user_dict: false
"""

Bool = ctypes.c_int
SessionId = ctypes.c_size_t  # uintptr_t


class PinyinUnavailable(KioskError):
    """librime or its data is missing: the keyboard offers letters only."""


class _Traits(ctypes.Structure):
    _fields_ = [
        ("data_size", ctypes.c_int),
        ("shared_data_dir", ctypes.c_char_p),
        ("user_data_dir", ctypes.c_char_p),
        ("distribution_name", ctypes.c_char_p),
        ("distribution_code_name", ctypes.c_char_p),
        ("distribution_version", ctypes.c_char_p),
        ("app_name", ctypes.c_char_p),
        ("modules", ctypes.POINTER(ctypes.c_char_p)),
        ("min_log_level", ctypes.c_int),
        ("log_dir", ctypes.c_char_p),
        ("prebuilt_data_dir", ctypes.c_char_p),
        ("staging_dir", ctypes.c_char_p),
    ]


class _Composition(ctypes.Structure):
    _fields_ = [
        ("length", ctypes.c_int),
        ("cursor_pos", ctypes.c_int),
        ("sel_start", ctypes.c_int),
        ("sel_end", ctypes.c_int),
        ("preedit", ctypes.c_char_p),
    ]


class _Candidate(ctypes.Structure):
    _fields_ = [("text", ctypes.c_char_p), ("comment", ctypes.c_char_p), ("reserved", ctypes.c_void_p)]


class _Menu(ctypes.Structure):
    _fields_ = [
        ("page_size", ctypes.c_int),
        ("page_no", ctypes.c_int),
        ("is_last_page", Bool),
        ("highlighted_candidate_index", ctypes.c_int),
        ("num_candidates", ctypes.c_int),
        ("candidates", ctypes.POINTER(_Candidate)),
        ("select_keys", ctypes.c_char_p),
    ]


class _Context(ctypes.Structure):
    _fields_ = [
        ("data_size", ctypes.c_int),
        ("composition", _Composition),
        ("menu", _Menu),
        ("commit_text_preview", ctypes.c_char_p),
        ("select_labels", ctypes.POINTER(ctypes.c_char_p)),
    ]


class _Commit(ctypes.Structure):
    _fields_ = [("data_size", ctypes.c_int), ("text", ctypes.c_char_p)]


class _CandidateIterator(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p), ("index", ctypes.c_int), ("candidate", _Candidate)]


# RimeApi (rime_api.h) up to select_candidate: only the order of the members matters here.
_API_MEMBERS = (
    "setup set_notification_handler initialize finalize start_maintenance is_maintenance_mode "
    "join_maintenance_thread deployer_initialize prebuild deploy deploy_schema deploy_config_file "
    "sync_user_data create_session find_session destroy_session cleanup_stale_sessions "
    "cleanup_all_sessions process_key commit_composition clear_composition get_commit free_commit "
    "get_context free_context get_status free_status set_option get_option set_property get_property "
    "get_schema_list free_schema_list get_current_schema select_schema schema_open config_open "
    "config_close config_get_bool config_get_int config_get_double config_get_string config_get_cstring "
    "config_update_signature config_begin_map config_next config_end simulate_key_sequence "
    "register_module find_module run_task get_shared_data_dir get_user_data_dir get_sync_dir get_user_id "
    "get_user_data_sync_dir config_init config_load_string config_set_bool config_set_int "
    "config_set_double config_set_string config_get_item config_set_item config_clear config_create_list "
    "config_create_map config_list_size config_begin_list get_input get_caret_pos select_candidate"
).split()


class _Api(ctypes.Structure):
    _fields_ = [("data_size", ctypes.c_int)] + [(name, ctypes.c_void_p) for name in _API_MEMBERS]


def _struct(kind):
    value = kind()
    value.data_size = ctypes.sizeof(kind) - ctypes.sizeof(ctypes.c_int)
    return value


def _load_library():
    for name in LIBRARY_NAMES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        raise PinyinUnavailable(
            "本机未安装拼音输入法（librime1），暂不能拼音输入", "librime not found (install Debian package librime1)"
        )
    signatures = {
        "RimeSetup": ([ctypes.POINTER(_Traits)], None),
        "RimeInitialize": ([ctypes.POINTER(_Traits)], None),
        "RimeStartMaintenance": ([Bool], Bool),
        "RimeJoinMaintenanceThread": ([], None),
        "RimeCreateSession": ([], SessionId),
        "RimeDestroySession": ([SessionId], Bool),
        "RimeSimulateKeySequence": ([SessionId, ctypes.c_char_p], Bool),
        "RimeClearComposition": ([SessionId], None),
        "RimeGetContext": ([SessionId, ctypes.POINTER(_Context)], Bool),
        "RimeFreeContext": ([ctypes.POINTER(_Context)], Bool),
        "RimeGetCommit": ([SessionId, ctypes.POINTER(_Commit)], Bool),
        "RimeFreeCommit": ([ctypes.POINTER(_Commit)], Bool),
        "RimeCandidateListBegin": ([SessionId, ctypes.POINTER(_CandidateIterator)], Bool),
        "RimeCandidateListNext": ([ctypes.POINTER(_CandidateIterator)], Bool),
        "RimeCandidateListEnd": ([ctypes.POINTER(_CandidateIterator)], None),
        "RimeSelectSchema": ([SessionId, ctypes.c_char_p], Bool),
        "RimeGetCurrentSchema": ([SessionId, ctypes.c_char_p, ctypes.c_size_t], Bool),
        "RimeSetOption": ([SessionId, ctypes.c_char_p, Bool], None),
        "rime_get_api": ([], ctypes.POINTER(_Api)),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes, function.restype = args, result
    return lib


def shared_data_dir() -> Path:
    for path in SHARED_DATA_DIRS:
        if (path / "luna_pinyin.schema.yaml").is_file() and (path / "default.yaml").is_file():
            return path
    raise PinyinUnavailable(
        "本机未安装拼音输入法的词库，暂不能拼音输入",
        "Rime data not found (install Debian packages rime-data-luna-pinyin and librime-data); looked in "
        + ", ".join(str(p) for p in SHARED_DATA_DIRS),
    )


def _write_if_changed(path: Path, text: str) -> None:
    # an unchanged file keeps its time stamp, so deploy() has nothing to rebuild
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class State:
    """What the keyboard shows while composing."""

    input: str  # the letters typed and not yet committed
    preedit: str  # converted part + remaining letters, e.g. "你hao"
    candidates: tuple[str, ...]


class PinyinEngine:
    """The process's librime. Start it once with ``start``; ``session()`` for each text field."""

    _instance: PinyinEngine | None = None
    _guard = threading.Lock()

    def __init__(self, lib, user_dir: Path, shared_dir: Path):
        self._lib = lib
        self.user_dir = user_dir
        self.shared_dir = shared_dir
        self.lock = threading.RLock()  # librime sessions are not thread-safe
        api = lib.rime_get_api()
        self._select_candidate = ctypes.CFUNCTYPE(Bool, SessionId, ctypes.c_size_t)(api.contents.select_candidate)
        self._get_input = ctypes.CFUNCTYPE(ctypes.c_char_p, SessionId)(api.contents.get_input)
        self.deployed = False

    @classmethod
    def start(cls, user_dir: str | Path) -> PinyinEngine:
        """Set librime up with ``user_dir`` (created if needed). librime can be set up only once
        per process: a later call returns the engine already running, whatever its folder."""
        user_dir = Path(user_dir).resolve()
        with cls._guard:
            if cls._instance is not None:
                return cls._instance
            lib = _load_library()
            shared = shared_data_dir()
            user_dir.mkdir(parents=True, exist_ok=True)
            _write_if_changed(user_dir / "default.custom.yaml", DEFAULT_CUSTOM)
            _write_if_changed(user_dir / f"{SCHEMA}.custom.yaml", SCHEMA_CUSTOM)
            traits = _struct(_Traits)
            # librime keeps the pointers: the bytes live as long as the engine (kept below)
            keep = [
                str(shared).encode(),
                str(user_dir).encode(),
                b"Kiosk",
                b"kiosk",
                b"1",
                b"rime.kiosk",
                str(shared / "build").encode(),
                str(user_dir / "build").encode(),
            ]
            (
                traits.shared_data_dir,
                traits.user_data_dir,
                traits.distribution_name,
                traits.distribution_code_name,
                traits.distribution_version,
                traits.app_name,
                traits.prebuilt_data_dir,
                traits.staging_dir,
            ) = keep
            traits.min_log_level = 2  # errors only; glog writes to stderr, not to files
            traits.log_dir = b""
            lib.RimeSetup(ctypes.byref(traits))
            lib.RimeInitialize(ctypes.byref(traits))
            engine = cls(lib, user_dir, shared)
            engine._keep = (traits, keep)
            cls._instance = engine
            return engine

    def deploy(self) -> None:
        """Build the schema into ``<user_dir>/build`` if it is missing or older than its sources
        (seconds the first time; a quick check afterwards). Blocks: call it off the UI thread."""
        with self.lock:
            self._lib.RimeStartMaintenance(1)
            self._lib.RimeJoinMaintenanceThread()
            if not (self.user_dir / "build" / f"{SCHEMA}.schema.yaml").is_file():
                raise PinyinUnavailable(
                    "拼音输入法的词库未能生成，暂不能拼音输入",
                    f"Rime deployment did not build {SCHEMA} in {self.user_dir / 'build'}",
                )
            self.deployed = True

    def session(self) -> PinyinSession:
        if not self.deployed:
            self.deploy()
        return PinyinSession(self)


class PinyinSession:
    """One composition: a text field's input method."""

    def __init__(self, engine: PinyinEngine):
        self.engine = engine
        lib = engine._lib
        with engine.lock:
            self._id = lib.RimeCreateSession()
            if not self._id:
                raise PinyinUnavailable("拼音输入法无法启动", "RimeCreateSession failed")
            lib.RimeSelectSchema(self._id, SCHEMA.encode())
            lib.RimeSetOption(self._id, b"ascii_mode", 0)
            lib.RimeSetOption(self._id, b"simplification", 1)

    def type(self, letters: str) -> State:
        """Add letters (a-z and the syllable separator '); others are ignored."""
        keys = "".join(c for c in letters.lower() if c in PINYIN_LETTERS)
        room = MAX_INPUT - len(self.input)
        if keys and room > 0:
            with self.engine.lock:
                self.engine._lib.RimeSimulateKeySequence(self._id, keys[:room].encode())
        return self.state()

    def backspace(self) -> State:
        with self.engine.lock:
            self.engine._lib.RimeSimulateKeySequence(self._id, b"{BackSpace}")
        return self.state()

    def set_input(self, letters: str) -> State:
        self.clear()
        return self.type(letters)

    def clear(self) -> None:
        with self.engine.lock:
            self.engine._lib.RimeClearComposition(self._id)

    @property
    def input(self) -> str:
        with self.engine.lock:
            raw = self.engine._get_input(self._id)
        return raw.decode("utf-8") if raw else ""

    def candidates(self, limit: int = 30) -> list[str]:
        """The candidates for what is typed, best first (all pages, up to ``limit``)."""
        lib = self.engine._lib
        out: list[str] = []
        with self.engine.lock:
            iterator = _CandidateIterator()
            if not lib.RimeCandidateListBegin(self._id, ctypes.byref(iterator)):
                return out
            try:
                while len(out) < limit and lib.RimeCandidateListNext(ctypes.byref(iterator)):
                    out.append(iterator.candidate.text.decode("utf-8"))
            finally:
                lib.RimeCandidateListEnd(ctypes.byref(iterator))
        return out

    def state(self, limit: int = 30) -> State:
        lib = self.engine._lib
        with self.engine.lock:
            context = _struct(_Context)
            preedit = ""
            if lib.RimeGetContext(self._id, ctypes.byref(context)):
                try:
                    raw = context.composition.preedit
                    preedit = raw.decode("utf-8") if raw else ""
                finally:
                    lib.RimeFreeContext(ctypes.byref(context))
            return State(self.input, preedit, tuple(self.candidates(limit)))

    def select(self, index: int) -> str | None:
        """Choose candidate ``index`` (of ``candidates()``). Returns the text to insert when the
        whole input is converted; None while letters remain (then read ``state()`` again)."""
        lib = self.engine._lib
        with self.engine.lock:
            if not self.engine._select_candidate(self._id, index):
                return None
            commit = _struct(_Commit)
            if lib.RimeGetCommit(self._id, ctypes.byref(commit)):
                try:
                    return commit.text.decode("utf-8") if commit.text else ""
                finally:
                    lib.RimeFreeCommit(ctypes.byref(commit))
            return None

    def close(self) -> None:
        with self.engine.lock:
            if self._id:
                self.engine._lib.RimeDestroySession(self._id)
                self._id = 0

    def __enter__(self) -> PinyinSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
