"""Batch sync against the sandbox EHR with real workers: each duplicate policy, each organization's own
copy of an encounter, paging, single-encounter ingest and cancel. Every test syncs encounters made for it
(copies under a new patient), never shared ones."""

from __future__ import annotations

import time

import pytest
import requests

from devstack.api_client import ApiUser, backend_connection, clear_faults, sync
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sandbox(stack: Stack) -> SandboxWriter:
    return SandboxWriter(stack.sandbox_url)


def _encounter(api: ApiUser, fhir_id: str) -> dict[str, object]:
    items = api.get("/encounters", fhir_encounter_id=fhir_id).json()["items"]
    assert len(items) == 1, items
    detail: dict[str, object] = api.get(f"/encounters/{items[0]['id']}").json()
    return detail


def test_skip_overwrite_and_version_policies(stack: Stack, sandbox: SandboxWriter) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    patient, (one, _two) = sandbox.fresh_encounters(2)
    first = sync(api, connection["id"], patient_ids=[patient], page_size=1)
    assert (first["status"], first["total_found"], first["new"], first["queued"], first["processed"]) == \
        ("COMPLETE", 2, 2, 2, 2)
    assert first["pages_fetched"] == 2, "one encounter per page: the sync followed Bundle.link[next]"
    before = _encounter(api, one)
    assert before["coding"]["status"] == "COMPLETE" and before["version"] == 1  # type: ignore[index]

    skipped = sync(api, connection["id"], patient_ids=[patient], duplicate_policy="skip")
    assert (skipped["total_found"], skipped["skipped"], skipped["new"], skipped["queued"]) == (2, 2, 0, 0)
    assert _encounter(api, one)["coding"]["id"] == before["coding"]["id"]  # type: ignore[index]

    overwritten = sync(api, connection["id"], patient_ids=[patient], duplicate_policy="overwrite")
    assert (overwritten["updated"], overwritten["queued"], overwritten["processed"]) == (2, 2, 2)
    after = _encounter(api, one)
    assert after["coding"]["id"] != before["coding"]["id"] and after["version"] == 1  # type: ignore[index]
    assert after["status"] == "READY"

    versioned = sync(api, connection["id"], patient_ids=[patient], duplicate_policy="version", limit=1)
    assert (versioned["total_found"], versioned["updated"], versioned["processed"]) == (1, 1, 1)
    assert api.get("/encounters", fhir_patient_id=patient, sort="-updated_at").json()["items"][0]["version"] == 2
    listed = api.get("/encounters", fhir_patient_id=patient).json()
    assert listed["total"] == 2, "policies never make a second row for one EHR encounter"
    status = api.get(f"/fhir/sync-status/{connection['id']}").json()
    assert status["latest"]["id"] == versioned["id"] and len(status["recent"]) == 4
    assert status["last_sync_at"] and status["last_error"] is None


def test_two_organisations_syncing_one_encounter_each_keep_their_own(stack: Stack, sandbox: SandboxWriter) -> None:
    """The encounter key includes the organisation: a second organisation syncing an encounter the first
    already holds gets a row of its own (coded with its own credentials), never the first one's."""
    first_org, second_org = ApiUser(stack), ApiUser(stack)
    patient, (taken, free) = sandbox.fresh_encounters(2)
    theirs = backend_connection(first_org, stack)
    ingested = first_org.post("/fhir/ingest-encounter", {"fhir_connection_id": theirs["id"],
                                                         "fhir_encounter_id": taken})
    assert ingested.status_code == 202 and ingested.json()["outcome"] == "NEW", ingested.text
    mine = backend_connection(second_org, stack)
    summary = sync(second_org, mine["id"], patient_ids=[patient])
    assert summary["status"] == "COMPLETE"
    assert (summary["total_found"], summary["new"], summary["failed"], summary["processed"]) == (2, 2, 0, 2)
    own = second_org.get("/encounters", fhir_encounter_id=taken).json()
    assert own["total"] == 1 and own["items"][0]["id"] != ingested.json()["encounter"]["id"]
    assert second_org.get("/encounters", fhir_encounter_id=free).json()["total"] == 1
    assert first_org.get("/encounters", fhir_encounter_id=free).json()["total"] == 0
    assert second_org.get(f"/fhir/sync-status/{theirs['id']}").status_code == 404
    assert second_org.get(ingested.json()["status_url"].replace("/api/v1", "")).status_code == 404
    again = first_org.post("/fhir/ingest-encounter", {"fhir_connection_id": theirs["id"], "fhir_encounter_id": taken})
    assert again.status_code == 200 and again.json()["outcome"] == "SKIPPED"


def test_cancel_stops_paging_and_withdraws_coding_not_started(stack: Stack, sandbox: SandboxWriter) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    patient, encounters = sandbox.fresh_encounters(6)
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"latency_ms": 400}, timeout=10)
    try:
        started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                     "patient_ids": [patient], "page_size": 1}).json()
        deadline = time.monotonic() + 30
        while api.get(f"/fhir/syncs/{started['id']}").json()["total_found"] < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        cancelled = api.post(f"/fhir/syncs/{started['id']}/cancel").json()
        assert cancelled["cancel_requested"] is True
        final = api.wait_for_sync(started["id"], timeout=60)
    finally:
        clear_faults(stack)
    assert final["status"] == "CANCELLED", final
    assert final["total_found"] < len(encounters), "paging stopped"
    time.sleep(1.0)
    settled = api.get(f"/fhir/syncs/{started['id']}").json()
    assert settled["processed"] + settled["cancelled"] + settled["failed"] + settled["waiting"] \
        == settled["total_found"]
    assert settled["status"] == "CANCELLED"
