"""Launches between authorize and callback, kept server-side in Redis and keyed by `state`.

Nothing about a launch lives in the browser: inside an EHR iframe third-party cookies may be
blocked, and a forged or replayed `state` must find nothing. `take()` reads and deletes in one step
(GETDEL), so a state works once. The record is encrypted (it holds the PKCE verifier).
"""

from __future__ import annotations

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
    # What the id_token's `iss` must be (the discovered issuer or the registration's), and how it matches.
    oidc_issuer: str = ""
    oidc_issuer_match: str = "exact"


def new_state() -> str:
    return secrets.token_urlsafe(32)


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
