"""The SMART registrations of RevRX, read from `launch.json`.

One registration per EHR: the issuer (`iss`, the FHIR base URL), the client id and how the client
authenticates, scopes, launch and redirect URLs, and the write-back strategies. Values may contain
`${VAR}` or `${VAR:-default}`, expanded from the environment when the file is read, so one file serves
the embedded default, the tests (free ports) and production.

No Flask imports: the sandbox EHR reads the same file to register its clients.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "launch.json"

CLIENT_AUTH_METHODS = ("public", "client_secret_basic", "client_secret_post", "private_key_jwt")


class RegistryError(ValueError):
    """launch.json is missing, malformed or names something we do not support."""


def expand(value: str, env: Mapping[str, str]) -> str:
    """Replace ${VAR} and ${VAR:-default} with values from `env`; a missing VAR without default is ''."""

    def sub(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        found = env.get(name)
        return found if found else (default or "")

    return _VAR.sub(sub, value)


def _expand_tree(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return expand(node, env)
    if isinstance(node, list):
        return [_expand_tree(item, env) for item in node]
    if isinstance(node, dict):
        return {key: _expand_tree(item, env) for key, item in node.items()}
    return node


def normalize_iss(iss: str) -> str:
    """Issuers compare without a trailing slash (EHRs are inconsistent about it)."""
    return iss.rstrip("/")


@dataclass(frozen=True)
class Registration:
    id: str
    name: str
    vendor: str
    iss: str
    client_id: str
    client_auth: str
    scopes: tuple[str, ...]
    launch_url: str
    redirect_uris: tuple[str, ...]
    client_secret: str | None = None
    scope_dialect: str = "v2"
    frame_ancestors: tuple[str, ...] = ()
    writeback: tuple[str, ...] = ("claim",)
    claim_status: str = "draft"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def redirect_uri(self) -> str:
        return self.redirect_uris[0]

    @property
    def scope(self) -> str:
        return " ".join(self.scopes)

    @property
    def is_public(self) -> bool:
        return self.client_auth == "public"


@dataclass(frozen=True)
class AppInfo:
    name: str
    base_url: str
    launch_path: str
    redirect_path: str


_KNOWN = {
    "id", "name", "vendor", "iss", "client_id", "client_auth", "client_secret", "scope_dialect",
    "scopes", "launch_url", "redirect_uris", "frame_ancestors", "writeback", "claim_status",
}


def _registration(raw: dict[str, Any]) -> Registration:
    try:
        auth = raw["client_auth"]
        if auth not in CLIENT_AUTH_METHODS:
            raise RegistryError(f"registration {raw.get('id')!r}: unsupported client_auth {auth!r}")
        return Registration(
            id=raw["id"],
            name=raw.get("name", raw["id"]),
            vendor=raw.get("vendor", "generic"),
            iss=normalize_iss(raw["iss"]),
            client_id=raw["client_id"],
            client_auth=auth,
            client_secret=raw.get("client_secret") or None,
            scope_dialect=raw.get("scope_dialect", "v2"),
            scopes=tuple(raw["scopes"]),
            launch_url=raw["launch_url"],
            redirect_uris=tuple(raw["redirect_uris"]),
            frame_ancestors=tuple(raw.get("frame_ancestors", ())),
            writeback=tuple(raw.get("writeback", ("claim",))),
            claim_status=raw.get("claim_status", "draft"),
            extra={k: v for k, v in raw.items() if k not in _KNOWN and not k.startswith("_")},
        )
    except KeyError as missing:
        raise RegistryError(f"registration {raw.get('id')!r} lacks {missing}") from None


class Registry:
    """All registrations, looked up by id or by issuer."""

    def __init__(self, app: AppInfo, registrations: list[Registration]) -> None:
        self.app = app
        self._by_id = {r.id: r for r in registrations}
        self._by_iss = {r.iss: r for r in registrations}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_id.values())

    def by_id(self, reg_id: str) -> Registration | None:
        return self._by_id.get(reg_id)

    def by_iss(self, iss: str) -> Registration | None:
        return self._by_iss.get(normalize_iss(iss))

    def frame_ancestors(self) -> list[str]:
        seen: list[str] = []
        for reg in self._by_id.values():
            seen.extend(a for a in reg.frame_ancestors if a not in seen)
        return seen


def load_registry(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Registry:
    """Read and expand launch.json; raise RegistryError with a clear message when it is wrong."""
    file = Path(path) if path else DEFAULT_PATH
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{file} not found") from None
    except json.JSONDecodeError as err:
        raise RegistryError(f"{file} is not valid JSON: {err}") from None
    data = _expand_tree(raw, os.environ if env is None else env)
    app_raw = data.get("app", {})
    app = AppInfo(
        name=app_raw.get("name", "RevRX SMART"),
        base_url=app_raw.get("base_url", "").rstrip("/"),
        launch_path=app_raw.get("launch_path", "/launch"),
        redirect_path=app_raw.get("redirect_path", "/callback"),
    )
    return Registry(app, [_registration(r) for r in data.get("registrations", [])])
