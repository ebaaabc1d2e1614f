"""Approve & write back: accepted codes → a validated Claim → conditional create on the EHR.

Idempotency, twice over: the ClaimSubmission row is unique on its key (encounter + coding run), so a
double click finds the first submission; and the Claim carries our identifier, created with
`If-None-Exist`, so even a retry after a lost answer makes no second Claim on the EHR.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.fhir.coverage import find_coverage
from smartapp.fhir.errors import FhirError
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Decision,
    Encounter,
    EncounterStatus,
    LaunchSession,
    SubmissionStatus,
    User,
)
from smartapp.smart.authorized_client import client_for_launch
from smartapp.smart.tokens import RelaunchRequired
from smartapp.writeback.claim_builder import (
    ClaimDiagnosis,
    ClaimInput,
    ClaimLine,
    ClaimValidationError,
    build_claim,
    conditional_query,
)

log = logging.getLogger(__name__)
IDENTIFIER_SYSTEM = "https://revrx.example/fhir/claim-id"
_DONE = (SubmissionStatus.CREATED, SubmissionStatus.EXISTING)


class WritebackRefused(RuntimeError):
    """Nothing was sent: the message says why (no accepted diagnosis, no coverage, no session…)."""


def idempotency_key(encounter: Encounter, run: CodingRun) -> str:
    return f"revrx-{encounter.id}-run-{run.id}"


def _claim_input(encounter: Encounter, run: CodingRun, user: User, coverage_ref: str | None, status: str) -> ClaimInput:
    accepted = [s for s in run.suggestions if s.decision == Decision.ACCEPTED]
    diagnoses = sorted((s for s in accepted if s.category == "diagnosis"), key=lambda s: s.rank)
    if not diagnoses:
        raise WritebackRefused("Accept at least one diagnosis before writing back.")
    if not encounter.fhir_patient_id or not encounter.fhir_encounter_id:
        raise WritebackRefused("This encounter is not linked to an EHR encounter, so there is nothing to write to.")
    sequences = tuple(range(1, min(len(diagnoses), 4) + 1))   # a line points at up to 4 diagnoses
    provider = (f"Practitioner/{encounter.fhir_provider_id}" if encounter.fhir_provider_id
                else "/".join(user.fhir_user.rstrip("/").split("/")[-2:]))
    return ClaimInput(
        identifier_system=IDENTIFIER_SYSTEM, identifier_value=idempotency_key(encounter, run),
        patient_id=encounter.fhir_patient_id, encounter_id=encounter.fhir_encounter_id,
        provider_ref=provider, coverage_ref=coverage_ref, created=datetime.now(UTC),
        service_date=encounter.date_of_service, status=status,
        diagnoses=[ClaimDiagnosis(s.code, s.display, i, ai_suggested=s.origin == "engine")
                   for i, s in enumerate(diagnoses, start=1)],
        lines=[ClaimLine(s.system, s.code, s.display, sequences, ai_suggested=s.origin == "engine")
               for s in sorted((s for s in accepted if s.category != "diagnosis"), key=lambda s: s.rank)],
    )


def _claim_submission(
    session: Session, encounter: Encounter, run: CodingRun, user: User
) -> tuple[ClaimSubmission, bool]:
    """The submission row for this approval, and whether this request should send it."""
    key = idempotency_key(encounter, run)
    row = session.scalar(select(ClaimSubmission).where(ClaimSubmission.idempotency_key == key))
    if row is not None:
        return row, row.status == SubmissionStatus.FAILED   # a failed one may be retried
    row = ClaimSubmission(encounter_id=encounter.id, run_id=run.id, idempotency_key=key, strategy="claim",
                          status=SubmissionStatus.SENDING, submitted_by_id=user.id)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:   # the other click of a double click got there first
        session.rollback()
        return session.scalars(select(ClaimSubmission).where(ClaimSubmission.idempotency_key == key)).one(), False
    return row, True


def approve_and_write_back(session: Session, encounter: Encounter, run: CodingRun, user: User) -> ClaimSubmission:
    row, send = _claim_submission(session, encounter, run, user)
    if not send:
        return row
    row.status, row.error, row.operation_outcome = SubmissionStatus.SENDING, None, None
    row.submitted_by_id = user.id
    launch = session.get(LaunchSession, encounter.launch_session_id) if encounter.launch_session_id else None
    registry = current_app.extensions["revrx.registry"]
    reg = registry.by_id(launch.registration_id) if launch else None
    try:
        client = client_for_launch(session, launch, actor=user, encounter_id=encounter.id,
                                   organization_id=encounter.organization_id)
        found = find_coverage(client, encounter.fhir_patient_id or "", encounter.date_of_service)
        coverage = f"Coverage/{found['id']}" if found and found.get("id") else None
        claim = build_claim(_claim_input(encounter, run, user, coverage, reg.claim_status if reg else "draft"))
        row.request_body = claim
        result = client.create(claim, if_none_exist=conditional_query(IDENTIFIER_SYSTEM, row.idempotency_key))
    except (WritebackRefused, ClaimValidationError) as err:
        return _failed(session, row, user, encounter, str(err))
    except RelaunchRequired as err:
        return _failed(session, row, user, encounter, err.user_message)
    except FhirError as err:
        row.operation_outcome = err.outcome
        return _failed(session, row, user, encounter, f"The EHR refused the Claim: {err.user_message}")
    row.status = SubmissionStatus.CREATED if result.created else SubmissionStatus.EXISTING
    row.fhir_resource_type, row.fhir_id = "Claim", result.id
    encounter.status = EncounterStatus.APPROVED
    audit.record(session, action="write-back", actor=user, resource_type="Claim", resource_id=result.id,
                 encounter_id=encounter.id, detail=f"{row.status.value.lower()} via conditional create")
    session.commit()
    return row


def _failed(session: Session, row: ClaimSubmission, user: User, encounter: Encounter, message: str) -> ClaimSubmission:
    row.status, row.error = SubmissionStatus.FAILED, message
    audit.record(session, action="write-back", actor=user, resource_type="Claim", encounter_id=encounter.id,
                 outcome="failure", detail=message[:200])
    session.commit()
    log.info("write-back for encounter %s failed", encounter.id)
    return row
