"""Linking an uploaded note to an EHR encounter, so that approved codes can be written back there.

An upload knows no patient. To write back, a person names the EHR's Encounter id; RevRX reads that
Encounter with the person's own EHR session (audited like every FHIR read) and takes the patient,
provider and date of service from it (the EHR's values win over those read from the text). The key
(FHIR server, Encounter id) stays unique: an EHR encounter that is already in RevRX — launched,
synced or linked to another upload — is not linked twice.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.ehr_access.access import EhrAccess
from smartapp.ehr_access.launch_tokens import RelaunchRequired
from smartapp.fhir.encounters import parse_encounter
from smartapp.fhir.errors import FhirError
from smartapp.models import ClaimSubmission, Encounter, EncounterSource, LaunchSession, User
from smartapp.models.queries import savepoint

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,255}$")   # the FHIR id datatype


class LinkRefused(Exception):
    """Not linked; the message says why and what to do."""


def launch_for_linking(session: Session, user: User, preferred_id: int | None) -> LaunchSession | None:
    """The user's EHR session: the one of this browser session if still theirs, else their newest."""
    if preferred_id:
        launch = session.get(LaunchSession, preferred_id)
        if launch is not None and launch.user_id == user.id and launch.revoked_at is None:
            return launch
    return session.scalar(
        select(LaunchSession).where(LaunchSession.user_id == user.id, LaunchSession.revoked_at.is_(None))
        .order_by(LaunchSession.id.desc()).limit(1)
    )


def link_to_ehr(
    session: Session, ehr: EhrAccess, encounter: Encounter, fhir_encounter_id: str, *, user: User,
    launch: LaunchSession | None,
) -> Encounter:
    """Read the EHR's Encounter and attach it to the upload. Raises LinkRefused."""
    wanted = fhir_encounter_id.strip().removeprefix("Encounter/")
    if encounter.source != EncounterSource.FILE_UPLOAD:
        raise LinkRefused("Only uploaded notes are linked; this encounter came from the EHR already.")
    if not _FHIR_ID.match(wanted):
        raise LinkRefused("Enter the EHR's Encounter id (letters, digits, '-' and '.', as shown in the EHR).")
    if launch is None:
        raise LinkRefused("Linking needs an EHR session: launch RevRX from your EHR (or sign in from the start "
                          "page), then come back to this upload.")
    sent = session.scalar(select(ClaimSubmission.id).where(ClaimSubmission.encounter_id == encounter.id).limit(1))
    if sent is not None:
        raise LinkRefused("Codes of this upload were already sent to the EHR, so its link cannot change.")
    taken = session.scalar(select(Encounter).where(Encounter.organization_id == encounter.organization_id,
                                                   Encounter.source_system == launch.issuer,
                                                   Encounter.fhir_encounter_id == wanted))
    if taken is not None and taken.id != encounter.id:
        raise LinkRefused(f"EHR encounter {wanted} is already in RevRX (encounter #{taken.id}); review and write "
                          "back from there.")
    try:
        client = ehr.for_launch(session, launch, actor=user, encounter_id=encounter.id,
                                   organization_id=encounter.organization_id)
        info = parse_encounter(client.read("Encounter", wanted))
    except RelaunchRequired as err:   # the caller commits the audit records of what was read
        raise LinkRefused(err.user_message) from err
    except FhirError as err:
        if err.status == 404:
            raise LinkRefused(f"The EHR has no encounter {wanted}. Check the id and try again.") from err
        raise LinkRefused(f"The EHR could not be read: {err.user_message}") from err
    if not info.patient_id:
        raise LinkRefused(f"EHR encounter {wanted} names no patient, so a claim could not be addressed.")
    try:
        with savepoint(session):
            encounter.source_system, encounter.fhir_encounter_id = launch.issuer, wanted
            encounter.fhir_patient_id, encounter.launch_session_id = info.patient_id, launch.id
            # Once linked, the EHR is the source of truth for who and when; the text's values are the fallback.
            encounter.fhir_provider_id = info.provider_id or encounter.fhir_provider_id
            encounter.provider_name = info.provider_display or encounter.provider_name
            encounter.date_of_service = info.date_of_service or encounter.date_of_service
    except IntegrityError as err:   # linked or launched elsewhere at the same moment
        raise LinkRefused(f"EHR encounter {wanted} was just added to RevRX by someone else.") from err
    audit.record(session, action="link", actor=user, resource_type="Encounter", resource_id=wanted,
                 encounter_id=encounter.id, detail="upload linked to EHR encounter")
    return encounter
