"""The sandbox EHR's vendor profiles on batch sync (issue 15 item 11): Oracle refuses a date-only Encounter
search with an OperationOutcome, as Oracle Health does; the epic and oracle profiles offer Bulk Data
`Group/$export` (kick-off, polling with Retry-After, manifest, NDJSON, `_type` and `_since`) and declare it
in their CapabilityStatement; the generic profile offers none. An encounter finished in the EHR is what the
next `_since` export brings."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox.app import create_app
from sandbox.bulk_export import BULK_GROUP_ID

BASE = "http://ehr.test"
SYSTEM = "system/*.rs"


def _app(template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str) -> Flask:
    monkeypatch.setenv("SANDBOX_PROFILE", profile)
    db = tmp_path / f"sandbox-{profile}.db"
    shutil.copy(template_db, db)
    return create_app(str(db), BASE)


@pytest.fixture(params=["epic", "oracle"])
def vendor(request: pytest.FixtureRequest, template_db: Path, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    yield _app(template_db, tmp_path, monkeypatch, request.param).test_client()


def _bearer(client: FlaskClient, scope: str = SYSTEM) -> dict[str, str]:
    resp = client.post("/_admin/tokens", json={"scope": scope})
    return {"Authorization": f"Bearer {resp.json['access_token']}"}


def _export(client: FlaskClient, query: str, headers: dict[str, str]) -> tuple[dict, list[dict]]:
    """Kick off, poll as told, read the manifest and every NDJSON file; (manifest, resources)."""
    kick = client.get(f"/fhir/Group/{BULK_GROUP_ID}/$export?{query}",
                      headers={**headers, "Prefer": "respond-async", "Accept": "application/fhir+json"})
    assert kick.status_code == 202, kick.data
    status_path = kick.headers["Content-Location"].removeprefix(BASE)
    first = client.get(status_path, headers=headers)
    assert first.status_code == 202 and first.headers["Retry-After"] == "1"
    assert first.headers["X-Progress"]
    time.sleep(float(first.headers["Retry-After"]) + 0.1)
    done = client.get(status_path, headers=headers)
    assert done.status_code == 200
    manifest = json.loads(done.data)
    rows = []
    for item in manifest["output"]:
        got = client.get(item["url"].removeprefix(BASE), headers=headers)
        assert got.status_code == 200 and got.content_type == "application/fhir+ndjson"
        rows += [json.loads(line) for line in got.get_data(as_text=True).splitlines()]
    assert client.delete(status_path, headers=headers).status_code == 202
    assert client.get(status_path, headers=headers).status_code == 404, "deleted: gone"
    return manifest, rows


def test_oracle_refuses_a_date_only_encounter_search_with_an_operation_outcome(
        template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _app(template_db, tmp_path, monkeypatch, "oracle").test_client()
    headers = _bearer(client)
    refused = client.get("/fhir/Encounter?date=ge2020-01-01", headers=headers)
    assert refused.status_code == 400
    outcome = refused.json
    assert outcome["resourceType"] == "OperationOutcome"
    assert "patient" in outcome["issue"][0]["diagnostics"]
    allowed = client.get("/fhir/Encounter?date=ge2020-01-01&patient=p001", headers=headers)
    assert allowed.status_code == 200 and allowed.json["resourceType"] == "Bundle"


def test_vendor_profiles_declare_and_run_a_group_export(vendor: FlaskClient) -> None:
    statement = vendor.get("/fhir/metadata").json
    assert {"name": "export", "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"} \
        in statement["rest"][0]["operation"]
    manifest, rows = _export(vendor, "_type=Encounter", _bearer(vendor))
    assert manifest["requiresAccessToken"] is True and manifest["transactionTime"]
    assert rows and {r["resourceType"] for r in rows} == {"Encounter"}


def test_since_brings_only_what_changed_and_a_finished_encounter_is_new(vendor: FlaskClient) -> None:
    headers = _bearer(vendor)
    manifest, _ = _export(vendor, "_type=Encounter", headers)
    since = manifest["transactionTime"]
    _, nothing = _export(vendor, f"_type=Encounter&_since={since}", headers)
    assert nothing == []
    finished = vendor.post("/_admin/encounters/e010/finish", json={"copy": True}).json["id"]
    _, changed = _export(vendor, f"_type=Encounter&_since={since}", headers)
    assert [(r["id"], r["status"]) for r in changed] == [(finished, "finished")]


def test_export_needs_respond_async_a_known_group_and_the_scopes(vendor: FlaskClient) -> None:
    headers = _bearer(vendor)
    path = f"/fhir/Group/{BULK_GROUP_ID}/$export?_type=Encounter"
    assert vendor.get(path, headers=headers).status_code == 400   # no Prefer: respond-async
    prefer = {**headers, "Prefer": "respond-async"}
    assert vendor.get("/fhir/Group/nope/$export", headers=prefer).json["resourceType"] == "OperationOutcome"
    assert vendor.get(path, headers={**_bearer(vendor, "system/Patient.rs"), "Prefer": "respond-async"}
                      ).status_code == 403
    assert vendor.get(path + "&_since=yesterday", headers=prefer).status_code == 400
    assert vendor.get(path, headers={"Prefer": "respond-async"}).status_code == 401


def test_the_generic_profile_offers_no_bulk_data(template_db: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    client = _app(template_db, tmp_path, monkeypatch, "generic").test_client()
    assert "operation" not in client.get("/fhir/metadata").json["rest"][0]
    answer = client.get(f"/fhir/Group/{BULK_GROUP_ID}/$export", headers={**_bearer(client), "Prefer": "respond-async"})
    assert answer.status_code == 404 and answer.json["resourceType"] == "OperationOutcome"
