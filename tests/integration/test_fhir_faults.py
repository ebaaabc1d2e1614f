"""Every fault the sandbox EHR can inject, met by the FHIR library over real HTTP, each with the result a
user should get: a retry that then succeeds, or a clear error while the other notes are kept.

e078 has the note inline and a short addendum behind a Binary, so a fault scoped to Binary costs the
addendum only. Faults are cleared after every test (and before, in case a previous run died).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from devstack.sandbox_process import SandboxProcess
from sandbox.seed.shapes import ADDENDUM
from smartapp.fhir.client import FhirClient
from smartapp.fhir.context import EncounterContext, fetch_encounter_context
from smartapp.fhir.errors import FhirError
from smartapp.fhir.records import AccessRecord

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db, pytest.mark.usefixtures("no_faults")]



def patient_of(sandbox: SandboxProcess, token: str, encounter: str) -> str:
    """The encounter's patient, as the coding job knows it from the launch (it lets note searches batch)."""
    # Through the admin view: no fault switch or token applies there, so the test's faults stay armed.
    found = requests.get(f"{sandbox.base_url}/_admin/resources/Encounter", timeout=10).json()
    return str(next(e for e in found if e["id"] == encounter)["subject"]["reference"]).split("/")[-1]

def inject(sandbox: SandboxProcess, **switches: Any) -> None:
    requests.post(f"{sandbox.base_url}/_admin/faults", json=switches, timeout=5).raise_for_status()


def rule(kind: str, resource: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "resource": resource, **extra}


def client(sandbox: SandboxProcess, token: str, records: list[AccessRecord] | None = None, **kwargs: Any) -> FhirClient:
    kwargs.setdefault("backoff_base", 0.05)
    return FhirClient(sandbox.fhir_base, token, on_access=records.append if records is not None else None, **kwargs)


def note_ids(ctx: EncounterContext) -> set[str | None]:
    return {n.resource_id for n in ctx.notes}


def skipped(ctx: EncounterContext) -> dict[str | None, str]:
    return {s.resource_id: s.reason for s in ctx.skipped}


def test_latency_is_paid_once_per_round_trip_not_per_resource(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, latency_ms=150)
    started = time.monotonic()
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    elapsed = time.monotonic() - started
    assert note_ids(ctx) == {"dr078", "dr078-addendum"}
    assert ctx.requests_made == 4
    assert 0.45 <= elapsed < 4 * 0.15 + 0.4, "Coverage and the Binary overlap: three rounds, not four"


def test_500_on_an_attachment_skips_it_with_a_clear_reason_and_keeps_the_note(
    sandbox: SandboxProcess, token: str
) -> None:
    inject(sandbox, rules=[rule("status", "Binary", status=500)])
    records: list[AccessRecord] = []
    ctx = fetch_encounter_context(client(sandbox, token, records), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert note_ids(ctx) == {"dr078"}
    assert "internal error" in skipped(ctx)["dr078-addendum"]
    assert ("Binary", "bin078", 500) in {(r.resource_type, r.resource_id, r.status) for r in records}


def test_500_on_the_encounter_is_a_clear_error(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("status", "Encounter", status=500)])
    with pytest.raises(FhirError) as info:
        fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert info.value.status == 500
    assert "internal error" in info.value.user_message and "Injected fault" in info.value.user_message


def test_429_with_retry_after_is_waited_out_then_succeeds(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("status", "Binary", status=429, retry_after=1, times=1)])
    started = time.monotonic()
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was honoured"
    assert note_ids(ctx) == {"dr078", "dr078-addendum"} and ctx.skipped == []


def test_persistent_429_gives_up_with_a_rate_limit_message_and_keeps_the_note(
    sandbox: SandboxProcess, token: str
) -> None:
    inject(sandbox, rules=[rule("status", "Binary", status=429, retry_after=30)])
    started = time.monotonic()
    ctx = fetch_encounter_context(client(sandbox, token, max_retries=2, max_retry_wait=0.2), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert time.monotonic() - started < 5, "a 30 s Retry-After is capped, never parks the worker"
    assert note_ids(ctx) == {"dr078"}
    assert "rate limiting" in skipped(ctx)["dr078-addendum"]


def test_503_on_the_combined_search_is_retried_then_succeeds(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("status", "Encounter", status=503, times=2)])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert ctx.strategy == "revinclude" and note_ids(ctx) == {"dr078", "dr078-addendum"}
    assert ctx.requests_made == 6  # the two refused attempts, then the usual four


def test_html_error_page_once_is_retried_then_succeeds(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("html", "Encounter", status=502, times=1)])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert ctx.strategy == "revinclude" and len(ctx.notes) == 2


def test_persistent_html_error_page_is_summarised_never_echoed(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("html", "Binary", status=502)])
    ctx = fetch_encounter_context(client(sandbox, token, max_retries=1), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    reason = skipped(ctx)["dr078-addendum"]
    assert "web page instead of FHIR data" in reason and "HTTP 502" in reason
    assert "<" not in reason and "nginx" not in reason
    assert note_ids(ctx) == {"dr078"}


def test_malformed_json_once_falls_back_to_a_batch_and_succeeds(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("malformed_json", "Encounter", times=1)])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert ctx.strategy == "batch" and note_ids(ctx) == {"dr078", "dr078-addendum"}


def test_malformed_json_attachment_is_skipped_with_a_clear_reason(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("malformed_json", "Binary")])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert note_ids(ctx) == {"dr078"}
    assert "not valid JSON" in skipped(ctx)["dr078-addendum"]


def test_malformed_json_everywhere_is_a_clear_error(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("malformed_json", "Encounter"), rule("malformed_json", "batch")])
    with pytest.raises(FhirError) as info:
        fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert "not valid FHIR JSON" in info.value.user_message


def test_structurally_broken_documents_are_skipped_not_fatal(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, malformed=["DocumentReference"])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert ctx.encounter.id == "e078" and ctx.patient is not None
    assert ctx.notes == [] and {"dr078", "dr078-addendum"} <= set(skipped(ctx))


def test_failed_note_search_in_a_batch_keeps_the_other_note_types(sandbox: SandboxProcess, token: str) -> None:
    # e079 is a Composition; a broken DocumentReference search must not lose it, and the user is told.
    inject(sandbox, no_revinclude=True, rules=[rule("status", "DocumentReference", status=500)])
    ctx = fetch_encounter_context(client(sandbox, token), "e079",
                                  patient_id=patient_of(sandbox, token, "e079"))
    assert ctx.strategy == "batch"
    assert [n.resource_type for n in ctx.notes] == ["Composition"]
    assert "could not search DocumentReference" in skipped(ctx)[None]


def test_every_note_search_failing_is_an_error_not_an_empty_encounter(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, no_revinclude=True, no_batch=True,
           rules=[rule("status", t, status=500) for t in ("DocumentReference", "Composition", "DiagnosticReport")])
    with pytest.raises(FhirError) as info:
        fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert "internal error" in info.value.user_message


def test_503_on_a_batch_entry_is_retried_alone(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, no_revinclude=True, rules=[rule("status", "DocumentReference", status=503, times=1)])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert ctx.strategy == "batch" and note_ids(ctx) == {"dr078", "dr078-addendum"} and ctx.skipped == []


def test_without_a_capability_statement_separate_requests_still_work(sandbox: SandboxProcess, token: str) -> None:
    inject(sandbox, rules=[rule("status", "metadata", status=500)])
    ctx = fetch_encounter_context(client(sandbox, token), "e078",
                                  patient_id=patient_of(sandbox, token, "e078"))
    assert ctx.strategy == "separate" and note_ids(ctx) == {"dr078", "dr078-addendum"}
    assert any(n.text == ADDENDUM for n in ctx.notes)
