"""`/fhir/Subscription` and `/fhir/SubscriptionTopic`: the subscription server's REST side.

- `POST /fhir/Subscription`: a topic-based (criteria = a SubscriptionTopic canonical, filters in the
  backport-filter-criteria extension) or plain R4 (criteria = `Encounter?status=finished`) rest-hook
  subscription; it starts `requested` and becomes `active` after the handshake.
- `GET /fhir/Subscription[/<id>]`, `PUT` (status `off` pauses, `requested` resumes), `DELETE`.
- `GET|POST /fhir/Subscription/<id>/$status` and `/fhir/Subscription/$status?id=`: status Parameters.
- `GET|POST /fhir/Subscription/<id>/$events?eventsSinceNumber=&eventsUntilNumber=&content=`: past events
  as a history notification Bundle (type `query-event`).

Requests need a Bearer token whose scopes allow the interaction on Subscription (creating, changing
and deleting need `c`/`u`/`d` or v1 `write`). Only profiles that list Subscription offer any of this.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, g, request

from sandbox.db import get_db, transaction
from sandbox.outcome import FhirError, error_response, fhir_json
from sandbox.scopes import allows
from sandbox.services import services
from sandbox.subscriptions import store
from sandbox.subscriptions.bundles import BACKPORT, notification, status_bundle
from sandbox.subscriptions.delivery import ensure_started, poke
from sandbox.subscriptions.store import Sub
from sandbox.subscriptions.topics import TOPICS, parse_criteria, topic_resource

bp = Blueprint("subscriptions", __name__, url_prefix="/fhir")
EXT = f"{BACKPORT}/StructureDefinition"
SUBSCRIPTION_PROFILE = f"{EXT}/backport-subscription"
MAX_HEARTBEAT = 86400
CONTENTS = ("empty", "id-only", "full-resource")


@bp.errorhandler(FhirError)
def _fhir_error(err: FhirError) -> Response:
    return error_response(err)


@bp.before_request
def _authenticate() -> None:
    if not services().config.profile.has_type("Subscription"):
        raise FhirError(404, "This server does not offer Subscription", "not-supported")
    try:
        g.token = services().protector.acquire_token(None)
    except OAuth2Error as err:
        raise FhirError(401, err.description or "A valid Bearer token is required", "login",
                        {"WWW-Authenticate": f'Bearer error="{err.error}"'}) from None


def _allow(interaction: str) -> None:
    if not allows(g.token.get_scope(), "Subscription", interaction):
        raise FhirError(403, f"The access token's scopes do not allow {interaction} on Subscription", "forbidden")


def _ext(element: dict[str, Any] | None, name: str) -> Any:
    for ext in (element or {}).get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == f"{EXT}/{name}":
            return next((v for k, v in ext.items() if k.startswith("value")), None)
    return None


def _exts(element: dict[str, Any] | None, name: str) -> list[Any]:
    return [next((v for k, v in e.items() if k.startswith("value")), None)
            for e in (element or {}).get("extension") or []
            if isinstance(e, dict) and e.get("url") == f"{EXT}/{name}"]


def _int(value: Any, name: str, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise FhirError(400, f"{name} must be an integer from {low} to {high}", "invalid")
    return value


def _parse(body: Any, sid: str, previous: Sub | None) -> Sub:
    """Validate a Subscription resource and turn it into a row (FhirError 400/422 on what is not offered)."""
    if not isinstance(body, dict) or body.get("resourceType") != "Subscription":
        raise FhirError(400, "The body must be a Subscription resource", "invalid")
    criteria = body.get("criteria")
    if not isinstance(criteria, str) or not criteria:
        raise FhirError(400, "Subscription.criteria is required", "required")
    topic: str | None = None
    filters: list[str] = []
    if criteria.startswith(("http://", "https://")):
        if criteria not in TOPICS:
            raise FhirError(422, f"Unknown SubscriptionTopic {criteria!r}; offered: {', '.join(TOPICS)}",
                            "not-supported")
        topic = criteria
        filters = [f for f in _exts(body.get("_criteria"), "backport-filter-criteria") if isinstance(f, str)]
        for raw in filters:
            try:
                parse_criteria(raw if "?" in raw else f"{TOPICS[topic].resource}?{raw}")
            except ValueError as err:
                raise FhirError(422, f"filter criteria {raw!r}: {err}", "not-supported") from None
    else:
        try:
            parse_criteria(criteria)
        except ValueError as err:
            raise FhirError(422, f"Subscription.criteria: {err}", "not-supported") from None
    channel = body.get("channel")
    if not isinstance(channel, dict) or channel.get("type") != "rest-hook":
        raise FhirError(422, "Only channel.type rest-hook is supported", "not-supported")
    endpoint = channel.get("endpoint")
    if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("http", "https"):
        raise FhirError(400, "channel.endpoint must be an http(s) URL", "invalid")
    headers = channel.get("header") or []
    if not isinstance(headers, list) or not all(isinstance(h, str) and ":" in h for h in headers):
        raise FhirError(400, "channel.header must be a list of 'Name: value' strings", "invalid")
    payload = channel.get("payload") or ""
    content = _ext(channel.get("_payload"), "backport-payload-content") or ("id-only" if topic else "")
    if topic and content not in CONTENTS:
        raise FhirError(422, f"payload content must be one of {', '.join(CONTENTS)}", "not-supported")
    status = body.get("status") or "requested"
    if status not in ("requested", "active", "off"):
        raise FhirError(400, "Subscription.status must be requested or off", "invalid")
    if status == "active" and (previous is None or previous.status not in ("active", "error")):
        status = "requested"   # a client asks; the handshake makes it active
    if status == "active" and previous is not None:
        status = previous.status
    stored = {k: v for k, v in body.items() if k not in ("id", "meta", "status", "error")}
    return Sub(
        id=sid, client_id=str(getattr(g.token, "client_id", "") or ""), status=status, topic=topic,
        criteria=criteria, filters=filters, endpoint=endpoint, headers=headers, payload=str(payload),
        content=str(content), heartbeat=_int(_ext(channel, "backport-heartbeat-period"), "heartbeat period",
                                             0, MAX_HEARTBEAT, 0),
        timeout=_int(_ext(channel, "backport-timeout"), "timeout", 1, 60, 10),
        max_count=_int(_ext(channel, "backport-max-count"), "max count", 1, 100, 1),
        events=previous.events if previous else 0, delivered=previous.delivered if previous else 0,
        last_sent=previous.last_sent if previous else 0.0, next_attempt=0.0, attempts=0,
        last_error=None if status == "requested" else (previous.last_error if previous else None), body=stored)


def _resource(sub: Sub) -> dict[str, Any]:
    """The stored Subscription with the server's status, and its last delivery error as `error`."""
    shown: dict[str, Any] = {**sub.body, "resourceType": "Subscription", "id": sub.id, "status": sub.status}
    if sub.topic:
        shown["meta"] = {"profile": [SUBSCRIPTION_PROFILE]}
    if sub.last_error:
        shown["error"] = sub.last_error
    return shown


def _body() -> Any:
    try:
        return json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        raise FhirError(400, "The request body is not valid JSON", "structure") from None


def _started() -> None:
    cfg = services().config
    ensure_started(cfg.db_path, cfg.fhir_base)
    poke()


def _get(sid: str) -> Sub:
    found = store.get(get_db(), sid)
    if found is None:
        raise FhirError(404, f"Subscription/{sid} is not known", "not-found")
    return found


@bp.post("/Subscription")
def create() -> Response:
    _allow("create")
    sub = _parse(_body(), str(uuid.uuid4()), None)
    conn = get_db()
    with transaction(conn, immediate=True):
        store.save(conn, sub)
    _started()
    base = services().config.fhir_base
    return fhir_json(_resource(sub), 201, {"Location": f"{base}/Subscription/{sub.id}"})


@bp.get("/Subscription")
def search() -> Response:
    _allow("search")
    wanted = request.args.get("status")
    subs = [s for s in store.all_subs(get_db()) if not wanted or s.status in wanted.split(",")]
    base = services().config.fhir_base
    return fhir_json({"resourceType": "Bundle", "type": "searchset", "total": len(subs),
                      "entry": [{"fullUrl": f"{base}/Subscription/{s.id}", "resource": _resource(s),
                                 "search": {"mode": "match"}} for s in subs]})


@bp.get("/Subscription/<sid>")
def read(sid: str) -> Response:
    _allow("read")
    return fhir_json(_resource(_get(sid)))


@bp.put("/Subscription/<sid>")
def update(sid: str) -> Response:
    _allow("update")
    body = _body()
    if isinstance(body, dict) and body.get("id") not in (None, sid):
        raise FhirError(400, f"The body's id must equal the URL id {sid!r}", "invalid")
    conn = get_db()
    with transaction(conn, immediate=True):
        previous = _get(sid)
        sub = _parse(body, sid, previous)
        store.save(conn, sub)
    _started()
    return fhir_json(_resource(sub))


@bp.delete("/Subscription/<sid>")
def remove(sid: str) -> Response:
    _allow("update")
    conn = get_db()
    with transaction(conn, immediate=True):
        if not store.delete(conn, sid):
            raise FhirError(404, f"Subscription/{sid} is not known", "not-found")
    return Response(status=204)


@bp.route("/Subscription/<sid>/$status", methods=["GET", "POST"])
def status(sid: str) -> Response:
    _allow("read")
    return fhir_json(status_bundle([_get(sid)], services().config.fhir_base))


@bp.route("/Subscription/$status", methods=["GET", "POST"])
def status_many() -> Response:
    _allow("read")
    ids = [i for v in request.args.getlist("id") for i in v.split(",") if i]
    subs = [_get(i) for i in ids] if ids else store.all_subs(get_db())
    return fhir_json(status_bundle(subs, services().config.fhir_base))


def _number(name: str, default: int | None) -> int | None:
    raw = request.values.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise FhirError(400, f"{name} must be an event number", "invalid") from None


@bp.route("/Subscription/<sid>/$events", methods=["GET", "POST"])
def past_events(sid: str) -> Response:
    _allow("read")
    sub = _get(sid)
    since = _number("eventsSinceNumber", 1) or 1
    until = _number("eventsUntilNumber", None)
    content = request.values.get("content") or sub.content or "id-only"
    if content not in CONTENTS:
        raise FhirError(400, f"content must be one of {', '.join(CONTENTS)}", "invalid")
    rows = store.events(get_db(), sid, since, until, limit=1000)
    return fhir_json(notification(sub, services().config.fhir_base, "query-event", rows, content=content))


@bp.get("/SubscriptionTopic")
def topics() -> Response:
    base = services().config.fhir_base
    found = [topic_resource(t, base) for t in TOPICS.values()]
    return fhir_json({"resourceType": "Bundle", "type": "searchset", "total": len(found),
                      "entry": [{"fullUrl": f"{base}/SubscriptionTopic/{t['id']}", "resource": t,
                                 "search": {"mode": "match"}} for t in found]})


@bp.get("/SubscriptionTopic/<tid>")
def topic(tid: str) -> Response:
    base = services().config.fhir_base
    for t in TOPICS.values():
        if t.name == tid:
            return fhir_json(topic_resource(t, base))
    raise FhirError(404, f"SubscriptionTopic/{tid} is not known", "not-found")


def capability_entries(has_subscription: bool) -> list[dict[str, Any]]:
    """The CapabilityStatement's Subscription entry (with the topics offered), or nothing."""
    if not has_subscription:
        return []
    return [{
        "type": "Subscription",
        "supportedProfile": [SUBSCRIPTION_PROFILE],
        "extension": [{"url": f"{EXT}/capabilitystatement-subscriptiontopic-canonical", "valueCanonical": url}
                      for url in TOPICS],
        "interaction": [{"code": c} for c in ("read", "create", "update", "delete", "search-type")],
        "operation": [
            {"name": "$status", "definition": f"{BACKPORT}/OperationDefinition/backport-subscription-status"},
            {"name": "$events", "definition": f"{BACKPORT}/OperationDefinition/backport-subscription-events"},
        ],
    }]
