"""What RevRX keeps on disk is readable by its own account only (issue 13 item 8): the instance folder,
the generated keys, the SQLite database, SMART signing keys, uploaded originals and the dev stack's
logs are created 0700 (folders) and 0600 (files), whatever the umask lets through."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartapp.config import Settings
from smartapp.migrate import upgrade
from smartapp.security import crypto
from smartapp.security.files import open_private_log
from smartapp.smart.client_keys import load_keys
from smartapp.storage import LocalStorage


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def open_umask() -> Iterator[None]:
    """A permissive umask, as on many servers: what we create must not depend on it."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_keys_and_the_sqlite_database_are_private(tmp_path: Path, open_umask: None) -> None:
    instance = tmp_path / "instance"
    url = f"sqlite:///{instance / 'revrx.db'}"
    settings = Settings.from_env({"REVRX_INSTANCE_DIR": str(instance), "DATABASE_URL": url})
    assert _mode(instance) == 0o700
    assert _mode(instance / "encryption.key") == 0o600 and _mode(instance / "secret.key") == 0o600
    upgrade(settings.database_url)
    assert _mode(instance / "revrx.db") == 0o600


def test_generated_signing_keys_are_private(tmp_path: Path, open_umask: None) -> None:
    instance = tmp_path / "instance"
    load_keys("keys/generated.json", "ES384", instance)
    assert _mode(instance / "keys") == 0o700 and _mode(instance / "keys" / "generated.json") == 0o600


def test_uploaded_originals_are_private(tmp_path: Path, open_umask: None, encryption_key: str) -> None:
    crypto.configure((encryption_key,))
    data = b"Assessment: essential hypertension."
    storage = LocalStorage(tmp_path / "uploads")
    key = storage.put(hashlib.sha256(data).hexdigest(), data, "text/plain")
    stored = tmp_path / "uploads" / key
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700 and _mode(tmp_path / "uploads") == 0o700
    assert storage.get(key) == data


def test_process_logs_are_private(tmp_path: Path, open_umask: None) -> None:
    os.close(open_private_log(tmp_path / "logs" / "web.log"))
    assert _mode(tmp_path / "logs") == 0o700 and _mode(tmp_path / "logs" / "web.log") == 0o600
