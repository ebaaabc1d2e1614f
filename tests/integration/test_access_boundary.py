"""The access boundary against real processes (issue: trust boundary, items 1, 3 and 12): another
organisation cannot take over a hospital's encounter nor write with a clinician's token; a clinician
neither opens nor approves another clinician's encounter; a re-run after a write-back never puts a
second copy of the codes into the EHR."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from devstack.api_client import ApiUser, backend_connection, sync
from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sandbox(stack: Stack) -> SandboxWriter:
    return SandboxWriter(stack.sandbox_url)


def _resources(stack: Stack, kind: str) -> list[dict[str, Any]]:
    response = requests.get(f"{stack.sandbox_url}/_admin/resources/{kind}", timeout=10)
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


def _claims_for(stack: Stack, fhir_encounter_id: str) -> list[dict[str, Any]]:
    """Claims RevRX wrote for that EHR encounter (our identifier names it)."""
    return [c for c in _resources(stack, "Claim")
            if any(str(i.get("value", "")).startswith(f"revrx-{fhir_encounter_id}-") for i in c.get("identifier", []))]


def _practitioner_of(stack: Stack, fhir_encounter_id: str) -> str:
    encounter = next(e for e in _resources(stack, "Encounter") if e["id"] == fhir_encounter_id)
    return str(encounter["participant"][0]["individual"]["reference"])


def _wait_coded(api: ApiUser, encounter_id: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = api.get(f"/encounters/{encounter_id}").json()
        if body.get("coding") and body["coding"]["status"] in ("COMPLETE", "FAILED"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"not coded in {timeout}s: {body}")


def test_another_organisation_cannot_take_over_a_hospitals_encounter(stack: Stack, sandbox: SandboxWriter) -> None:
    _, (fhir_id,) = sandbox.fresh_encounters(1)
    intruder = ApiUser(stack)
    junk = intruder.post("/fhir-connections", {"name": "Junk", "base_url": f"{stack.sandbox_url}/fhir",
                                               "auth_type": "API_KEY", "secret": "junk"}).json()
    taken = intruder.post("/fhir/ingest-encounter", {"fhir_connection_id": junk["id"], "fhir_encounter_id": fhir_id})
    assert taken.status_code == 202, taken.text

    clinician = AppUser(stack)
    landing = clinician.launch(fhir_id)
    assert landing.status_code == 200 and "/encounters/" in landing.url, "the hospital's launch lands on review"
    assert suggestions(clinician.wait_for_coding(landing.url)), "coded with the clinician's own token"

    theirs = _wait_coded(intruder, taken.json()["encounter"]["id"])
    assert str(theirs["id"]) != encounter_path(landing.url).rsplit("/", 1)[-1], "their row, not the hospital's"
    assert theirs["coding"]["status"] == "FAILED" and not theirs["coding"]["suggestions"], \
        "read with their own (junk) credentials only: nothing of the clinician's reached them"
    assert intruder.patch(f"/fhir-connections/{junk['id']}", {"active": False}).status_code == 200
    approved = intruder.post(f"/encounters/{theirs['id']}/approve", {"accept_pending": True})
    assert approved.status_code == 409
    assert _claims_for(stack, fhir_id) == [], "no Claim written with anybody else's token"


def test_a_clinician_neither_opens_nor_approves_another_clinicians_encounter(
    stack: Stack, sandbox: SandboxWriter,
) -> None:
    hospital = f"{stack.sandbox_url}/fhir"
    # The hospital's administrator, in its organisation: the connection is the organisation's, shared with
    # its coders (a coder's own would be private, and its encounters would not exist for the clinician).
    coder = ApiUser(stack, issuer=hospital, role="admin")
    patient, (synced_id,) = sandbox.fresh_encounters(1)
    connection = backend_connection(coder, stack, scope="system/*.rs system/Claim.c")
    assert sync(coder, connection["id"], patient_ids=[patient])["status"] == "COMPLETE"
    row = coder.get("/encounters", fhir_encounter_id=synced_id).json()["items"][0]
    assert _wait_coded(coder, row["id"])["coding"]["status"] == "COMPLETE"

    theirs = _practitioner_of(stack, synced_id)
    # A seeded doctor: their PractitionerRole makes them a clinician at every sign-in, whatever other
    # modules' sign-ins did before (pr005 also codes, so is not one of them).
    other = next(e["id"] for e in _resources(stack, "Encounter")
                 if e.get("participant") and e["participant"][0]["individual"]["reference"]
                 not in (theirs, "Practitioner/pr005"))
    clinician = AppUser(stack)
    assert clinician.launch(other).status_code == 200

    page = clinician.get(f"/encounters/{row['id']}")
    assert page.status_code == 403 and "ask a coder" in page.text
    queue = clinician.get("/")
    assert f'id="pick-{row["id"]}"' not in queue.text, "not in their queue"
    refused = clinician.post("/queue/approve", {"ids": str(row["id"])})
    assert refused.status_code == 403
    assert _claims_for(stack, synced_id) == []


def test_a_rerun_after_a_write_back_never_sends_a_second_copy(stack: Stack) -> None:
    user = AppUser(stack)
    landing = user.launch("e053")
    page = encounter_path(landing.url)
    assert suggestions(user.wait_for_coding(landing.url))
    assert user.post(f"{page}/accept-all").status_code == 200
    assert 'data-testid="writeback-success"' in user.approve(f"{page}").text
    assert len(_claims_for(stack, "e053")) == 1

    assert user.post(f"{page}/rerun").status_code == 200
    user.wait_for_coding(landing.url)
    assert user.post(f"{page}/accept-all").status_code == 200
    again = user.approve(f"{page}")
    assert "never sends a second copy" in again.text, again.text
    assert len(_claims_for(stack, "e053")) == 1, "one live copy of the encounter's codes in the EHR"
