"""Write-back of encounters that came by batch sync (no EHR launch behind them): through the API, and
by a coder who signs in, ticks them in the work queue and presses "Approve selected". RevRX writes
through the connection that synced them, with that connection's scopes and preferences, and a second
approval makes nothing new on the EHR."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
import requests

from devstack.api_client import ApiUser, backend_connection, new_rsa_jwk, register_service_client, sync
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _issuer(stack: Stack) -> str:
    return f"{stack.sandbox_url}/fhir"


def _coder(stack: Stack, launcher: Launcher, sandbox: SandboxWriter) -> tuple[requests.Session, str]:
    """A coder of the sandbox EHR's organisation, signed in standalone. The sign-in asks for a patient:
    one of its own, so that no synced encounter gets a launch behind it."""
    practitioner = sandbox.create({"resourceType": "Practitioner", "active": True,
                                   "name": [{"family": "Synced", "given": ["Sam"]}]})
    launcher.standalone("sandbox", practitioner=practitioner, patient=sandbox.new_patient())
    queue = launcher.http.get(f"{stack.app_url}/", timeout=30)   # the work queue
    assert queue.status_code == 200, queue.text[:300]
    csrf = _CSRF.search(queue.text)
    assert csrf is not None
    return launcher.http, csrf.group(1)


def _approve_selected(stack: Stack, http: requests.Session, csrf: str, ids: list[int]) -> str:
    response = http.post(f"{stack.app_url}/queue/approve", data={"ids": [str(i) for i in ids]}, timeout=120,
                         headers={"HX-Request": "true", "X-CSRFToken": csrf})
    assert response.status_code == 200, response.text[:500]
    return response.text


def _settled(api: ApiUser, ids: list[int], timeout: float = 60.0) -> list[str]:
    """The encounters' statuses once no approval job is still writing them back."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = [api.get(f"/encounters/{i}").json()["status"] for i in ids]
        if "APPROVING" not in statuses:
            return statuses
        time.sleep(0.3)
    raise AssertionError(f"still writing back after {timeout}s: {statuses}")


def _insured(sandbox: SandboxWriter, patient: str) -> str:
    """A Claim needs the patient's Coverage (fresh test patients have none)."""
    sandbox.create({"resourceType": "Coverage", "status": "active", "beneficiary": {"reference": f"Patient/{patient}"},
                    "payor": [{"display": "Sandbox Health Plan"}]})
    return patient


def _synced(api: ApiUser, connection: dict[str, Any], patient: str) -> list[int]:
    summary = sync(api, connection["id"], patient_ids=[patient])
    assert (summary["status"], summary["processed"], summary["failed"]) == ("COMPLETE", summary["total_found"], 0)
    items = api.get("/encounters", fhir_patient_id=patient).json()["items"]
    assert items and all(i["source"] == "FHIR" and i["status"] == "READY" for i in items), items
    return [int(i["id"]) for i in items]


def _resources(stack: Stack, rtype: str, encounter_ids: list[str]) -> list[dict[str, Any]]:
    found = requests.get(f"{stack.sandbox_url}/_admin/resources/{rtype}", timeout=10).json()
    wanted = {f"Encounter/{e}" for e in encounter_ids}

    def about(resource: dict[str, Any]) -> set[str]:
        refs = [resource.get("encounter"), *(i.get("encounter", [{}])[0] for i in resource.get("item", []))]
        return {r.get("reference", "") for r in refs if isinstance(r, dict)}
    return [r for r in found if about(r) & wanted]


def test_approve_selected_writes_synced_encounters_back_through_their_connection(
        stack: Stack, launcher: Launcher) -> None:
    sandbox = SandboxWriter(stack.sandbox_url)
    patient, fhir_ids = sandbox.fresh_encounters(2)
    api = ApiUser(stack, issuer=_issuer(stack), role="admin")   # its connection is the organisation's, shared
    connection = backend_connection(api, stack, scope="system/*.rs system/Claim.c")
    ids = _synced(api, connection, _insured(sandbox, patient))

    # The API first, for one of them: nothing accepted yet, so nothing is sent, and it says why.
    nothing = api.post(f"/encounters/{ids[0]}/approve")
    assert nothing.status_code == 409 and "Accept at least one code" in nothing.json()["detail"], nothing.text
    assert nothing.json()["submission"]["status"] == "FAILED"
    by_api = api.post(f"/encounters/{ids[0]}/approve", {"accept_pending": True})
    assert by_api.status_code == 200, by_api.text
    submission = by_api.json()
    assert submission["status"] == "CREATED" and submission["strategy"] == "claim"
    assert [r["resourceType"] for r in submission["results"]] == ["Claim"]

    # Then the queue, for both: the one already written back is left alone.
    http, csrf = _coder(stack, launcher, sandbox)
    notice = _approve_selected(stack, http, csrf, ids)
    assert "1 encounter queued for approval" in notice and "1 not ready" in notice, re.sub(r"\s+", " ", notice)[:3000]
    assert _settled(api, ids) == ["APPROVED", "APPROVED"]
    claims = _resources(stack, "Claim", fhir_ids)
    assert len(claims) == 2, claims
    assert {c["patient"]["reference"] for c in claims} == {f"Patient/{patient}"}
    assert all(c["status"] == "draft" and c["diagnosis"] and c["insurance"] for c in claims)

    page = http.get(f"{stack.app_url}/encounters/{ids[0]}", timeout=30).text
    assert 'data-testid="writeback-success"' in page and "Sandbox backend" in page

    again = _approve_selected(stack, http, csrf, ids)
    assert "0 encounters queued" in again and "2 not ready" in again, again
    repeated = api.post(f"/encounters/{ids[0]}/approve", {"accept_pending": True})
    assert repeated.status_code == 200 and repeated.json()["id"] == submission["id"]
    assert len(_resources(stack, "Claim", fhir_ids)) == 2, "approving again made no second Claim"
    trail = api.get(f"/encounters/{ids[0]}").json()
    assert trail["status"] == "APPROVED", trail


def test_connection_preferences_and_scopes_decide_what_is_written(stack: Stack, launcher: Launcher) -> None:
    sandbox = SandboxWriter(stack.sandbox_url)
    api = ApiUser(stack, issuer=_issuer(stack), role="admin")   # its connection is the organisation's, shared

    # Read-only scopes: nothing can be created, and the queue says why instead of failing silently.
    read_only = backend_connection(api, stack, name="Read-only backend")
    patient, fhir_ids = sandbox.fresh_encounters(1)
    ids = _synced(api, read_only, patient)
    http, csrf = _coder(stack, launcher, sandbox)
    _approve_selected(stack, http, csrf, ids)
    assert _settled(api, ids) == ["READY"], "back in the queue, not stuck or lost"
    queue = http.get(f"{stack.app_url}/", params={"fhir_patient_id": patient}, timeout=30).text
    assert f'data-testid="writeback-failed-{fhir_ids[0]}"' in queue, "the row says the write-back failed"
    assert "not granted permission to create Claim" in queue and "system/Claim.c" in queue
    assert _resources(stack, "Claim", fhir_ids) == []

    # A Basic-auth connection has no scopes: the server's CapabilityStatement and the connection's
    # preferences decide. This one asks for encounter diagnoses first.
    user = register_service_client(stack, "basic", secret="pw-wb", scope="system/*.rs system/Condition.c")
    made = api.post("/fhir-connections", {
        "name": "Basic backend", "base_url": f"{stack.sandbox_url}/fhir", "auth_type": "BASIC",
        "client_id": user, "secret": "pw-wb", "writeback": ["encounter_diagnosis", "claim"]})
    assert made.status_code == 201, made.text
    assert made.json()["writeback"] == ["encounter_diagnosis", "claim"] and made.json()["claim_status"] == "draft"
    patient, fhir_ids = sandbox.fresh_encounters(1)
    ids = _synced(api, made.json(), patient)
    panel = http.get(f"{stack.app_url}/encounters/{ids[0]}/writeback", headers={"HX-Request": "true"}, timeout=30).text
    assert "to Basic backend through its FHIR connection" in panel and "encounter-diagnosis Condition" in panel
    _approve_selected(stack, http, csrf, ids)
    assert _settled(api, ids) == ["APPROVED"]
    conditions = _resources(stack, "Condition", fhir_ids)
    assert conditions and all(c["category"][0]["coding"][0]["code"] == "encounter-diagnosis" for c in conditions)
    assert _resources(stack, "Claim", fhir_ids) == []


def test_the_ehr_granting_less_than_asked_changes_the_write_back_not_fails_it(stack: Stack) -> None:
    """The connection asks to create Claims, the EHR's registration allows only DocumentReference:
    RevRX plans by what the token granted and files the coding report instead of trying a Claim."""
    sandbox = SandboxWriter(stack.sandbox_url)
    api = ApiUser(stack, issuer=_issuer(stack), role="admin")   # its connection is the organisation's, shared
    key = new_rsa_jwk()
    client_id = register_service_client(stack, "private_key_jwt", jwks={"keys": [key.as_dict(private=False)]},
                                        scope="system/*.rs system/DocumentReference.c")
    made = api.post("/fhir-connections", {
        "name": "Narrow grant", "base_url": f"{stack.sandbox_url}/fhir", "auth_type": "BACKEND_SERVICES",
        "client_id": client_id, "secret": json.dumps(key.as_dict(private=True)),
        "scope": "system/*.rs system/Claim.c system/DocumentReference.c"})
    assert made.status_code == 201, made.text
    patient, fhir_ids = sandbox.fresh_encounters(1)
    ids = _synced(api, made.json(), _insured(sandbox, patient))
    granted = api.get(f"/fhir-connections/{made.json()['id']}").json()["granted_scope"]
    assert set(granted.split()) == {"system/*.rs", "system/DocumentReference.c"}, granted
    approved = api.post(f"/encounters/{ids[0]}/approve", {"accept_pending": True})
    assert approved.status_code == 200, approved.text
    assert approved.json()["strategy"] == "document_reference"
    assert _resources(stack, "Claim", fhir_ids) == []
