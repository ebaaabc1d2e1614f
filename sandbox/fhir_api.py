"""The FHIR R4 REST endpoint at /fhir: metadata, read, search, create (conditional), update.

Every request but `metadata` and the well-known documents needs a Bearer token (checked by Authlib's
ResourceProtector); the token's SMART scopes are then checked per interaction (`scopes.py`).
Errors of any kind leave as OperationOutcome (`outcome.py`).
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, g, request

from sandbox.bundle import searchset
from sandbox.capability import capability_statement, openid_configuration, smart_configuration
from sandbox.db import get_db, transaction
from sandbox.faults import mangle
from sandbox.outcome import FhirError, error_response, fhir_json
from sandbox.scopes import allows
from sandbox.search import find, parse_search
from sandbox.search_params import SUPPORTED_TYPES
from sandbox.services import services
from sandbox.store import Resource, ResourceStore
from sandbox.validation import ID_RE, validate_resource

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


def _check_type(rtype: str, interaction: str) -> None:
    faults = services().faults.state
    if rtype not in SUPPORTED_TYPES or (rtype == "Claim" and faults.no_claim):
        raise FhirError(404, f"Resource type {rtype!r} is not supported by this server", "not-supported")
    if rtype in faults.status_500:
        raise FhirError(500, "Injected fault: internal server error", "exception")
    if not allows(g.token.get_scope(), rtype, interaction):
        raise FhirError(403, f"The access token's scopes do not allow {interaction} on {rtype}", "forbidden")


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
    return fhir_json(capability_statement(svc.config, no_claim=svc.faults.state.no_claim))


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
    _check_type(rtype, "search")
    strict = "handling=strict" in request.headers.get("Prefer", "")
    req = parse_search(rtype, pairs, strict=strict)
    store = ResourceStore(get_db())
    return fhir_json(searchset(store, req, services().config.fhir_base, _present))


@bp.get("/<rtype>/<rid>")
def read(rtype: str, rid: str) -> Response:
    _check_type(rtype, "read")
    resource = ResourceStore(get_db()).get(rtype, rid)
    if resource is None:
        raise FhirError(404, f"{rtype}/{rid} is not known", "not-found")
    if rtype == "Binary" and "json" not in request.headers.get("Accept", ""):
        # Binary read without a FHIR Accept header returns the raw content, as EHRs do.
        raw = base64.b64decode(resource.get("data", ""))
        return Response(raw, content_type=resource.get("contentType", "application/octet-stream"))
    return fhir_json(_present(resource), headers={"ETag": f'W/"{resource["meta"]["versionId"]}"'})


@bp.get("/<rtype>/<rid>/_history/<vid>")
def vread(rtype: str, rid: str, vid: str) -> Response:
    _check_type(rtype, "read")
    resource = ResourceStore(get_db()).get(rtype, rid)
    if resource is None or resource["meta"]["versionId"] != vid:
        raise FhirError(404, f"{rtype}/{rid}/_history/{vid} is not known (only current versions are kept)")
    return fhir_json(_present(resource))


@bp.post("/<rtype>")
def create(rtype: str) -> Response:
    _check_type(rtype, "create")
    body = _body(rtype)
    body.pop("id", None)  # the server assigns ids on create
    conn = get_db()
    store = ResourceStore(conn)
    validate_resource(body, store)
    condition = request.headers.get("If-None-Exist")
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
    return _written(rtype, created, 201)


@bp.put("/<rtype>/<rid>")
def update(rtype: str, rid: str) -> Response:
    _check_type(rtype, "update")
    body = _body(rtype)
    if not ID_RE.match(rid) or body.get("id") != rid:
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
    return _written(rtype, stored, 201 if created else 200)
