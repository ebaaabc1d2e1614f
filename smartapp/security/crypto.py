"""Encryption at rest for tokens, secrets and note text (Fernet, with key rotation).

`configure()` is called once by create_app() (and by the worker through it); `EncryptedText` and
`EncryptedJSON` columns encrypt on write and decrypt on read. Several keys may be configured, newest
first: new values use the first, old values written with a retired key still decrypt (MultiFernet).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_cipher: MultiFernet | None = None


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


def configure(keys: tuple[str, ...]) -> None:
    global _cipher
    _cipher = MultiFernet([Fernet(k.encode()) for k in keys])


def _get() -> MultiFernet:
    if _cipher is None:
        raise RuntimeError("encryption is not configured: call smartapp.security.crypto.configure() first")
    return _cipher


def encrypt(plain: str) -> str:
    return _get().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _get().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("stored value cannot be decrypted with the configured keys") from None


def encrypt_bytes(plain: bytes) -> bytes:
    """For files kept at rest (uploaded originals): same keys and rotation as the text columns."""
    return _get().encrypt(plain)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _get().decrypt(token)
    except InvalidToken:
        raise DecryptionError("stored file cannot be decrypted with the configured keys") from None


class EncryptedText(TypeDecorator[str]):
    """A Text column whose value is Fernet-encrypted in the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value kept Fernet-encrypted in a Text column (stored copies of what was sent to the EHR:
    a Claim names the patient and their diagnoses)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(json.dumps(value, separators=(",", ":")))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(decrypt(value))
