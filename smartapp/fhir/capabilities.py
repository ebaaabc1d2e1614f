"""Questions answered from a CapabilityStatement (which searches and interactions a server offers),
and the per-process cache of the statements themselves.

A worker codes thousands of encounters from one EHR, and the statement (which searches, includes and
batches the server offers) decides how each is read. Reading it for every job cost an extra round trip
and its parsing per encounter (issue 19), for a document that changes with the EHR's releases. So the
clients the app builds for an EHR (`ehr_access`) share `SHARED`, kept `CACHE_TTL_S`. What decides a
write-back (does the server still take a Claim?) is read afresh (`FhirClient.capabilities(fresh=True)`),
and a fresh read refreshes the cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from smartapp.fhir._values import dicts


def resource_capability(statement: dict[str, Any], resource_type: str) -> dict[str, Any] | None:
    for rest in dicts(statement.get("rest")):
        if rest.get("mode") not in (None, "server"):
            continue
        for resource in dicts(rest.get("resource")):
            if resource.get("type") == resource_type:
                return resource
    return None


def supported_revincludes(statement: dict[str, Any], resource_type: str) -> set[str]:
    """The `_revinclude` values the server declares for searches on `resource_type`."""
    resource = resource_capability(statement, resource_type) or {}
    return {v for v in resource.get("searchRevInclude") or [] if isinstance(v, str)}


def supported_includes(statement: dict[str, Any], resource_type: str) -> set[str]:
    resource = resource_capability(statement, resource_type) or {}
    return {v for v in resource.get("searchInclude") or [] if isinstance(v, str)}


def supports_interaction(statement: dict[str, Any], resource_type: str, code: str) -> bool:
    """e.g. supports_interaction(cs, "Claim", "create"): decides the write-back strategy."""
    resource = resource_capability(statement, resource_type) or {}
    return any(i.get("code") == code for i in dicts(resource.get("interaction")))


def supports_system_interaction(statement: dict[str, Any], code: str) -> bool:
    """e.g. supports_system_interaction(cs, "batch"): a server-level interaction is declared."""
    return any(
        i.get("code") == code
        for rest in dicts(statement.get("rest"))
        if rest.get("mode") in (None, "server")
        for i in dicts(rest.get("interaction"))
    )


def declared_search_params(statement: dict[str, Any], resource_type: str) -> set[str] | None:
    """The search parameters a server declares for `resource_type`; None when it declares none at all
    (then nothing can be concluded, and a search is tried)."""
    resource = resource_capability(statement, resource_type) or {}
    names = {str(p.get("name")) for p in dicts(resource.get("searchParam")) if p.get("name")}
    return names or None


CACHE_TTL_S = 300.0


class CapabilityCache:
    """CapabilityStatements by FHIR base URL, each kept `ttl_s` seconds; safe to share between threads."""

    def __init__(self, ttl_s: float = CACHE_TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, base_url: str, fetch: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The cached statement of `base_url`, or `fetch()`'s (then cached). Errors are not cached."""
        with self._lock:
            hit = self._entries.get(base_url)
            if hit is not None and hit[0] > self._clock():
                return hit[1]
        statement = fetch()
        self.put(base_url, statement)
        return statement

    def put(self, base_url: str, statement: dict[str, Any]) -> None:
        with self._lock:
            self._entries[base_url] = (self._clock() + self.ttl_s, statement)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


SHARED = CapabilityCache()
