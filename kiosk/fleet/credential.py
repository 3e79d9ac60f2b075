"""The terminal's credential from `kiosk center enroll`: the center's URL, this terminal's id and
its bearer token, in <data_dir>/center/credential.json (readable by the kiosk's user only).
The token is a password: never logged, never in backups of the database."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Credential:
    url: str
    terminal: str
    token: str
    enrolled_at: str


def credential_path(data_dir: Path) -> Path:
    return Path(data_dir) / "center" / "credential.json"


def load_credential(data_dir: Path) -> Credential | None:
    path = credential_path(data_dir)
    try:
        data = json.loads(path.read_text("utf-8"))
        return Credential(str(data["url"]), str(data["terminal"]), str(data["token"]), str(data.get("enrolled_at", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_credential(data_dir: Path, credential: Credential) -> Path:
    path = credential_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(credential), fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def forget_credential(data_dir: Path) -> bool:
    try:
        credential_path(data_dir).unlink()
        return True
    except FileNotFoundError:
        return False


__all__ = ["Credential", "credential_path", "forget_credential", "load_credential", "save_credential"]
