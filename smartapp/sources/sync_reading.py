"""The ways a sync reads encounters besides paging one Encounter search: a Bulk Data Group export, and
one search per patient for servers that refuse an Encounter search without a patient (Oracle Health
requires `patient`, `subject`, `_id` or `account` on Encounter searches; a date-only search is refused
with an OperationOutcome).

No Flask. The sync job (sync_job.py) passes what to do with each Encounter (`handle`, which places and
queues it and answers 1 when it is new to the sync) and whether the sync was cancelled; the SyncItems
behind `handle` make every way safe to run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.fhir.bulk import BulkResult, group_export
from smartapp.fhir.bundles import bundle_resources, next_link
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError
from smartapp.models import Encounter, FhirConnection, SyncSchedule

Handle = Callable[[dict[str, Any]], int]
Cancelled = Callable[[], bool]
MAX_PAGES_PER_PATIENT = 20
NO_PATIENTS = ("This EHR refuses an Encounter search without a patient (as Oracle Health does) and RevRX knows "
               "no patients of this connection yet. On the connection page, enter the Bulk Data group the EHR's "
               "administrators made for RevRX, or the patients to sync.")


def since_of(criteria: dict[str, Any]) -> datetime | None:
    raw = criteria.get("since")
    return datetime.fromisoformat(raw) if isinstance(raw, str) and raw else None


def wanted(criteria: dict[str, Any], encounter: dict[str, Any]) -> bool:
    """The sync's filters applied to an Encounter read without them (Bulk Data exports every change)."""
    statuses = criteria.get("statuses") or []
    if statuses and encounter.get("status") not in statuses:
        return False
    patients = criteria.get("patient_ids") or []
    subject = str((encounter.get("subject") or {}).get("reference") or "")
    if patients and subject.rsplit("/", 1)[-1] not in patients:
        return False
    start = str((encounter.get("period") or {}).get("start") or "")[:10]
    if criteria.get("date_from") and (not start or start < date.fromisoformat(criteria["date_from"]).isoformat()):
        return False
    return not (criteria.get("date_to") and start and start > date.fromisoformat(criteria["date_to"]).isoformat())


def read_bulk(client: FhirClient, group_id: str, criteria: dict[str, Any], handle: Handle,
              cancelled: Cancelled, limit: int) -> BulkResult:
    """Every Encounter the Group export brings (changed since `criteria["since"]`), filtered and handled."""
    result = group_export(client, group_id, ["Encounter"], since_of(criteria))
    found = 0
    for encounter in result.resources:
        if found >= limit or cancelled():
            break
        if wanted(criteria, encounter):
            found += handle(encounter)
    return result


def patients_for(session: Session, connection: FhirConnection, criteria: dict[str, Any]) -> list[str]:
    """Whose encounters a patient-scoped sync reads: the sync's own patients, else the schedule's list,
    else every patient this connection has brought in so far."""
    if criteria.get("patient_ids"):
        return list(criteria["patient_ids"])
    schedule = session.scalar(select(SyncSchedule).where(SyncSchedule.connection_id == connection.id))
    if schedule is not None and schedule.patient_ids:
        return list(schedule.patient_ids)
    known = session.scalars(select(Encounter.fhir_patient_id).where(
        Encounter.fhir_connection_id == connection.id, Encounter.fhir_patient_id.is_not(None)).distinct())
    return sorted(p for p in known if p)


def read_per_patient(client: FhirClient, patients: Iterable[str], params: list[tuple[str, str]], handle: Handle,
                     cancelled: Cancelled, limit: int, before_fetch: Callable[[], None] = lambda: None) -> int:
    """One Encounter search per patient (every page of it); the number of new encounters. `before_fetch`
    runs before each request (the sync commits what it handled: no write stays open while the EHR is read)."""
    plain = [(k, v) for k, v in params if k != "patient"]
    found = 0
    for patient in patients:
        before_fetch()
        bundle = client.search_bundle("Encounter", [*plain, ("patient", patient)])
        pages = 1
        while True:
            for resource in bundle_resources(bundle):
                if resource.get("resourceType") != "Encounter":
                    continue
                if found >= limit or cancelled():
                    return found
                found += handle(resource)
            url = next_link(bundle)
            if not url or pages >= MAX_PAGES_PER_PATIENT:
                break
            before_fetch()
            bundle, pages = client.get_url(url), pages + 1
    return found


def refused_without_patient(err: FhirError, params: list[tuple[str, str]]) -> bool:
    """A 400 to an Encounter search that named no patient: the server wants a patient-scoped search."""
    return err.status == 400 and not any(k in ("patient", "subject", "_id") for k, _ in params)
