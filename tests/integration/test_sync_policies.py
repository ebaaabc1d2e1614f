"""Batch sync against the sandbox EHR with real workers: each duplicate policy, a failed encounter that
does not stop the sync, another organization's encounter refused, paging, and cancel."""

from __future__ import annotations

import time

import pytest
import requests

from scripts.devstack import Stack
from tests.support.api_client import ApiUser, backend_connection, clear_faults, sync

pytestmark = pytest.mark.integration


def _encounter(api: ApiUser, fhir_id: str) -> dict[str, object]:
    items = api.get("/encounters", fhir_encounter_id=fhir_id).json()["items"]
    assert len(items) == 1, items
    detail: dict[str, object] = api.get(f"/encounters/{items[0]['id']}").json()
    return detail


def test_skip_overwrite_and_version_policies(stack: Stack) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    patients = ["p048", "p049"]
    first = sync(api, connection["id"], patient_ids=patients, page_size=1)
    assert (first["status"], first["total_found"], first["new"], first["queued"], first["processed"]) == \
        ("COMPLETE", 2, 2, 2, 2)
    assert first["pages_fetched"] == 2, "one encounter per page: the sync followed Bundle.link[next]"
    before = _encounter(api, "e048")
    assert before["coding"]["status"] == "COMPLETE" and before["version"] == 1  # type: ignore[index]

    skipped = sync(api, connection["id"], patient_ids=patients, duplicate_policy="skip")
    assert (skipped["total_found"], skipped["skipped"], skipped["new"], skipped["queued"]) == (2, 2, 0, 0)
    assert _encounter(api, "e048")["coding"]["id"] == before["coding"]["id"]  # type: ignore[index]

    overwritten = sync(api, connection["id"], patient_ids=patients, duplicate_policy="overwrite")
    assert (overwritten["updated"], overwritten["queued"], overwritten["processed"]) == (2, 2, 2)
    after = _encounter(api, "e048")
    assert after["coding"]["id"] != before["coding"]["id"] and after["version"] == 1  # type: ignore[index]
    assert after["status"] == "READY"

    versioned = sync(api, connection["id"], patient_ids=["p048"], duplicate_policy="version")
    assert (versioned["updated"], versioned["processed"]) == (1, 1)
    latest = _encounter(api, "e048")
    assert latest["version"] == 2 and latest["coding"]["id"] != after["coding"]["id"]  # type: ignore[index]
    listed = api.get("/encounters", fhir_patient_id="p048").json()
    assert listed["total"] == 1, "policies never make a second row for one EHR encounter"
    status = api.get(f"/fhir/sync-status/{connection['id']}").json()
    assert status["latest"]["id"] == versioned["id"] and len(status["recent"]) == 4
    assert status["last_sync_at"] and status["last_error"] is None


def test_a_failed_encounter_does_not_stop_the_sync_and_other_orgs_are_refused(stack: Stack) -> None:
    first_org, second_org = ApiUser(stack), ApiUser(stack)
    theirs = backend_connection(first_org, stack)
    assert sync(first_org, theirs["id"], patient_ids=["p050"])["processed"] == 1
    mine = backend_connection(second_org, stack)
    summary = sync(second_org, mine["id"], patient_ids=["p050", "p051"])
    assert summary["status"] == "COMPLETE"
    assert (summary["total_found"], summary["new"], summary["failed"], summary["processed"]) == (2, 1, 1, 1)
    assert second_org.get("/encounters", fhir_encounter_id="e050").json()["total"] == 0
    assert second_org.get(f"/fhir/sync-status/{theirs['id']}").status_code == 403
    theirs_encounter = first_org.get("/encounters", fhir_encounter_id="e050").json()["items"][0]
    assert second_org.get(f"/encounters/{theirs_encounter['id']}").status_code == 403


def test_cancel_stops_paging_and_withdraws_coding_not_started(stack: Stack) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    patients = [f"p0{n}" for n in range(52, 58)]
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"latency_ms": 400}, timeout=10)
    try:
        started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                     "patient_ids": patients, "page_size": 1}).json()
        deadline = time.monotonic() + 30
        while api.get(f"/fhir/syncs/{started['id']}").json()["total_found"] < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        cancelled = api.post(f"/fhir/syncs/{started['id']}/cancel").json()
        assert cancelled["cancel_requested"] is True
        final = api.wait_for_sync(started["id"], timeout=60)
    finally:
        clear_faults(stack)
    assert final["status"] == "CANCELLED", final
    assert final["total_found"] < len(patients), "paging stopped"
    time.sleep(1.0)
    settled = api.get(f"/fhir/syncs/{started['id']}").json()
    assert settled["processed"] + settled["cancelled"] + settled["failed"] + settled["waiting"] \
        == settled["total_found"]
    assert settled["status"] == "CANCELLED"
