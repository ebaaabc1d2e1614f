"""The Claim written back to the EHR: valid R4, sequenced, AI codes marked, clear refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from fhir.resources.R4B.claim import Claim

from smartapp.writeback.claim_builder import (
    AI_SUGGESTED_URL,
    CPT_SYSTEM,
    ICD10CM_SYSTEM,
    ClaimDiagnosis,
    ClaimInput,
    ClaimLine,
    ClaimValidationError,
    build_claim,
    conditional_query,
)


def claim_input(**changes: object) -> ClaimInput:
    base = ClaimInput(
        identifier_system="https://revrx.example/fhir/claim-id",
        identifier_value="enc-42-v1",
        patient_id="p-100",
        encounter_id="enc-42",
        provider_ref="Practitioner/pr-1",
        coverage_ref="Coverage/cov-1",
        created=datetime(2024, 3, 6, 15, 4, 5, tzinfo=UTC),
        service_date=date(2024, 3, 5),
        diagnoses=[
            ClaimDiagnosis("I10", "Essential (primary) hypertension", 2, ai_suggested=False),
            ClaimDiagnosis("e11.9", "Type 2 diabetes mellitus without complications", 1, ai_suggested=True),
        ],
        lines=[ClaimLine(CPT_SYSTEM, "99214", "Office visit, established, moderate", (1, 2), ai_suggested=True)],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_builds_a_valid_r4_professional_claim() -> None:
    claim = build_claim(claim_input())
    Claim.model_validate(claim)  # would raise if invalid
    assert claim["resourceType"] == "Claim"
    assert claim["status"] == "draft" and claim["use"] == "claim"
    assert claim["type"]["coding"][0]["code"] == "professional"
    assert claim["priority"]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/processpriority",
        "code": "normal",
    }
    assert claim["patient"] == {"reference": "Patient/p-100"}
    assert claim["provider"] == {"reference": "Practitioner/pr-1"}
    assert claim["insurance"] == [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/cov-1"}}]
    assert claim["identifier"] == [{"system": "https://revrx.example/fhir/claim-id", "value": "enc-42-v1"}]
    assert claim["created"] == "2024-03-06T15:04:05+00:00"


def test_diagnoses_in_sequence_order_and_lines_point_at_them() -> None:
    claim = build_claim(claim_input())
    assert [(d["sequence"], d["diagnosisCodeableConcept"]["coding"][0]["code"]) for d in claim["diagnosis"]] == [
        (1, "E11.9"),
        (2, "I10"),
    ]
    assert all(d["diagnosisCodeableConcept"]["coding"][0]["system"] == ICD10CM_SYSTEM for d in claim["diagnosis"])
    item = claim["item"][0]
    assert item["sequence"] == 1
    assert item["diagnosisSequence"] == [1, 2]
    assert item["productOrService"]["coding"][0]["system"] == CPT_SYSTEM
    assert item["productOrService"]["coding"][0]["code"] == "99214"
    assert item["servicedDate"] == "2024-03-05"
    assert item["encounter"] == [{"reference": "Encounter/enc-42"}]


def test_only_ai_suggested_codes_carry_the_extension() -> None:
    claim = build_claim(claim_input())
    marked = {"url": AI_SUGGESTED_URL, "valueBoolean": True}
    e11 = claim["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]
    i10 = claim["diagnosis"][1]["diagnosisCodeableConcept"]["coding"][0]
    assert e11["extension"] == [marked]
    assert "extension" not in i10
    assert claim["item"][0]["productOrService"]["coding"][0]["extension"] == [marked]


def test_missing_coverage_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ClaimValidationError, match="The patient has no active Coverage"):
        build_claim(claim_input(coverage_ref=None))


def test_line_pointing_at_unknown_diagnosis_is_refused() -> None:
    bad = [ClaimLine(CPT_SYSTEM, "99214", None, (3,), ai_suggested=False)]
    with pytest.raises(ClaimValidationError, match="diagnosis number 3"):
        build_claim(claim_input(lines=bad))


def test_no_diagnoses_is_refused() -> None:
    with pytest.raises(ClaimValidationError, match="at least one diagnosis"):
        build_claim(claim_input(diagnoses=[], lines=[]))


def test_schema_violation_surfaces_as_readable_validation_error() -> None:
    bad = [ClaimDiagnosis("E11  9", None, 1)]  # a FHIR code may not contain double spaces
    with pytest.raises(ClaimValidationError, match=r"not valid FHIR: diagnosis\.0\.diagnosisCodeableConcept") as info:
        build_claim(claim_input(diagnoses=bad, lines=[]))
    assert "Traceback" not in str(info.value)


def test_naive_created_time_is_sent_as_utc() -> None:
    claim = build_claim(claim_input(created=datetime(2024, 3, 6, 8, 0, 0)))
    assert claim["created"] == "2024-03-06T08:00:00+00:00"


def test_conditional_query() -> None:
    assert conditional_query("https://revrx.example/fhir/claim-id", "enc-42-v1") == (
        "identifier=https://revrx.example/fhir/claim-id|enc-42-v1"
    )
    assert conditional_query("urn:sys", "a&b c") == "identifier=urn:sys|a%26b%20c"
