"""Bulk Data `Group/[id]/$export` (FHIR Bulk Data Access IG, v1.0.1/2.0.0) for the vendor profiles whose
vendor offers it (Epic since its August 2021 version, fhir.epic.com "FHIR Bulk Data Access Tutorial";
Oracle Health Millennium, fhir.cerner.com/millennium/bulk-data and docs.oracle.com "Bulk Data Access":
Group Export only, groups defined by the customer's administrators).

The asynchronous request pattern, as the IG has it:
- kick-off `GET /fhir/Group/<id>/$export?_type=…&_since=…` with `Prefer: respond-async` and
  `Accept: application/fhir+json` → 202, `Content-Location: <status URL>`;
- status `GET` → 202 with `Retry-After` and `X-Progress` while in progress, then 200 with the manifest
  (`transactionTime`, `request`, `requiresAccessToken: true`, `output: [{type, url, count}]`, `error`);
  `DELETE` → 202, the files are gone;
- each output file is NDJSON (`application/fhir+ndjson`), fetched with the same Bearer token.
The export is computed at kick-off (its `transactionTime`: the next `_since`) and reported ready after
`EXPORT_DELAY_S`, so a client must really poll. Group membership: the one group, `BULK_GROUP_ID`, holds
every patient (a customer would define a narrower one). Jobs live in memory (dev and test tool).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, request

from sandbox.db import get_db
from sandbox.outcome import FhirError, error_response
from sandbox.scopes import allows
from sandbox.services import services
from sandbox.store import ResourceStore, now_instant

bp = Blueprint("bulk_export", __name__, url_prefix="/fhir")
BULK_GROUP_ID = "revrx-coding-cohort"
EXPORT_DELAY_S = 1.0
RETRY_AFTER_S = 1
DEFAULT_TYPES = ("Patient", "Encounter", "DocumentReference")
NDJSON = "application/fhir+ndjson"


@dataclass
class ExportJob:
    request_url: str
    client_id: str
    transaction_time: str
    ready_at: float
    files: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)   # name -> (type, rows)


_jobs: dict[str, ExportJob] = {}
_lock = threading.Lock()


@bp.errorhandler(FhirError)
def _fhir_error(err: FhirError) -> Response:
    return error_response(err)


def _token() -> Any:
    from authlib.oauth2 import OAuth2Error

    try:
        return services().protector.acquire_token(None)
    except OAuth2Error as err:
        raise FhirError(401, err.description or "A valid Bearer token is required", "login",
                        {"WWW-Authenticate": f'Bearer error="{err.error}"'}) from None


def _offered() -> None:
    if not services().config.profile.bulk_export:
        raise FhirError(404, "Bulk Data export is not offered by this server", "not-supported")


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise FhirError(400, f"_since must be a FHIR instant, not {raw!r}", "invalid") from None
    if moment.tzinfo is None:
        raise FhirError(400, "_since must carry a time zone (a FHIR instant)", "invalid")
    return moment


def _patient_of(resource: dict[str, Any]) -> str | None:
    if resource.get("resourceType") == "Patient":
        return str(resource.get("id"))
    ref = (resource.get("subject") or resource.get("patient") or {}).get("reference") or ""
    return ref.rsplit("/", 1)[-1] if ref.startswith("Patient/") else None


def _updated_after(resource: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    stamp = str((resource.get("meta") or {}).get("lastUpdated") or "")
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")) > since
    except ValueError:
        return True


@bp.get("/Group/<group_id>/$export")
def kick_off(group_id: str) -> Response:
    _offered()
    token = _token()
    if "respond-async" not in request.headers.get("Prefer", ""):
        raise FhirError(400, "A Bulk Data kick-off needs the header Prefer: respond-async", "invalid")
    if group_id != BULK_GROUP_ID:
        raise FhirError(404, f"Group/{group_id} is not known", "not-found")
    output_format = request.args.get("_outputFormat")
    if output_format and output_format not in (NDJSON, "application/ndjson", "ndjson"):
        raise FhirError(400, f"_outputFormat {output_format!r} is not supported (only {NDJSON})", "not-supported")
    for unsupported in ("_typeFilter", "_elements", "patient", "includeAssociatedData"):
        if request.args.get(unsupported):
            raise FhirError(400, f"{unsupported} is not supported by this server", "not-supported")
    types = [t.strip() for t in (request.args.get("_type") or ",".join(DEFAULT_TYPES)).split(",") if t.strip()]
    profile = services().config.profile
    for rtype in types:
        if not profile.has_type(rtype):
            raise FhirError(400, f"_type {rtype} is not supported by this server", "not-supported")
        if not allows(token.get_scope(), rtype, "search"):
            raise FhirError(403, f"The access token's scopes do not allow reading {rtype}", "forbidden")
    since = _since(request.args.get("_since"))
    store = ResourceStore(get_db())
    members = {str(p["id"]) for p in store.all_of_type("Patient")}
    job = ExportJob(request_url=request.url, client_id=str(token.get_client_id()), transaction_time=now_instant(),
                    ready_at=time.monotonic() + EXPORT_DELAY_S)
    for rtype in types:
        rows = [r for r in store.all_of_type(rtype) if _patient_of(r) in members and _updated_after(r, since)]
        if rows:
            job.files[f"{rtype}-1.ndjson"] = (rtype, rows)
    job_id = uuid.uuid4().hex
    with _lock:
        _jobs[job_id] = job
    status_url = f"{services().config.fhir_base}/$export-status/{job_id}"
    return Response(status=202, headers={"Content-Location": status_url})


def _job(job_id: str) -> ExportJob:
    token = _token()
    with _lock:
        job = _jobs.get(job_id)
    # Only the client that started an export may see it (the IG allows servers to restrict this).
    if job is None or job.client_id != str(token.get_client_id()):
        raise FhirError(404, "No export job with this id (finished and deleted, or never started)", "not-found")
    return job


@bp.get("/$export-status/<job_id>")
def status(job_id: str) -> Response:
    _offered()
    job = _job(job_id)
    left = job.ready_at - time.monotonic()
    if left > 0:
        return Response(status=202, headers={"Retry-After": str(RETRY_AFTER_S), "X-Progress": "gathering resources"})
    base = f"{services().config.fhir_base}/$export-file/{job_id}"
    manifest = {
        "transactionTime": job.transaction_time, "request": job.request_url, "requiresAccessToken": True,
        "output": [{"type": rtype, "url": f"{base}/{name}", "count": len(rows)}
                   for name, (rtype, rows) in job.files.items()],
        "error": [],
    }
    return Response(json.dumps(manifest), status=200, content_type="application/json",
                    headers={"Expires": datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")})


@bp.delete("/$export-status/<job_id>")
def delete(job_id: str) -> Response:
    _offered()
    _job(job_id)
    with _lock:
        _jobs.pop(job_id, None)
    return Response(status=202)


@bp.get("/$export-file/<job_id>/<name>")
def file(job_id: str, name: str) -> Response:
    _offered()
    job = _job(job_id)
    found = job.files.get(name)
    if found is None:
        raise FhirError(404, f"No output file {name!r} in this export", "not-found")
    body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in found[1])
    return Response(body, status=200, content_type=NDJSON)
