"""CapabilityStatements per FHIR server, kept for a few minutes.

Pages use what is cached (never a network call while rendering); the preview and the approval ask
the server afresh, since what the server accepts decides the write-back. A server whose metadata
cannot be read gives None: then the granted scopes alone decide.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError

log = logging.getLogger(__name__)
TTL_S = 300.0
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def cached(base_url: str) -> dict[str, Any] | None:
    with _lock:
        hit = _cache.get(base_url.rstrip("/"))
    if hit is None or time.monotonic() - hit[0] > TTL_S:
        return None
    return hit[1]


def fetch(client: FhirClient) -> dict[str, Any] | None:
    """The server's CapabilityStatement, read now (and cached for the pages)."""
    try:
        statement = client.capabilities()
    except FhirError as err:
        log.info("CapabilityStatement not readable (HTTP %s)", err.status)
        return None
    if statement.get("resourceType") != "CapabilityStatement":
        return None
    with _lock:
        _cache[client.base_url.rstrip("/")] = (time.monotonic(), statement)
    return statement
