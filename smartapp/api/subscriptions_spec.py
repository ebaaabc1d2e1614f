"""The OpenAPI paths of the subscription endpoints (smartapp/api/subscriptions.py), merged into the
document by openapi_spec.py."""

from __future__ import annotations

from typing import Any

_INT_ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
_STR_OR_NULL = {"type": ["string", "null"]}
SUBSCRIPTION = {"type": "object", "required": ["id", "connection_id", "status", "criteria"], "properties": {
    "id": {"type": "integer"}, "connection_id": {"type": "integer"}, "topic": _STR_OR_NULL,
    "criteria": {"type": "string"}, "mode": {"enum": ["topic", "criteria"]},
    "fhir_subscription_id": _STR_OR_NULL, "status": {"type": "string"}, "paused": {"type": "boolean"},
    "heartbeat_seconds": {"type": "integer"}, "last_event_number": {"type": "integer"},
    "highest_event_number": {"type": "integer"}, "last_heartbeat_at": _STR_OR_NULL,
    "last_notification_at": _STR_OR_NULL, "last_error": _STR_OR_NULL, "created_at": _STR_OR_NULL}}
AUTO_CODE = {"type": "object", "required": ["auto_code", "encounter_classes"], "properties": {
    "auto_code": {"type": "boolean"},
    "encounter_classes": {"type": "array", "items": {"type": "string"}, "maxItems": 20}}}
SUBSCRIBE = {"type": "object", "additionalProperties": False, "properties": {
    "heartbeat_seconds": {"type": "integer", "minimum": 5, "maximum": 86400}, "notes": {"type": "boolean"},
    "mode": {"enum": ["auto", "topic", "criteria"]}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problems(*codes: int) -> dict[str, Any]:
    problem = {"type": "object", "required": ["title", "status"]}
    return {str(c): {"description": "Problem details", "content": {"application/problem+json": {"schema": problem}}}
            for c in codes}


def subscription_paths() -> dict[str, Any]:
    conn = {"name": "connection_id", "in": "path", "required": True, "schema": _INT_ID}
    sub = {"name": "subscription_id", "in": "path", "required": True, "schema": _INT_ID}
    items = _json({"type": "object", "properties": {"items": {"type": "array", "items": SUBSCRIPTION}}},
                  "The connection's subscriptions")
    one = _json(SUBSCRIPTION, "The subscription (never its secret)")
    return {
        "/fhir-connections/{connection_id}/subscriptions": {
            "parameters": [conn],
            "get": {"operationId": "listSubscriptions", "responses": {"200": items, **_problems(401, 404)}},
            "post": {"operationId": "subscribeConnection",
                     "description": "Create subscriptions on the connection's EHR (encounter finished; notes "
                                    "when offered; else plain criteria). 409 when the EHR offers none.",
                     "requestBody": {"required": False, "content": {"application/json": {"schema": SUBSCRIBE}}},
                     "responses": {"201": items, **_problems(401, 403, 404, 409, 422, 502)}}},
        "/subscriptions/{subscription_id}": {
            "parameters": [sub],
            "get": {"operationId": "getSubscription", "responses": {"200": one, **_problems(401, 404)}},
            "delete": {"operationId": "deleteSubscription", "responses": {
                "204": {"description": "Deleted here and on the EHR"}, **_problems(401, 403, 404, 502)}}},
        "/subscriptions/{subscription_id}/pause": {
            "parameters": [sub],
            "post": {"operationId": "pauseSubscription", "responses": {"200": one, **_problems(401, 403, 404, 409,
                                                                                               502)}}},
        "/subscriptions/{subscription_id}/resume": {
            "parameters": [sub],
            "post": {"operationId": "resumeSubscription", "responses": {"200": one, **_problems(401, 403, 404, 409,
                                                                                                502)}}},
        "/fhir-connections/{connection_id}/auto-code": {
            "parameters": [conn],
            "get": {"operationId": "getAutoCode", "responses": {"200": _json(AUTO_CODE, "Auto-code settings"),
                                                                **_problems(401, 404)}},
            "put": {"operationId": "setAutoCode",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": AUTO_CODE}}},
                    "responses": {"200": _json(AUTO_CODE, "Saved"), **_problems(401, 403, 404, 422)}}},
    }
