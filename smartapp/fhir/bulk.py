"""Bulk Data `Group/[id]/$export` as a client (FHIR Bulk Data Access IG, v1.0.1 and 2.0.0): kick off with
`Prefer: respond-async`, poll the status URL as long as the server says (`Retry-After`), read the
manifest, download each NDJSON file of the wanted type, then delete the job on the server.

No Flask, no ORM. The manifest's `transactionTime` is what the next incremental export passes as
`_since` (the IG's advice: the server's clock, not ours, and nothing updated while the export ran is
lost). Where a server offers Bulk Data is read from its CapabilityStatement (`offers_bulk_export`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError
from smartapp.fhir.retry import retry_delay

log = logging.getLogger(__name__)
NDJSON = "application/fhir+ndjson"
BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"
DEFAULT_WAIT_S = 2.0      # between polls when the server sends no Retry-After
MAX_POLL_WAIT_S = 120.0   # a Retry-After longer than this is capped (the job polls again sooner)


@dataclass
class BulkResult:
    transaction_time: str | None
    resources: list[dict[str, Any]] = field(default_factory=list)
    polls: int = 0
    errors: int = 0   # OperationOutcome lines the server listed in the manifest's `error` files


def offers_bulk_export(statement: dict[str, Any]) -> bool:
    """Whether a CapabilityStatement declares the `export` operation (system, Group) or instantiates the
    Bulk Data CapabilityStatement."""
    if any(str(c).startswith(BULK_DATA) for c in statement.get("instantiates") or []):
        return True
    for rest in statement.get("rest") or []:
        if not isinstance(rest, dict):
            continue
        operations = list(rest.get("operation") or [])
        for resource in rest.get("resource") or []:
            if isinstance(resource, dict) and resource.get("type") == "Group":
                operations.extend(resource.get("operation") or [])
        if any(isinstance(o, dict) and str(o.get("name", "")).lstrip("$") in ("export", "group-export")
               for o in operations):
            return True
    return False


def group_export(client: FhirClient, group_id: str, types: Iterable[str], since: datetime | None, *,
                 wanted: str = "Encounter", max_wait_s: float = 900.0,
                 sleep: Callable[[float], None] = time.sleep) -> BulkResult:
    """Run one Group export and return the `wanted` resources it produced.

    Raises FhirError when the kick-off is refused, the export fails (status 4xx/5xx with an
    OperationOutcome), or it does not finish within `max_wait_s`.
    """
    params = [("_type", ",".join(types))]
    if since is not None:
        params.append(("_since", since.isoformat().replace("+00:00", "Z")))
    kick = client.request_raw("GET", f"Group/{group_id}/$export", "starting a Bulk Data export", params=params,
                              headers={"Prefer": "respond-async"})
    status_url = kick.headers.get("Content-Location")
    if kick.status_code != 202 or not status_url:
        raise FhirError(kick.status_code, "The EHR did not start a Bulk Data export (no 202 with a status URL).")
    manifest, polls = _poll(client, status_url, max_wait_s, sleep)
    result = BulkResult(transaction_time=str(manifest.get("transactionTime") or "") or None, polls=polls)
    try:
        for item in manifest.get("output") or []:
            if isinstance(item, dict) and item.get("type") == wanted and isinstance(item.get("url"), str):
                result.resources.extend(_download(client, item["url"], wanted))
        result.errors = sum(int(e.get("count") or 1) for e in manifest.get("error") or [] if isinstance(e, dict))
    finally:
        _delete(client, status_url)
    return result


def _poll(client: FhirClient, status_url: str, max_wait_s: float,
          sleep: Callable[[float], None]) -> tuple[dict[str, Any], int]:
    deadline = time.monotonic() + max_wait_s
    polls = 0
    while True:
        resp = client.request_raw("GET", status_url, "checking a Bulk Data export")
        polls += 1
        if resp.status_code == 200:
            try:
                manifest = json.loads(resp.content)
            except ValueError:
                manifest = None
            if not isinstance(manifest, dict):
                raise FhirError(200, "The EHR's Bulk Data manifest is not JSON.")
            return manifest, polls
        if resp.status_code != 202:
            raise FhirError(resp.status_code,
                            f"Unexpected answer to a Bulk Data status request (HTTP {resp.status_code}).")
        wait = min(retry_delay(0, resp.headers.get("Retry-After"), base=DEFAULT_WAIT_S, cap=MAX_POLL_WAIT_S),
                   MAX_POLL_WAIT_S)
        if time.monotonic() + wait > deadline:
            raise FhirError(None, f"The EHR's Bulk Data export did not finish within {max_wait_s:.0f} s; "
                            "the next scheduled sync tries again.")
        log.debug("bulk export in progress (%s); polling again in %.1fs", resp.headers.get("X-Progress"), wait)
        sleep(wait)


def _download(client: FhirClient, url: str, wanted: str) -> list[dict[str, Any]]:
    resp = client.request_raw("GET", url, "downloading a Bulk Data file", accept=NDJSON, stream=True)
    body = client.read_body(resp, "downloading a Bulk Data file")
    found: list[dict[str, Any]] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        try:
            resource = json.loads(line)
        except ValueError:
            log.warning("a Bulk Data file line is not JSON; skipped")
            continue
        if isinstance(resource, dict) and resource.get("resourceType") == wanted:
            client.record_access("search", wanted, str(resource.get("id") or "") or None, resp.status_code)
            found.append(resource)
    return found


def _delete(client: FhirClient, status_url: str) -> None:
    """Tell the server we are done with the files (best effort: they expire on their own)."""
    try:
        client.request_raw("DELETE", status_url, "deleting a finished Bulk Data export")
    except FhirError as err:
        log.info("could not delete a finished Bulk Data export (HTTP %s)", err.status)
