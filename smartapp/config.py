"""Typed settings, read from the environment once at start-up.

Every setting has an embedded default that runs the whole product on one machine (SQLite file, local
Redis, the offline coding engine, the sandbox EHR). Production changes configuration only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from smartapp.sources.files.settings import UploadSettings

ROOT = Path(__file__).resolve().parents[1]
INSTANCE = ROOT / "instance"

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# Subresource integrity of the exact file we also ship in static/vendor/ (same npm tarball).
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names it."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def _encryption_keys(env: Mapping[str, str], instance: Path) -> tuple[str, ...]:
    """Fernet keys, newest first. Without REVRX_ENCRYPTION_KEY a key file is made once in instance/."""
    raw = env.get("REVRX_ENCRYPTION_KEY", "").strip()
    if not raw:
        key_file = instance / "encryption.key"
        if not key_file.exists():
            instance.mkdir(parents=True, exist_ok=True)
            key_file.write_bytes(Fernet.generate_key())
            key_file.chmod(0o600)
        raw = key_file.read_text().strip()
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            raise ConfigError("REVRX_ENCRYPTION_KEY must be url-safe base64 Fernet keys, comma-separated") from None
    return keys


def _secret_key(env: Mapping[str, str], instance: Path) -> str:
    value = env.get("SECRET_KEY", "").strip()
    if value:
        return value
    key_file = instance / "secret.key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        key_file.write_text(os.urandom(32).hex())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


@dataclass(frozen=True)
class Settings:
    secret_key: str
    database_url: str
    redis_url: str
    encryption_keys: tuple[str, ...]
    app_base_url: str
    launch_json: Path
    coding_engine: str = "local"
    htmx_source: str = "local"  # "cdn" adds the CDN tag with SRI, the local copy stays as fallback
    secure_cookies: bool = False
    queue_name: str = "revrx"
    job_timeout_s: int = 300
    fhir_timeout_s: float = 10.0
    token_refresh_margin_s: int = 120
    testing: bool = False
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_key: str | None = None
    aws_region: str = "us-east-1"
    extra: dict[str, str] = field(default_factory=dict)
    instance_dir: Path = INSTANCE   # REVRX_INSTANCE_DIR: generated keys (encryption, session, SMART client keys)
    uploads: UploadSettings = field(default_factory=UploadSettings)   # UPLOAD_* variables

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        instance = Path(env.get("REVRX_INSTANCE_DIR", str(INSTANCE)))
        app_base_url = env.get("APP_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        values: dict[str, object] = {
            "secret_key": _secret_key(env, instance),
            "database_url": env.get("DATABASE_URL") or f"sqlite:///{instance / 'revrx.db'}",
            "redis_url": env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "encryption_keys": _encryption_keys(env, instance),
            "app_base_url": app_base_url,
            "launch_json": Path(env.get("LAUNCH_JSON", str(ROOT / "launch.json"))),
            "instance_dir": instance,
            "coding_engine": env.get("CODING_ENGINE", "local"),
            "htmx_source": env.get("HTMX_SOURCE", "local"),
            # Cookies must be Secure (and SameSite=None) to work inside an EHR iframe over HTTPS.
            "secure_cookies": _bool(env.get("SECURE_COOKIES"), app_base_url.startswith("https://")),
            "queue_name": env.get("RQ_QUEUE", "revrx"),
            "job_timeout_s": _int(env, "JOB_TIMEOUT_S", 300),
            "token_refresh_margin_s": _int(env, "TOKEN_REFRESH_MARGIN_S", 120),
            "openai_base_url": env.get("OPENAI_BASE_URL") or None,
            "openai_model": env.get("OPENAI_MODEL", "gpt-4o-mini"),
            "openai_api_key": env.get("OPENAI_API_KEY") or None,
            "aws_region": env.get("AWS_REGION", "us-east-1"),
            "uploads": UploadSettings.from_env(env, instance),
        }
        if values["coding_engine"] not in {"local", "openai", "comprehend", "ensemble"}:
            raise ConfigError(
                f"CODING_ENGINE must be local, openai, comprehend or ensemble, got {values['coding_engine']!r}"
            )
        if values["htmx_source"] not in {"local", "cdn"}:
            raise ConfigError("HTMX_SOURCE must be local or cdn")
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
