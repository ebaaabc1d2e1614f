"""Approved codes → an R4 professional Claim (JSON dict), validated before it goes anywhere near an EHR.

No Flask, no ORM: the write-back service maps its rows into `ClaimInput`, calls `build_claim`, and
creates the result with `FhirClient.create(claim, if_none_exist=conditional_query(...))` so a retried
or double-clicked approve yields one Claim. Validation uses fhir.resources' R4B model (structurally
the same as R4 for Claim); the dict we built is what gets sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from pydantic import ValidationError

ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CLAIM_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/claim-type"
PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/processpriority"
AI_SUGGESTED_URL = "https://revrx.example/fhir/StructureDefinition/ai-suggested"
CLAIM_STATUSES = ("active", "cancelled", "draft", "entered-in-error")


class ClaimValidationError(ValueError):
    """The Claim cannot be built or is not valid FHIR; the message is for the person approving."""


@dataclass(frozen=True)
class ClaimDiagnosis:
    code: str
    display: str | None
    sequence: int  # 1 = primary
    ai_suggested: bool = False


@dataclass(frozen=True)
class ClaimLine:
    system: str  # CPT_SYSTEM or HCPCS_SYSTEM
    code: str
    display: str | None
    diagnosis_sequences: tuple[int, ...]
    ai_suggested: bool = False
    modifiers: tuple[str, ...] = ()
    quantity: int = 1


@dataclass(frozen=True)
class ClaimInput:
    identifier_system: str
    identifier_value: str
    patient_id: str
    encounter_id: str
    provider_ref: str  # "Practitioner/123" (or PractitionerRole/Organization)
    coverage_ref: str | None  # "Coverage/9"
    created: datetime
    service_date: date | None
    status: str = "draft"
    diagnoses: list[ClaimDiagnosis] = field(default_factory=list)
    lines: list[ClaimLine] = field(default_factory=list)
    enterer: dict[str, str] | None = None   # who approved it: a Reference (Claim.enterer)
    # An export for a payer or clearinghouse file, not a write-back: the Coverage may be unknown here,
    # and the insurance entry then says so for billing to complete.
    export: bool = False


def conditional_query(identifier_system: str, value: str) -> str:
    """The If-None-Exist query matching our Claim identifier: `identifier=system|value`."""
    return f"identifier={quote(identifier_system, safe=':/.-_~')}|{quote(value, safe='.-_~')}"


def build_claim(data: ClaimInput) -> dict[str, Any]:
    _check(data)
    claim: dict[str, Any] = {
        "resourceType": "Claim",
        "identifier": [{"system": data.identifier_system, "value": data.identifier_value}],
        "status": data.status,
        "type": {"coding": [{"system": CLAIM_TYPE_SYSTEM, "code": "professional", "display": "Professional"}]},
        "use": "claim",
        "patient": {"reference": f"Patient/{data.patient_id}"},
        "created": fhir_instant(data.created),
        "provider": {"reference": data.provider_ref},
        "priority": {"coding": [{"system": PRIORITY_SYSTEM, "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True,
                       "coverage": {"reference": data.coverage_ref} if data.coverage_ref
                       else {"display": "Coverage to be completed by billing"}}],
        "diagnosis": [
            {
                "sequence": d.sequence,
                "diagnosisCodeableConcept": {
                    "coding": [_coding(ICD10CM_SYSTEM, d.code.strip().upper(), d.display, d.ai_suggested)]
                },
            }
            for d in sorted(data.diagnoses, key=lambda d: d.sequence)
        ],
    }
    if data.enterer:
        claim["enterer"] = dict(data.enterer)
    if data.service_date:
        claim["billablePeriod"] = {"start": data.service_date.isoformat(), "end": data.service_date.isoformat()}
    items = [_item(index, line, data) for index, line in enumerate(data.lines, start=1)]
    if items:
        claim["item"] = items
    _validate(claim)
    return claim


def _item(sequence: int, line: ClaimLine, data: ClaimInput) -> dict[str, Any]:
    product: dict[str, Any] = {
        "coding": [_coding(line.system, line.code.strip().upper(), line.display, line.ai_suggested)]
    }
    item: dict[str, Any] = {
        "sequence": sequence,
        "diagnosisSequence": list(line.diagnosis_sequences),
        "productOrService": product,
        "encounter": [{"reference": f"Encounter/{data.encounter_id}"}],
    }
    if line.modifiers:
        item["modifier"] = [{"coding": [{"system": CPT_SYSTEM, "code": m}]} for m in line.modifiers]
    if line.quantity != 1:
        item["quantity"] = {"value": line.quantity}
    if data.service_date:
        item["servicedDate"] = data.service_date.isoformat()
    return item


def _coding(system: str, code: str, display: str | None, ai_suggested: bool) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    if ai_suggested:
        # Marks codes a person accepted from a suggestion, so the EHR side can tell them apart.
        coding["extension"] = [{"url": AI_SUGGESTED_URL, "valueBoolean": True}]
    return coding


def _check(data: ClaimInput) -> None:
    """Business rules a schema cannot express, with messages that say what to fix."""
    if not data.identifier_value.strip() or not data.identifier_system.strip():
        raise ClaimValidationError("The claim has no identifier, so a retried write-back could duplicate it.")
    if not data.coverage_ref and not data.export:
        raise ClaimValidationError(
            "The patient has no active Coverage in the EHR, so a Claim cannot be created. "
            "Add the patient's insurance in the EHR, or choose a different write-back."
        )
    if data.status not in CLAIM_STATUSES:
        raise ClaimValidationError(f"Claim status must be one of {', '.join(CLAIM_STATUSES)}.")
    if not data.diagnoses:
        raise ClaimValidationError("Approve at least one diagnosis code before writing a Claim.")
    sequences = [d.sequence for d in data.diagnoses]
    if len(set(sequences)) != len(sequences) or min(sequences) < 1:
        raise ClaimValidationError("Diagnosis sequence numbers must be unique and start at 1.")
    for line in data.lines:
        if not line.diagnosis_sequences:
            raise ClaimValidationError(f"Procedure {line.code} must be linked to at least one diagnosis.")
        unknown = [s for s in line.diagnosis_sequences if s not in sequences]
        if unknown:
            raise ClaimValidationError(
                f"Procedure {line.code} points to diagnosis number {unknown[0]}, which is not on the claim."
            )
    if data.lines and data.service_date is None:
        raise ClaimValidationError("The encounter has no date of service, so procedure lines cannot be billed.")
    if "/" not in data.provider_ref:
        raise ClaimValidationError("The encounter has no rendering provider to put on the claim.")
    for code in [d.code for d in data.diagnoses] + [line.code for line in data.lines]:
        if not code.strip():
            raise ClaimValidationError("A code on the claim is empty.")


def _validate(claim: dict[str, Any]) -> None:
    from fhir.resources.R4B.claim import Claim  # heavy import, only needed here

    try:
        Claim.model_validate(claim)
    except ValidationError as exc:
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "__root__")
            problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        raise ClaimValidationError("The Claim is not valid FHIR: " + "; ".join(problems)) from exc


def fhir_instant(value: datetime) -> str:
    """FHIR dateTimes with a time part need a zone; naive values are taken as UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")
