"""API v1 on the app (test client, migrated DB, real Redis): connections CRUD with secrets that never
come back, organization boundaries, role rules, problem details, and the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from smartapp.api.auth import create_token
from smartapp.extensions import db
from smartapp.models import Organization, Role, User

pytestmark = pytest.mark.db


class Caller:
    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=body if body is not None else {})

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", headers=self.headers, json=body)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


def _caller(app: Flask, org_name: str, role: Role = Role.CODER) -> Caller:
    with app.app_context():
        org = Organization(name=org_name)
        db.session.add(org)
        db.session.flush()
        user = User(organization_id=org.id, issuer="revrx:local", fhir_user=f"local:{org_name}:{role}", role=role)
        db.session.add(user)
        db.session.commit()
        token = create_token(db.session, user)
    return Caller(app.test_client(), token)


@pytest.fixture()
def alice(app: Flask) -> Iterator[Caller]:
    yield _caller(app, "North Clinic")


@pytest.fixture()
def bob(app: Flask) -> Iterator[Caller]:
    yield _caller(app, "South Clinic")


NEW = {"name": "Sandbox", "base_url": "https://ehr.example/fhir/", "auth_type": "CLIENT_CREDENTIALS",
       "client_id": "revrx", "secret": "s3cret-value", "scope": "system/Encounter.rs"}


def test_a_token_is_required_and_bad_tokens_get_problem_details(app: Flask) -> None:
    client = app.test_client()
    missing = client.get("/api/v1/fhir-connections")
    assert missing.status_code == 401 and missing.mimetype == "application/problem+json"
    wrong = client.get("/api/v1/encounters", headers={"Authorization": "Bearer rvx_not-a-token"})
    assert wrong.status_code == 401 and wrong.json["title"] == "Unauthorized"


def test_create_shows_everything_but_the_secret_which_is_encrypted_at_rest(app: Flask, alice: Caller) -> None:
    created = alice.post("/fhir-connections", NEW)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["has_secret"] is True and body["base_url"] == "https://ehr.example/fhir"
    assert "s3cret-value" not in json.dumps(body) and "secret" not in body
    assert created.headers["Location"].endswith(f"/api/v1/fhir-connections/{body['id']}")
    listed = alice.get("/fhir-connections").json["items"]
    assert [c["id"] for c in listed] == [body["id"]] and "s3cret-value" not in json.dumps(listed)
    with app.app_context():
        stored = db.session.execute(text("SELECT secret FROM fhir_connections")).scalar_one()
    assert stored and "s3cret-value" not in stored


def test_backend_services_can_generate_a_key_and_shows_only_the_public_half(alice: Caller) -> None:
    body = alice.post("/fhir-connections", {**NEW, "auth_type": "BACKEND_SERVICES", "secret": None,
                                            "generate_key": True}).json
    key = body["public_jwks"]["keys"][0]
    assert key["kty"] == "RSA" and key["alg"] == "RS384" and key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "private key material must never be returned"


def test_another_organizations_connection_does_not_exist_for_it(alice: Caller, bob: Caller) -> None:
    """404, as for an unknown id (issue 17 item 8; it was 403, which told bob the id exists)."""
    connection_id = alice.post("/fhir-connections", NEW).json["id"]
    for response in (bob.get(f"/fhir-connections/{connection_id}"),
                     bob.patch(f"/fhir-connections/{connection_id}", {"name": "mine now"}),
                     bob.delete(f"/fhir-connections/{connection_id}"),
                     bob.post(f"/fhir-connections/{connection_id}/test"),
                     bob.get(f"/fhir/sync-status/{connection_id}"),
                     bob.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id}),
                     bob.post("/fhir/ingest-encounter", {"fhir_connection_id": connection_id,
                                                         "fhir_encounter_id": "e001"})):
        assert response.status_code == 404, response.json
        assert response.mimetype == "application/problem+json"
    assert bob.get("/fhir-connections").json["items"] == []
    assert alice.get("/fhir-connections/999999").status_code == 404
    assert alice.get(f"/fhir-connections/{connection_id}").json["name"] == "Sandbox"


def test_update_keeps_the_secret_unless_a_new_one_is_sent_and_delete_removes(alice: Caller) -> None:
    connection_id = alice.post("/fhir-connections", NEW).json["id"]
    changed = alice.patch(f"/fhir-connections/{connection_id}", {"name": "Renamed", "active": False})
    assert changed.status_code == 200 and changed.json["name"] == "Renamed" and changed.json["active"] is False
    assert changed.json["has_secret"] is True
    emptied = alice.patch(f"/fhir-connections/{connection_id}", {"client_id": None})
    assert emptied.status_code == 422 and "client_id" in emptied.json["detail"]
    assert alice.delete(f"/fhir-connections/{connection_id}").status_code == 204
    assert alice.get(f"/fhir-connections/{connection_id}").status_code == 404


def test_write_back_preferences_are_kept_in_order_and_changed_on_their_own(alice: Caller) -> None:
    created = alice.post("/fhir-connections", NEW).json
    assert created["writeback"] == ["claim", "charge_item", "encounter_diagnosis", "document_reference"]
    connection_id = created["id"]
    changed = alice.patch(f"/fhir-connections/{connection_id}", {"writeback": ["document_reference", "claim"]})
    assert changed.status_code == 200 and changed.json["writeback"] == ["document_reference", "claim"]
    status = alice.patch(f"/fhir-connections/{connection_id}", {"claim_status": "active"}).json
    assert status["claim_status"] == "active" and status["writeback"] == ["document_reference", "claim"]
    unknown = alice.patch(f"/fhir-connections/{connection_id}", {"writeback": ["fax"]})
    assert unknown.status_code == 422 and "writeback" in json.dumps(unknown.json)


@pytest.mark.parametrize("body", [
    {**NEW, "base_url": "ftp://ehr.example/fhir"},
    {**NEW, "auth_type": "API_KEY", "secret": None},
    {**NEW, "auth_type": "BACKEND_SERVICES", "secret": "not a key"},
    {**NEW, "unexpected": 1},
    {"name": ""},
])
def test_invalid_connections_are_refused_with_422_and_field_errors(alice: Caller, body: dict[str, Any]) -> None:
    response = alice.post("/fhir-connections", body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert "not a key" not in json.dumps(response.json), "submitted values are not echoed"
    assert alice.get("/fhir-connections").json["items"] == []


def test_read_only_users_cannot_change_connections(app: Flask, alice: Caller) -> None:
    viewer = _caller(app, "North Clinic Viewers", Role.READ_ONLY)
    assert viewer.post("/fhir-connections", NEW).status_code == 403


def test_sync_requests_are_validated_before_anything_is_queued(alice: Caller) -> None:
    connection_id = alice.post("/fhir-connections", NEW).json["id"]
    bad = alice.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id, "date_from": "2025-02-01",
                                               "date_to": "2025-01-01"})
    assert bad.status_code == 422
    assert alice.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id, "limit": 0}).status_code == 422
    assert alice.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id,
                                                "patient_ids": ["../x"]}).status_code == 422
    status = alice.get(f"/fhir/sync-status/{connection_id}").json
    assert status["latest"] is None and status["recent"] == []


def test_a_sync_is_queued_once_per_connection_at_a_time(alice: Caller) -> None:
    connection_id = alice.post("/fhir-connections", NEW).json["id"]
    first = alice.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id, "limit": 5})
    assert first.status_code == 202 and first.json["status"] == "QUEUED"
    assert first.json["criteria"]["limit"] == 5 and first.json["duplicate_policy"] == "skip"
    second = alice.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id})
    assert second.status_code == 409
    cancelled = alice.post(f"/fhir/syncs/{first.json['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json["status"] == "CANCELLED"
    assert alice.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id}).status_code == 202


def test_the_openapi_document_is_public_and_describes_the_endpoints(app: Flask) -> None:
    doc = app.test_client().get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    for path in ("/fhir-connections", "/fhir-connections/{connection_id}", "/fhir-connections/{connection_id}/test",
                 "/fhir/ingest-encounter", "/fhir/sync-encounters", "/fhir/sync-status/{connection_id}",
                 "/encounters"):
        assert path in doc["paths"], path
    names = {p["name"] for p in doc["paths"]["/encounters"]["get"]["parameters"]}
    assert {"source", "status", "date_from", "date_to", "provider", "fhir_encounter_id", "fhir_patient_id",
            "page", "per_page", "sort"} <= names
    assert "secret" not in doc["components"]["schemas"]["Connection"]["properties"]


def test_every_operation_documents_the_rate_limit_answer(app: Flask) -> None:
    # A client generated from the document must expect 429 and read Retry-After on every call.
    doc = app.test_client().get("/api/v1/openapi.json").json
    undocumented = [f"{method.upper()} {path}" for path, item in doc["paths"].items()
                    for method, op in item.items() if method != "parameters" and "429" not in op["responses"]]
    assert undocumented == []
    assert "Retry-After" in doc["paths"]["/encounters"]["get"]["responses"]["429"]["headers"]
