"""The FHIR library against the real sandbox EHR process: context fetch, conditional Claim create,
and the sandbox's fault switches (500s, malformed resources, expired tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from devstack.sandbox_process import SandboxProcess
from smartapp.fhir.client import FhirClient
from smartapp.fhir.context import fetch_encounter_context
from smartapp.fhir.errors import FhirAuthError, FhirError
from smartapp.fhir.records import AccessRecord
from smartapp.writeback.claim_builder import (
    CPT_SYSTEM,
    ClaimDiagnosis,
    ClaimInput,
    ClaimLine,
    build_claim,
    conditional_query,
)

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db]


@pytest.fixture
def faults(sandbox: SandboxProcess) -> Iterator[None]:
    yield
    requests.delete(f"{sandbox.base_url}/_admin/faults", timeout=5)


def token(sandbox: SandboxProcess) -> str:
    response = requests.post(f"{sandbox.base_url}/_admin/tokens", json={}, timeout=5)
    response.raise_for_status()
    value: str = response.json()["access_token"]
    return value


def set_faults(sandbox: SandboxProcess, body: dict[str, Any]) -> None:
    requests.post(f"{sandbox.base_url}/_admin/faults", json=body, timeout=5).raise_for_status()


def test_encounter_context_in_few_round_trips(sandbox: SandboxProcess) -> None:
    records: list[AccessRecord] = []
    client = FhirClient(sandbox.fhir_base, token(sandbox), on_access=records.append)
    patient_ids = set()
    for encounter_id in ("e001", "e002"):
        ctx = fetch_encounter_context(client, encounter_id)
        assert ctx.notes and all(len(n.text) > 200 for n in ctx.notes), encounter_id
        assert ctx.patient is not None and ctx.patient.family
        assert ctx.practitioner is not None and ctx.practitioner.npi
        assert ctx.coverage is not None
        assert ctx.encounter.date_of_service is not None and ctx.encounter.missing == []
        assert ctx.requests_made <= 4  # metadata (first time), one _revinclude search, Coverage, maybe a Binary
        patient_ids.add(("Patient", ctx.patient.id))
    assert patient_ids <= {(r.resource_type, r.resource_id) for r in records}  # every read is audited


def test_conditional_claim_create_is_idempotent(sandbox: SandboxProcess) -> None:
    client = FhirClient(sandbox.fhir_base, token(sandbox))
    ctx = fetch_encounter_context(client, "e003")
    assert ctx.coverage is not None and ctx.encounter.provider_ref and ctx.patient
    claim = build_claim(
        ClaimInput(
            identifier_system="https://revrx.example/fhir/claim-id",
            identifier_value="fhir-lib-test-e003",
            patient_id=ctx.patient.id,
            encounter_id="e003",
            provider_ref=ctx.encounter.provider_ref,
            coverage_ref=f"Coverage/{ctx.coverage['id']}",
            created=datetime.now(UTC),
            service_date=ctx.encounter.date_of_service,
            diagnoses=[ClaimDiagnosis("J06.9", "Acute upper respiratory infection, unspecified", 1, True)],
            lines=[ClaimLine(CPT_SYSTEM, "99213", "Office visit", (1,), True)],
        )
    )
    query = conditional_query("https://revrx.example/fhir/claim-id", "fhir-lib-test-e003")
    first = client.create(claim, if_none_exist=query)
    second = client.create(claim, if_none_exist=query)
    assert first.created and not second.created
    assert first.id == second.id
    stored = requests.get(f"{sandbox.base_url}/_admin/resources/Claim", timeout=5).json()
    mine = [c for c in stored if c["id"] == first.id]
    assert len(mine) == 1  # one approve, one Claim
    assert mine[0]["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"] == "J06.9"
    identifiers = [c.get("identifier", [{}])[0].get("value") for c in stored]
    assert identifiers.count("fhir-lib-test-e003") == 1


def test_server_error_is_reported_with_the_outcome(sandbox: SandboxProcess, faults: None) -> None:
    set_faults(sandbox, {"status_500": ["Patient"]})
    client = FhirClient(sandbox.fhir_base, token(sandbox), max_retries=0)
    with pytest.raises(FhirError) as info:
        client.read("Patient", "p001")
    assert info.value.status == 500
    assert info.value.outcome is not None
    assert "HTTP 500" in info.value.user_message


def test_malformed_documents_do_not_lose_the_encounter(sandbox: SandboxProcess, faults: None) -> None:
    set_faults(sandbox, {"malformed": ["DocumentReference", "Composition"]})
    ctx = fetch_encounter_context(FhirClient(sandbox.fhir_base, token(sandbox)), "e002")
    assert ctx.encounter.id == "e002" and ctx.patient is not None
    assert ctx.skipped  # the broken note is reported, not silently dropped or crashing the job


def test_expired_token_asks_for_relaunch(sandbox: SandboxProcess, faults: None) -> None:
    client = FhirClient(sandbox.fhir_base, token(sandbox))
    set_faults(sandbox, {"expire_tokens": True})
    with pytest.raises(FhirAuthError) as info:
        client.read("Encounter", "e001")
    assert "Relaunch" in info.value.user_message
