"""What a notified encounter may set off, per connection: coding on or off, which encounter classes,
and a later note's re-code — once, and never over a person's decisions without their consent.

Re-coding is debounced by the pending run itself: while a coding run waits for a worker, every further
note for the encounter is read by that run, so a burst of notes costs one re-code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from smartapp.models import (
    AutoArrival,
    AutoCodeSettings,
    CodingRun,
    Decision,
    Encounter,
    EncounterStatus,
    FhirConnection,
    RunStatus,
    Suggestion,
)
from smartapp.models.queries import insert_or_find, latest_run
from smartapp.runs.requests import queue_new_run

CLASS_CHOICES = (("AMB", "ambulatory"), ("EMER", "emergency"), ("IMP", "inpatient"), ("OBSENC", "observation"),
                 ("VR", "virtual"), ("HH", "home health"))


def settings_for(session: Session, connection: FhirConnection) -> AutoCodeSettings:
    """The connection's settings (defaults when never set: code every class)."""
    found = session.get(AutoCodeSettings, connection.id)
    return found or AutoCodeSettings(connection_id=connection.id, auto_code=True, encounter_classes=[])


def save_settings(session: Session, connection: FhirConnection, auto_code: bool,
                  classes: list[str]) -> AutoCodeSettings:
    known = {code for code, _ in CLASS_CHOICES}
    wanted = sorted({c.strip().upper() for c in classes if c.strip()})
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValueError(f"unknown encounter class {', '.join(unknown)}; choose from {', '.join(sorted(known))}")
    found = session.get(AutoCodeSettings, connection.id)
    if found is None:
        found = AutoCodeSettings(connection_id=connection.id)
        session.add(found)
    found.auto_code, found.encounter_classes = auto_code, wanted
    return found


def describe_settings(settings: AutoCodeSettings) -> dict[str, Any]:
    return {"auto_code": settings.auto_code if settings.auto_code is not None else True,
            "encounter_classes": list(settings.encounter_classes or [])}


def class_allowed(settings: AutoCodeSettings, class_code: str | None) -> bool:
    wanted = settings.encounter_classes or []
    return not wanted or (class_code or "").upper() in wanted


def mark_arrival(session: Session, encounter: Encounter) -> None:
    """The queue shows "new" for this encounter until someone opens it."""
    query = select(AutoArrival).where(AutoArrival.encounter_id == encounter.id)
    insert_or_find(session, query, AutoArrival(encounter_id=encounter.id))


def mark_seen(session: Session, encounter_id: int) -> None:
    """Opened by a person: no longer "new" (a waiting note stays until they re-code)."""
    found = session.get(AutoArrival, encounter_id)
    if found is not None and found.seen_at is None:
        found.seen_at = datetime.now(UTC)


def badges(session: Session, encounter_ids: list[int]) -> dict[int, str]:
    """"new" or "new note" for the queue rows that have one."""
    if not encounter_ids:
        return {}
    rows = session.scalars(select(AutoArrival).where(AutoArrival.encounter_id.in_(encounter_ids)))
    found: dict[int, str] = {}
    for row in rows:
        if row.note_waiting_at is not None:
            found[row.encounter_id] = "new note"
        elif row.seen_at is None:
            found[row.encounter_id] = "new"
    return found


def clear_note_waiting(session: Session, encounter_id: int) -> None:
    found = session.get(AutoArrival, encounter_id)
    if found is not None:
        found.note_waiting_at = None


def human_decided(session: Session, encounter: Encounter) -> bool:
    """Has a person decided anything on the encounter's latest run (or approved it)?"""
    if encounter.status in (EncounterStatus.APPROVING, EncounterStatus.APPROVED):
        return True
    run = latest_run(session, encounter.id)
    if run is None:
        return False
    decided = exists().where(Suggestion.run_id == run.id, Suggestion.decision != Decision.PENDING)
    return bool(session.scalar(select(decided)))


def recode_for_note(session: Session, encounter: Encounter, engine: str) -> str:
    """A later note arrived: "pending" (the waiting run will read it), "recoded" (a new run queued) or
    "waiting" (a person decided already: the queue asks the coder)."""
    run = latest_run(session, encounter.id)
    if run is not None and run.status == RunStatus.PENDING:
        return "pending"
    if human_decided(session, encounter):
        found = session.get(AutoArrival, encounter.id)
        if found is None:
            found = AutoArrival(encounter_id=encounter.id, seen_at=datetime.now(UTC))
            session.add(found)
        found.note_waiting_at = datetime.now(UTC)
        return "waiting"
    queue_new_run(session, encounter, user=None, engine=engine)
    return "recoded"


def run_count(session: Session, encounter_id: int) -> int:
    return len(list(session.scalars(select(CodingRun.id).where(CodingRun.encounter_id == encounter_id))))
