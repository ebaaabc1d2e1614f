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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartapp.fhir.references import normalize_iss as normalize_iss  # also imported from here by the sandbox
from smartapp.smart.roles import RolePolicy, RolePolicyError, parse_policy

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
    # private_key_jwt: the signing keys (a PEM, or a path to a JWKS/PEM file, relative paths under the
    # instance folder) and the assertion algorithm (SMART requires RS384 or ES384 support).
    jwks_private: str | None = None
    assertion_alg: str = "RS384"
    # Standalone launch asks for these instead of `scopes` (default: `scopes` without `launch`, plus
    # launch/patient, and launch/encounter when the server supports it).
    standalone_scopes: tuple[str, ...] | None = None
    # Some servers (Oracle Health) refuse wildcard scopes like patient/*.rs: set false to forbid them here.
    allow_wildcards: bool = True
    # "prefix": any issuer under `iss` + "/" matches (the SMART reference launcher encodes its launch
    # settings in the URL, so its issuer differs per simulated launch). Default "exact".
    iss_match: str = "exact"
    # Why this registration asks for a refresh token (`online_access` / `offline_access`): required
    # when it does, so a long-lived grant is never asked for by habit. In-EHR sessions use online_access
    # (the refresh token dies with the user's EHR session); offline_access outlives it.
    refresh_why: str | None = None
    # The id_token's `iss`: by default the issuer the EHR's SMART configuration names (Epic: its OAuth
    # server, not the FHIR base). Set a value (and "prefix" to accept anything under it) where the
    # EHR's id_tokens carry another one (Oracle Health: .../tenants/<tenant>/oidc/idsps/<idsp>/ before
    # its 2025 change, .../tenants/<tenant> after).
    oidc_issuer: str | None = None
    oidc_issuer_match: str = "exact"
    # Refuse an id_token without `nonce`. A nonce that is present must always match; whether a vendor
    # echoes it is not settled by its documents, so it is this per-registration choice.
    require_nonce: bool = True
    # Read several resources in one `batch` Bundle where the server declares `batch`. A server may declare
    # it without its documents saying how a batch's searches are checked (which parameters each entry
    # needs, whether one refused entry fails the others); neither vendor's documents prove it for the note
    # searches RevRX sends, so their registrations turn it off and read with separate requests.
    batch_reads: bool = True
    # Where the roles of the people who sign in come from (smartapp/smart/roles.py).
    roles: RolePolicy = field(default_factory=RolePolicy)
    extra: dict[str, Any] = field(default_factory=dict)

    def expected_issuer(self, discovered: str | None, fhir_base: str) -> tuple[str, str]:
        """(value, "exact"|"prefix") an id_token's `iss` must match for a launch on `fhir_base`."""
        if self.oidc_issuer:
            return normalize_iss(self.oidc_issuer), self.oidc_issuer_match
        return normalize_iss(discovered or fhir_base), "exact"

    def matches(self, iss: str) -> bool:
        wanted = normalize_iss(iss)
        return wanted == self.iss or (self.iss_match == "prefix" and wanted.startswith(self.iss + "/"))

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
    "jwks_private", "assertion_alg", "standalone_scopes", "allow_wildcards", "iss_match",
    "refresh_why", "roles", "oidc_issuer", "oidc_issuer_match", "require_nonce",
    "batch_reads",
}
REFRESH_SCOPES = ("online_access", "offline_access")
ASSERTION_ALGS = ("RS384", "ES384")
SCOPE_DIALECTS = ("v1", "v2", "auto")


def _check(reg: Registration) -> Registration:
    """Refuse registrations that could only fail at launch time, with a message naming the fix."""
    where = f"registration {reg.id!r}"
    if reg.client_auth in ("client_secret_basic", "client_secret_post") and not reg.client_secret:
        raise RegistryError(f"{where}: {reg.client_auth} needs a client_secret")
    if reg.client_auth == "private_key_jwt" and reg.assertion_alg not in ASSERTION_ALGS:
        raise RegistryError(f"{where}: assertion_alg must be one of {', '.join(ASSERTION_ALGS)}")
    if reg.scope_dialect not in SCOPE_DIALECTS:
        raise RegistryError(f"{where}: scope_dialect must be v1, v2 or auto")
    if not reg.allow_wildcards:
        wild = [s for s in (*reg.scopes, *(reg.standalone_scopes or ())) if "*" in s]
        if wild:
            raise RegistryError(f"{where}: this EHR refuses wildcard scopes ({', '.join(wild)}); list each type")
    refresh = sorted({s for s in (*reg.scopes, *(reg.standalone_scopes or ())) if s in REFRESH_SCOPES})
    if refresh and not (reg.refresh_why or "").strip():
        raise RegistryError(f"{where}: asks for {' and '.join(refresh)}; say why in refresh_why "
                            "(or drop it: without a refresh token a launch lasts as long as its access token)")
    if reg.iss_match not in ("exact", "prefix"):
        raise RegistryError(f"{where}: iss_match must be exact or prefix")
    if reg.oidc_issuer_match not in ("exact", "prefix"):
        raise RegistryError(f"{where}: oidc_issuer_match must be exact or prefix")
    if reg.oidc_issuer_match == "prefix" and not reg.oidc_issuer:
        raise RegistryError(f"{where}: oidc_issuer_match prefix needs an oidc_issuer")
    if not reg.redirect_uris:
        raise RegistryError(f"{where}: redirect_uris is empty")
    return reg


def _flag(value: object) -> bool:
    """A JSON boolean, or a string from ${VAR} expansion ("false", "0", "no" are false)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def _registration(raw: dict[str, Any]) -> Registration:
    try:
        auth = raw["client_auth"]
        if auth not in CLIENT_AUTH_METHODS:
            raise RegistryError(f"registration {raw.get('id')!r}: unsupported client_auth {auth!r}")
        standalone = raw.get("standalone_scopes")
        return _check(Registration(
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
            jwks_private=raw.get("jwks_private") or None,
            assertion_alg=raw.get("assertion_alg", "RS384"),
            standalone_scopes=tuple(standalone) if standalone else None,
            allow_wildcards=bool(raw.get("allow_wildcards", True)),
            iss_match=raw.get("iss_match", "exact"),
            refresh_why=raw.get("refresh_why") or None,
            oidc_issuer=raw.get("oidc_issuer") or None,
            oidc_issuer_match=raw.get("oidc_issuer_match", "exact"),
            require_nonce=_flag(raw.get("require_nonce", True)),
            batch_reads=_flag(raw.get("batch_reads", True)),
            roles=parse_policy(raw.get("roles"), f"registration {raw.get('id')!r}"),
            extra={k: v for k, v in raw.items() if k not in _KNOWN and not k.startswith("_")},
        ))
    except KeyError as missing:
        raise RegistryError(f"registration {raw.get('id')!r} lacks {missing}") from None
    except RolePolicyError as err:
        raise RegistryError(str(err)) from None


class Registry:
    """All registrations, looked up by id or by issuer.

    Several registrations may share one issuer (one EHR, several client types): a launch names its
    registration explicitly (`?registration=` in that registration's launch_url); without one, the
    first registration listed for the issuer is used.
    """

    def __init__(self, app: AppInfo, registrations: list[Registration]) -> None:
        self.app = app
        self._by_id: dict[str, Registration] = {}
        self._by_iss: dict[str, list[Registration]] = {}
        for reg in registrations:
            if reg.id in self._by_id:
                raise RegistryError(f"registration id {reg.id!r} is used twice")
            self._by_id[reg.id] = reg
            self._by_iss.setdefault(reg.iss, []).append(reg)

    def without_vendor(self, vendor: str) -> Registry:
        """The same registry less one vendor's registrations (the dev sandbox's, outside SANDBOX_MODE)."""
        return Registry(self.app, [r for r in self._by_id.values() if r.vendor != vendor])

    def __iter__(self) -> Iterator[Registration]:
        return iter(self._by_id.values())

    def by_id(self, reg_id: str) -> Registration | None:
        return self._by_id.get(reg_id)

    def by_iss(self, iss: str) -> Registration | None:
        """The default registration of an issuer: the first one listed for it."""
        found = self._by_iss.get(normalize_iss(iss))
        return found[0] if found else None

    def for_iss(self, iss: str) -> list[Registration]:
        return list(self._by_iss.get(normalize_iss(iss), []))

    def select(self, iss: str | None, registration_id: str | None) -> Registration | None:
        """The registration a launch asks for: by id (and then its iss must match, when one is given),
        else the issuer's default. None when nothing registered matches."""
        if registration_id:
            reg = self.by_id(registration_id)
            if reg is None or (iss and not reg.matches(iss)):
                return None
            return reg
        if not iss:
            return None
        exact = self.by_iss(iss)
        if exact is not None:
            return exact
        prefixed = [r for r in self._by_id.values() if r.iss_match == "prefix" and r.matches(iss)]
        return max(prefixed, key=lambda r: len(r.iss), default=None)

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
