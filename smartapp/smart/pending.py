"""Launches between authorize and callback, kept server-side in Redis and keyed by `state`, and
bound to the browser that started them.

The record is server-side (it holds the PKCE verifier; encrypted) and a forged or replayed `state`
finds nothing: `take()` reads and deletes in one step (GETDEL), so a state works once. A state alone
is not enough, though: a callback URL made in one browser would sign another browser in as the first
person (login CSRF). So each pending launch also gets a short-lived cookie of its own (`cookie_name`),
whose random value only the starting browser holds; the record keeps its hash (`binding_hash`) and the
callback must present it (SMART App Launch 2.2 on `state`). One cookie per state: two launches in one
browser do not overwrite each other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from redis import Redis

from smartapp.security import crypto

TTL_S = 600
_PREFIX = "revrx:launch-state:"


@dataclass(frozen=True)
class PendingLaunch:
    registration_id: str
    iss: str
    code_verifier: str
    nonce: str
    launch: str | None
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str | None
    revocation_endpoint: str | None
    scope: str = ""                 # what was asked for: the granted scope when the EHR omits `scope`
    client_auth: str = ""           # the token endpoint authentication chosen at discovery
    standalone: bool = False
    binding_hash: str = ""          # SHA-256 of the starting browser's cookie value
    # What the id_token's `iss` must be (the discovered issuer or the registration's), and how it matches.
    oidc_issuer: str = ""
    oidc_issuer_match: str = "exact"


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_binding() -> str:
    """The value of the starting browser's cookie for one pending launch."""
    return secrets.token_urlsafe(32)


def binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode()).hexdigest()


def cookie_name(state: str) -> str:
    """The per-state cookie's name (derived from the state, so launches in one browser never collide)."""
    return "revrx_launch_" + hashlib.sha256(state.encode()).hexdigest()[:16]


def same_browser(pending: PendingLaunch, binding: str | None) -> bool:
    return bool(binding) and hmac.compare_digest(binding_hash(binding or ""), pending.binding_hash)


def put(redis: Redis, state: str, pending: PendingLaunch) -> None:
    redis.set(_PREFIX + state, crypto.encrypt(json.dumps(asdict(pending))), ex=TTL_S)


def take(redis: Redis, state: str) -> PendingLaunch | None:
    if not state or len(state) > 200:
        return None
    raw = redis.getdel(_PREFIX + state)
    if raw is None:
        return None
    data = json.loads(crypto.decrypt(raw.decode() if isinstance(raw, bytes) else str(raw)))
    return PendingLaunch(**data)
