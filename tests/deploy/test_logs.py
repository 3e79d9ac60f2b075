"""Logging: personal data masked as a last line of defence, the file rotates, Qt's messages
arrive, and the [logs] configuration section."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from kiosk import logs
from kiosk.config import ConfigError, LogsConfig, load_config


@pytest.fixture
def root_logger():
    """Put the root logger's handlers and level back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证 411481199003150017 查询", "身份证 4****************7 查询"),
        ("id=41148119900315001X;", "id=4****************X;"),
        ("手机13812345678", "手机138****5678"),
        ("tel: 19912345678, 15012345678", "tel: 199****5678, 150****5678"),
        # not personal data: an item code, a timestamp, a landline, a 12-digit number, a port
        ("事项 1241148100447473XX4070002", "事项 1241148100447473XX4070002"),
        ("at 20261127031500 and 0370-5123456", "at 20261127031500 and 0370-5123456"),
        ("number 138123456789 and 12345678901", "number 138123456789 and 12345678901"),
        ("4114811990031500171 is 19 digits", "4114811990031500171 is 19 digits"),
        # the forms people type: dashes, spaces, +86, 15-digit IDs, IDs in groups, a lower-case x
        ("电话 138-1234-5678。", "电话 138****5678。"),
        ("电话 138 1234 5678", "电话 138****5678"),
        ("tel +86 138 1234 5678 / +8613912345678 / 0086-15012345678", "tel +86 138****5678 / +86139****5678 / 0086-150****5678"),
        ("（+86）13812345678", "（+86）138****5678"),
        ("老身份证 411481900315001 号", "老身份证 4*************1 号"),
        ("身份证 411481 19900315 001x 号", "身份证 4****************X 号"),
        ("身份证 4114-8119-9003-1500-17", "身份证 4****************7"),
        ("id 4114 8119 9003 1500 1X", "id 4****************X"),
        ("我叫张小三，电话没留", "我叫张*三，电话没留"),
        ("姓名：欧阳小明 反映窗口", "姓名：欧**明 反映窗口"),
        ("联系人 李四", "联系人 李*"),
        # still not personal data: a complaint number, a date and time, a 15-digit count
        ("kiosk complaints show TS-20261205-001", "kiosk complaints show TS-20261205-001"),
        ("2026-12-05 07:53:38,123 INFO 123456789012345", "2026-12-05 07:53:38,123 INFO 123456789012345"),
    ],
)
def test_mask_personal_data(text, expected):
    assert logs.mask_personal_data(text) == expected


def test_file_log_masks_message_arguments_and_tracebacks(data_dir, root_logger):
    config = load_config()
    assert config.data_dir == data_dir
    handler = logs.add_file_logging(config)
    assert handler is not None and logs.add_file_logging(config) is handler  # once per file
    log = logging.getLogger("kiosk.test")
    log.warning("query by %s for %s", "411481199003150017", "13812345678")
    try:
        raise ValueError("bad phone 13912345678")
    except ValueError:
        log.exception("lookup failed for 411481199003150017")
    handler.flush()
    text = logs.log_file(data_dir).read_text(encoding="utf-8")
    assert "query by 4****************7 for 138****5678" in text
    assert "lookup failed for 4****************7" in text
    assert "ValueError: bad phone 139****5678" in text and "Traceback" in text
    for secret in ("411481199003150017", "13812345678", "13912345678"):
        assert secret not in text


def test_stderr_handler_masks_too(capsys, root_logger):
    logs.configure_cli_logging(verbose=False)
    logging.getLogger("kiosk.test").info("not shown")
    logging.getLogger("kiosk.test").error("failed for 13812345678")
    err = capsys.readouterr().err
    assert "failed for 138****5678" in err and "not shown" not in err
    logs.configure_cli_logging(verbose=True)  # replaces the handler: one line per record
    logging.getLogger("kiosk.test").debug("debug now")
    assert capsys.readouterr().err.count("debug now") == 1


def test_file_rotates_at_the_configured_size_and_keeps_the_count(tmp_path, root_logger):
    config = replace(load_config(env={}), data_dir=tmp_path, logs=LogsConfig(max_size_mb=1, backup_count=2))
    handler = logs.add_file_logging(config)
    log = logging.getLogger("kiosk.rotation")
    line = "x" * 1000
    for number in range(4000):  # ~4 MB: more than three files' worth
        log.info("%05d %s", number, line)
    handler.flush()
    folder = tmp_path / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
    for path in folder.iterdir():
        assert path.stat().st_size <= 1024 * 1024
    assert "03999" in (folder / "kiosk.log").read_text(encoding="utf-8")
    assert "00000" not in "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())


def test_unwritable_log_folder_is_a_warning_not_a_failure(tmp_path, root_logger, caplog):
    (tmp_path / "logs").write_text("a file where the folder should be")
    config = replace(load_config(env={}), data_dir=tmp_path)
    assert logs.add_file_logging(config) is None
    assert "cannot write the log file" in caplog.text


def test_qt_messages_reach_logging(qapp, caplog):
    from ui import logbridge
    from ui.qt import QtCore

    previous = logbridge.install()
    try:
        with caplog.at_level(logging.DEBUG):
            QtCore.qDebug("qt debug 13812345678")
            QtCore.qWarning("qt says hello")
    finally:
        QtCore.qInstallMessageHandler(previous)
    records = {r.getMessage(): r for r in caplog.records if r.name.startswith("qt")}
    assert records["qt says hello"].levelno == logging.WARNING
    assert records["qt debug 13812345678"].levelno == logging.DEBUG


def test_logs_section(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[logs]\nmax_size_mb = 20\nbackup_count = 9\n", encoding="utf-8")
    assert load_config(path, env={}).logs == LogsConfig(max_size_mb=20, backup_count=9)
    assert load_config(env={}).logs == LogsConfig(max_size_mb=10, backup_count=5)
    assert load_config(env={}).redacted()["logs.max_size_mb"] == 10
    for bad, key in (("max_size_mb = 0", "logs.max_size_mb"), ("backup_count = 101", "logs.backup_count"), ("max_size_mb = \"5\"", "logs.max_size_mb"), ("level = 1", "logs.level")):
        path.write_text(f"[logs]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_config(path, env={})
        assert info.value.key == key
