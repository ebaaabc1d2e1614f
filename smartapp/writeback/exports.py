"""Exports of an encounter's approved codes for systems RevRX does not write to itself: a FHIR Claim
(JSON) for payers and clearinghouses, and the HL7 v2.5.1 BAR^P12 message for Epic's coding interface.

Built from the same approved codes as the write-back; nothing is sent. No Flask.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from smartapp.models import CodingRun, Encounter, User
from smartapp.review.approved import approved_codes
from smartapp.writeback import hl7v2
from smartapp.writeback.claim_builder import (
    ClaimDiagnosis,
    ClaimInput,
    ClaimLine,
    ClaimValidationError,
    build_claim,
)
from smartapp.writeback.plan import IDENTIFIER_SYSTEM, idempotency_key, provider_ref
from smartapp.writeback.resource_builders import Author

# Encounter.class codes (v3 ActCode) → PV1-2 patient class.
_PATIENT_CLASS = {"IMP": "I", "ACUTE": "I", "NONAC": "I", "OBSENC": "O", "EMER": "E", "AMB": "O"}


def _person_id(fhir_user: str) -> str:
    parts = fhir_user.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] in ("Practitioner", "PractitionerRole") else ""


def claim_json(encounter: Encounter, run: CodingRun, user: User) -> dict[str, Any]:
    """A professional Claim of the approved codes (draft; Coverage by reference unknown here)."""
    codes = approved_codes(run)
    if not codes.diagnoses:
        raise ClaimValidationError("Accept at least one diagnosis before exporting a Claim.")
    provider = provider_ref(encounter, user)
    if provider is None:
        raise ClaimValidationError("The encounter has no rendering provider to put on the claim.")
    author = Author(f"Practitioner/{_person_id(user.fhir_user)}" if _person_id(user.fhir_user) else None,
                    user.display_name or "RevRX user")
    return build_claim(ClaimInput(
        identifier_system=IDENTIFIER_SYSTEM, identifier_value=idempotency_key(encounter, run),
        patient_id=encounter.fhir_patient_id or "unknown", encounter_id=encounter.fhir_encounter_id or "unknown",
        provider_ref=provider, coverage_ref=None, created=datetime.now(UTC),
        service_date=encounter.date_of_service, status="draft", export=True,
        diagnoses=[ClaimDiagnosis(d.code, d.display, i, d.ai_suggested) for i, d in enumerate(codes.diagnoses, 1)],
        lines=[ClaimLine(c.system, c.code, c.display, codes.pointers, c.ai_suggested, quantity=c.quantity)
               for c in codes.lines],
        enterer=author.reference(),
    ))


def bar_p12(encounter: Encounter, run: CodingRun, user: User) -> str:
    """The BAR^P12 message, validated with hl7apy (ValueError if it is not valid)."""
    codes = approved_codes(run)
    if codes.empty:
        raise ValueError("Accept at least one code before exporting.")
    label = (encounter.patient_label or "").split(" · ")
    mrn = next((p[4:] for p in label if p.startswith("MRN ")), "")
    message = hl7v2.bar_p12(hl7v2.MessageInput(
        control_id=f"R{run.id}-{encounter.id}", patient_id=encounter.fhir_patient_id or "",
        encounter_id=encounter.fhir_encounter_id or str(encounter.id), service_date=encounter.date_of_service,
        codes=codes, patient_name=label[0] if label and not label[0].startswith("MRN ") else "", mrn=mrn,
        operator_id=_person_id(user.fhir_user), operator_name=user.display_name,
        attending_id=encounter.fhir_provider_id or "",
        patient_class=_PATIENT_CLASS.get((encounter.encounter_class or "").upper(), "O"),
    ))
    hl7v2.validate(message)
    return message
