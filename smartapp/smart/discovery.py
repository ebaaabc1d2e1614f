"""SMART discovery: where a FHIR server's authorize, token, JWKS and revocation endpoints are.

`.well-known/smart-configuration` first; the CapabilityStatement's `oauth-uris` extension as the
legacy fallback. Relative endpoint URLs are resolved against the FHIR base. `issuer` is the OAuth/OpenID
issuer the document names (Epic: its OAuth server, not the FHIR base), else the FHIR base. When the SMART
document names an issuer but no `jwks_uri`, the issuer's OpenID configuration is asked for it. Results are cached per
issuer for a few minutes, so a busy EHR is not asked on every launch.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

import requests

OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
CACHE_TTL_S = 300.0


class DiscoveryError(RuntimeError):
    """The EHR did not tell us where to authorize; the message says what was tried."""


@dataclass(frozen=True)
class SmartConfiguration:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str | None = None
    revocation_endpoint: str | None = None
    capabilities: frozenset[str] = frozenset()
    token_endpoint_auth_methods: tuple[str, ...] = ()
    scopes_supported: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)

    def supports(self, capability: str) -> bool:
        return capability in self.capabilities


_cache: dict[str, tuple[float, SmartConfiguration]] = {}
_lock = threading.Lock()


def _abs(base: str, url: str | None) -> str | None:
    return urljoin(base.rstrip("/") + "/", url) if url else None


def _from_well_known(iss: str, doc: dict[str, Any]) -> SmartConfiguration:
    auth, token = _abs(iss, doc.get("authorization_endpoint")), _abs(iss, doc.get("token_endpoint"))
    if not auth or not token:
        raise DiscoveryError("the SMART configuration lacks authorization_endpoint or token_endpoint")
    return SmartConfiguration(
        issuer=doc.get("issuer") or iss,
        authorization_endpoint=auth,
        token_endpoint=token,
        jwks_uri=_abs(iss, doc.get("jwks_uri")),
        revocation_endpoint=_abs(iss, doc.get("revocation_endpoint")),
        capabilities=frozenset(doc.get("capabilities", [])),
        token_endpoint_auth_methods=tuple(doc.get("token_endpoint_auth_methods_supported", [])),
        scopes_supported=tuple(doc.get("scopes_supported", [])),
        raw=doc,
    )


def _from_capability_statement(iss: str, cap: dict[str, Any]) -> SmartConfiguration:
    for rest in cap.get("rest", []):
        for ext in rest.get("security", {}).get("extension", []):
            if ext.get("url") != OAUTH_URIS:
                continue
            uris = {e.get("url"): e.get("valueUri") for e in ext.get("extension", [])}
            auth, token = _abs(iss, uris.get("authorize")), _abs(iss, uris.get("token"))
            if auth and token:
                return SmartConfiguration(
                    issuer=iss, authorization_endpoint=auth, token_endpoint=token,
                    revocation_endpoint=_abs(iss, uris.get("revoke")),
                )
    raise DiscoveryError("the CapabilityStatement names no OAuth endpoints")


def _get_json(url: str, timeout: float) -> dict[str, Any] | None:
    try:
        response = requests.get(url, headers={"Accept": "application/json"}, timeout=timeout)
    except requests.RequestException:
        return None
    if response.status_code != 200:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def discover(iss: str, *, timeout: float = 10.0, now: float | None = None) -> SmartConfiguration:
    """Return the (cached) SMART configuration of `iss`; raise DiscoveryError when there is none."""
    moment = time.monotonic() if now is None else now
    with _lock:
        hit = _cache.get(iss)
        if hit and hit[0] > moment:
            return hit[1]
    base = iss.rstrip("/")
    doc = _get_json(f"{base}/.well-known/smart-configuration", timeout)
    if doc is not None:
        config = _from_well_known(base, doc)
        if config.jwks_uri is None and doc.get("issuer"):
            oidc = _get_json(f"{str(doc['issuer']).rstrip('/')}/.well-known/openid-configuration", timeout)
            if oidc and oidc.get("jwks_uri"):
                config = replace(config, jwks_uri=str(oidc["jwks_uri"]))
    else:
        cap = _get_json(f"{base}/metadata", timeout)
        if cap is None:
            raise DiscoveryError(
                f"{base} answered neither .well-known/smart-configuration nor metadata; is the EHR reachable?"
            )
        config = _from_capability_statement(base, cap)
    with _lock:
        _cache[iss] = (moment + CACHE_TTL_S, config)
    return config


def clear_cache() -> None:
    with _lock:
        _cache.clear()
