"""The OpenAPI 3.1 description of API v1. Request schemas come from the pydantic models the API
validates with (one source of truth); response schemas are written here."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from smartapp.api.schemas import ApproveRequest, IngestRequest
from smartapp.api.subscriptions_spec import subscription_paths
from smartapp.inputs import ConnectionCreate, ConnectionUpdate, EncounterQuery, ScheduleUpdate, SyncRequest
from smartapp.insights.stats import CHARTS
from smartapp.models import EncounterSource, EncounterStatus

REF = "#/components/schemas/{model}"
_NULLABLE_STR = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problems(*codes: int) -> dict[str, Any]:
    texts = {400: "Malformed request", 401: "Missing or invalid token", 403: "The role may not",
             404: "Not found (also another organization's, or another person's private connection)",
             409: "Conflict with the current state", 422: "Invalid input",
             502: "The EHR could not be reached"}
    return {str(c): {"description": texts[c], "content": {"application/problem+json": {"schema": _ref("Problem")}}}
            for c in codes}


_OBJECT = {"type": "object"}
_RESPONSES: dict[str, Any] = {
    "Problem": {"type": "object", "required": ["title", "status"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "errors": {"type": "array", "items": _OBJECT}}},
    "Connection": {"type": "object", "required": ["id", "name", "base_url", "auth_type", "has_secret"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "base_url": {"type": "string"},
        "fhir_version": {"type": "string"}, "auth_type": {"type": "string"}, "client_id": _NULLABLE_STR,
        "token_endpoint": _NULLABLE_STR, "scope": _NULLABLE_STR, "granted_scope": _NULLABLE_STR,
        "active": {"type": "boolean"},
        "sharing": {"type": "string", "enum": ["organization", "private"]},
        "owner_id": {"type": ["integer", "null"]}, "owner_name": _NULLABLE_STR,
        "has_secret": {"type": "boolean"}, "public_jwks": {"type": ["object", "null"]},
        "writeback": {"type": "array", "items": {"type": "string"}}, "claim_status": {"type": "string"},
        "last_sync_at": _NULLABLE_STR, "last_error": _NULLABLE_STR, "created_at": {"type": "string"},
        "updated_at": {"type": "string"}}},
    "SyncSchedule": {"type": "object", "required": ["connection_id", "mode", "enabled", "interval_minutes"],
                     "properties": {
        "connection_id": {"type": "integer"},
        "mode": {"type": "object", "required": ["mode", "reason"], "properties": {
            "mode": {"enum": ["subscription", "scheduled", "manual"]}, "reason": {"type": "string"},
            "offers_subscription": {"type": ["boolean", "null"]},
            "offers_bulk_export": {"type": ["boolean", "null"]}}},
        "enabled": {"type": "boolean"}, "interval_minutes": {"type": "number"},
        "bulk_group_id": _NULLABLE_STR, "patient_ids": {"type": "array", "items": {"type": "string"}},
        "since": _NULLABLE_STR, "next_run_at": _NULLABLE_STR, "last_run_at": _NULLABLE_STR,
        "last_sync_id": {"type": ["integer", "null"]}, "last_error": _NULLABLE_STR, "source": _NULLABLE_STR,
        "source_reason": _NULLABLE_STR, "jwks_url": _NULLABLE_STR}},
    "ConnectionTest": {"type": "object", "required": ["ok", "checks"], "properties": {
        "ok": {"type": "boolean"}, "fhir_version": _NULLABLE_STR, "software": _NULLABLE_STR,
        "checks": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "ok": {"type": "boolean"}, "detail": {"type": "string"}}}}}},
    "SyncSummary": {"type": "object", "required": ["id", "status", "total_found", "new", "skipped", "queued",
                                                   "processed", "failed"], "properties": {
        "id": {"type": "integer"}, "connection_id": {"type": "integer"},
        "status": {"enum": ["QUEUED", "RUNNING", "CODING", "COMPLETE", "CANCELLED", "FAILED"]},
        "duplicate_policy": {"enum": ["skip", "overwrite", "version"]}, "criteria": _OBJECT,
        **{k: {"type": "integer"} for k in ("total_found", "new", "skipped", "updated", "queued", "processed",
                                            "failed", "cancelled", "waiting", "progress", "pages_fetched")},
        "cancel_requested": {"type": "boolean"}, "error": _NULLABLE_STR, "created_at": {"type": "string"},
        "started_at": _NULLABLE_STR, "finished_at": _NULLABLE_STR}},
    "SyncStatus": {"type": "object", "properties": {
        "connection_id": {"type": "integer"}, "last_sync_at": _NULLABLE_STR, "last_error": _NULLABLE_STR,
        "latest": {"oneOf": [_ref("SyncSummary"), {"type": "null"}]},
        "recent": {"type": "array", "items": _ref("SyncSummary")}}},
    "Encounter": {"type": "object", "required": ["id", "source", "status"], "properties": {
        "id": {"type": "integer"}, "source": {"enum": [s.value for s in EncounterSource]},
        "status": {"enum": [s.value for s in EncounterStatus]}, "source_system": _NULLABLE_STR,
        "fhir_encounter_id": _NULLABLE_STR, "fhir_patient_id": _NULLABLE_STR, "fhir_provider_id": _NULLABLE_STR,
        "provider_name": _NULLABLE_STR, "encounter_type": _NULLABLE_STR, "date_of_service": _NULLABLE_STR,
        "version": {"type": "integer"}, "fhir_connection_id": {"type": ["integer", "null"]},
        "created_at": {"type": "string"}, "updated_at": {"type": "string"},
        "coding": {"type": ["object", "null"]}}},
    "EncounterPage": {"type": "object", "required": ["items", "total", "page", "per_page"], "properties": {
        "items": {"type": "array", "items": _ref("Encounter")}, "total": {"type": "integer"},
        "page": {"type": "integer"}, "per_page": {"type": "integer"}, "pages": {"type": "integer"},
        "links": _OBJECT}},
    "Submission": {"type": "object", "required": ["id", "encounter_id", "status"], "properties": {
        "id": {"type": "integer"}, "encounter_id": {"type": "integer"}, "run_id": {"type": "integer"},
        "status": {"enum": ["SENDING", "CREATED", "EXISTING", "FAILED"]}, "strategy": _NULLABLE_STR,
        "results": {"type": "array", "items": {"type": "object", "properties": {
            "resourceType": {"type": "string"}, "id": {"type": "string"}, "status": {"type": "string"}}}},
        "error": _NULLABLE_STR, "updated_at": _NULLABLE_STR}},
    "UploadResults": {"type": "object", "required": ["uploads"], "properties": {"uploads": {"type": "array", "items": {
        "type": "object", "properties": {"status": {"type": "string"}, "encounter_id": {"type": ["integer", "null"]},
                                         "url": _NULLABLE_STR}}}}},
    "Upload": {"type": "object", "required": ["encounter_id", "status"], "properties": {
        "encounter_id": {"type": "integer"}, "source": {"type": "string"}, "status": {"type": "string"},
        "version": {"type": "integer"}, "sha256": {"type": "string"}, "media_type": {"type": "string"},
        "size_bytes": {"type": "integer"}, "provider": _NULLABLE_STR, "date_of_service": _NULLABLE_STR,
        "fhir_encounter_id": _NULLABLE_STR, "review_url": {"type": "string"},
        "coding": {"type": ["object", "null"]}}},
    "IngestResult": {"type": "object", "properties": {
        "encounter": _ref("Encounter"), "outcome": {"enum": ["NEW", "SKIPPED", "OVERWRITTEN", "VERSIONED"]},
        "coding_run_id": {"type": ["integer", "null"]}, "status_url": {"type": "string"}}},
    "InsightsTable": {"type": "object", "required": ["id", "title", "columns", "rows"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "days": {"type": "integer"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "array", "items": {"type": ["string", "number", "null"]}}},
        "suppressed_below": {"type": "integer"}, "note": {"type": "string"}}},
    "Insights": {"type": "object", "required": ["days", "charts", "learning"], "properties": {
        "days": {"type": "integer"},
        "charts": {"type": "array", "items": {"$ref": "#/components/schemas/InsightsTable"}},
        "learning": _OBJECT}},
}


def _days_param() -> dict[str, Any]:
    return {"name": "days", "in": "query", "required": False, "schema": {"enum": [7, 30, 90, 365], "default": 90}}


def _query_parameters() -> list[dict[str, Any]]:
    schema = EncounterQuery.model_json_schema(ref_template=REF)
    defs = schema.get("$defs", {})
    params = []
    for name, prop in schema["properties"].items():
        # Query parameters are simply absent when unused: drop the `null` branch and inline enums.
        options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
        chosen = dict(options[0])
        if "$ref" in chosen:
            chosen = dict(defs[chosen["$ref"].rsplit("/", 1)[1]])
        chosen.pop("title", None)
        if prop.get("default") is not None:
            chosen["default"] = prop["default"]
        params.append({"name": name, "in": "query", "required": False, "schema": chosen,
                       **({"description": prop["description"]} if prop.get("description") else {})})
    return params


def _id_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1,
                                                                      "maximum": 2**31 - 1}}


_RATE_LIMITED = {
    "description": "Too many requests from this token or address (RATE_LIMIT_API, RATE_LIMIT_UPLOAD); "
                   "try again after Retry-After seconds",
    "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _rate_limited(paths: dict[str, Any]) -> dict[str, Any]:
    """Every API operation is rate limited (smartapp/web/rate_limits.py), so every one may answer 429."""
    for item in paths.values():
        for method, operation in item.items():
            if method != "parameters":
                operation["responses"]["429"] = _RATE_LIMITED
    return paths


def build_document(server_url: str) -> dict[str, Any]:
    _, request_schemas = models_json_schema(
        [(m, "validation") for m in (ConnectionCreate, ConnectionUpdate, SyncRequest, IngestRequest, ApproveRequest,
                                        ScheduleUpdate)],
        ref_template=REF)
    schemas = {**request_schemas.get("$defs", {}), **_RESPONSES}
    conn, sync = _id_param("connection_id"), _id_param("sync_id")
    connection = _json(_ref("Connection"), "The connection (never its secret)")
    return {
        "openapi": "3.1.0",
        "info": {"title": "RevRX SMART API", "version": "1.0.0",
                 "description": "Encounters, FHIR connections, batch sync, note uploads and approval. "
                                "Authenticate with `Authorization: Bearer <token>` "
                                "(`flask --app wsgi create-api-token <user id>`). "
                                "Errors are RFC 9457 problem details."},
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "components": {"schemas": schemas, "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "paths": _rate_limited({
            "/fhir-connections": {
                "get": {"operationId": "listConnections", "responses": {
                    "200": _json({"type": "object", "properties": {"items": {"type": "array", "items":
                                                                             _ref("Connection")}}}, "Connections"),
                    **_problems(401)}},
                "post": {"operationId": "createConnection",
                         "requestBody": {"required": True, "content": {"application/json": {
                             "schema": _ref("ConnectionCreate")}}},
                         "responses": {"201": connection, **_problems(400, 401, 403, 422)}}},
            "/fhir-connections/{connection_id}": {
                "parameters": [conn],
                "get": {"operationId": "getConnection", "responses": {"200": connection, **_problems(401, 403, 404)}},
                "patch": {"operationId": "updateConnection",
                          "requestBody": {"required": True, "content": {"application/json": {
                              "schema": _ref("ConnectionUpdate")}}},
                          "responses": {"200": connection, **_problems(400, 401, 403, 404, 422)}},
                "delete": {"operationId": "deleteConnection",
                           "responses": {"204": {"description": "Deleted"}, **_problems(401, 403, 404)}}},
            "/fhir-connections/{connection_id}/test": {
                "parameters": [conn],
                "post": {"operationId": "testConnection", "responses": {
                    "200": _json(_ref("ConnectionTest"), "What works (ok is false when a required check failed)"),
                    **_problems(401, 403, 404)}}},
            "/fhir-connections/{connection_id}/sync-schedule": {
                "parameters": [conn],
                "get": {"operationId": "getSyncSchedule", "responses": {
                    "200": _json(_ref("SyncSchedule"), "Which mode brings new encounters in, and why; the schedule"),
                    **_problems(401, 403, 404)}},
                "put": {"operationId": "changeSyncSchedule",
                        "requestBody": {"required": True, "content": {"application/json": {
                            "schema": _ref("ScheduleUpdate")}}},
                        "responses": {"200": _json(_ref("SyncSchedule"), "The schedule as saved"),
                                      **_problems(400, 401, 403, 404, 409, 422)}}},
            "/fhir/ingest-encounter": {
                "post": {"operationId": "ingestEncounter",
                         "requestBody": {"required": True, "content": {"application/json": {
                             "schema": _ref("IngestRequest")}}},
                         "responses": {"202": _json(_ref("IngestResult"), "Queued for coding"),
                                       "200": _json(_ref("IngestResult"), "Already present (skip policy)"),
                                       **_problems(400, 401, 403, 404, 409, 422)}}},
            "/fhir/sync-encounters": {
                "post": {"operationId": "syncEncounters",
                         "requestBody": {"required": True, "content": {"application/json": {
                             "schema": _ref("SyncRequest")}}},
                         "responses": {"202": _json(_ref("SyncSummary"), "Sync queued"),
                                       **_problems(400, 401, 403, 404, 409, 422)}}},
            "/fhir/sync-status/{connection_id}": {
                "parameters": [conn],
                "get": {"operationId": "syncStatus", "responses": {
                    "200": _json(_ref("SyncStatus"), "Latest and recent syncs"), **_problems(401, 403, 404)}}},
            "/fhir/syncs/{sync_id}": {
                "parameters": [sync],
                "get": {"operationId": "getSync", "responses": {
                    "200": _json(_ref("SyncSummary"), "The sync"), **_problems(401, 403, 404)}}},
            "/fhir/syncs/{sync_id}/cancel": {
                "parameters": [sync],
                "post": {"operationId": "cancelSync", "responses": {
                    "200": _json(_ref("SyncSummary"), "Cancelled (or already finished)"),
                    **_problems(401, 403, 404)}}},
            "/encounters": {
                "get": {"operationId": "listEncounters", "parameters": _query_parameters(), "responses": {
                    "200": _json(_ref("EncounterPage"), "A page of encounters"), **_problems(401, 422)}}},
            "/encounters/{encounter_id}": {
                "parameters": [_id_param("encounter_id")],
                "get": {"operationId": "getEncounter", "responses": {
                    "200": _json(_ref("Encounter"), "The encounter and its latest coding"),
                    **_problems(401, 403, 404)}}},
            "/encounters/{encounter_id}/risk-adjustment": {
                "parameters": [_id_param("encounter_id")],
                "get": {"operationId": "getRiskAdjustment",
                        "description": "CMS-HCC V28 categories of the encounter's codes after hierarchies (and "
                                       "across the patient's year), documentation hints, and a RAF score when "
                                       "age, sex and eligibility segment are all given.",
                        "parameters": [
                            {"name": "age", "in": "query", "required": False,
                             "schema": {"type": "integer", "minimum": 0, "maximum": 125}},
                            {"name": "sex", "in": "query", "required": False, "schema": {"enum": ["M", "F"]}},
                            {"name": "segment", "in": "query", "required": False,
                             "schema": {"enum": ["CNA", "CND", "CFA", "CFD", "CPA", "CPD", "INS"]}}],
                        "responses": {"200": _json(_OBJECT, "Risk adjustment of the encounter"),
                                      **_problems(401, 403, 404, 422)}}},
            "/encounters/{encounter_id}/approve": {
                "parameters": [_id_param("encounter_id")],
                "post": {"operationId": "approveEncounter",
                         "description": "Write the accepted codes back to the EHR (Claim, ChargeItems, encounter "
                                        "diagnoses or a coding report, whichever the EHR takes). Idempotent: a "
                                        "repeat returns the same submission and creates nothing new.",
                         "requestBody": {"required": False, "content": {"application/json": {
                             "schema": _ref("ApproveRequest")}}},
                         "responses": {"200": _json(_ref("Submission"), "Written back"),
                                       **_problems(400, 401, 403, 404, 409, 422)}}},
            "/uploads": {
                "post": {"operationId": "uploadNotes",
                         "description": "Note files (TXT, PDF, DOCX), one multipart part per file named `files`; "
                                        "`on_duplicate` = skip (default), overwrite or version.",
                         "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                             "type": "object", "required": ["files"], "properties": {
                                 "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                 "on_duplicate": {"enum": ["skip", "overwrite", "version"]}}}}}},
                         "responses": {"201": _json(_ref("UploadResults"), "At least one new encounter"),
                                       "200": _json(_ref("UploadResults"), "Nothing new (duplicates or rejected)"),
                                       **_problems(400, 401, 403)}}},
            "/insights": {
                "get": {"operationId": "getInsights", "parameters": [_days_param()],
                        "description": "Every insights chart's table and the rules learned from decisions "
                                       "(coders and administrators; counts 1-4 show as \"<5\").",
                        "responses": {"200": _json(_ref("Insights"), "The organisation's coding insights"),
                                      **_problems(401, 403, 422)}}},
            "/insights/{chart}": {
                "parameters": [{"name": "chart", "in": "path", "required": True, "schema": {"enum": list(CHARTS)}}],
                "get": {"operationId": "getInsightsChart", "parameters": [_days_param()], "responses": {
                    "200": _json(_ref("InsightsTable"), "One chart's table"), **_problems(401, 403, 404, 422)}}},
            "/uploads/{encounter_id}": {
                "parameters": [_id_param("encounter_id")],
                "get": {"operationId": "getUpload", "responses": {
                    "200": _json(_ref("Upload"), "The uploaded note's file and coding"), **_problems(401, 404)}}},
            **subscription_paths(),
        }),
    }
