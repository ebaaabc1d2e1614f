"""An encounter arriving through an EHR launch: find or create its row, then ask for coding.

The key is (organisation, FHIR server base URL, Encounter id): launching the same encounter twice, or from two
tabs at once, gives one row. The unique constraint settles a race in a savepoint: the loser reads the
winner and keeps the rest of its transaction (its launch, its user, its audit rows).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.models import Encounter, EncounterSource, LaunchSession, User
from smartapp.models.queries import insert_or_find


def upsert_launched_encounter(
    session: Session, *, user: User, launch: LaunchSession, encounter_id: str, patient_id: str | None,
) -> Encounter:
    query = select(Encounter).where(Encounter.organization_id == user.organization_id,
                                    Encounter.source_system == launch.issuer,
                                    Encounter.fhir_encounter_id == encounter_id)
    encounter = session.scalar(query) or insert_or_find(session, query, Encounter(
        organization_id=user.organization_id, source=EncounterSource.FHIR, source_system=launch.issuer,
        fhir_encounter_id=encounter_id, fhir_patient_id=patient_id,
    ))[0]
    encounter.launch_session_id = launch.id
    encounter.launched_by_id = user.id
    if patient_id and not encounter.fhir_patient_id:
        encounter.fhir_patient_id = patient_id
    return encounter
