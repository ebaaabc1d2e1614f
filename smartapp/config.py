"""Typed settings, read from the environment once at start-up: the one reader for the app, the worker
and the coding engines.

Every setting has an embedded default that runs the whole product on one machine (SQLite file, local
Redis, the offline coding engine, the sandbox EHR). Production changes configuration only.

Libraries do not read the environment: the coding engines get `Settings.engine_settings()` and the
upload code gets `Settings.uploads`, both built here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from smartapp.coding.engines.base import EngineSettings
from smartapp.documents.limits import DocumentLimits
from smartapp.security.files import create_private

ROOT = Path(__file__).resolve().parents[1]
INSTANCE = ROOT / "instance"

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# Subresource integrity of the exact file we also ship in static/vendor/ (same npm tarball).
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


ENGINES = ("local", "openai", "comprehend", "ensemble")
DUPLICATE_POLICIES = ("skip", "overwrite", "version")   # the names of smartapp.models.sync.DuplicatePolicy


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


def _local_http(url: str) -> bool:
    """Plain http on a loopback address: a developer's machine or the test stack, never a deployment."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "http" and (parts.hostname or "") in {"127.0.0.1", "localhost", "::1"}


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value <= 0:
        raise ConfigError(f"{name} must be a positive whole number, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def _encryption_keys(env: Mapping[str, str], instance: Path) -> tuple[str, ...]:
    """Fernet keys, newest first. Without REVRX_ENCRYPTION_KEY a key file is made once in instance/."""
    raw = env.get("REVRX_ENCRYPTION_KEY", "").strip()
    if not raw:
        key_file = instance / "encryption.key"
        if not key_file.exists():
            create_private(key_file, Fernet.generate_key())
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
        create_private(key_file, os.urandom(32).hex().encode())
    return key_file.read_text().strip()


@dataclass(frozen=True)
class UploadSettings:
    """Where uploaded originals go and what is accepted (the `UPLOAD_*` variables).

    | variable | default | meaning |
    |---|---|---|
    | `UPLOAD_STORAGE` | `local` | `local` (a folder) or `s3` |
    | `UPLOAD_DIR` | `instance/uploads` | the local folder (originals are stored encrypted) |
    | `UPLOAD_S3_BUCKET`, `UPLOAD_S3_PREFIX` | –, `uploads/` | where originals go on S3 |
    | `UPLOAD_S3_SSE`, `UPLOAD_S3_KMS_KEY_ID` | `aws:kms`, – | server-side encryption (`aws:kms` or `AES256`) |
    | `UPLOAD_MAX_MB` | `10` | the largest file accepted (per file) |
    | `UPLOAD_DUPLICATES` | `skip` | default duplicate policy: `skip`, `overwrite` or `version` |

    `limits` are the `DOCUMENT_*` variables (smartapp/documents/limits.py): what one file may cost to read.
    """

    storage: str = "local"
    local_dir: Path = Path("instance") / "uploads"
    s3_bucket: str | None = None
    s3_prefix: str = "uploads/"
    s3_sse: str = "aws:kms"
    s3_kms_key_id: str | None = None
    max_bytes: int = 10 * 1024 * 1024
    default_policy: str = "skip"   # one of DUPLICATE_POLICIES: the same skip/overwrite/version as batch sync
    limits: DocumentLimits = field(default_factory=DocumentLimits)

    @classmethod
    def from_env(cls, env: Mapping[str, str], instance: Path) -> UploadSettings:
        storage = env.get("UPLOAD_STORAGE", "local").strip().lower() or "local"
        if storage not in {"local", "s3"}:
            raise ConfigError(f"UPLOAD_STORAGE must be local or s3, got {storage!r}")
        bucket = env.get("UPLOAD_S3_BUCKET", "").strip() or None
        if storage == "s3" and not bucket:
            raise ConfigError("UPLOAD_STORAGE=s3 needs UPLOAD_S3_BUCKET")
        sse = env.get("UPLOAD_S3_SSE", "aws:kms").strip() or "aws:kms"
        if sse not in {"aws:kms", "AES256"}:
            raise ConfigError("UPLOAD_S3_SSE must be aws:kms or AES256 (server-side encryption stays on)")
        raw_mb = env.get("UPLOAD_MAX_MB", "").strip() or "10"
        try:
            max_bytes = int(float(raw_mb) * 1024 * 1024)
        except ValueError:
            raise ConfigError(f"UPLOAD_MAX_MB must be a number of megabytes, got {raw_mb!r}") from None
        if max_bytes <= 0:
            raise ConfigError("UPLOAD_MAX_MB must be positive")
        policy = env.get("UPLOAD_DUPLICATES", "").strip().lower() or "skip"
        if policy not in DUPLICATE_POLICIES:
            raise ConfigError("UPLOAD_DUPLICATES must be skip, overwrite or version")
        prefix = env.get("UPLOAD_S3_PREFIX", "uploads/").strip()
        return cls(
            storage=storage, local_dir=Path(env.get("UPLOAD_DIR", "").strip() or instance / "uploads"),
            s3_bucket=bucket, s3_prefix=prefix if not prefix or prefix.endswith("/") else prefix + "/",
            s3_sse=sse, s3_kms_key_id=env.get("UPLOAD_S3_KMS_KEY_ID", "").strip() or None,
            max_bytes=max_bytes, default_policy=policy, limits=_document_limits(env),
        )


def _document_limits(env: Mapping[str, str]) -> DocumentLimits:
    """The `DOCUMENT_*` variables: what reading one untrusted document may cost."""
    d = DocumentLimits()
    mb = 1048576
    limits = DocumentLimits(
        max_entries=_int(env, "DOCUMENT_MAX_ENTRIES", d.max_entries),
        max_uncompressed_bytes=_int(env, "DOCUMENT_MAX_UNCOMPRESSED_MB", d.max_uncompressed_bytes // mb) * mb,
        max_ratio=_float(env, "DOCUMENT_MAX_RATIO", d.max_ratio),
        max_pdf_pages=_int(env, "DOCUMENT_MAX_PDF_PAGES", d.max_pdf_pages),
        max_pdf_objects=_int(env, "DOCUMENT_MAX_PDF_OBJECTS", d.max_pdf_objects),
        memory_bytes=_int(env, "DOCUMENT_EXTRACT_MEMORY_MB", d.memory_bytes // mb) * mb,
        timeout_s=_float(env, "DOCUMENT_EXTRACT_TIMEOUT_S", d.timeout_s),
    )
    if min(limits.max_entries, limits.max_uncompressed_bytes, limits.max_pdf_pages, limits.max_pdf_objects,
           limits.memory_bytes) <= 0 or limits.max_ratio <= 0 or limits.timeout_s <= 0:
        raise ConfigError("DOCUMENT_* limits must be positive")
    return limits


@dataclass(frozen=True)
class RateLimits:
    """Requests one client may make, in Flask-Limiter's notation ("30 per minute; 300 per hour"): the
    `RATE_LIMIT_*` variables. Sized for a clinic behind one NAT address: a busy coder clicks through a
    few encounters a minute, and a whole clinic may start its shift at once (launch, callback); bursts
    far above that are a script or an attack. `RATE_LIMITS_ENABLED=0`
    switches them all off. Counters live in the app's Redis (one count for all web processes).

    | variable | default | applies to |
    |---|---|---|
    | `RATE_LIMIT_LAUNCH` | `60 per minute; 600 per hour` | `/launch`, `/start` (per address) |
    | `RATE_LIMIT_CALLBACK` | `60 per minute; 600 per hour` | `/callback` (per address) |
    | `RATE_LIMIT_LOGIN` | `20 per minute; 100 per hour` | failed sign-ins: callback errors, bad API tokens |
    | `RATE_LIMIT_API` | `600 per minute` | `/api/v1/*` (per API token, else per address) |
    | `RATE_LIMIT_UPLOAD` | `30 per minute; 500 per hour` | uploads, page and API (per user or token) |
    """

    enabled: bool = True
    launch: str = "60 per minute; 600 per hour"
    callback: str = "60 per minute; 600 per hour"
    login: str = "20 per minute; 100 per hour"
    api: str = "600 per minute"
    upload: str = "30 per minute; 500 per hour"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateLimits:
        values: dict[str, object] = {"enabled": _bool(env.get("RATE_LIMITS_ENABLED"), True)}
        for name in ("launch", "callback", "login", "api", "upload"):
            raw = env.get(f"RATE_LIMIT_{name.upper()}", "").strip()
            if raw:
                _check_limit(f"RATE_LIMIT_{name.upper()}", raw)
                values[name] = raw
        return cls(**values)  # type: ignore[arg-type]


def _check_limit(name: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be like '30 per minute; 300 per hour', got {value!r}") from None


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
    # SYNC_CODING_BATCH: encounters a batch sync commits together and codes in one job (1 = a job each).
    sync_coding_batch: int = 10
    fhir_timeout_s: float = 10.0
    token_refresh_margin_s: int = 120
    testing: bool = False
    # Coding engine connection settings; the defaults are the engine library's own.
    openai_base_url: str | None = EngineSettings.openai_base_url
    openai_model: str = EngineSettings.openai_model
    openai_api_key: str | None = field(default=EngineSettings.openai_api_key, repr=False)
    openai_timeout: float = EngineSettings.openai_timeout
    openai_retries: int = EngineSettings.openai_retries
    aws_region: str = EngineSettings.aws_region       # Comprehend Medical and S3 uploads
    comprehend_snomed: bool = EngineSettings.comprehend_snomed
    ensemble_with: str = EngineSettings.ensemble_with
    extra: dict[str, str] = field(default_factory=dict)
    instance_dir: Path = INSTANCE   # REVRX_INSTANCE_DIR: generated keys (encryption, session, SMART client keys)
    uploads: UploadSettings = field(default_factory=UploadSettings)   # UPLOAD_* variables
    # OUTBOUND_ALLOWED_HOSTS: hosts (`host` or `host:port`) FHIR connections may reach although they are
    # loopback/private/link-local, or plain http (smartapp/fhir/outbound.py). Empty: public https only.
    outbound_allowed_hosts: tuple[str, ...] = ()
    # FHIR_MAX_CONCURRENCY: requests RevRX has open at once to one EHR (all processes together); 0 = no limit.
    fhir_max_concurrency: int = 4
    rate_limits: RateLimits = field(default_factory=RateLimits)   # RATE_LIMIT_* variables
    # Signed-in browser sessions end after this long without a person's request (polling does not count)
    # and, whatever the activity, this long after sign-in (smartapp/accounts/sessions.py).
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    api_token_days: int = 90   # a new API token's lifetime (create-api-token --days overrides it)
    # SANDBOX_MODE: the dev sandbox EHR's registrations (launch.json `"vendor": "sandbox"`) count: they can
    # launch and their origin may frame RevRX. Default on only when APP_BASE_URL is plain http on this
    # machine (make run, the tests); a deployment never has it unless an operator says so for a demo.
    sandbox_mode: bool = False
    # INSIGHTS_MIN_DECISIONS: decisions on one code before RevRX learns from them (demotes a code usually
    # rejected, offers the code usually chosen instead). Never fewer than this; see docs/insights.md.
    insights_min_decisions: int = 5

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
            "sync_coding_batch": max(1, _int(env, "SYNC_CODING_BATCH", 10)),
            "token_refresh_margin_s": _int(env, "TOKEN_REFRESH_MARGIN_S", 120),
            "openai_base_url": env.get("OPENAI_BASE_URL") or None,
            "openai_model": env.get("OPENAI_MODEL", EngineSettings.openai_model),
            "openai_api_key": env.get("OPENAI_API_KEY") or None,
            "openai_timeout": _float(env, "OPENAI_TIMEOUT", EngineSettings.openai_timeout),
            "openai_retries": _int(env, "OPENAI_MAX_RETRIES", EngineSettings.openai_retries),
            # AWS_DEFAULT_REGION is the AWS SDKs' own name; ours wins when both are set.
            "aws_region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or EngineSettings.aws_region,
            "comprehend_snomed": _bool(env.get("COMPREHEND_SNOMED"), EngineSettings.comprehend_snomed),
            "ensemble_with": env.get("CODING_ENSEMBLE_WITH", EngineSettings.ensemble_with),
            "uploads": UploadSettings.from_env(env, instance),
            "outbound_allowed_hosts": tuple(h.strip() for h in env.get("OUTBOUND_ALLOWED_HOSTS", "").split(",")
                                            if h.strip()),
            "fhir_max_concurrency": _int(env, "FHIR_MAX_CONCURRENCY", 4),
            "rate_limits": RateLimits.from_env(env),
            "session_idle_minutes": _positive(env, "SESSION_IDLE_MINUTES", 30),
            "session_absolute_hours": _positive(env, "SESSION_ABSOLUTE_HOURS", 12),
            "api_token_days": _positive(env, "API_TOKEN_DAYS", 90),
            "sandbox_mode": _bool(env.get("SANDBOX_MODE"), _local_http(app_base_url)),
            "insights_min_decisions": _positive(env, "INSIGHTS_MIN_DECISIONS", 5),
        }
        if values["coding_engine"] not in ENGINES:
            raise ConfigError(
                f"CODING_ENGINE must be local, openai, comprehend or ensemble, got {values['coding_engine']!r}"
            )
        if values["htmx_source"] not in {"local", "cdn"}:
            raise ConfigError("HTMX_SOURCE must be local or cdn")
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def engine_settings(self, engine: str | None = None) -> EngineSettings:
        """What the coding pipeline needs: `engine` (a run's own choice) or CODING_ENGINE, and the
        connection settings read above."""
        return EngineSettings(
            engine=engine or self.coding_engine,
            openai_model=self.openai_model,
            openai_base_url=self.openai_base_url,
            openai_api_key=self.openai_api_key,
            openai_timeout=self.openai_timeout,
            openai_retries=self.openai_retries,
            aws_region=self.aws_region,
            comprehend_snomed=self.comprehend_snomed,
            ensemble_with=self.ensemble_with,
        )
