"""The FHIR R4 REST endpoint at /fhir: metadata, read, search, batch, create (conditional), update.

Every request but `metadata` and the well-known documents needs a Bearer token (checked by Authlib's
ResourceProtector); the token's SMART scopes are then checked per interaction (`scopes.py`).
Errors of any kind leave as OperationOutcome (`outcome.py`).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, g, request

from sandbox.bundle import searchset
from sandbox.capability import capability_statement, openid_configuration, smart_configuration
from sandbox.db import get_db, transaction
from sandbox.faults import FaultRule, mangle
from sandbox.outcome import FhirError, error_response, fhir_json, operation_outcome
from sandbox.profiles import ORACLE_TENANT
from sandbox.scopes import allows
from sandbox.search import RESULT_PARAMS, find, parse_search
from sandbox.search_params import SUPPORTED_TYPES
from sandbox.services import services
from sandbox.store import Resource, ResourceStore
from sandbox.subscriptions import record_change
from sandbox.validation import validate_resource
from sandbox.vendor_validation import charge_item_from_create, check_vendor_create, honours_if_none_exist

bp = Blueprint("fhir", __name__, url_prefix="/fhir")
PUBLIC_ENDPOINTS = {"fhir.metadata", "fhir.smart_configuration", "fhir.openid_configuration"}


@bp.errorhandler(FhirError)
def _fhir_error(err: FhirError) -> Response:
    return error_response(err)


@bp.before_request
def _authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    try:
        g.token = services().protector.acquire_token(None)
    except OAuth2Error as err:
        raise FhirError(401, err.description or "A valid Bearer token is required", "login",
                        {"WWW-Authenticate": f'Bearer error="{err.error}"'}) from None


# What a proxy in front of an EHR sends when the EHR behind it is down: HTML, not an OperationOutcome.
PROXY_ERROR_PAGE = (
    "<html><head><title>{status} Bad Gateway</title></head><body><center><h1>{status} Bad Gateway</h1>"
    "</center><hr><center>nginx</center></body></html>"
)
TRUNCATED_JSON = '{"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": '


def _fault_target() -> str | None:
    """What fault rules match this request on: its resource type, `metadata` or `batch`."""
    if request.endpoint == "fhir.metadata":
        return "metadata"
    if request.endpoint == "fhir.batch":
        return "batch"
    rtype = (request.view_args or {}).get("rtype")
    return str(rtype) if rtype else None


@bp.before_request
def _injected_faults() -> Response | None:
    """Fault rules (see faults.py) run after authentication, before the interaction itself."""
    target = _fault_target()
    if target is None:
        return None
    for rule in services().faults.take(target):
        if rule.kind == "latency":
            time.sleep(rule.latency_ms / 1000)
            continue
        if rule.kind == "lost":
            if request.method == "POST":
                g.lost_answer = rule   # served normally, then the answer is replaced (below)
            continue
        return _fault_response(rule)
    return None


@bp.after_request
def _lose_answer(response: Response) -> Response:
    """A `lost` fault: the write happened, the client gets a gateway timeout instead of its answer."""
    rule = g.pop("lost_answer", None)
    if rule is None or response.status_code >= 300:
        return response
    return error_response(_fault_error(rule))


def _fault_response(rule: FaultRule) -> Response:
    status = rule.status or 500
    if rule.kind == "html":
        return Response(PROXY_ERROR_PAGE.format(status=status), status=status, content_type="text/html")
    if rule.kind == "malformed_json":
        return Response(TRUNCATED_JSON, status=200, content_type="application/fhir+json; charset=utf-8")
    return error_response(_fault_error(rule))


def _fault_error(rule: FaultRule) -> FhirError:
    status = rule.status or 500
    headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else None
    code = {429: "throttled", 502: "transient", 503: "transient", 504: "timeout"}.get(status, "exception")
    return FhirError(status, f"Injected fault: HTTP {status}", code, headers)


def _check_type(rtype: str, interaction: str) -> None:
    faults = services().faults.state
    profile = services().config.profile
    if rtype not in SUPPORTED_TYPES or (rtype == "Claim" and faults.no_claim) or not profile.has_type(rtype):
        raise FhirError(404, f"Resource type {rtype!r} is not supported by this server", "not-supported")
    if not profile.allows(rtype, interaction):
        raise FhirError(405, f"{interaction} is not supported for {rtype} by this server", "not-supported")
    if rtype in faults.status_500:
        raise FhirError(500, "Injected fault: internal server error", "exception")
    if not allows(g.token.get_scope(), rtype, interaction):
        raise FhirError(403, f"The access token's scopes do not allow {interaction} on {rtype}", "forbidden")


def _acting_practitioner() -> str | None:
    """The practitioner a user's token acts for (provider access); None for system access (client
    credentials, Basic, API key), whose grants name no user."""
    user_id = getattr(g.token, "user_id", None)
    return str(user_id) if user_id else None


def _present(resource: Resource) -> Resource:
    return mangle(resource) if resource["resourceType"] in services().faults.state.malformed else resource


def _location(rtype: str, resource: Resource) -> dict[str, str]:
    version = resource["meta"]["versionId"]
    base = services().config.fhir_base
    return {"Location": f"{base}/{rtype}/{resource['id']}/_history/{version}", "ETag": f'W/"{version}"'}


def _written(rtype: str, resource: Resource, status: int) -> Response:
    headers = _location(rtype, resource)
    prefer = request.headers.get("Prefer", "")
    if "return=minimal" in prefer:
        return Response(status=status, headers=headers)
    return fhir_json(resource, status, headers)


def _body(rtype: str) -> dict[str, Any]:
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        raise FhirError(400, "The request body is not valid JSON", "structure") from None
    if not isinstance(body, dict) or body.get("resourceType") != rtype:
        raise FhirError(400, f"The body must be a {rtype} resource", "invalid")
    return body


@bp.get("/metadata")
def metadata() -> Response:
    svc = services()
    state = svc.faults.state
    profile = svc.config.profile
    return fhir_json(capability_statement(svc.config, no_claim=state.no_claim,
                                          no_revinclude=state.no_revinclude or not profile.revinclude,
                                          no_batch=state.no_batch or not profile.batch))


@bp.get("/.well-known/smart-configuration", endpoint="smart_configuration")
def smart_configuration_doc() -> Response:
    return Response(json.dumps(smart_configuration(services().config)), content_type="application/json")


@bp.get("/.well-known/openid-configuration", endpoint="openid_configuration")
def openid_configuration_doc() -> Response:
    return Response(json.dumps(openid_configuration(services().config)), content_type="application/json")


@bp.get("/<rtype>")
def search(rtype: str) -> Response:
    return _search(rtype, list(request.args.items(multi=True)))


@bp.post("/<rtype>/_search")
def search_post(rtype: str) -> Response:
    return _search(rtype, [*request.args.items(multi=True), *request.form.items(multi=True)])


def _search(rtype: str, pairs: list[tuple[str, str]]) -> Response:
    return fhir_json(_searchset(rtype, pairs))


def _searchset(rtype: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    _check_type(rtype, "search")
    state = services().faults.state
    profile = services().config.profile
    if (state.no_revinclude or not profile.revinclude) and any(key == "_revinclude" for key, _ in pairs):
        raise FhirError(400, "_revinclude is not supported by this server", "not-supported")
    if any(key == "_offset" for key, _ in pairs) and services().faults.take_expired_session():
        raise FhirError(400, "The search session has expired. Search again.", "processing")
    only = profile.search_only.get(rtype)
    unknown = sorted({key.split(":")[0] for key, _ in pairs} - (only or set()) - RESULT_PARAMS) if only else []
    if unknown:
        raise FhirError(400, f"Unknown search parameter for {rtype}: {', '.join(unknown)}", "not-supported")
    needed = profile.search_requires.get(rtype)
    if needed and not any(key.split(":")[0] in needed for key, _ in pairs):
        raise FhirError(400, f"A {rtype} search needs one of: {', '.join(sorted(needed))}", "required")
    strict = "handling=strict" in request.headers.get("Prefer", "")
    req = parse_search(rtype, pairs, strict=strict)
    if state.page_size and req.count > state.page_size:
        req.count = state.page_size  # a server's page size cap: the client must follow next links
    store = ResourceStore(get_db())
    return searchset(store, req, services().config.fhir_base, _present)


def _read(rtype: str, rid: str) -> Resource:
    _check_type(rtype, "read")
    resource = ResourceStore(get_db()).get(rtype, rid)
    if resource is None:
        raise FhirError(404, f"{rtype}/{rid} is not known", "not-found")
    return resource


def _check_binary_accept(resource: Resource, accept: str) -> None:
    """Refuse (406) an Accept that names neither the Binary's content type nor FHIR JSON."""
    wanted = {part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()}
    own = str(resource.get("contentType", "")).split(";")[0].strip().lower()
    if own in wanted or wanted & {"application/fhir+json", "application/json"}:
        return
    raise FhirError(406, f"Accept must name the document's content type ({own}) or application/fhir+json",
                    "not-supported")


@bp.get("/<rtype>/<rid>")
def read(rtype: str, rid: str) -> Response:
    resource = _read(rtype, rid)
    if rtype == "Binary" and services().config.profile.binary_accept_exact:
        _check_binary_accept(resource, request.headers.get("Accept", ""))
    if rtype == "Binary" and "json" not in request.headers.get("Accept", ""):
        # Binary read without a FHIR Accept header returns the raw content, as EHRs do.
        raw = base64.b64decode(resource.get("data", ""))
        return Response(raw, content_type=resource.get("contentType", "application/octet-stream"))
    return fhir_json(_present(resource), headers={"ETag": f'W/"{resource["meta"]["versionId"]}"'})


@bp.post("", endpoint="batch", strict_slashes=False)
def batch() -> Response:
    """A `batch` Bundle of GET entries (reads and searches), answered entry by entry.

    Each entry succeeds or fails on its own, with per-entry fault rules and scope checks, as FHIR
    batches do; only reads and searches are accepted (the app never writes through a batch).
    """
    if services().faults.state.no_batch or not services().config.profile.batch:
        raise FhirError(405, "batch is not supported by this server", "not-supported")
    body = _body("Bundle")
    if body.get("type") != "batch":
        raise FhirError(400, "only Bundle.type = batch is supported", "not-supported")
    entries = body.get("entry") or []
    if not isinstance(entries, list):
        raise FhirError(400, "Bundle.entry must be a list", "structure")
    answers = [_batch_entry(entry) for entry in entries]
    return fhir_json({"resourceType": "Bundle", "type": "batch-response", "entry": answers})


def _batch_entry(entry: Any) -> dict[str, Any]:
    try:
        resource = _batch_get(entry)
    except FhirError as err:
        return {"response": {"status": str(err.status), "outcome": operation_outcome(err.diagnostics, err.code)}}
    return {"resource": resource, "response": {"status": "200 OK"}}


def _batch_get(entry: Any) -> Resource:
    req = entry.get("request") if isinstance(entry, dict) else None
    if not isinstance(req, dict) or not isinstance(req.get("url"), str):
        raise FhirError(400, "a batch entry needs request.method and request.url", "structure")
    if req.get("method") != "GET":
        raise FhirError(405, "only GET entries are supported in a batch", "not-supported")
    url = req["url"]
    base = services().config.fhir_base + "/"
    if url.startswith(base):
        url = url[len(base):]
    parts = urlsplit(url)
    path = [p for p in parts.path.strip("/").split("/") if p]
    if len(path) == 1 and path[0] in SUPPORTED_TYPES:
        _entry_faults(path[0])
        return _searchset(path[0], parse_qsl(parts.query, keep_blank_values=True))
    if len(path) == 2 and path[0] in SUPPORTED_TYPES and services().config.profile.valid_id(path[1]):
        _entry_faults(path[0])
        return _present(_read(path[0], path[1]))
    raise FhirError(400, f"unsupported batch entry URL {req['url']!r}", "not-supported")


def _entry_faults(rtype: str) -> None:
    for rule in services().faults.take(rtype):
        if rule.kind == "latency":
            time.sleep(rule.latency_ms / 1000)
        else:  # an entry cannot carry an HTML page or broken JSON: it fails with the rule's status
            raise _fault_error(rule)


@bp.get("/<rtype>/<rid>/_history/<vid>")
def vread(rtype: str, rid: str, vid: str) -> Response:
    _check_type(rtype, "read")
    resource = ResourceStore(get_db()).get(rtype, rid)
    if resource is None or resource["meta"]["versionId"] != vid:
        raise FhirError(404, f"{rtype}/{rid}/_history/{vid} is not known (only current versions are kept)")
    return fhir_json(_present(resource))


@bp.post("/<rtype>/$create")
def create_operation(rtype: str) -> Response:
    """A type-level create operation where the profile offers one (Oracle: `ChargeItem/$create`)."""
    profile = services().config.profile
    if profile.create_operations.get(rtype) != "$create":
        raise FhirError(404, f"{rtype}/$create is not supported by this server", "not-supported")
    if not allows(g.token.get_scope(), rtype, "create"):
        raise FhirError(403, f"The access token's scopes do not allow create on {rtype}", "forbidden")
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        raise FhirError(400, "The request body is not valid JSON", "structure") from None
    item = charge_item_from_create(body if isinstance(body, dict) else {}, ORACLE_TENANT)
    conn = get_db()
    store = ResourceStore(conn)
    validate_resource(item, store)
    with transaction(conn, immediate=True):
        created = store.create(item)
        record_change(conn, None, created, services().config.fhir_base)
    return _written(rtype, created, 201)


@bp.post("/<rtype>")
def create(rtype: str) -> Response:
    _check_type(rtype, "create")
    body = _body(rtype)
    body.pop("id", None)  # the server assigns ids on create
    conn = get_db()
    store = ResourceStore(conn)
    validate_resource(body, store)
    check_vendor_create(services().config.profile.name, rtype, body, acting=_acting_practitioner())
    # Epic and Oracle Health do not document If-None-Exist: their profiles ignore it and create anyway.
    condition = request.headers.get("If-None-Exist") if honours_if_none_exist(services().config.profile.name) \
        else None
    # IMMEDIATE: the match check and the insert happen under one write lock, so two concurrent
    # conditional creates with the same identifier still produce one resource.
    with transaction(conn, immediate=True):
        if condition:
            criteria = parse_search(rtype, parse_qsl(condition.lstrip("?"), keep_blank_values=True), strict=True)
            if not criteria.criteria:
                raise FhirError(400, f"If-None-Exist has no usable criteria: {condition!r}")
            existing = find(store, criteria, services().config.fhir_base)
            if len(existing) > 1:
                raise FhirError(412, f"If-None-Exist matched {len(existing)} resources", "multiple-matches")
            if existing:
                return _written(rtype, existing[0], 200)
        created = store.create(body)
        record_change(conn, None, created, services().config.fhir_base)
    return _written(rtype, created, 201)


@bp.put("/<rtype>/<rid>")
def update(rtype: str, rid: str) -> Response:
    _check_type(rtype, "update")
    body = _body(rtype)
    if not services().config.profile.valid_id(rid) or body.get("id") != rid:
        raise FhirError(400, f"The body's id must equal the URL id {rid!r}", "invalid")
    conn = get_db()
    store = ResourceStore(conn)
    validate_resource(body, store)
    with transaction(conn, immediate=True):
        current = store.get(rtype, rid)
        if_match = request.headers.get("If-Match")
        if if_match and (current is None or if_match.strip('W/"') != current["meta"]["versionId"]):
            raise FhirError(412, "If-Match does not match the current version", "conflict")
        stored, created = store.put(body)
        record_change(conn, current, stored, services().config.fhir_base)
    return _written(rtype, stored, 201 if created else 200)
