"""A job asked for inside a transaction is queued when that transaction commits, not before: a savepoint
released on the way (an uploaded file's rows are recorded in one) is no commit. CI caught it: SQLAlchemy
fires `after_commit` for a savepoint too, so an upload's coding job was queued while its run was not yet
committed; the worker found nothing, ended, and the upload waited a minute for recovery to queue it again."""

from __future__ import annotations

import pytest
from flask import Flask

from smartapp.extensions import db, jobs
from smartapp.models.queries import savepoint
from smartapp.runs.requests import queue_new_run
from tests.support.review_data import Seeded

pytestmark = pytest.mark.db


def test_a_job_asked_for_inside_a_savepoint_waits_for_the_real_commit(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        from smartapp.models import Encounter

        assert jobs.queue is not None
        jobs.queue.empty()
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None
        with savepoint(db.session):
            run = queue_new_run(db.session, encounter, user=None, engine="local")
        assert run.job_id not in jobs.queue.get_job_ids(), "queued before its run was committed"
        db.session.commit()
        assert run.job_id in jobs.queue.get_job_ids()
        jobs.queue.empty()


def test_a_job_asked_for_is_dropped_when_the_transaction_rolls_back(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        from smartapp.models import Encounter

        assert jobs.queue is not None
        jobs.queue.empty()
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None
        run = queue_new_run(db.session, encounter, user=None, engine="local")
        job_id = run.job_id
        db.session.rollback()
        db.session.commit()
        assert job_id not in jobs.queue.get_job_ids()
