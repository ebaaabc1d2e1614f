"""A batch sync codes its encounters several to a job (SYNC_CODING_BATCH): an encounter that cannot be
coded fails alone, with its own reason, and the others in its batch are coded."""

from __future__ import annotations

import pytest

from devstack.api_client import ApiUser, backend_connection
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.integration


def test_an_encounter_without_notes_fails_alone_in_its_batch(stack: Stack) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    writer = SandboxWriter(stack.sandbox_url)
    patient, coded = writer.fresh_encounters(4)
    original = next(e for e in writer.encounters if e["id"] == "e010")
    bare = writer.create({**{k: v for k, v in original.items() if k not in ("id", "meta")},
                          "subject": {"reference": f"Patient/{patient}"}})   # the visit, none of its notes
    started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                 "patient_ids": [patient], "page_size": 10})
    assert started.status_code == 202, started.text
    summary = api.wait_for_sync(started.json()["id"], timeout=120)
    assert summary["status"] == "COMPLETE", summary
    assert (summary["total_found"], summary["processed"], summary["failed"]) == (5, 4, 1), summary
    for encounter_id in [*coded, bare]:
        listed = api.get("/encounters", fhir_encounter_id=encounter_id).json()
        detail = api.get(f"/encounters/{listed['items'][0]['id']}").json()
        if encounter_id == bare:
            assert detail["coding"]["status"] == "FAILED", detail
            assert "no clinical notes" in detail["coding"]["error"], detail
        else:
            assert detail["status"] == "READY" and detail["coding"]["status"] == "COMPLETE", detail
