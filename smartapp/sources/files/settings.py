"""Upload settings, read from the environment once (as part of `smartapp.config.Settings`).

| variable | default | meaning |
|---|---|---|
| `UPLOAD_STORAGE` | `local` | `local` (a folder) or `s3` |
| `UPLOAD_DIR` | `instance/uploads` | the local folder (originals are stored encrypted) |
| `UPLOAD_S3_BUCKET`, `UPLOAD_S3_PREFIX` | –, `uploads/` | where originals go on S3 |
| `UPLOAD_S3_SSE`, `UPLOAD_S3_KMS_KEY_ID` | `aws:kms`, – | server-side encryption (`aws:kms` or `AES256`) |
| `UPLOAD_MAX_MB` | `10` | the largest file accepted (per file) |
| `UPLOAD_DUPLICATES` | `skip` | default duplicate policy: `skip`, `overwrite` or `version` |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

POLICIES = ("skip", "overwrite", "version")   # the names of smartapp.models.sync.DuplicatePolicy


@dataclass(frozen=True)
class UploadSettings:
    storage: str = "local"
    local_dir: Path = Path("instance") / "uploads"
    s3_bucket: str | None = None
    s3_prefix: str = "uploads/"
    s3_sse: str = "aws:kms"
    s3_kms_key_id: str | None = None
    max_bytes: int = 10 * 1024 * 1024
    default_policy: str = "skip"   # one of POLICIES: the same skip/overwrite/version as batch sync

    @classmethod
    def from_env(cls, env: Mapping[str, str], instance: Path) -> UploadSettings:
        from smartapp.config import ConfigError  # here, not at import: config imports this module

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
        if policy not in POLICIES:
            raise ConfigError("UPLOAD_DUPLICATES must be skip, overwrite or version")
        prefix = env.get("UPLOAD_S3_PREFIX", "uploads/").strip()
        return cls(
            storage=storage, local_dir=Path(env.get("UPLOAD_DIR", "").strip() or instance / "uploads"),
            s3_bucket=bucket, s3_prefix=prefix if not prefix or prefix.endswith("/") else prefix + "/",
            s3_sse=sse, s3_kms_key_id=env.get("UPLOAD_S3_KMS_KEY_ID", "").strip() or None,
            max_bytes=max_bytes, default_policy=policy,
        )
