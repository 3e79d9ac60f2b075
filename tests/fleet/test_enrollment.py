"""Enrollment, credentials and revocation against the real center (uvicorn) on a real PostgreSQL."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from fleet_support import kiosk, write_terminal_config

pytestmark = pytest.mark.postgres


def code_for(center, terminal_id: str, tmp_path) -> str:
    done = kiosk("center", "code", terminal_id, "--db", center.db_url, data_dir=tmp_path / "admin")
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1].strip()


def enroll(center, terminal_id: str, tmp_path, code: str):
    folder = tmp_path / terminal_id
    config = write_terminal_config(folder, terminal_id, center.url)
    return kiosk("center", "enroll", "--code", code, data_dir=folder / "data", config=config), folder, config


def post(url: str, body: dict, token: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read() or b"{}")


def token_of(folder) -> str:
    return json.loads((folder / "data" / "center" / "credential.json").read_text())["token"]


def test_a_code_enrolls_its_terminal_once_and_revocation_shuts_it_out(center, tmp_path):
    code = code_for(center, "T-01", tmp_path)
    done, folder, config = enroll(center, "T-01", tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert "已注册" in done.stdout
    credential = folder / "data" / "center" / "credential.json"
    assert credential.stat().st_mode & 0o777 == 0o600
    token = token_of(folder)
    assert post(center.url + "/api/v1/heartbeat", {"status": {}}, token)[0] == 200

    # the same code a second time (another terminal, or the same one again): refused
    again, *_ = enroll(center, "T-01", tmp_path / "again", code)
    assert again.returncode == 1
    assert "注册码无效" in again.stderr

    # a code is for one terminal id
    other_code = code_for(center, "T-02", tmp_path)
    wrong, *_ = enroll(center, "T-03", tmp_path, other_code)
    assert wrong.returncode == 1 and "注册码无效" in wrong.stderr

    revoked = kiosk("center", "revoke", "T-01", "--db", center.db_url, data_dir=tmp_path / "admin")
    assert revoked.returncode == 0, revoked.stderr
    status, answer = post(center.url + "/api/v1/heartbeat", {"status": {}}, token)
    assert status == 401 and "吊销" in answer["error"]
    pushed = kiosk("center", "push", data_dir=folder / "data", config=config)
    assert pushed.returncode == 0  # nothing queued: nothing to refuse
    status, _ = post(center.url + "/api/v1/push", {"events": []}, token)
    assert status == 401


def test_an_unknown_credential_gets_nothing(center):
    for path in ("/api/v1/snapshots", "/api/v1/calls"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(urllib.request.Request(center.url + path, headers={"Authorization": "Bearer forged"}), timeout=5)
        caught.value.close()
        assert caught.value.code == 401
    assert post(center.url + "/api/v1/push", {"events": []}, "forged")[0] == 401
    assert post(center.url + "/api/v1/push", {"events": []})[0] == 401


def test_a_terminal_cannot_write_in_another_terminals_name(center, enrolled_terminals, center_schema):
    import uuid

    from kiosk.fleet.ids import new_id

    (f1, _), (f2, _) = enrolled_terminals(2)
    t1, t2 = token_of(f1), token_of(f2)

    def event(terminal: str, record_uid: str | None = None, seq: int = 1) -> dict:
        return {"id": new_id(), "seq": seq, "kind": "rating", "record_uid": record_uid or new_id(), "local_id": "1",
                "op": "upsert", "made_at": "2026-03-02T09:00:00",
                "data": {"id": 1, "terminal": terminal, "level": 5, "rated_at": "2026-03-02T09:00:00"}}

    # T-02 stores its own rating
    own = event("T-02")
    assert post(center.url + "/api/v1/push", {"events": [own]}, t2) == (200, {"stored": 1, "duplicates": 0})

    # T-01 with its own credential claims to be T-02: refused, nothing of the batch stored
    status, answer = post(center.url + "/api/v1/push", {"events": [event("T-01"), event("T-02")]}, t1)
    assert status == 403 and "只能以自己的名义" in answer["error"]
    # … or overwrites T-02's record by its global id, under its own name: refused too
    status, answer = post(center.url + "/api/v1/push", {"events": [event("T-01", own["record_uid"], seq=99)]}, t1)
    assert status == 403 and "其他终端" in answer["error"]
    assert center_schema.scalar("SELECT count(*) FROM center_event") == 1
    assert center_schema.scalar("SELECT terminal_id || ':' || (data->>'level') FROM center_record") == "T-02:5"
    assert uuid.UUID(own["record_uid"]).version == 7

    # a resend of the same event is harmless
    assert post(center.url + "/api/v1/push", {"events": [own]}, t2) == (200, {"stored": 0, "duplicates": 1})
