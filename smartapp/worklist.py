"""The organization's encounters, filtered, sorted and paged: the work queue page and
`GET /api/v1/encounters` ask the same question the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from smartapp.access import visible
from smartapp.inputs import EncounterQuery
from smartapp.models import Encounter, User

_SORT_COLUMNS: dict[str, Any] = {
    "date_of_service": Encounter.date_of_service, "updated_at": Encounter.updated_at,
    "status": Encounter.status, "provider": Encounter.provider_name, "id": Encounter.id,
}


@dataclass
class Page:
    items: list[Encounter]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(user: User, q: EncounterQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [visible(user)]
    if q.source:
        where.append(Encounter.source == q.source)
    if q.status:
        where.append(Encounter.status == q.status)
    if q.date_from:
        where.append(Encounter.date_of_service >= q.date_from)
    if q.date_to:
        where.append(Encounter.date_of_service <= q.date_to)
    if q.provider:
        pattern = f"%{_escape_like(q.provider.lower())}%"
        where.append(or_(func.lower(Encounter.provider_name).like(pattern, escape="\\"),
                         Encounter.fhir_provider_id == q.provider))
    if q.fhir_encounter_id:
        where.append(Encounter.fhir_encounter_id == q.fhir_encounter_id)
    if q.fhir_patient_id:
        where.append(Encounter.fhir_patient_id == q.fhir_patient_id)
    if q.connection_id:   # visible() already hides what another person's private connection brought
        where.append(Encounter.fhir_connection_id == q.connection_id)
    return where


def matching_ids(session: Session, user: User, q: EncounterQuery, limit: int) -> list[int]:
    """Every encounter id the filter matches (every page), in the queue's order, at most `limit`:
    "select all N matching the filter"."""
    column = _SORT_COLUMNS[q.sort.lstrip("-")]
    order = column.desc() if q.sort.startswith("-") else column.asc()
    query = select(Encounter.id).where(*_filters(user, q)).order_by(order.nulls_last(), Encounter.id.desc())
    return list(session.scalars(query.limit(limit)))


def patient_summary(encounter: Encounter) -> tuple[str, str]:
    """(name, date of birth) from the patient label the coding job read from FHIR (decrypted here, for
    people the queue already lets see the encounter); empty until the EHR has been read."""
    parts = [p.strip() for p in (encounter.patient_label or "").split(" · ") if p.strip()]
    if not parts:
        return "", ""
    born = next((p.removeprefix("born ") for p in parts if p.startswith("born ")), "")
    return parts[0], born


def find_encounters(session: Session, user: User, q: EncounterQuery) -> Page:
    """The encounters `user` may see (smartapp.access), filtered, sorted and paged."""
    where = _filters(user, q)
    total = session.scalar(select(func.count(Encounter.id)).where(*where)) or 0
    column = _SORT_COLUMNS[q.sort.lstrip("-")]
    order = column.desc() if q.sort.startswith("-") else column.asc()
    query: Select[Encounter] = (select(Encounter).where(*where).order_by(order.nulls_last(), Encounter.id.desc())
                                .offset((q.page - 1) * q.per_page).limit(q.per_page))
    return Page(items=list(session.scalars(query)), total=total, page=q.page, per_page=q.per_page)


def describe_encounter(encounter: Encounter) -> dict[str, Any]:
    """The API's view of an encounter: identifiers and workflow state, no note text, no patient label."""
    return {
        "id": encounter.id, "source": encounter.source.value, "status": encounter.status.value,
        "source_system": encounter.source_system, "fhir_encounter_id": encounter.fhir_encounter_id,
        "fhir_patient_id": encounter.fhir_patient_id, "fhir_provider_id": encounter.fhir_provider_id,
        "provider_name": encounter.provider_name, "encounter_type": encounter.encounter_type,
        "date_of_service": encounter.date_of_service.isoformat() if encounter.date_of_service else None,
        "version": encounter.version, "fhir_connection_id": encounter.fhir_connection_id,
        "created_at": encounter.created_at.isoformat(), "updated_at": encounter.updated_at.isoformat(),
    }
