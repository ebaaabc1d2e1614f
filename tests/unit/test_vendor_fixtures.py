"""The sandbox's vendor profiles against the vendors' own documents (tests/data/vendors, issue 15 item 12):
what a profile declares and enforces must not be more lenient than what the vendor publishes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from sandbox.app import create_app
from smartapp.fhir.capabilities import declared_search_params, resource_capability, supports_interaction

VENDORS = Path(__file__).resolve().parents[1] / "data" / "vendors"
BASE = "http://ehr.test"


def vendor(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VENDORS / name).read_text())
    return loaded


@pytest.fixture
def sandbox(request: pytest.FixtureRequest, template_db: Path, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    monkeypatch.setenv("SANDBOX_PROFILE", request.param)
    db = tmp_path / "sandbox.db"
    shutil.copy(template_db, db)
    yield create_app(str(db), BASE).test_client()


def token(client: FlaskClient, scope: str) -> dict[str, str]:
    answer = client.post("/_admin/tokens", json={"scope": scope})
    assert answer.status_code == 200, answer.data
    return {"Authorization": f"Bearer {answer.json['access_token']}"}


@pytest.mark.parametrize("sandbox", ["oracle"], indirect=True)
def test_the_oracle_profile_is_as_strict_as_oracles_capability_statement(sandbox: FlaskClient) -> None:
    published = vendor("oracle-r4-capabilitystatement.json")
    ours = sandbox.get("/fhir/metadata").json
    assert resource_capability(ours, "Composition") is None and resource_capability(published, "Composition") is None
    assert supports_interaction(ours, "Condition", "create") and supports_interaction(published, "Condition", "create")
    # Practitioner is searched by _id only: the sandbox declares and accepts nothing else.
    assert declared_search_params(published, "Practitioner") == {"_id"}
    assert declared_search_params(ours, "Practitioner") == {"_id"}
    headers = token(sandbox, "user/Practitioner.read patient/Encounter.read patient/Condition.read")
    refused = sandbox.get("/fhir/Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893", headers=headers)
    assert refused.status_code == 400 and refused.json["resourceType"] == "OperationOutcome"
    # Encounter and Condition searches need the patient (or _id), as Oracle documents them.
    for rtype in ("Encounter", "Condition"):
        docs = {p["name"]: p.get("documentation", "") for p in resource_capability(published, rtype)["searchParam"]}
        assert "required field if the patient" in docs["_id"]
        assert sandbox.get(f"/fhir/{rtype}?status=finished", headers=headers).status_code == 400
    oauth = {e["url"]: e["valueUri"] for e in published["rest"][0]["security"]["extension"][0]["extension"]}
    assert "/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/" in oauth["token"]
    issuer = sandbox.get("/fhir/.well-known/smart-configuration").json["issuer"]
    assert issuer.endswith("/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d")


@pytest.mark.parametrize("sandbox", ["epic"], indirect=True)
def test_the_epic_profile_matches_epics_discovery_facts(sandbox: FlaskClient) -> None:
    facts = vendor("epic-smart-configuration.facts.json")
    config = sandbox.get("/fhir/.well-known/smart-configuration").json
    assert config["issuer"].removeprefix(BASE) == facts["issuer"].removeprefix("https://fhir.epic.com/interconnect-fhir-oauth")
    assert not set(facts["capabilities_absent"]) & set(config["capabilities"])
    assert {"permission-offline", "permission-v1", "permission-v2"} <= set(config["capabilities"])
    statement = sandbox.get("/fhir/metadata").json
    for rtype in facts["resources_absent"]:
        assert resource_capability(statement, rtype) is None
    for rtype in facts["resources_no_create"]:
        assert not supports_interaction(statement, rtype, "create")
    for rtype in facts["resources_create"]:
        assert supports_interaction(statement, rtype, "create")
    headers = token(sandbox, "patient/DocumentReference.read patient/DiagnosticReport.read patient/Condition.read")
    for rtype in facts["search_requires_patient"]:
        assert sandbox.get(f"/fhir/{rtype}?encounter=e001", headers=headers).status_code == 400, rtype


@pytest.mark.parametrize("sandbox", ["oracle"], indirect=True)
def test_the_oracle_profile_serves_a_binary_only_in_its_own_content_type(sandbox: FlaskClient) -> None:
    """Oracle's Binary is asked for in the document's content type (or FHIR JSON); `*/*` is refused, so
    the launch tests prove RevRX sends the declared type (issue 15 items 7, 12)."""
    headers = token(sandbox, "patient/Binary.read")
    assert sandbox.get("/fhir/Binary/bin062", headers={**headers, "Accept": "*/*"}).status_code == 406
    served = sandbox.get("/fhir/Binary/bin062", headers={**headers, "Accept": "text/html"})
    assert served.status_code == 200 and served.content_type.startswith("text/html")
