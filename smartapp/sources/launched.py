"""An encounter arriving through an EHR launch: find or create its row, then ask for coding.

The key is (FHIR server base URL, Encounter id): launching the same encounter twice, or from two
tabs at once, gives one row. The unique constraint settles a race; the loser re-reads the winner.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartapp.models import Encounter, EncounterSource, LaunchSession, User


def upsert_launched_encounter(
    session: Session, *, user: User, launch: LaunchSession, encounter_id: str, patient_id: str | None,
) -> Encounter:
    query = select(Encounter).where(
        Encounter.source_system == launch.issuer, Encounter.fhir_encounter_id == encounter_id
    )
    encounter = session.scalar(query)
    if encounter is None:
        encounter = Encounter(
            organization_id=user.organization_id, source=EncounterSource.FHIR, source_system=launch.issuer,
            fhir_encounter_id=encounter_id, fhir_patient_id=patient_id,
        )
        session.add(encounter)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            encounter = session.scalars(query).one()
    encounter.launch_session_id = launch.id
    encounter.launched_by_id = user.id
    if patient_id and not encounter.fhir_patient_id:
        encounter.fhir_patient_id = patient_id
    return encounter
