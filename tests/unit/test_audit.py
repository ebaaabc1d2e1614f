"""The audit trail survives failures: reads that happened before a job failed stay recorded."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp import audit
from smartapp.extensions import db
from smartapp.models import AuditEvent, Organization

pytestmark = pytest.mark.db


def test_rollback_of_failed_work_keeps_the_reads_it_audited(app: Flask) -> None:
    with app.app_context():
        audit.record(db.session, action="launch", actor_name="user:1")
        db.session.commit()
        db.session.add(Organization(name="half-done work that must not survive"))
        audit.record(db.session, action="read", resource_type="Patient", resource_id="p1", actor_name="worker")
        db.session.flush()
        audit.record(db.session, action="read", resource_type="Encounter", resource_id="e1", actor_name="worker")

        audit.rollback_keeping_audit(db.session)
        db.session.commit()

        trail = db.session.execute(select(AuditEvent.action, AuditEvent.resource_type)).all()
        assert sorted(trail, key=str) == sorted([("launch", None), ("read", "Patient"), ("read", "Encounter")], key=str)
        assert db.session.scalars(select(Organization)).all() == []


def test_a_savepoint_released_before_the_failure_does_not_lose_the_reads(app: Flask) -> None:
    # SQLAlchemy fires after_commit for a released savepoint too; the reads audited before it were not
    # committed and must still be put back when the failed work is rolled back.
    from smartapp.models.queries import savepoint

    with app.app_context():
        audit.record(db.session, action="read", resource_type="Patient", resource_id="p2", actor_name="worker")
        with savepoint(db.session):
            db.session.add(Organization(name="work done in a savepoint, then undone"))
        audit.rollback_keeping_audit(db.session)
        db.session.commit()

        trail = db.session.execute(select(AuditEvent.action, AuditEvent.resource_id)).all()
        assert trail == [("read", "p2")]
        assert db.session.scalars(select(Organization)).all() == []
