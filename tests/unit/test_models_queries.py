"""insert_or_find: losing a race for a unique row undoes only that insert, never the rest of the
caller's transaction (the concurrent-launch bug: the callback's LaunchSession, User and audit rows were
rolled back with it, and its commit then failed)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartapp.extensions import db
from smartapp.models import AuditEvent, Encounter, EncounterSource, Organization
from smartapp.models.queries import insert_or_find, savepoint

pytestmark = pytest.mark.db


def _encounter(org: Organization) -> Encounter:
    return Encounter(organization_id=org.id, source=EncounterSource.FHIR, source_system="https://ehr.example/fhir",
                     fhir_encounter_id="race-1")


def _key() -> object:
    return select(Encounter).where(Encounter.source_system == "https://ehr.example/fhir",
                                   Encounter.fhir_encounter_id == "race-1")


def test_the_loser_of_a_race_keeps_its_other_work(app: Flask) -> None:
    with app.app_context():
        org = Organization(name="Race clinic")
        db.session.add(org)
        db.session.commit()
        assert db.engine is not None
        with Session(db.engine) as other_tab:   # the other tab got there first
            winner = _encounter(org)
            other_tab.add(winner)
            other_tab.commit()
            winner_id = winner.id
        db.session.add(AuditEvent(action="launch", actor="test", outcome="success", organization_id=org.id))
        db.session.flush()   # this tab's own work, written before it tries to insert
        found, created = insert_or_find(db.session, _key(), _encounter(org))  # type: ignore[arg-type]
        db.session.commit()
        assert (found.id, created) == (winner_id, False)
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "launch")) == 1, "the tab's own work survived"
        assert db.session.scalar(select(func.count()).select_from(Encounter)) == 1


def test_a_new_row_is_part_of_the_callers_transaction(app: Flask) -> None:
    """The savepoint must not commit on its own (on SQLite it would, outside a real transaction)."""
    with app.app_context():
        org = Organization(name="Rollback clinic")
        db.session.add(org)
        db.session.commit()
        row, created = insert_or_find(db.session, _key(), _encounter(org))  # type: ignore[arg-type]
        assert created and row.id is not None
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Encounter)) == 0


def test_a_failed_savepoint_leaves_the_rest(app: Flask) -> None:
    with app.app_context():
        org = Organization(name="Savepoint clinic")
        db.session.add(org)
        db.session.flush()
        with pytest.raises(RuntimeError), savepoint(db.session):
            db.session.add(_encounter(org))
            db.session.flush()
            raise RuntimeError("this file was refused")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Organization)
                                 .where(Organization.name == "Savepoint clinic")) == 1
        assert db.session.scalar(select(func.count()).select_from(Encounter)) == 0
