"""Real parts for the fleet tests: a PostgreSQL server, the center under uvicorn on loopback,
terminals with their own data folders and SQLite files (in this process or as subprocesses).

PostgreSQL: $KIOSK_TEST_POSTGRES_URL (.ci/run starts a throwaway cluster and sets it); without
it, a cluster of our own is started with .ci/postgres.sh for the session. A test is skipped for
lack of a server only outside CI: with $KIOSK_REQUIRE_POSTGRES=1 (.ci/run sets it) a missing
server fails the run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
ENV_URL = "KIOSK_TEST_POSTGRES_URL"
ENV_REQUIRE = "KIOSK_REQUIRE_POSTGRES"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _no_server(reason: str):
    if os.environ.get(ENV_REQUIRE) == "1":
        pytest.fail(f"PostgreSQL required ({ENV_REQUIRE}=1) but {reason}")
    pytest.skip(reason)


class PostgresServer:
    """The session's PostgreSQL: the URL of a database the test role owns."""

    def __init__(self):
        self.url = os.environ.get(ENV_URL, "")
        self._dir: str | None = None

    def start(self) -> str:
        if self.url:
            return self.url
        script = ROOT / ".ci" / "postgres.sh"
        self._dir = tempfile.mkdtemp(prefix="kiosk-fleet-pg.")
        env = {**os.environ, "KIOSK_PG_PORT": str(free_port())}
        done = subprocess.run([str(script), "start", self._dir], capture_output=True, text=True, env=env, timeout=180)
        if done.returncode != 0:
            self.stop()
            _no_server(f"{ENV_URL} is not set and .ci/postgres.sh could not start a server: {done.stderr[-500:]}")
        self.url = done.stdout.strip().splitlines()[-1]
        return self.url

    def stop(self) -> None:
        if self._dir:
            subprocess.run([str(ROOT / ".ci" / "postgres.sh"), "stop", self._dir], capture_output=True, timeout=120)
            self._dir = None


@dataclass
class Schema:
    url: str
    name: str

    def scalar(self, sql: str, **params):
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql), params).scalar()
        finally:
            engine.dispose()

    def rows(self, sql: str, **params) -> list:
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(sql), params))
        finally:
            engine.dispose()


def new_schema(base_url: str) -> tuple[Schema, callable]:
    base = make_url(base_url)
    name = "center_test_" + uuid.uuid4().hex[:10]
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)

    def drop():
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()

    return Schema(url, name), drop


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


class CenterProcess:
    """`kiosk center serve` in a subprocess: the real app under uvicorn on 127.0.0.1."""

    def __init__(self, db_url: str, workdir: Path, *, silent_after: int = 30, check_every: int = 1,
                 tls: tuple[Path, Path, Path] | None = None):
        self.db_url = db_url
        self.workdir = workdir
        self.port = free_port()
        #: (certificate, key, the CA that signed it) for https
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.silent_after = silent_after
        self.check_every = check_every
        self.process: subprocess.Popen | None = None
        self.log = workdir / "center.log"

    def start(self) -> CenterProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        out = open(self.log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "center", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--db", self.db_url, "--silent-after", str(self.silent_after), "--check-every", str(self.check_every),
             *(["--ssl-certfile", str(self.tls[0]), "--ssl-keyfile", str(self.tls[1])] if self.tls else [])],
            stdout=out, stderr=subprocess.STDOUT, env=child_env(KIOSK_DATA_DIR=str(self.workdir / "data")), cwd=ROOT,
        )
        out.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"center exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                context = ssl.create_default_context(cafile=str(self.tls[2])) if self.tls else None
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=1, context=context) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"center did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


def kiosk(*args: str, data_dir: Path, config: Path | None = None, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """The `kiosk` command in a subprocess, as on another machine."""
    extra = {"KIOSK_DATA_DIR": str(data_dir), **env}
    if config is not None:
        extra["KIOSK_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=child_env(**extra), cwd=ROOT, timeout=timeout)


def write_terminal_config(folder: Path, terminal_id: str, center_url: str, **center: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[terminal]", f'id = "{terminal_id}"', f'name = "测试终端 {terminal_id}"', "",
             "[center]", f'url = "{center_url}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in center.items()]
    path = folder / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
