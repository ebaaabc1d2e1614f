"""The sandbox's batch endpoint, capability switches and fault rules through Flask's test client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from sandbox.app import create_app

BASE = "http://ehr.test"


@pytest.fixture
def client(template_db: Path, tmp_path: Path) -> Iterator[FlaskClient]:
    db = tmp_path / "sandbox.db"
    shutil.copy(template_db, db)
    yield create_app(str(db), BASE).test_client()


@pytest.fixture
def headers(client: FlaskClient) -> dict[str, str]:
    token = client.post("/_admin/tokens", json={}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def batch(client: FlaskClient, headers: dict[str, str], *urls: str) -> list[dict]:
    body = {"resourceType": "Bundle", "type": "batch",
            "entry": [{"request": {"method": "GET", "url": u}} for u in urls]}
    resp = client.post("/fhir", json=body, headers=headers)
    assert resp.status_code == 200, resp.data
    assert resp.json["type"] == "batch-response"
    entries: list[dict] = resp.json["entry"]
    return entries


def test_batch_answers_reads_and_searches_entry_by_entry(client: FlaskClient, headers: dict[str, str]) -> None:
    read, search, missing, unscoped = batch(client, headers, "Encounter/e067", "DiagnosticReport?encounter=e067",
                                            "Binary/nope", "Claim/x")
    assert read["resource"]["id"] == "e067" and read["response"]["status"] == "200 OK"
    assert [e["resource"]["id"] for e in search["resource"]["entry"]] == ["rep067"]
    assert missing["response"]["status"] == "404"
    assert missing["response"]["outcome"]["resourceType"] == "OperationOutcome"
    assert unscoped["response"]["status"] == "403"  # the token's scopes are checked entry by entry


def test_capability_switches_hide_revinclude_and_batch(client: FlaskClient, headers: dict[str, str]) -> None:
    statement = client.get("/fhir/metadata").json
    encounter = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Encounter")
    assert "DiagnosticReport:encounter" in encounter["searchRevInclude"]
    assert statement["rest"][0]["interaction"] == [{"code": "batch"}]

    client.post("/_admin/faults", json={"fail": ["no_revinclude", "no_batch"]})
    statement = client.get("/fhir/metadata").json
    encounter = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Encounter")
    assert "searchRevInclude" not in encounter and "interaction" not in statement["rest"][0]
    assert client.get("/fhir/Encounter?_id=e001&_revinclude=Composition:encounter", headers=headers).status_code == 400
    assert client.post("/fhir", json={"resourceType": "Bundle", "type": "batch"}, headers=headers).status_code == 405


def test_rules_fail_n_times_then_succeed(client: FlaskClient, headers: dict[str, str]) -> None:
    client.post("/_admin/faults", json={"fail": "status_429:Binary*2"})
    first = client.get("/fhir/Binary/bin060", headers=headers)
    assert first.status_code == 429 and first.headers["Retry-After"] == "1"
    assert first.json["issue"][0]["code"] == "throttled"
    assert client.get("/fhir/Binary/bin060", headers=headers).status_code == 429
    assert client.get("/fhir/Binary/bin060", headers=headers).status_code == 200
    assert client.get("/fhir/Patient/p001", headers=headers).status_code == 200  # scoped to Binary


def test_html_and_malformed_json_rules(client: FlaskClient, headers: dict[str, str]) -> None:
    client.post("/_admin/faults", json={"rules": [{"kind": "html", "resource": "Encounter", "times": 1},
                                                  {"kind": "malformed_json", "resource": "Patient"}]})
    page = client.get("/fhir/Encounter/e001", headers=headers)
    assert page.status_code == 502 and page.content_type.startswith("text/html") and b"Bad Gateway" in page.data
    assert client.get("/fhir/Encounter/e001", headers=headers).status_code == 200
    broken = client.get("/fhir/Patient/p001", headers=headers)
    assert broken.status_code == 200 and broken.data.startswith(b'{"resourceType"')
    with pytest.raises(ValueError):
        broken.get_json(force=True, silent=False)


def test_page_size_cap_adds_next_links(client: FlaskClient, headers: dict[str, str]) -> None:
    client.post("/_admin/faults", json={"page_size": 2})
    bundle = client.get("/fhir/DocumentReference?encounter=e075", headers=headers).json
    assert len(bundle["entry"]) == 2 and bundle["total"] == 5
    assert any(link["relation"] == "next" and "_count=2" in link["url"] for link in bundle["link"])


def test_bad_rules_are_refused(client: FlaskClient) -> None:
    assert client.post("/_admin/faults", json={"rules": [{"kind": "explode"}]}).status_code == 400
    assert client.post("/_admin/faults", json={"rules": [{"kind": "status", "colour": 1}]}).status_code == 400
    assert client.get("/_admin/faults").json["rules"] == []
