"""An encounter arriving by batch sync or the ingest API: find or create its row under the duplicate
policy, then ask for coding with the connection's credentials.

The key is the same as for launches, (organisation, FHIR base URL, Encounter id), so an encounter launched by a
clinician and later synced by the same organisation is one row; another organisation syncing it gets its
own. Policies: `skip` leaves an existing row alone; `overwrite`
codes it again and drops earlier results that were never written back; `version` codes it again as
version + 1 and keeps every earlier run.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from smartapp.fhir.encounters import EncounterInfo
from smartapp.fhir.references import normalize_iss
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    DuplicatePolicy,
    Encounter,
    EncounterSource,
    EncounterStatus,
    FhirConnection,
    ItemOutcome,
    User,
)
from smartapp.models.queries import insert_or_find
from smartapp.runs.requests import request_coding


def _apply_info(encounter: Encounter, info: EncounterInfo | None) -> None:
    if info is None:
        return
    encounter.fhir_patient_id = info.patient_id or encounter.fhir_patient_id
    encounter.fhir_provider_id = info.provider_id or encounter.fhir_provider_id
    encounter.provider_name = encounter.provider_name or info.provider_display
    encounter.date_of_service = info.date_of_service or encounter.date_of_service
    encounter.encounter_type = encounter.encounter_type or info.type_text or info.class_code


def place_encounter(
    session: Session, connection: FhirConnection, fhir_encounter_id: str, policy: DuplicatePolicy,
    info: EncounterInfo | None = None,
) -> tuple[Encounter, ItemOutcome]:
    """The encounter row and what the policy made of it (NEW, SKIPPED, OVERWRITTEN or VERSIONED)."""
    system = normalize_iss(connection.base_url)
    query = select(Encounter).where(Encounter.organization_id == connection.organization_id,
                                    Encounter.source_system == system, Encounter.fhir_encounter_id == fhir_encounter_id)
    found = session.scalar(query)
    if found is None:
        new = Encounter(organization_id=connection.organization_id, source=EncounterSource.FHIR,
                        source_system=system, fhir_encounter_id=fhir_encounter_id,
                        fhir_connection_id=connection.id, status=EncounterStatus.NEW)
        _apply_info(new, info)
        # A concurrent ingest of the same encounter may win: then it is treated as existing.
        encounter, created = insert_or_find(session, query, new)
        if created:
            return encounter, ItemOutcome.NEW
    else:
        encounter = found
    if policy == DuplicatePolicy.SKIP:
        return encounter, ItemOutcome.SKIPPED
    encounter.fhir_connection_id = encounter.fhir_connection_id or connection.id
    _apply_info(encounter, info)
    if policy == DuplicatePolicy.VERSION:
        encounter.version += 1
        return encounter, ItemOutcome.VERSIONED
    # Overwrite: earlier results go, except runs a Claim was written from (the record of what was sent).
    written = exists().where(ClaimSubmission.run_id == CodingRun.id)
    session.execute(delete(CodingRun).where(CodingRun.encounter_id == encounter.id, ~written)
                    .execution_options(synchronize_session=False))
    session.expire(encounter)
    return encounter, ItemOutcome.OVERWRITTEN


def code(session: Session, encounter: Encounter, outcome: ItemOutcome, user: User | None,
         engine: str, queue: bool = True) -> CodingRun | None:
    """Queue coding for a placed encounter (nothing for SKIPPED), when the caller commits; with
    `queue=False` the new run is left for the caller to queue in a batch (`runs.requests.queue_batch`)."""
    if outcome == ItemOutcome.SKIPPED:
        return None
    return request_coding(session, encounter, user=user, launch_session_id=None,
                          engine=engine, rerun=outcome != ItemOutcome.NEW, queue=queue)
