"""TLS: the center serves https with a certificate from the center's own CA (docs/fleet.md); a
terminal with that CA as [center] ca_file enrolls, one without it is refused, never downgraded."""

from __future__ import annotations

import subprocess

import pytest

from fleet_support import CenterProcess, kiosk, write_terminal_config

pytestmark = pytest.mark.postgres


def make_ca_and_certificate(folder):
    """The private-CA recipe of docs/fleet.md, for 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_crt = folder / "ca.key", folder / "ca.crt"
    key, csr, crt = folder / "center.key", folder / "center.csr", folder / "center.crt"

    def openssl(*args):
        subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-keyout", ca_key, "-out", ca_crt,
            "-subj", "/CN=县政务服务中心 CA", "-utf8", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1")
    openssl("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-days", "30",
            "-copy_extensions", "copy", "-out", crt)
    return crt, key, ca_crt


def test_a_terminal_enrolls_over_https_only_with_the_centers_ca(center_schema, tmp_path):
    crt, key, ca = make_ca_and_certificate(tmp_path / "pki")
    center = CenterProcess(center_schema.url, tmp_path / "center", tls=(crt, key, ca)).start()
    try:
        assert center.url.startswith("https://")
        admin = tmp_path / "admin"
        code = kiosk("center", "code", "T-01", "--db", center.db_url, data_dir=admin).stdout.splitlines()[1].strip()

        untrusting = write_terminal_config(tmp_path / "untrusting", "T-01", center.url)
        refused = kiosk("center", "enroll", "--code", code, data_dir=tmp_path / "untrusting" / "data", config=untrusting)
        assert refused.returncode == 1 and "证书无法验证" in refused.stderr

        trusting = write_terminal_config(tmp_path / "trusting", "T-01", center.url, ca_file=str(ca))
        done = kiosk("center", "enroll", "--code", code, data_dir=tmp_path / "trusting" / "data", config=trusting)
        assert done.returncode == 0, done.stderr
        pushed = kiosk("center", "push", data_dir=tmp_path / "trusting" / "data", config=trusting)
        assert pushed.returncode == 0, pushed.stderr
    finally:
        center.stop()
