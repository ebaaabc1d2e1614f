"""A FhirClient for a FHIR connection (batch sync and the coding of synced encounters).

Tokens minted for a connection are cached in Redis, encrypted, until shortly before they expire, so a
sync of a thousand encounters asks the EHR for a token a handful of times, not a thousand. The cache
key includes the connection's `updated_at`: editing the credentials makes the next job mint anew.
Each process also keeps the decrypted token in memory until the Redis copy expires (`_local`), so the
jobs a worker runs one after another do not each read and decrypt it again.

An EHR may end a token before its stated expiry (revoked, or every token expired at once): a client
that hears 401 to the cached token forgets it, mints a new one (unless another process already did) and
sends the request again, once. Without that, every coding of the connection's encounters failed with
"the access token is invalid" until the cached copy's hour ran out (only the sync job re-minted).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from redis import Redis
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from smartapp import audit
from smartapp.ehr_access.concurrency import OriginSlots
from smartapp.fhir import capabilities, outbound
from smartapp.fhir.client import FhirClient
from smartapp.fhir.service_auth import (
    TOKEN_AUTH_TYPES,
    ServiceCredentials,
    mint_token,
    static_auth,
)
from smartapp.models import FhirConnection, User
from smartapp.security import crypto
from smartapp.smart import scopes

DEFAULT_TOKEN_LIFETIME_S = 300   # when the EHR does not say (expires_in is only RECOMMENDED)


def credentials(connection: FhirConnection) -> ServiceCredentials:
    return ServiceCredentials(
        auth_type=connection.auth_type.value, base_url=connection.base_url, client_id=connection.client_id,
        secret=connection.secret, token_endpoint=connection.token_endpoint, scope=connection.scope,
    )


def _cache_key(connection: FhirConnection) -> str:
    # Naive and aware reads of the same moment must give one key (SQLite drops the zone).
    changed = connection.updated_at.replace(tzinfo=None).isoformat(timespec="seconds")
    version = hashlib.sha256(f"{connection.id}:{changed}".encode()).hexdigest()[:16]
    return f"revrx:connection-token:{connection.id}:{version}"


class _LocalTokens:
    """This process's copies of cached tokens, each until its Redis copy expires."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[float, str]] = {}

    def get(self, key: str) -> str | None:
        with self._lock:
            hit = self._tokens.get(key)
            if hit is None or hit[0] <= time.monotonic():
                self._tokens.pop(key, None)
                return None
            return hit[1]

    def put(self, key: str, token: str, ttl_s: float) -> None:
        with self._lock:
            self._tokens[key] = (time.monotonic() + ttl_s, token)

    def forget(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)


_local = _LocalTokens()


def access_token(connection: FhirConnection, *, redis: Redis, timeout: float, margin_s: int, fresh: bool = False,
                 on_minted: Callable[[str], None] | None = None) -> str:
    """A live access token: the cached one, or a newly minted one (always new when `fresh`);
    `on_minted` hears the scopes a newly minted token was granted."""
    key = _cache_key(connection)
    if not fresh:
        if (held := _local.get(key)) is not None:
            return held
        with redis.pipeline(transaction=False) as pipe:
            pipe.get(key)
            pipe.pttl(key)
            cached, ttl_ms = pipe.execute()
        if cached:
            token_text = crypto.decrypt(cached.decode() if isinstance(cached, bytes) else str(cached))
            if isinstance(ttl_ms, int) and ttl_ms > 0:
                _local.put(key, token_text, ttl_ms / 1000)
            return token_text
    token = mint_token(credentials(connection), timeout=timeout, policy=outbound.configured())
    lifetime = token.expires_in or DEFAULT_TOKEN_LIFETIME_S
    # Re-mint before expiry: the margin, but never more than half of a short-lived token's life.
    ttl = max(1, lifetime - min(margin_s, lifetime // 2))
    redis.set(key, crypto.encrypt(token.access_token), ex=ttl)
    _local.put(key, token.access_token, ttl)
    if on_minted is not None and token.scope:
        on_minted(token.scope)
    return token.access_token


def remember_grant(session: Session, connection: FhirConnection, granted: str) -> None:
    """Keep what the EHR granted: write-back plans by it (an EHR may grant less than was asked).
    Written without touching `updated_at`, which keys the token cache."""
    if connection.granted_scope == granted:
        return
    session.execute(update(FhirConnection).where(FhirConnection.id == connection.id)
                    .values(granted_scope=granted, updated_at=FhirConnection.updated_at))
    set_committed_value(connection, "granted_scope", granted)


def forget_token(redis: Redis, connection: FhirConnection) -> None:
    """Drop the cached token (the EHR answered 401: it was revoked or expired early). Other processes
    drop their own copies when the EHR answers them 401 too."""
    _local.forget(_cache_key(connection))
    redis.delete(_cache_key(connection))


class RemintSession(requests.Session):
    """Sends a request again, once, with a newly minted token when the EHR answers 401 to ours; the
    new token then replaces the stale one on every later request of this client."""

    def __init__(self, token: str, remint: Callable[[str], str]) -> None:
        super().__init__()
        self._current = token
        self._replaced: set[str] = set()
        self._remint = remint

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        headers = dict(kwargs.pop("headers", None) or {})
        auth = str(headers.get("Authorization") or "")
        sent = auth[7:] if auth.startswith("Bearer ") else None
        if sent in self._replaced:
            headers["Authorization"] = f"Bearer {self._current}"
            sent = self._current
        kwargs["headers"] = headers
        response = super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]
        if response.status_code != 401 or sent is None:
            return response
        fresh = self._remint(sent)
        if fresh == sent:
            return response   # nothing better to send: the 401 stands
        response.close()
        self._replaced.add(sent)
        self._current = fresh
        headers["Authorization"] = f"Bearer {fresh}"
        return super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]


def _reminter(connection: FhirConnection, *, redis: Redis, timeout: float, margin_s: int,
              on_minted: Callable[[str], None]) -> Callable[[str], str]:
    def remint(stale: str) -> str:
        _local.forget(_cache_key(connection))
        current = access_token(connection, redis=redis, timeout=timeout, margin_s=margin_s, on_minted=on_minted)
        if current != stale:
            return current   # another process minted anew after its own 401 (or the cache moved on)
        forget_token(redis, connection)
        return access_token(connection, redis=redis, timeout=timeout, margin_s=margin_s, fresh=True,
                            on_minted=on_minted)
    return remint


def client_for_connection(
    session: Session, connection: FhirConnection, *, redis: Redis, timeout_s: float, refresh_margin_s: int,
    actor: User | None, encounter_id: int | None = None, actor_name: str | None = None, fresh_token: bool = False,
    max_concurrency: int = 0,
) -> FhirClient:
    """An authenticated client whose every access is audited against the connection's organization.
    The connection's URLs were typed by a person: every request (token, discovery, FHIR, redirects)
    goes only to addresses the outbound policy allows, and at most `max_concurrency` at once."""
    on_access = audit.fhir_access_recorder(session, actor=actor, encounter_id=encounter_id,
                                           organization_id=connection.organization_id, actor_name=actor_name)
    token: str | None = None

    def on_minted(granted: str) -> None:
        remember_grant(session, connection, granted)

    if connection.auth_type.value in TOKEN_AUTH_TYPES:
        token = access_token(connection, redis=redis, timeout=timeout_s, margin_s=refresh_margin_s, fresh=fresh_token,
                             on_minted=on_minted)
        remint = _reminter(connection, redis=redis, timeout=timeout_s, margin_s=refresh_margin_s, on_minted=on_minted)
        http = outbound.guard(RemintSession(token, remint), outbound.configured())
    else:
        http = outbound.guarded_session(outbound.configured())
        http.auth = static_auth(credentials(connection))
    slots = OriginSlots(redis, connection.base_url, max_concurrency)
    return FhirClient(connection.base_url, token, timeout=timeout_s, on_access=on_access, session=http,
                      gate=slots.hold, capability_cache=capabilities.SHARED,
                      may_search=scopes.searcher(connection.granted_scope if token else None))
