"""The terminal's configuration: one TOML file plus environment overrides.

Every key is documented in docs/configuration.md. Loading never half-succeeds: an invalid
file raises ConfigError naming the key, and the CLI turns that into exit code 2.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.hours.schedule import Period, Schedule, ScheduleError

APP_NAME = "zwfw-kiosk"

log = logging.getLogger("kiosk.config")

ENV_CONFIG = "KIOSK_CONFIG"
ENV_DB_URL = "KIOSK_DB_URL"
ENV_PRINTER = "KIOSK_PRINTER"
ENV_IDCARD = "KIOSK_IDCARD"
ENV_DATA_DIR = "KIOSK_DATA_DIR"

ZONES = ("hall", "24h")
LANGUAGES = ("zh_CN", "en")
#: WCAG 2.2.1: a user must get at least 20 s to answer a time-out warning.
MIN_IDLE_WARNING_SECONDS = 20


class ConfigError(Exception):
    """A configuration problem, located by its key (``printer.profile``)."""

    def __init__(self, key: str, problem: str, source: str | None = None):
        self.key = key
        self.problem = problem
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {problem}")


#: kept under its old name: one period of a day (kiosk/hours)
ServicePeriod = Period


@dataclass(frozen=True)
class ServiceHours(Schedule):
    """When staff (the red-vest helpers, the windows) are there for this terminal's citizens:
    a Schedule read with the working-day table (kiosk/hours), plus the hotline to give when
    nobody is. The center's own hours come from the catalog when it has them."""

    #: the citizens' service hotline given outside these hours (政务服务便民热线)
    hotline: str = "12345"


@dataclass(frozen=True)
class TerminalConfig:
    id: str = "YC-HALL-01"
    name: str = "大厅自助终端 1 号"
    zone: str = "hall"


@dataclass(frozen=True)
class PrinterConfig:
    uri: str = "sim://"
    profile: str = "generic-80"


@dataclass(frozen=True)
class UiConfig:
    idle_timeout_seconds: int = 90
    idle_warning_seconds: int = 30
    #: after this long without a touch on the home screen the attract screen shows (0: never)
    attract_after_seconds: int = 120
    language: str = "zh_CN"
    #: local time ("HH:MM") after which a kiosk run by systemd ends itself at the first quiet
    #: moment so that a fresh one starts (ui/nightly_restart.py); "" never
    nightly_restart: str = "03:40"


@dataclass(frozen=True)
class DevicesConfig:
    """The device monitor (kiosk/devices)."""

    poll_seconds: int = 30
    #: free space on the data folder's disk below which a "disk nearly full" fault opens
    disk_min_free_mb: int = 500


@dataclass(frozen=True)
class FaultsConfig:
    #: an open fault not acknowledged within this time goes to the next maintainer (A → B → admin)
    escalate_after_minutes: int = 30
    #: a condition that comes back this soon after it cleared by itself continues the same fault
    reopen_within_minutes: int = 10


@dataclass(frozen=True)
class NotifyConfig:
    #: a WeCom (企业微信) or DingTalk (钉钉) group robot's webhook URL; empty: notifications only logged
    webhook_url: str = ""
    #: DingTalk "加签" secret (SEC…); empty when the robot does not sign
    webhook_secret: str = ""
    timeout_seconds: int = 5
    max_attempts: int = 5


@dataclass(frozen=True)
class StaffConfig:
    #: a staff member's session ends after this much inactivity
    session_idle_seconds: int = 180
    max_pin_attempts: int = 5
    lockout_minutes: int = 5


@dataclass(frozen=True)
class HelpersConfig:
    """Red-vest helpers (kiosk/assistance, docs/helpers.md)."""

    #: a call nobody has taken is raised again (the helpers notified again) after this long
    reraise_after_minutes: int = 3
    #: a call nobody has taken by then ends as 无人响应 (expired) in the ledger
    expire_after_minutes: int = 30
    #: a closed proxy request's personal data (name, phone, address, visit reasons) is erased after this
    purge_after_days: int = 30
    #: while a citizen waits for a helper, the screen is kept this long before the inactivity warning
    waiting_idle_seconds: int = 300


@dataclass(frozen=True)
class IdCardConfig:
    """The ID card reader (drivers/idcard, docs/idcard.md)."""

    #: serial:///dev/ttyUSB0?baud=115200, tcp://HOST:PORT, sim: (emulated); empty: no reader
    uri: str = ""
    #: each reply of the reader within this time
    timeout_ms: int = 1000
    #: the basic information (text and photo, the longest reply) within this time
    read_timeout_ms: int = 3000
    #: how long a screen waits for the citizen to place the card
    wait_seconds: int = 30


SCANNER_TERMINATORS = ("enter", "tab")


@dataclass(frozen=True)
class ScannerConfig:
    """The QR/barcode scanner (drivers/scanner, docs/idcard.md)."""

    #: a serial scanner: serial:///dev/ttyACM0?baud=9600, tcp://HOST:PORT; empty: none (or a keyboard wedge)
    uri: str = ""
    #: recognise a keyboard-wedge (USB HID) scanner by its typing speed
    wedge: bool = True
    #: a wedge scanner types its keys at most this far apart (a person types slower)
    max_key_interval_ms: int = 40
    #: the fewest characters a scan has
    min_length: int = 6
    #: the key the scanner ends a code with
    terminator: str = "enter"


@dataclass(frozen=True)
class SpeechConfig:
    """Speech output (kiosk/speech, docs/input.md)."""

    #: false: the terminal never speaks (no 朗读 button, no greeting)
    enabled: bool = True
    #: 0..100; 50 is espeak-ng's normal loudness
    volume: int = 80
    #: words per minute (espeak-ng's default is 175; slower is easier for the elderly)
    rate: int = 150
    voice: str = "cmn"
    voice_en: str = "en-gb"
    #: the program that plays a WAV file; empty: play (sox), aplay, paplay or pw-play, the first found
    player: str = ""
    #: when a screen's title and answer are read without pressing 朗读: never, elder (in elder mode), always
    auto_read: str = "elder"


SPEECH_AUTO_READ = ("never", "elder", "always")


@dataclass(frozen=True)
class CenterConfig:
    """[center]: this terminal as a client of a center server (docs/fleet.md). Empty url: a
    single terminal, nothing of the fleet runs."""

    url: str = ""
    #: a CA certificate (PEM) to verify an https:// center whose certificate is not from a public CA
    ca_file: str = ""
    push_seconds: int = 5
    pull_seconds: int = 300
    heartbeat_seconds: int = 30
    batch_size: int = 200
    timeout_seconds: int = 10

    @property
    def enabled(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class CenterServerConfig:
    """[center_server]: `kiosk center serve` and the other center-side commands."""

    #: the center's PostgreSQL (postgresql+psycopg://user:password@host/db); $KIOSK_CENTER_DB_URL wins
    database_url: str = ""
    #: a terminal without a heartbeat this long gets a fault for its maintainer
    silent_after_seconds: int = 90


@dataclass(frozen=True)
class ConsoleConfig:
    """[console]: the center's staff web console (center/console, docs/console.md)."""

    #: a console session ends after this many minutes without a request ...
    idle_minutes: int = 30
    #: ... and in any case this many hours after sign-in
    max_hours: int = 12
    #: wrong console passwords in a row before the account is locked ...
    max_failures: int = 5
    #: ... for this many minutes
    lockout_minutes: int = 15
    #: the shortest console password accepted
    min_password_length: int = 10
    #: Secure cookies: "auto" (when the request came over https), "always" or "never"
    secure_cookies: str = "auto"
    #: how often the 呼叫 page asks for news, in milliseconds (at most 2000)
    poll_ms: int = 1500
    #: the terminal column of the audit log for what staff do in the console
    audit_terminal: str = "console"


@dataclass(frozen=True)
class LogsConfig:
    """The log file <data_dir>/logs/kiosk.log (kiosk/logs.py)."""

    max_size_mb: int = 10
    backup_count: int = 5


@dataclass(frozen=True)
class Config:
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    database_url: str = ""
    data_dir: Path = field(default_factory=lambda: default_data_dir())
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    logs: LogsConfig = field(default_factory=LogsConfig)
    service_hours: ServiceHours = field(default_factory=ServiceHours)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    faults: FaultsConfig = field(default_factory=FaultsConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    staff: StaffConfig = field(default_factory=StaffConfig)
    helpers: HelpersConfig = field(default_factory=HelpersConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    idcard: IdCardConfig = field(default_factory=IdCardConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    center: CenterConfig = field(default_factory=CenterConfig)
    center_server: CenterServerConfig = field(default_factory=CenterServerConfig)
    console: ConsoleConfig = field(default_factory=ConsoleConfig)
    source: str | None = None  # the file it came from, for messages
    #: the keys ("ui.idle_timeout_seconds") whose value comes from the center's layer
    center_keys: frozenset[str] = frozenset()
    #: the center's layer read over the file (<data_dir>/center-config.toml), when one was used
    center_layer: str | None = None
    #: why the center's layer was not used (it does not validate over this file), else ""
    center_problem: str = ""

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return "sqlite:///" + str(self.data_dir / "kiosk.sqlite3")

    def redacted(self) -> dict[str, Any]:
        """The configuration as shown on a maintainer screen: secrets hidden."""
        return {
            "terminal.id": self.terminal.id,
            "terminal.name": self.terminal.name,
            "terminal.zone": self.terminal.zone,
            "database.url": redact_url(self.effective_database_url),
            "paths.data_dir": str(self.data_dir),
            "printer.uri": self.printer.uri,
            "printer.profile": self.printer.profile,
            "ui.idle_timeout_seconds": self.ui.idle_timeout_seconds,
            "ui.idle_warning_seconds": self.ui.idle_warning_seconds,
            "ui.attract_after_seconds": self.ui.attract_after_seconds,
            "ui.language": self.ui.language,
            "ui.nightly_restart": self.ui.nightly_restart,
            "logs.max_size_mb": self.logs.max_size_mb,
            "logs.backup_count": self.logs.backup_count,
            "service_hours.weekdays": list(self.service_hours.weekdays),
            "service_hours.periods": [str(p) for p in self.service_hours.periods],
            "service_hours.seasons": [s.to_dict() for s in self.service_hours.seasons],
            "service_hours.closed": [d.isoformat() for d in self.service_hours.closed],
            "service_hours.hotline": self.service_hours.hotline,
            "devices.poll_seconds": self.devices.poll_seconds,
            "devices.disk_min_free_mb": self.devices.disk_min_free_mb,
            "faults.escalate_after_minutes": self.faults.escalate_after_minutes,
            "faults.reopen_within_minutes": self.faults.reopen_within_minutes,
            "notify.webhook_url": redact_webhook(self.notify.webhook_url),
            "notify.webhook_secret": "***" if self.notify.webhook_secret else "",
            "notify.timeout_seconds": self.notify.timeout_seconds,
            "notify.max_attempts": self.notify.max_attempts,
            "staff.session_idle_seconds": self.staff.session_idle_seconds,
            "staff.max_pin_attempts": self.staff.max_pin_attempts,
            "staff.lockout_minutes": self.staff.lockout_minutes,
            "helpers.reraise_after_minutes": self.helpers.reraise_after_minutes,
            "helpers.expire_after_minutes": self.helpers.expire_after_minutes,
            "helpers.purge_after_days": self.helpers.purge_after_days,
            "helpers.waiting_idle_seconds": self.helpers.waiting_idle_seconds,
            "speech.enabled": self.speech.enabled,
            "speech.volume": self.speech.volume,
            "speech.rate": self.speech.rate,
            "speech.voice": self.speech.voice,
            "speech.voice_en": self.speech.voice_en,
            "speech.player": self.speech.player,
            "speech.auto_read": self.speech.auto_read,
            "idcard.uri": self.idcard.uri,
            "idcard.timeout_ms": self.idcard.timeout_ms,
            "idcard.read_timeout_ms": self.idcard.read_timeout_ms,
            "idcard.wait_seconds": self.idcard.wait_seconds,
            "scanner.uri": self.scanner.uri,
            "scanner.wedge": self.scanner.wedge,
            "scanner.max_key_interval_ms": self.scanner.max_key_interval_ms,
            "scanner.min_length": self.scanner.min_length,
            "scanner.terminator": self.scanner.terminator,
            "center.url": self.center.url,
            "center.ca_file": self.center.ca_file,
            "center.push_seconds": self.center.push_seconds,
            "center.pull_seconds": self.center.pull_seconds,
            "center.heartbeat_seconds": self.center.heartbeat_seconds,
            "center.batch_size": self.center.batch_size,
            "center.timeout_seconds": self.center.timeout_seconds,
            "center_server.database_url": redact_url(self.center_server.database_url),
            "center_server.silent_after_seconds": self.center_server.silent_after_seconds,
            **{f"console.{f.name}": getattr(self.console, f.name) for f in fields(ConsoleConfig)},
        }


def default_data_dir(env: dict[str, str] | None = None) -> Path:
    value = (os.environ if env is None else env).get(ENV_DATA_DIR)
    if value:
        return Path(value)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def redact_url(url: str) -> str:
    """Hide a password in a database URL (postgresql://user:secret@host/db)."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url)


def redact_webhook(url: str) -> str:
    """A robot webhook's key is its password: show only where it points."""
    if not url:
        return ""
    match = re.match(r"([a-z][a-z0-9+.-]*://[^/?#]*)", url, re.IGNORECASE)
    return (match.group(1) if match else "") + "/***"


def parse_clock_time(text: str) -> dt_time | None:
    """"03:40" → 03:40; None for anything that is not HH:MM of one day."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    return dt_time(int(match.group(1)), int(match.group(2))) if match else None


# --- loading -------------------------------------------------------------------------------

_KNOWN = {
    "terminal": {"id", "name", "zone"},
    "database": {"url"},
    "paths": {"data_dir"},
    "logs": {"max_size_mb", "backup_count"},
    "printer": {"uri", "profile"},
    "ui": {"idle_timeout_seconds", "idle_warning_seconds", "attract_after_seconds", "language", "nightly_restart"},
    "service_hours": {"weekdays", "periods", "seasons", "closed", "hotline"},
    "devices": {"poll_seconds", "disk_min_free_mb"},
    "faults": {"escalate_after_minutes", "reopen_within_minutes"},
    "notify": {"webhook_url", "webhook_secret", "timeout_seconds", "max_attempts"},
    "staff": {"session_idle_seconds", "max_pin_attempts", "lockout_minutes"},
    "idcard": {"uri", "timeout_ms", "read_timeout_ms", "wait_seconds"},
    "scanner": {"uri", "wedge", "max_key_interval_ms", "min_length", "terminator"},
    "speech": {"enabled", "volume", "rate", "voice", "voice_en", "player", "auto_read"},
    "helpers": {"reraise_after_minutes", "expire_after_minutes", "purge_after_days", "waiting_idle_seconds"},
    "center": {"url", "ca_file", "push_seconds", "pull_seconds", "heartbeat_seconds", "batch_size", "timeout_seconds"},
    "center_server": {"database_url", "silent_after_seconds"},
    "console": {"idle_minutes", "max_hours", "max_failures", "lockout_minutes", "min_password_length", "secure_cookies",
                "poll_ms", "audit_terminal"},
}


def load_config(path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Config:
    """Read the configuration file (``path``, else ``$KIOSK_CONFIG``, else defaults) and apply
    the environment overrides. Raises ConfigError."""
    env = dict(os.environ) if env is None else env
    if path is None and env.get(ENV_CONFIG):
        path = env[ENV_CONFIG]
    source = None if path is None else str(path)
    data = _read_file(path)
    config = _parse_with_env(data, source, env)
    if not config.center.enabled:  # a single terminal: no center, no center layer
        return config
    # The center's layer (<data_dir>/center-config.toml, written when a `config` snapshot was
    # applied) over the file. A layer that does not validate is left out: the terminal starts
    # with its own configuration, whatever the center sent.
    layer_path = config.data_dir / CENTER_LAYER_NAME
    try:
        layer = read_center_layer(layer_path)
        if layer is None:
            return config
        return _with_center_layer(data, layer, str(layer_path), source, env)
    except ConfigError as exc:
        log.warning("the center's configuration is not used, the terminal keeps its own: %s", exc)
        return replace(config, center_problem=str(exc))


def _read_file(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The installation's configuration file as TOML tables ({} without a file). ConfigError."""
    data: dict[str, Any] = {}
    if path is not None:
        source = str(path)
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError("(file)", "configuration file not found (配置文件不存在)", source) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("(file)", f"not valid TOML (格式错误): {exc}", source) from None
        except (ValueError, RecursionError) as exc:  # a number of 5,000 digits; nesting too deep
            raise ConfigError("(file)", f"not valid TOML (格式错误): {str(exc).split(';')[0]}", source) from None
        except OSError as exc:
            raise ConfigError("(file)", f"cannot be read (无法读取): {exc.strerror}", source) from None
    return data


def _parse_with_env(data: dict[str, Any], source: str | None, env: dict[str, str]) -> Config:
    """The file's tables with the environment overrides, checked."""
    # The environment overrides go through the same checks as the file, and a problem with
    # one of them names the variable.
    overridden: dict[str, str] = {}
    for variable, section, key in ((ENV_DB_URL, "database", "url"), (ENV_PRINTER, "printer", "uri"), (ENV_IDCARD, "idcard", "uri")):
        table = data.get(section, {})
        if env.get(variable) and isinstance(table, dict):  # a non-table is reported by _parse
            data = {**data, section: {**table, key: env[variable]}}
            overridden[f"{section}.{key}"] = variable
    try:
        return _parse(data, source, env)
    except ConfigError as exc:
        if exc.key in overridden:
            raise ConfigError(exc.key, exc.problem, f"${overridden[exc.key]}") from None
        raise


def _parse(data: dict[str, Any], source: str | None, env: dict[str, str] | None = None) -> Config:
    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(key, problem, source)

    for section, value in data.items():
        if section not in _KNOWN:
            raise fail(section, "unknown section (未知配置节)")
        if not isinstance(value, dict):
            raise fail(section, "must be a table like [%s] (应为配置节)" % section)
        for key in value:
            if key not in _KNOWN[section]:
                raise fail(f"{section}.{key}", "unknown key (未知配置项)")

    def get(section: str, key: str, kind: type, default: Any) -> Any:
        value = data.get(section, {}).get(key, default)
        if kind is int and isinstance(value, bool):
            raise fail(f"{section}.{key}", f"must be a whole number, not {value!r} (应为整数)")
        if not isinstance(value, kind):
            names = {str: "text", int: "a whole number", list: "a list", bool: "true or false"}
            raise fail(f"{section}.{key}", f"must be {names.get(kind, kind.__name__)}, not {value!r} (类型错误)")
        return value

    d_terminal = TerminalConfig()
    terminal = TerminalConfig(
        id=get("terminal", "id", str, d_terminal.id).strip(),
        name=get("terminal", "name", str, d_terminal.name).strip(),
        zone=get("terminal", "zone", str, d_terminal.zone),
    )
    if not terminal.id:
        raise fail("terminal.id", "must not be empty (不能为空)")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", terminal.id):
        raise fail("terminal.id", f"{terminal.id!r} may hold only letters, digits, '-', '_' and '.' (最多40个字符)")
    if not terminal.name:
        raise fail("terminal.name", "must not be empty (不能为空)")
    if terminal.zone not in ZONES:
        raise fail("terminal.zone", f"{terminal.zone!r} is not one of {', '.join(ZONES)} (区域应为 hall 或 24h)")

    database_url = get("database", "url", str, "").strip()
    if database_url and "://" not in database_url:
        raise fail("database.url", f"{database_url!r} is not a database URL such as sqlite:///path (数据库地址无效)")
    if re.fullmatch(r"sqlite(\+\w+)?:///?(\?.*)?", database_url):
        raise fail("database.url", f"{database_url!r} names no database file; an in-memory database would lose every record "
                   "(数据库地址缺少文件路径，如 sqlite:////var/lib/zwfw-kiosk/kiosk.sqlite3)")

    data_dir_text = get("paths", "data_dir", str, "")
    data_dir = Path(data_dir_text).expanduser() if data_dir_text else default_data_dir(env)

    d_printer = PrinterConfig()
    printer = PrinterConfig(
        uri=get("printer", "uri", str, d_printer.uri).strip(),
        profile=get("printer", "profile", str, d_printer.profile).strip(),
    )
    if not printer.uri:
        raise fail("printer.uri", "must not be empty; use sim:// for a simulated printer (不能为空)")
    if "://" not in printer.uri:
        raise fail("printer.uri", f"{printer.uri!r} is not a printer URI such as usb://0416:5011 or tcp://10.0.0.9 (打印机地址无效)")

    d_ui = UiConfig()
    ui = UiConfig(
        idle_timeout_seconds=get("ui", "idle_timeout_seconds", int, d_ui.idle_timeout_seconds),
        idle_warning_seconds=get("ui", "idle_warning_seconds", int, d_ui.idle_warning_seconds),
        language=get("ui", "language", str, d_ui.language),
        attract_after_seconds=get("ui", "attract_after_seconds", int, d_ui.attract_after_seconds),
        nightly_restart=get("ui", "nightly_restart", str, d_ui.nightly_restart).strip(),
    )
    if ui.nightly_restart and parse_clock_time(ui.nightly_restart) is None:
        raise fail("ui.nightly_restart", f"{ui.nightly_restart!r} is not a time such as \"03:40\", or \"\" for never (应为“时:分”，如 03:40；留空表示不重启)")
    if ui.attract_after_seconds != 0 and not 30 <= ui.attract_after_seconds <= 3600:
        raise fail("ui.attract_after_seconds", f"{ui.attract_after_seconds} is neither 0 nor in 30..3600 (待机画面时间应为0或30到3600秒)")
    if not 30 <= ui.idle_timeout_seconds <= 3600:
        raise fail("ui.idle_timeout_seconds", f"{ui.idle_timeout_seconds} is outside 30..3600 (应在30到3600秒之间)")
    if not MIN_IDLE_WARNING_SECONDS <= ui.idle_warning_seconds <= 120:
        raise fail(
            "ui.idle_warning_seconds",
            f"{ui.idle_warning_seconds} is outside {MIN_IDLE_WARNING_SECONDS}..120 (提醒倒计时应在20到120秒之间)",
        )
    if ui.idle_warning_seconds >= ui.idle_timeout_seconds:
        raise fail(
            "ui.idle_warning_seconds",
            f"{ui.idle_warning_seconds} must be shorter than ui.idle_timeout_seconds {ui.idle_timeout_seconds}"
            " (提醒倒计时应短于无操作超时)",
        )
    if ui.language not in LANGUAGES:
        raise fail("ui.language", f"{ui.language!r} is not one of {', '.join(LANGUAGES)} (不支持的语言)")

    d_logs = LogsConfig()
    logs = LogsConfig(
        max_size_mb=get("logs", "max_size_mb", int, d_logs.max_size_mb),
        backup_count=get("logs", "backup_count", int, d_logs.backup_count),
    )
    if not 1 <= logs.max_size_mb <= 1024:
        raise fail("logs.max_size_mb", f"{logs.max_size_mb} is outside 1..1024 (日志文件大小应在1到1024 MB之间)")
    if not 1 <= logs.backup_count <= 100:
        raise fail("logs.backup_count", f"{logs.backup_count} is outside 1..100 (日志保留份数应在1到100之间)")

    hours = _parse_hours(data.get("service_hours", {}), fail)
    devices, faults, notify, staff = _parse_staff_devices(get, fail)
    helpers = _parse_helpers(get, fail)
    speech = _parse_speech(get, fail)
    idcard, scanner = _parse_idcard_scanner(get, fail)
    center, center_server = _parse_center(get, fail)
    console = _parse_console(get, fail)
    return Config(
        terminal=terminal,
        database_url=database_url,
        data_dir=data_dir,
        printer=printer,
        ui=ui,
        logs=logs,
        service_hours=hours,
        devices=devices,
        faults=faults,
        notify=notify,
        staff=staff,
        helpers=helpers,
        speech=speech,
        idcard=idcard,
        scanner=scanner,
        center=center,
        center_server=center_server,
        console=console,
        source=source,
    )


def _parse_center(get, fail) -> tuple[CenterConfig, CenterServerConfig]:
    """[center] and [center_server] (docs/fleet.md)."""

    def number(section: str, key: str, default: int, low: int, high: int, zh: str) -> int:
        value = get(section, key, int, default)
        if not low <= value <= high:
            raise fail(f"{section}.{key}", f"{value} is outside {low}..{high} ({zh}应在{low}到{high}之间)")
        return value

    d, ds = CenterConfig(), CenterServerConfig()
    url = get("center", "url", str, d.url).strip().rstrip("/")
    if url and not re.match(r"https?://[^/\s]+", url):
        raise fail("center.url", "must be an http:// or https:// URL (中心地址应以 http:// 或 https:// 开头)")
    center = CenterConfig(
        url=url,
        ca_file=get("center", "ca_file", str, d.ca_file).strip(),
        push_seconds=number("center", "push_seconds", d.push_seconds, 1, 3600, "上传间隔（秒）"),
        pull_seconds=number("center", "pull_seconds", d.pull_seconds, 10, 86400, "下载间隔（秒）"),
        heartbeat_seconds=number("center", "heartbeat_seconds", d.heartbeat_seconds, 5, 600, "心跳间隔（秒）"),
        batch_size=number("center", "batch_size", d.batch_size, 1, 1000, "每批条数"),
        timeout_seconds=number("center", "timeout_seconds", d.timeout_seconds, 1, 120, "请求超时（秒）"),
    )
    server_url = get("center_server", "database_url", str, ds.database_url).strip()
    if server_url and "://" not in server_url:
        raise fail("center_server.database_url", "is not a database URL such as postgresql+psycopg://… (数据库地址无效)")
    center_server = CenterServerConfig(
        database_url=server_url,
        silent_after_seconds=number("center_server", "silent_after_seconds", ds.silent_after_seconds, 30, 3600,
                                    "失联判定时间（秒）"),
    )
    return center, center_server


def _parse_staff_devices(get, fail) -> tuple[DevicesConfig, FaultsConfig, NotifyConfig, StaffConfig]:
    """[devices], [faults], [notify] and [staff] (docs/maintenance.md)."""

    def number(section: str, key: str, default: int, low: int, high: int, zh: str) -> int:
        value = get(section, key, int, default)
        if not low <= value <= high:
            raise fail(f"{section}.{key}", f"{value} is outside {low}..{high} ({zh}应在{low}到{high}之间)")
        return value

    d_devices, d_faults, d_notify, d_staff = DevicesConfig(), FaultsConfig(), NotifyConfig(), StaffConfig()
    devices = DevicesConfig(
        poll_seconds=number("devices", "poll_seconds", d_devices.poll_seconds, 5, 3600, "设备巡检间隔（秒）"),
        disk_min_free_mb=number("devices", "disk_min_free_mb", d_devices.disk_min_free_mb, 10, 1_000_000, "磁盘最低剩余空间（MB）"),
    )
    faults = FaultsConfig(
        escalate_after_minutes=number(
            "faults", "escalate_after_minutes", d_faults.escalate_after_minutes, 1, 1440, "故障升级时限（分钟）"
        ),
        reopen_within_minutes=number(
            "faults", "reopen_within_minutes", d_faults.reopen_within_minutes, 0, 1440, "故障复发合并时限（分钟）"
        ),
    )
    webhook_url = get("notify", "webhook_url", str, d_notify.webhook_url).strip()
    if webhook_url and not re.match(r"https?://[^/\s]+", webhook_url):
        raise fail("notify.webhook_url", "must be an http:// or https:// URL (机器人地址应以 http:// 或 https:// 开头)")
    notify = NotifyConfig(
        webhook_url=webhook_url,
        webhook_secret=get("notify", "webhook_secret", str, d_notify.webhook_secret).strip(),
        timeout_seconds=number("notify", "timeout_seconds", d_notify.timeout_seconds, 1, 60, "通知超时（秒）"),
        max_attempts=number("notify", "max_attempts", d_notify.max_attempts, 1, 20, "通知重试次数"),
    )
    staff = StaffConfig(
        session_idle_seconds=number(
            "staff", "session_idle_seconds", d_staff.session_idle_seconds, 60, 3600, "工作人员无操作退出时间（秒）"
        ),
        max_pin_attempts=number("staff", "max_pin_attempts", d_staff.max_pin_attempts, 3, 10, "密码错误次数上限"),
        lockout_minutes=number("staff", "lockout_minutes", d_staff.lockout_minutes, 1, 120, "登录锁定时间（分钟）"),
    )
    return devices, faults, notify, staff


def _parse_helpers(get, fail) -> HelpersConfig:
    """[helpers] (docs/helpers.md)."""
    d = HelpersConfig()

    def number(key: str, default: int, low: int, high: int, zh: str) -> int:
        value = get("helpers", key, int, default)
        if not low <= value <= high:
            raise fail(f"helpers.{key}", f"{value} is outside {low}..{high} ({zh}应在{low}到{high}之间)")
        return value

    helpers = HelpersConfig(
        reraise_after_minutes=number("reraise_after_minutes", d.reraise_after_minutes, 1, 60, "再次呼叫间隔（分钟）"),
        expire_after_minutes=number("expire_after_minutes", d.expire_after_minutes, 2, 480, "呼叫无人响应结束时间（分钟）"),
        purge_after_days=number("purge_after_days", d.purge_after_days, 1, 3650, "代办个人信息保留天数"),
        waiting_idle_seconds=number("waiting_idle_seconds", d.waiting_idle_seconds, 60, 1800, "等待帮办时屏幕保留时间（秒）"),
    )
    if helpers.expire_after_minutes <= helpers.reraise_after_minutes:
        raise fail(
            "helpers.expire_after_minutes",
            f"{helpers.expire_after_minutes} must be longer than helpers.reraise_after_minutes {helpers.reraise_after_minutes}"
            " (无人响应结束时间应长于再次呼叫间隔)",
        )
    return helpers


def _parse_speech(get, fail) -> SpeechConfig:
    """[speech] (docs/input.md)."""
    d = SpeechConfig()
    speech = SpeechConfig(
        enabled=get("speech", "enabled", bool, d.enabled),
        volume=get("speech", "volume", int, d.volume),
        rate=get("speech", "rate", int, d.rate),
        voice=get("speech", "voice", str, d.voice).strip(),
        voice_en=get("speech", "voice_en", str, d.voice_en).strip(),
        player=get("speech", "player", str, d.player).strip(),
        auto_read=get("speech", "auto_read", str, d.auto_read).strip(),
    )
    if not 0 <= speech.volume <= 100:
        raise fail("speech.volume", f"{speech.volume} is outside 0..100 (音量应在0到100之间)")
    if not 80 <= speech.rate <= 300:
        raise fail("speech.rate", f"{speech.rate} is outside 80..300 (语速应在每分钟80到300字之间)")
    for key, value in (("voice", speech.voice), ("voice_en", speech.voice_en)):
        if not re.fullmatch(r"[A-Za-z0-9_+-]{1,40}", value):
            raise fail(f"speech.{key}", f"{value!r} is not an espeak-ng voice name such as cmn (语音名称无效)")
    if speech.auto_read not in SPEECH_AUTO_READ:
        raise fail(
            "speech.auto_read", f"{speech.auto_read!r} is not one of {', '.join(SPEECH_AUTO_READ)} (自动朗读应为 never、elder 或 always)"
        )
    return speech


def _parse_idcard_scanner(get, fail) -> tuple[IdCardConfig, ScannerConfig]:
    """[idcard] and [scanner] (docs/idcard.md)."""

    def number(section: str, key: str, default: int, low: int, high: int, zh: str) -> int:
        value = get(section, key, int, default)
        if not low <= value <= high:
            raise fail(f"{section}.{key}", f"{value} is outside {low}..{high} ({zh}应在{low}到{high}之间)")
        return value

    def uri(section: str, example: str) -> str:
        value = get(section, "uri", str, "").strip()
        if value and not re.match(r"(serial|tcp|sim|loop):", value):
            raise fail(f"{section}.uri", f"{value!r} is not a device URI such as {example} (设备地址无效)")
        return value

    d, ds = IdCardConfig(), ScannerConfig()
    idcard = IdCardConfig(
        uri=uri("idcard", "serial:///dev/ttyUSB0?baud=115200, tcp://10.0.0.9:4001 or sim:"),
        timeout_ms=number("idcard", "timeout_ms", d.timeout_ms, 100, 10000, "读卡器应答时限（毫秒）"),
        read_timeout_ms=number("idcard", "read_timeout_ms", d.read_timeout_ms, 500, 20000, "读卡时限（毫秒）"),
        wait_seconds=number("idcard", "wait_seconds", d.wait_seconds, 5, 120, "等待放证时间（秒）"),
    )
    scanner = ScannerConfig(
        uri=uri("scanner", "serial:///dev/ttyACM0?baud=9600"),
        wedge=get("scanner", "wedge", bool, ds.wedge),
        max_key_interval_ms=number("scanner", "max_key_interval_ms", ds.max_key_interval_ms, 5, 200, "扫码按键间隔（毫秒）"),
        min_length=number("scanner", "min_length", ds.min_length, 1, 64, "扫码最短长度"),
        terminator=get("scanner", "terminator", str, ds.terminator).strip().lower(),
    )
    if scanner.terminator not in SCANNER_TERMINATORS:
        raise fail("scanner.terminator", f"{scanner.terminator!r} is not one of {', '.join(SCANNER_TERMINATORS)} (结束键应为 enter 或 tab)")
    return idcard, scanner


def _parse_hours(section: dict[str, Any], fail) -> ServiceHours:
    section = dict(section)
    hotline = section.pop("hotline", ServiceHours.hotline)
    if not isinstance(hotline, str) or not hotline.strip():
        raise fail("service_hours.hotline", f"{hotline!r} must be a phone number such as \"12345\" (应为热线电话号码)")
    try:
        schedule = Schedule.from_dict(section)
    except ScheduleError as exc:
        raise fail(f"service_hours.{exc.key}", exc.problem) from None
    return ServiceHours(schedule.weekdays, schedule.periods, schedule.seasons, schedule.closed, hotline=hotline.strip())


def _parse_console(get, fail) -> ConsoleConfig:
    """[console] (docs/console.md)."""
    d = ConsoleConfig()

    def number(key: str, default: int, low: int, high: int, zh: str) -> int:
        value = get("console", key, int, default)
        if not low <= value <= high:
            raise fail(f"console.{key}", f"{value} is outside {low}..{high} ({zh}应在{low}到{high}之间)")
        return value

    secure = get("console", "secure_cookies", str, d.secure_cookies).strip()
    if secure not in ("auto", "always", "never"):
        raise fail("console.secure_cookies", "must be auto, always or never (应为 auto、always 或 never)")
    audit_terminal = get("console", "audit_terminal", str, d.audit_terminal).strip()
    if not audit_terminal or len(audit_terminal) > 40:
        raise fail("console.audit_terminal", "must be 1 to 40 characters (应为1到40个字符)")
    return ConsoleConfig(
        idle_minutes=number("idle_minutes", d.idle_minutes, 1, 24 * 60, "空闲退出时间（分钟）"),
        max_hours=number("max_hours", d.max_hours, 1, 72, "登录有效时长（小时）"),
        max_failures=number("max_failures", d.max_failures, 3, 20, "密码错误次数上限"),
        lockout_minutes=number("lockout_minutes", d.lockout_minutes, 1, 24 * 60, "锁定时间（分钟）"),
        min_password_length=number("min_password_length", d.min_password_length, 8, 64, "密码最短长度"),
        secure_cookies=secure,
        poll_ms=number("poll_ms", d.poll_ms, 500, 2000, "呼叫刷新间隔（毫秒）"),
        audit_terminal=audit_terminal,
    )


# --- the center's layer (kiosk-terminal-config/1, docs/fleet.md) ------------------------------

TERMINAL_CONFIG_FORMAT = "kiosk-terminal-config/1"
#: the center's settings of this terminal, written when a `config` snapshot is applied
CENTER_LAYER_NAME = "center-config.toml"

#: What the center may set: how the terminal serves citizens and the center's policies. Every
#: other key stays the installation's own, because a wrong value would cut the terminal off or
#: point it elsewhere (database, data folder, the link to the center, notification robot and
#: its secret), or describes this machine's own hardware (printer, device URIs and timings,
#: the scanner, the installed voices, the player program).
CENTER_KEYS: dict[str, frozenset[str]] = {
    "terminal": frozenset({"name", "zone"}),
    "ui": frozenset({"idle_timeout_seconds", "idle_warning_seconds", "language"}),
    "service_hours": frozenset({"weekdays", "periods", "seasons", "closed", "hotline"}),
    "speech": frozenset({"enabled", "volume", "rate", "auto_read"}),
    "helpers": frozenset({"reraise_after_minutes", "expire_after_minutes", "purge_after_days", "waiting_idle_seconds"}),
    "staff": frozenset({"session_idle_seconds", "max_pin_attempts", "lockout_minutes"}),
    "faults": frozenset({"escalate_after_minutes", "reopen_within_minutes"}),
    "devices": frozenset({"poll_seconds", "disk_min_free_mb"}),
    "notify": frozenset({"timeout_seconds", "max_attempts"}),
    "idcard": frozenset({"wait_seconds"}),
    "logs": frozenset({"max_size_mb", "backup_count"}),
}
#: The sections of CENTER_KEYS a running kiosk takes as soon as it pulls a new ``config``
#: (kiosk.app.Application.apply_center_config): they are read where they are used (the idle
#: timer, the service hours, the helpers', staff and fault services). The others take effect at
#: the next start: the terminal's name is on the screen and in every record's service, the
#: voice, the device monitor, the notifier, the card reader and the log files are set up once.
LIVE_CENTER_SECTIONS = frozenset({"ui", "service_hours", "helpers", "staff", "faults"})
_DOCUMENT_KEYS = ("format", "all", "terminals", "note")
_TERMINAL_ID = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def changed_center_keys(old: Config, new: Config) -> list[str]:
    """The keys the center may set whose value differs between two configurations ("ui.language" …)."""
    return sorted(f"{section}.{key}" for section, keys in CENTER_KEYS.items() for key in keys
                  if getattr(getattr(old, section), key) != getattr(getattr(new, section), key))


def check_center_keys(layer: Any, source: str) -> None:
    """Every section a table, every key one the center may set (CENTER_KEYS). ConfigError
    names the first that is not, saying whether it is unknown or the installation's own."""
    if not isinstance(layer, dict):
        raise ConfigError("(settings)", "must be an object of sections such as {\"ui\": {…}} (应为按配置节分组的对象)", source)
    for section, table in layer.items():
        if section not in _KNOWN:
            raise ConfigError(str(section), "unknown section (未知配置节)", source)
        if not isinstance(table, dict):
            raise ConfigError(section, f"must be a table like [{section}] (应为配置节)", source)
        for key in table:
            if key not in _KNOWN[section]:
                raise ConfigError(f"{section}.{key}", "unknown key (未知配置项)", source)
            if key not in CENTER_KEYS.get(section, ()):
                raise ConfigError(f"{section}.{key}", "may not be set by the center: it stays in the terminal's own "
                                  "configuration file (此项只能在终端本机的配置文件中设置，中心不得下发)", source)


def _merged(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers win key by key (a list such as service_hours.periods is replaced whole)."""
    result: dict[str, Any] = {}
    for layer in layers:
        for section, table in layer.items():
            below = result.get(section)
            result[section] = {**below, **table} if isinstance(below, dict) and isinstance(table, dict) else table
    return result


def _document_parts(document: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The "all" part and the per-terminal parts of a kiosk-terminal-config/1 document, their
    keys checked. ConfigError."""
    if not isinstance(document, dict) or document.get("format") != TERMINAL_CONFIG_FORMAT:
        declared = document.get("format") if isinstance(document, dict) else None
        raise ConfigError("format", f"must be {TERMINAL_CONFIG_FORMAT}, not {declared!r} (文件格式应为 {TERMINAL_CONFIG_FORMAT})")
    for key in document:
        if key not in _DOCUMENT_KEYS:
            raise ConfigError(str(key), f"unknown key; a document has {', '.join(_DOCUMENT_KEYS)} (未知字段)")
    everyone = document.get("all", {})
    check_center_keys(everyone, "all")
    terminals = document.get("terminals", {})
    if not isinstance(terminals, dict):
        raise ConfigError("terminals", "must be an object of terminal id → settings (应为按终端编号分组的对象)")
    for terminal_id, part in terminals.items():
        if not _TERMINAL_ID.fullmatch(terminal_id):
            raise ConfigError(f"terminals.{terminal_id}", "is not a terminal id (letters, digits, '-', '_', '.') (终端编号无效)")
        check_center_keys(part, f"terminals.{terminal_id}")
    return everyone, terminals


def terminal_layer(document: Any, terminal_id: str) -> dict[str, Any]:
    """This terminal's settings in a kiosk-terminal-config/1 document: "all", then its own part
    over it. ConfigError when the document or a key is not allowed (the terminal never trusts
    the wire)."""
    everyone, terminals = _document_parts(document)
    return _merged(everyone, terminals.get(terminal_id, {}))


def check_terminal_config(document: Any) -> None:
    """What the center checks before it publishes a kiosk-terminal-config/1 document: its form,
    every key one the center may set, and every value through the same checks as a terminal's
    file — "all" alone and each terminal's part over it, over the built-in defaults. (A pair
    checked together, such as ui.idle_warning_seconds < ui.idle_timeout_seconds, is checked
    again on each terminal against its own file.) ConfigError names where and which key."""
    everyone, terminals = _document_parts(document)
    for where, layer in [("all", everyone)] + [(f"terminals.{t}", _merged(everyone, part)) for t, part in terminals.items()]:
        try:
            _parse(layer, where, {})
        except ConfigError as exc:
            raise ConfigError(exc.key, exc.problem, where) from None


def read_center_layer(path: Path) -> dict[str, Any] | None:
    """The center's layer file, its keys checked (never trusted: it may have been edited by
    hand); None when there is none. ConfigError."""
    source = str(path)
    try:
        with open(path, "rb") as fh:
            layer = tomllib.load(fh)
    except FileNotFoundError:
        return None
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise ConfigError("(file)", f"not valid TOML (格式错误): {str(exc).split(';')[0]}", source) from None
    except OSError as exc:
        raise ConfigError("(file)", f"cannot be read (无法读取): {exc.strerror}", source) from None
    check_center_keys(layer, source)
    return layer


def _with_center_layer(data: dict[str, Any], layer: dict[str, Any], layer_source: str, source: str | None,
                       env: dict[str, str]) -> Config:
    try:
        config = _parse_with_env(_merged(data, layer), source, env)
    except ConfigError as exc:
        problem = exc.problem + " — with the center's settings over this terminal's file (与中心下发的配置合并后)"
        raise ConfigError(exc.key, problem, layer_source) from None
    keys = frozenset(f"{section}.{key}" for section, table in layer.items() for key in table)
    return replace(config, center_keys=keys, center_layer=layer_source, center_problem="")


def check_center_layer(config: Config, layer: dict[str, Any], env: dict[str, str] | None = None) -> Config:
    """The configuration ``config``'s installation would have with ``layer`` as its center
    layer: the installation's file (``config.source``) read again, the layer over it, the
    environment overrides over both, and everything checked. ConfigError says why not."""
    check_center_keys(layer, "center")
    env = dict(os.environ) if env is None else env
    data = _read_file(config.source)
    _parse_with_env(data, config.source, env)  # the file alone first: its own faults are named as such
    return _with_center_layer(data, layer, "center", config.source, env)


def write_center_layer(data_dir: Path | str, layer: dict[str, Any], note: str = "") -> Path:
    """Store the center's layer as <data_dir>/center-config.toml, atomically (a partial file,
    flushed to disk, then renamed over the old one). Check it first (check_center_layer)."""
    lines = ["# 中心下发的本终端配置（从中心同步，请勿手改；本机设置请改本机配置文件）",
             "# this terminal's settings from the center, synced: do not edit (change the installation's file instead)"]
    lines += [f"# {line}" for line in note.splitlines() if line.strip()]
    for section in sorted(layer):
        lines += ["", f"[{section}]"]
        lines += [f"{key} = {_toml(value)}" for key, value in sorted(layer[section].items())]
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != layer:  # what is read back is exactly what was sent
        raise ConfigError("(file)", "the center's settings cannot be written as TOML (无法写成配置文件)", CENTER_LAYER_NAME)
    path = Path(data_dir) / CENTER_LAYER_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(CENTER_LAYER_NAME + ".partial")
    with open(partial, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, path)
    return path


def _toml(value: Any) -> str:
    """A value of the center's layer (text, whole number, true/false, a list, a table) in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ConfigError("(value)", f"{value!r} is not valid text (文字无效)", CENTER_LAYER_NAME) from None
        escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else "\\" + c if c in '"\\' else c
                          for c in value)
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    raise ConfigError("(value)", f"{value!r} cannot be written (无法写入)", CENTER_LAYER_NAME)
