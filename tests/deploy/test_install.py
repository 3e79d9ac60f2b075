"""deploy/: install.sh into a throwaway root (--root), twice; the units pass systemd-analyze
verify; the scripts pass bash -n and shellcheck. (Starting cage needs a seat and a display,
which a test machine has not: docs/deployment.md says how to verify on the terminal.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALL = DEPLOY / "install.sh"
UNITS = ["zwfw-kiosk.service", "zwfw-kiosk-backup.service", "zwfw-kiosk-backup.timer",
         "zwfw-kiosk-devices-check.service", "zwfw-kiosk-devices-check.timer",
         "zwfw-kiosk-purge.service", "zwfw-kiosk-purge.timer"]

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="install.sh creates a user and chowns files: run as root")


def fake_bundle(folder: Path, version: str = "0.1.0", payload: str = "one") -> Path:
    """Something shaped like dist/kiosk: an executable `kiosk` and _internal/."""
    (folder / "_internal").mkdir(parents=True)
    (folder / "_internal" / "payload").write_text(payload)
    kiosk = folder / "kiosk"
    kiosk.write_text(f'#!/bin/sh\n# {payload}\necho "kiosk {version}"\n')
    kiosk.chmod(0o755)
    return folder


@pytest.fixture
def target(tmp_path) -> Path:
    """A throwaway root: the host's user database (useradd --root edits it), systemd's own unit
    files (for systemd-analyze verify --root), and stand-ins for cage and xinit."""
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow", "login.defs"):
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)
    if Path("/usr/lib/systemd/system").is_dir():
        shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    for program in ("cage", "xinit", "Xorg"):
        stub = root / "usr/bin" / program
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\nexit 0\n")
        stub.chmod(0o755)
    return root


def install(root: Path, bundle: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), "--bundle", str(bundle), *args],
        capture_output=True, text=True, timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


STANDARD = ("--terminal-id", "YC-24H-01", "--terminal-name", '24小时自助区 "1" 号', "--zone", "24h", "--printer", "0416:501A")


def tree_digest(root: Path) -> dict[str, str]:
    digest = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if rel.startswith("usr/lib/systemd") or rel.endswith(".pwd.lock"):
            continue
        if path.is_symlink():
            digest[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            st = path.stat()
            digest[rel] = f"{hashlib.sha256(path.read_bytes()).hexdigest()} {oct(st.st_mode)} {st.st_uid}:{st.st_gid}"
    return digest


@needs_root
def test_install_into_a_throwaway_root_twice(target, tmp_path):
    bundle = fake_bundle(tmp_path / "bundle")
    first = install(target, bundle, *STANDARD)
    assert "new release 0.1.0-" in first.stdout

    passwd = (target / "etc/passwd").read_text()
    [kiosk_line] = [line for line in passwd.splitlines() if line.startswith("kiosk:")]
    _, _, uid, gid, _, home, shell = kiosk_line.split(":")
    assert home == "/var/lib/zwfw-kiosk" and shell == "/usr/sbin/nologin"
    assert any(line.startswith("lp:") and "kiosk" in line.split(":")[3].split(",") for line in (target / "etc/group").read_text().splitlines())
    data = target / "var/lib/zwfw-kiosk"
    assert (data.stat().st_uid, data.stat().st_gid) == (int(uid), int(gid))

    app = target / "opt/zwfw-kiosk"
    assert os.readlink(app / "kiosk") == "current/kiosk"
    release = os.readlink(app / "current")
    assert release.startswith("releases/0.1.0-")
    assert (app / "kiosk").resolve() == (app / release / "kiosk").resolve()
    assert subprocess.run([str(app / "kiosk")], capture_output=True, text=True).stdout.strip() == "kiosk 0.1.0"
    assert (app / "docs/deployment.md").read_text(encoding="utf-8") == (ROOT / "docs/deployment.md").read_text(encoding="utf-8")

    # the configuration is what the kiosk reads
    config_file = target / "etc/zwfw-kiosk/kiosk.toml"
    assert oct(config_file.stat().st_mode & 0o777) == "0o640" and config_file.stat().st_gid == int(gid)
    config = load_config(config_file, env={})
    assert (config.terminal.id, config.terminal.name, config.terminal.zone) == ("YC-24H-01", '24小时自助区 "1" 号', "24h")
    assert config.printer.uri == "usb://0416:501a" and config.printer.profile == "generic-80"
    assert config.data_dir == Path("/var/lib/zwfw-kiosk")

    rule = (target / "etc/udev/rules.d/60-zwfw-kiosk-printer.rules").read_text()
    assert 'SUBSYSTEM=="usb", ATTRS{idVendor}=="0416", ATTRS{idProduct}=="501a", MODE="0660", GROUP="lp"' in rule
    assert "@" not in rule

    wrapper = (target / "usr/local/bin/kiosk").read_text()
    assert "runuser -u kiosk" in wrapper and "/etc/zwfw-kiosk/kiosk.toml" in wrapper
    assert subprocess.run(["sh", "-n", str(target / "usr/local/bin/kiosk")]).returncode == 0

    system = target / "etc/systemd/system"
    for unit in UNITS:
        assert (system / unit).read_text() == (DEPLOY / "systemd" / unit).read_text()
    assert (system / "graphical.target.wants/zwfw-kiosk.service").is_symlink()
    assert (system / "timers.target.wants/zwfw-kiosk-backup.timer").is_symlink()
    assert (system / "timers.target.wants/zwfw-kiosk-devices-check.timer").is_symlink()
    assert (system / "timers.target.wants/zwfw-kiosk-purge.timer").is_symlink()
    assert os.readlink(system / "default.target").endswith("graphical.target")
    for masked in ("sleep.target", "suspend.target", "hibernate.target", "hybrid-sleep.target"):
        assert os.readlink(system / masked) == "/dev/null"
    assert "IdleAction=ignore" in (target / "etc/systemd/logind.conf.d/zwfw-kiosk.conf").read_text()
    assert "consoleblank=0" in (target / "etc/default/grub.d/zwfw-kiosk.cfg").read_text()
    assert "pam_systemd.so" in (target / "etc/pam.d/zwfw-kiosk").read_text()
    assert os.readlink(target / "etc/localtime") == "/usr/share/zoneinfo/Asia/Shanghai"

    # idempotent: the same arguments change nothing
    before = tree_digest(target)
    second = install(target, bundle, *STANDARD)
    assert "nothing changed" in second.stdout and "wrote" not in second.stdout
    assert tree_digest(target) == before


@needs_root
def test_new_bundles_become_releases_and_three_are_kept(target, tmp_path):
    bundles = [fake_bundle(tmp_path / f"b{n}", version=f"0.{n}.0", payload=str(n)) for n in range(1, 5)]
    releases = []
    for bundle in bundles:
        install(target, bundle, *STANDARD)
        releases.append(os.readlink(target / "opt/zwfw-kiosk/current"))
    assert len(set(releases)) == 4 and releases[-1].startswith("releases/0.4.0-")
    kept = sorted(p.name for p in (target / "opt/zwfw-kiosk/releases").iterdir())
    assert kept == sorted(r.split("/")[1] for r in releases[1:])
    # rolling back is pointing `current` at a kept release (docs/deployment.md)
    assert (target / "opt/zwfw-kiosk" / releases[2] / "kiosk").is_file()


@needs_root
def test_an_edited_configuration_is_kept(target, tmp_path):
    bundle = fake_bundle(tmp_path / "bundle")
    install(target, bundle, *STANDARD)
    config_file = target / "etc/zwfw-kiosk/kiosk.toml"
    edited = config_file.read_text(encoding="utf-8") + '\n[notify]\nwebhook_url = "https://example.invalid/hook"\n'
    config_file.write_text(edited, encoding="utf-8")
    result = install(target, bundle, *STANDARD[:-1], "0416:5011")
    assert "kiosk.toml differs" in result.stderr
    assert config_file.read_text(encoding="utf-8") == edited
    assert 'uri = "usb://0416:5011"' in (target / "etc/zwfw-kiosk/kiosk.toml.new").read_text(encoding="utf-8")
    install(target, bundle, *STANDARD[:-1], "0416:5011", "--overwrite-config")
    assert load_config(config_file, env={}).printer.uri == "usb://0416:5011"
    assert not (target / "etc/zwfw-kiosk/kiosk.toml.new").exists()
    assert 'idProduct}=="5011"' in (target / "etc/udev/rules.d/60-zwfw-kiosk-printer.rules").read_text()


@needs_root
def test_without_a_printer_the_simulated_one_and_no_udev_rule(target, tmp_path):
    bundle = fake_bundle(tmp_path / "bundle")
    install(target, bundle, *STANDARD)
    install(target, bundle, "--terminal-id", "YC-HALL-02", "--terminal-name", "大厅自助终端 2 号", "--overwrite-config")
    config = load_config(target / "etc/zwfw-kiosk/kiosk.toml", env={})
    assert config.printer.uri == "sim://" and config.terminal.zone == "hall"
    assert not (target / "etc/udev/rules.d/60-zwfw-kiosk-printer.rules").exists()


@needs_root
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--terminal-id", "YC 01", "--terminal-name", "x"), "may hold only"),
        (("--terminal-id", "YC-01", "--terminal-name", "x", "--zone", "night"), "--zone must be hall or 24h"),
        (("--terminal-id", "YC-01", "--terminal-name", "x", "--printer", "0416-5011"), "--printer must be VID:PID"),
        (("--terminal-id", "YC-01", "--terminal-name", "x", "--session", "gnome"), "--session must be cage or x11"),
        (("--terminal-id", "YC-01"), "--terminal-name is required"),
        (("--terminal-id", "YC-01", "--terminal-name", "x", "--frobnicate"), "unknown argument"),
    ],
)
def test_bad_arguments_stop_before_anything_is_written(target, tmp_path, args, message):
    bundle = fake_bundle(tmp_path / "bundle")
    before = tree_digest(target)
    result = install(target, bundle, *args, check=False)
    assert result.returncode == 2 and message in result.stderr
    assert tree_digest(target) == before


def test_not_a_bundle_is_refused(target, tmp_path):
    (tmp_path / "empty").mkdir()
    result = install(target, tmp_path / "empty", *STANDARD, check=False)
    assert result.returncode == 2 and "is not a kiosk bundle" in result.stderr


@needs_root
@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("session", ["cage", "x11"])
def test_installed_units_pass_systemd_analyze_verify(target, tmp_path, session):
    install(target, fake_bundle(tmp_path / "bundle"), *STANDARD, "--session", session)
    if session == "x11":
        assert "xinit /opt/zwfw-kiosk/xsession" in (target / "etc/systemd/system/zwfw-kiosk.service").read_text()
        assert os.access(target / "opt/zwfw-kiosk/xsession", os.X_OK)
    result = subprocess.run(
        ["systemd-analyze", "verify", f"--root={target}", *[f"/etc/systemd/system/{u}" for u in UNITS]],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_verify_catches_a_broken_unit(target):
    """The check above can fail: a unit with an unknown key and a missing program does."""
    broken = target / "etc/systemd/system/broken.service"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("[Service]\nExecStart=/opt/zwfw-kiosk/kiosk run\nWatchdogSecs=30\n")
    result = subprocess.run(["systemd-analyze", "verify", f"--root={target}", "/etc/systemd/system/broken.service"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "WatchdogSecs" in result.stderr


def test_scripts_pass_bash_n_and_shellcheck():
    scripts = [INSTALL, DEPLOY / "x11" / "xsession"]
    for script in scripts:
        assert os.access(script, os.X_OK), script
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed (make test installs the Debian package)")
    result = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@needs_root
def test_reader_and_scanner_rules_and_configuration(target, tmp_path):
    bundle = fake_bundle(tmp_path / "bundle")
    install(target, bundle, "--terminal-id", "YC-HALL-03", "--terminal-name", "大厅 3 号", "--idcard", "1A86:7523", "--scanner", "0483:5740")
    rules = target / "etc/udev/rules.d"
    reader_rule = (rules / "60-zwfw-kiosk-idcard.rules").read_text()
    assert 'SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", MODE="0660", GROUP="dialout", SYMLINK+="zwfw-idcard"' in reader_rule
    scanner_rule = (rules / "60-zwfw-kiosk-scanner.rules").read_text()
    assert 'ATTRS{idVendor}=="0483", ATTRS{idProduct}=="5740"' in scanner_rule and 'SYMLINK+="zwfw-scanner"' in scanner_rule
    assert "@" not in reader_rule + scanner_rule
    group = (target / "etc/group").read_text().splitlines()
    if any(line.startswith("dialout:") for line in group):
        assert any(line.startswith("dialout:") and "kiosk" in line.split(":")[3].split(",") for line in group)
    config = load_config(target / "etc/zwfw-kiosk/kiosk.toml", env={})
    assert config.idcard.uri == "serial:///dev/zwfw-idcard?baud=115200"
    assert config.scanner.uri == "serial:///dev/zwfw-scanner?baud=9600"

    # without them, the rules go and the configuration has neither
    install(target, bundle, "--terminal-id", "YC-HALL-03", "--terminal-name", "大厅 3 号", "--overwrite-config")
    assert not (rules / "60-zwfw-kiosk-idcard.rules").exists() and not (rules / "60-zwfw-kiosk-scanner.rules").exists()
    config = load_config(target / "etc/zwfw-kiosk/kiosk.toml", env={})
    assert config.idcard.uri == "" and config.scanner.uri == ""


@needs_root
def test_a_malformed_reader_id_is_refused(target, tmp_path):
    bundle = fake_bundle(tmp_path / "bundle")
    result = install(target, bundle, "--terminal-id", "T", "--terminal-name", "T", "--idcard", "ch340", check=False)
    assert result.returncode == 2 and "--idcard must be VID:PID" in result.stderr
