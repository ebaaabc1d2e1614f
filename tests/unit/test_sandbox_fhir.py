"""The sandbox EHR's FHIR server through Flask's test client: seed data, read, search, paging,
_include/_revinclude, create/conditional create/update, scopes, OperationOutcomes and faults."""

from __future__ import annotations

import base64
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox.app import create_app

BASE = "http://ehr.test"
FHIR = f"{BASE}/fhir"
READ_SCOPES = (
    "launch openid fhirUser offline_access patient/Patient.r patient/Encounter.rs "
    "patient/DocumentReference.rs patient/Composition.rs patient/Coverage.rs "
    "patient/Practitioner.r patient/Binary.r user/Claim.c"
)


@pytest.fixture
def app(template_db: Path, tmp_path: Path) -> Iterator[Flask]:
    db = tmp_path / "sandbox.db"
    shutil.copy(template_db, db)
    yield create_app(str(db), BASE)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def bearer(client: FlaskClient, scope: str = READ_SCOPES, **context: Any) -> dict[str, str]:
    resp = client.post("/_admin/tokens", json={"scope": scope, **context})
    assert resp.status_code == 200, resp.data
    return {"Authorization": f"Bearer {resp.json['access_token']}"}


def claim(identifier: str = "run-1", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "Claim",
        "identifier": [{"system": "urn:revrx:claim", "value": identifier}],
        "status": "draft",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": "Patient/p002"},
        "created": "2026-01-08",
        "provider": {"reference": "Practitioner/pr002"},
        "priority": {"coding": [{"code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/cov002"}}],
        "diagnosis": [
            {
                "sequence": 1,
                "diagnosisCodeableConcept": {
                    "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}]
                },
            }
        ],
        "item": [
            {
                "sequence": 1,
                "encounter": [{"reference": "Encounter/e002"}],
                "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99213"}]},
            }
        ],
    }
    body.update(overrides)
    return body


def entries(bundle: dict[str, Any], mode: str | None = None) -> list[tuple[str, str]]:
    return [
        (e["resource"]["resourceType"], e["resource"]["id"])
        for e in bundle.get("entry", [])
        if mode is None or e["search"]["mode"] == mode
    ]


# --- seed data ---------------------------------------------------------------------------------


def test_seed_has_one_encounter_per_note_in_alternating_note_shapes(client: FlaskClient) -> None:
    encounters = client.get("/_admin/resources/Encounter").json
    patients = client.get("/_admin/resources/Patient").json
    assert len(encounters) == 87
    assert len(patients) >= 20
    assert encounters[0]["id"] == "e001" and encounters[0]["class"]["code"] == "AMB"
    assert encounters[0]["participant"][0]["type"][0]["coding"][0]["code"] == "PPRF"
    assert len({e["period"]["start"][:10] for e in encounters}) == 87, "each encounter on its own day"
    assert all(e["period"]["start"].startswith("2026-") for e in encounters)

    docs = client.get("/_admin/resources/DocumentReference").json
    comps = client.get("/_admin/resources/Composition").json
    plain = [n for n in range(1, 88) if not 60 <= n <= 78]  # e060–e078 carry the other shapes
    doc_encounters = {d["context"]["encounter"][0]["reference"] for d in docs}
    assert {f"Encounter/e{n:03d}" for n in plain if n % 2 == 0} <= doc_encounters
    assert {c["encounter"]["reference"] for c in comps} == {f"Encounter/e{n:03d}" for n in plain if n % 2}
    text = base64.b64decode(docs[0]["content"][0]["attachment"]["data"]).decode()
    assert "CHIEF COMPLAINT" in text
    assert docs[0]["content"][0]["attachment"]["contentType"] == "text/plain; charset=utf-8"
    assert docs[0]["type"]["coding"][0]["code"] == "11506-3"
    headings = [s["code"]["text"] for s in comps[0]["section"]]
    assert headings[0] == "CHIEF COMPLAINT" and "ASSESSMENT AND PLAN" in headings
    assert comps[0]["section"][0]["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p>')


def test_seed_is_deterministic_across_databases(client: FlaskClient, tmp_path: Path) -> None:
    other = create_app(str(tmp_path / "other.db"), BASE).test_client()
    for rtype in ("Patient", "Encounter", "Coverage"):
        mine = [(r["id"], r.get("name"), r.get("birthDate")) for r in client.get(f"/_admin/resources/{rtype}").json]
        theirs = [(r["id"], r.get("name"), r.get("birthDate")) for r in other.get(f"/_admin/resources/{rtype}").json]
        assert mine == theirs


def test_patient_has_synthetic_contact_details_and_coverage(client: FlaskClient) -> None:
    headers = bearer(client)
    patient = client.get("/fhir/Patient/p001", headers=headers).json
    assert patient["name"][0]["family"] == "Collins"  # from the ACI-BENCH metadata
    assert patient["identifier"][0]["system"].startswith("urn:oid:")
    assert {t["system"] for t in patient["telecom"]} == {"phone", "email"}
    assert patient["address"][0]["city"]
    coverage = client.get("/fhir/Coverage?patient=p001", headers=headers).json
    assert coverage["total"] == 1
    assert coverage["entry"][0]["resource"]["payor"][0]["reference"] == "Organization/org-payer"


# --- discovery -----------------------------------------------------------------------------------


def test_metadata_is_public_and_declares_what_the_server_does(client: FlaskClient) -> None:
    resp = client.get("/fhir/metadata")
    assert resp.status_code == 200
    assert resp.content_type.startswith("application/fhir+json")
    rest = resp.json["rest"][0]
    by_type = {r["type"]: r for r in rest["resource"]}
    assert "Encounter:patient" in by_type["Encounter"]["searchInclude"]
    assert "DocumentReference:encounter" in by_type["Encounter"]["searchRevInclude"]
    assert {"code": "create"} in by_type["Claim"]["interaction"]
    assert "date" in {p["name"] for p in by_type["Encounter"]["searchParam"]}
    uris = {e["url"]: e["valueUri"] for e in rest["security"]["extension"][0]["extension"]}
    assert (uris["authorize"], uris["token"]) == (f"{BASE}/oauth/authorize", f"{BASE}/oauth/token")


def test_smart_configuration(client: FlaskClient) -> None:
    doc = client.get("/fhir/.well-known/smart-configuration").json
    assert doc["issuer"] == FHIR
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
    assert {
        "launch-ehr",
        "launch-standalone",
        "context-ehr-encounter",
        "permission-v2",
        "client-confidential-asymmetric",
    } <= set(doc["capabilities"])
    assert client.get(doc["jwks_uri"].removeprefix(BASE)).json["keys"][0]["kty"] == "RSA"


# --- auth on FHIR calls --------------------------------------------------------------------------


@pytest.mark.parametrize("auth", [None, "Bearer not-a-token", "Basic abc"])
def test_fhir_requires_a_valid_bearer_token(client: FlaskClient, auth: str | None) -> None:
    resp = client.get("/fhir/Patient/p001", headers={"Authorization": auth} if auth else {})
    assert resp.status_code == 401
    assert resp.json["resourceType"] == "OperationOutcome"
    assert resp.json["issue"][0]["code"] == "login"


def test_expired_token_is_refused(client: FlaskClient) -> None:
    live = client.post("/_admin/tokens", json={}).json["access_token"]
    assert client.get("/fhir/Patient/p001", headers={"Authorization": f"Bearer {live}"}).status_code == 200
    client.post("/_admin/faults", json={"access_token_ttl": 0})
    dead = client.post("/_admin/tokens", json={}).json
    assert dead["expires_in"] == 0
    resp = client.get("/fhir/Patient/p001", headers={"Authorization": f"Bearer {dead['access_token']}"})
    assert resp.status_code == 401 and resp.json["resourceType"] == "OperationOutcome"


def test_scopes_limit_interactions(client: FlaskClient) -> None:
    only_patient = bearer(client, "patient/Patient.r")
    assert client.get("/fhir/Patient/p001", headers=only_patient).status_code == 200
    resp = client.get("/fhir/Encounter?patient=p001", headers=only_patient)
    assert resp.status_code == 403 and resp.json["issue"][0]["code"] == "forbidden"
    assert client.post("/fhir/Claim", json=claim(), headers=only_patient).status_code == 403
    v1 = bearer(client, "patient/*.read user/Claim.write")
    assert client.get("/fhir/Encounter?patient=p001", headers=v1).status_code == 200
    assert client.post("/fhir/Claim", json=claim(), headers=v1).status_code == 201


# --- read and search -----------------------------------------------------------------------------


def test_read_unknown_is_404_outcome(client: FlaskClient) -> None:
    headers = bearer(client)
    resp = client.get("/fhir/Encounter/nope", headers=headers)
    assert resp.status_code == 404 and resp.json["issue"][0]["code"] == "not-found"
    assert client.get("/fhir/Spaceship/1", headers=headers).status_code == 404


def test_paging_walks_every_encounter_once(client: FlaskClient) -> None:
    headers = bearer(client)
    url: str | None = f"{FHIR}/Encounter?_count=20"
    seen: list[str] = []
    pages = 0
    while url:
        bundle = client.get(url.removeprefix(BASE), headers=headers).json
        assert bundle["type"] == "searchset" and bundle["total"] == 87
        seen += [e["resource"]["id"] for e in bundle["entry"]]
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        pages += 1
    assert pages == 5
    assert seen == [f"e{n:03d}" for n in range(1, 88)]


def test_search_filters(client: FlaskClient) -> None:
    headers = bearer(client)

    def ids(query: str) -> list[str]:
        resp = client.get(f"/fhir/{query}", headers=headers)
        assert resp.status_code == 200, resp.json
        return [e["resource"]["id"] for e in resp.json["entry"] if e["search"]["mode"] == "match"]

    assert ids("Encounter?date=ge2026-01-05&date=le2026-01-11") == ["e001", "e002", "e003"]
    assert ids("Encounter?date=2026-01-08") == ["e002"]
    assert ids("Encounter?patient=Patient/p002&status=finished") == ["e002"]
    assert ids("Encounter?subject=p002&status=planned") == []
    mrn = client.get("/fhir/Patient/p003", headers=headers).json["identifier"][0]
    assert ids(f"Patient?identifier={mrn['system']}|{mrn['value']}") == ["p003"]
    assert ids("Patient?name=colli") == ["p001"]
    assert ids("DocumentReference?encounter=e002&status=current&type=http://loinc.org|11506-3") == ["dr002"]
    assert ids("Composition?encounter=Encounter/e001") == ["cmp001"]
    assert ids("Encounter?_id=e005,e007") == ["e005", "e007"]
    bad = client.get("/fhir/Encounter?date=yesterday", headers=headers)
    assert bad.status_code == 400 and bad.json["resourceType"] == "OperationOutcome"


def test_include_and_revinclude(client: FlaskClient) -> None:
    headers = bearer(client)
    query = (
        "/fhir/Encounter?_id=e002&_include=Encounter:patient&_include=Encounter:participant"
        "&_revinclude=DocumentReference:encounter&_revinclude=Composition:encounter"
    )
    bundle = client.get(query, headers=headers).json
    assert entries(bundle, "match") == [("Encounter", "e002")]
    assert sorted(entries(bundle, "include")) == [
        ("DocumentReference", "dr002"),
        ("Patient", "p002"),
        ("Practitioner", "pr002"),
    ]
    assert bundle["total"] == 1
    odd = client.get("/fhir/Encounter?_id=e003&_revinclude=Composition:encounter", headers=headers).json
    assert ("Composition", "cmp003") in entries(odd, "include")
    unknown = client.get("/fhir/Encounter?_include=Encounter:nonsense", headers=headers)
    assert unknown.status_code == 400


# --- create, conditional create, update ----------------------------------------------------------


def test_conditional_create_makes_one_claim(client: FlaskClient) -> None:
    headers = {**bearer(client), "If-None-Exist": "identifier=urn:revrx:claim|run-1"}
    first = client.post("/fhir/Claim", json=claim(), headers=headers)
    assert first.status_code == 201
    claim_id = first.json["id"]
    assert first.headers["Location"] == f"{FHIR}/Claim/{claim_id}/_history/1"
    second = client.post("/fhir/Claim", json=claim(), headers=headers)
    assert second.status_code == 200 and second.json["id"] == claim_id
    assert [c["id"] for c in client.get("/_admin/resources/Claim").json] == [claim_id]
    assert client.get("/fhir/Claim?encounter=e002", headers=headers).status_code == 403, "c is not r"
    found = client.get("/fhir/Claim?encounter=e002", headers=bearer(client, "user/Claim.rs")).json
    assert entries(found) == [("Claim", claim_id)]


def test_conditional_create_with_several_matches_is_412(client: FlaskClient) -> None:
    headers = bearer(client)
    for _ in range(2):
        assert client.post("/fhir/Claim", json=claim("dup"), headers=headers).status_code == 201
    resp = client.post(
        "/fhir/Claim", json=claim("dup"), headers={**headers, "If-None-Exist": "identifier=urn:revrx:claim|dup"}
    )
    assert resp.status_code == 412 and resp.json["resourceType"] == "OperationOutcome"
    assert len(client.get("/_admin/resources/Claim").json) == 2


def test_claim_missing_required_fields_is_422(client: FlaskClient) -> None:
    headers = bearer(client)
    body = claim()
    del body["insurance"], body["priority"]
    resp = client.post("/fhir/Claim", json=body, headers=headers)
    assert resp.status_code == 422
    assert "priority" in resp.json["issue"][0]["diagnostics"]
    assert "insurance" in resp.json["issue"][0]["diagnostics"]
    dangling = client.post("/fhir/Claim", json=claim(patient={"reference": "Patient/ghost"}), headers=headers)
    assert dangling.status_code == 422
    assert client.get("/_admin/resources/Claim").json == []


def test_malformed_bodies_are_400(client: FlaskClient) -> None:
    headers = {**bearer(client), "Content-Type": "application/fhir+json"}
    assert client.post("/fhir/Claim", data="{not json", headers=headers).status_code == 400
    wrong = client.post("/fhir/Claim", json={"resourceType": "Patient"}, headers=headers)
    assert wrong.status_code == 400 and wrong.json["resourceType"] == "OperationOutcome"


def test_update_bumps_version_and_checks_id(client: FlaskClient) -> None:
    headers = bearer(client, "user/Claim.c user/Claim.u user/Claim.r")
    created = client.post("/fhir/Claim", json=claim(), headers=headers).json
    created["status"] = "active"
    updated = client.put(f"/fhir/Claim/{created['id']}", json=created, headers=headers)
    assert updated.status_code == 200 and updated.json["meta"]["versionId"] == "2"
    assert client.get(f"/fhir/Claim/{created['id']}", headers=headers).json["status"] == "active"
    mismatch = client.put("/fhir/Claim/other-id", json=created, headers=headers)
    assert mismatch.status_code == 400


# --- fault injection ----------------------------------------------------------------------------


def test_faults_switch_on_and_off(client: FlaskClient) -> None:
    headers = bearer(client)
    client.post("/_admin/faults", json={"status_500": ["Encounter"], "malformed": ["DocumentReference"]})
    assert client.get("/fhir/Encounter/e001", headers=headers).status_code == 500
    assert client.get("/fhir/Patient/p001", headers=headers).status_code == 200
    broken = client.get("/fhir/DocumentReference/dr002", headers=headers).json
    assert not isinstance(broken["content"], list)
    client.delete("/_admin/faults")
    assert client.get("/fhir/Encounter/e001", headers=headers).status_code == 200
    assert isinstance(client.get("/fhir/DocumentReference/dr002", headers=headers).json["content"], list)


def test_no_claim_fault_hides_claim(client: FlaskClient) -> None:
    headers = bearer(client)
    client.post("/_admin/faults", json={"no_claim": True})
    types = {r["type"] for r in client.get("/fhir/metadata").json["rest"][0]["resource"]}
    assert "Claim" not in types and "Encounter" in types
    assert client.post("/fhir/Claim", json=claim(), headers=headers).status_code == 404


def test_latency_and_expire_tokens_faults(client: FlaskClient) -> None:
    headers = bearer(client)
    client.post("/_admin/faults", json={"latency_ms": 150})
    started = time.monotonic()
    client.get("/fhir/Patient/p001", headers=headers)
    assert time.monotonic() - started >= 0.15
    client.delete("/_admin/faults")
    assert client.post("/_admin/faults", json={"fail": "expire_tokens"}).json["expired_tokens"] >= 1
    assert client.get("/fhir/Patient/p001", headers=headers).status_code == 401
    assert client.post("/_admin/faults", json={"bogus": 1}).status_code == 400


# --- EHR pages -----------------------------------------------------------------------------------


def test_home_lists_encounters_with_launch_buttons_and_attribution(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="launch-e001"' in html and 'href="/ehr/launch/e001"' in html
    assert 'data-testid="launch-e087"' in client.get("/?q=e087").get_data(as_text=True), "later pages: search"
    assert "ACI-BENCH" in html and "CC BY 4.0" in html and "Scientific Data" in html
    assert "Martha Collins" in client.get("/?q=martha").get_data(as_text=True)


def test_launch_redirects_to_the_app_with_a_stored_context(client: FlaskClient, app: Flask) -> None:
    resp = client.get("/ehr/launch/e002")
    assert resp.status_code == 302
    reg = app.extensions["sandbox"].first_client().registration
    location = resp.headers["Location"]
    assert location.startswith(reg.launch_url + "?iss=")
    launch_id = location.rpartition("launch=")[2]
    conn = sqlite3.connect(app.config["SANDBOX"].db_path)
    row = conn.execute(
        "SELECT patient_id, encounter_id, user_id FROM launch_contexts WHERE id = ?", (launch_id,)
    ).fetchone()
    assert row == ("p002", "e002", "pr002")
    assert client.get("/ehr/launch/nope").status_code == 404


def test_encounter_page_embeds_the_app(client: FlaskClient) -> None:
    html = client.get("/ehr/encounter/e003").get_data(as_text=True)
    assert '<iframe class="app"' in html and 'width="760"' in html and 'src="/ehr/launch/e003"' in html


def test_claims_page_and_counts_show_written_claims(client: FlaskClient) -> None:
    assert 'data-testid="no-claims"' in client.get("/ehr/claims").get_data(as_text=True)
    created = client.post("/fhir/Claim", json=claim(), headers=bearer(client)).json
    page = client.get("/ehr/claims").get_data(as_text=True)
    assert created["id"] in page and "M54.50" in page and "99213" in page
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="claims-e002">1<' in home
    assert 'data-testid="claims-e004">0<' in home


def test_smart_style(client: FlaskClient) -> None:
    style = client.get("/ehr/smart-style.json").json
    assert style["color_background"].startswith("#") and style["font_family_body"]


def test_backend_apps_page_registers_a_basic_client_that_can_then_read(client: FlaskClient) -> None:
    bad = client.post("/ehr/backend-apps", data={"client_id": "k1", "auth": "private_key_jwt", "jwks": "{nope"})
    assert bad.status_code == 400 and b"jwks must be a JWK set" in bad.data
    made = client.post("/ehr/backend-apps", data={"client_id": "batch-user", "auth": "basic",
                                                  "secret": "s3cr3t-pw-9", "scope": "system/*.rs"})
    assert made.status_code == 201 and b'data-testid="backend-batch-user"' in made.data
    assert b"s3cr3t-pw-9" not in client.get("/ehr/backend-apps").data, "the page never shows a secret"
    auth = {"Authorization": "Basic " + base64.b64encode(b"batch-user:s3cr3t-pw-9").decode()}
    assert client.get("/fhir/Patient?_count=1", headers=auth).status_code == 200
    wrong = {"Authorization": "Basic " + base64.b64encode(b"batch-user:nope").decode()}
    assert client.get("/fhir/Patient?_count=1", headers=wrong).status_code == 401


def test_an_expired_search_session_refuses_the_next_page_once(client: FlaskClient) -> None:
    """Issue 15 item 7: Epic's paging links name a search session that expires; the sandbox's
    `expired_search_sessions` fault refuses that many next pages with 400, then pages work again."""
    headers = bearer(client)
    assert client.post("/_admin/faults", json={"expired_search_sessions": 1}).status_code == 200
    first = client.get("/fhir/Encounter?_count=20", headers=headers).json
    nxt = next(link["url"] for link in first["link"] if link["relation"] == "next").removeprefix(BASE)
    gone = client.get(nxt, headers=headers)
    assert gone.status_code == 400 and gone.json["resourceType"] == "OperationOutcome"
    assert "Search again" in gone.json["issue"][0]["diagnostics"]
    assert client.get(nxt, headers=headers).status_code == 200
