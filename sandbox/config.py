"""Typed configuration of one sandbox instance, built once in `create_app`.

The FHIR base (`{base_url}/fhir`) is the `aud` clients must send and the `iss` of EHR launches; in the
generic profile it is also the OAuth issuer and the id_token `iss`. A vendor profile (SANDBOX_PROFILE,
sandbox/profiles.py) moves those two where the vendor has them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sandbox.profiles import GENERIC, Profile, profile_named

DEFAULT_BASE_URL = "http://127.0.0.1:5055"
DEFAULT_DB = "instance/sandbox.db"
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SandboxConfig:
    db_path: str
    base_url: str
    launch_json: Path | None = None
    access_token_ttl: int = 3600
    refresh_token_ttl: int = 30 * 24 * 3600
    code_ttl: int = 300
    launch_ttl: int = 3600
    profile: Profile = GENERIC

    @property
    def issuer(self) -> str:
        """The OAuth/OpenID issuer of the discovery documents (the FHIR base unless a vendor profile)."""
        return self.profile.issuer(self.base_url, self.fhir_base)

    @property
    def id_token_issuer(self) -> str:
        return self.profile.id_token_issuer(self.base_url, self.fhir_base)

    @property
    def fhir_base(self) -> str:
        return f"{self.base_url}/fhir"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth/authorize"

    @property
    def revoke_url(self) -> str:
        return f"{self.base_url}/oauth/revoke"

    @property
    def jwks_url(self) -> str:
        return f"{self.base_url}/oauth/jwks"

    @property
    def style_url(self) -> str:
        return f"{self.base_url}/ehr/smart-style.json"


def resolve_base_url(base_url: str | None) -> str:
    """Explicit argument, else SANDBOX_BASE_URL, else the default port; never a trailing slash."""
    chosen = base_url or os.environ.get("SANDBOX_BASE_URL") or DEFAULT_BASE_URL
    return chosen.rstrip("/")


def resolve_db_path(db_path: str | None) -> str:
    """Explicit argument, else SANDBOX_DB, else instance/sandbox.db (relative to the working dir)."""
    return db_path or os.environ.get("SANDBOX_DB") or DEFAULT_DB


def build_config(db_path: str, base_url: str | None, launch_json: str | Path | None) -> SandboxConfig:
    chosen_json = launch_json or os.environ.get("SANDBOX_LAUNCH_JSON")
    profile = profile_named(None)
    return SandboxConfig(
        db_path=db_path,
        base_url=resolve_base_url(base_url),
        launch_json=Path(chosen_json) if chosen_json else None,
        access_token_ttl=profile.access_token_ttl,
        profile=profile,
    )
