"""Issue 13 item 13: "Approve & write back" runs as a job. The click returns at once with the progress
(it waited on the EHR, 43 s once), a double click queues one job, and the panel polls until the job
has written back or says why not."""

from __future__ import annotations

from flask import Flask
from rq.job import Job

from smartapp.extensions import db, jobs
from smartapp.models import ClaimSubmission, Encounter, EncounterStatus
from tests.support.review_data import Browser, Seeded, run_write_back_jobs


def test_approve_returns_at_once_and_a_double_click_queues_one_job(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        assert jobs.queue is not None
        jobs.queue.empty()   # what earlier tests left on the shared test Redis
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    first = me.post(f"/encounters/{seeded.encounter_id}/approve").get_data(as_text=True)
    second = me.post(f"/encounters/{seeded.encounter_id}/approve").get_data(as_text=True)
    for answer in (first, second):
        assert 'data-testid="writeback-progress"' in answer and 'data-step="queued"' in answer
        assert 'hx-trigger="load delay:1s"' in answer            # the panel polls while the job runs
        assert 'data-testid="approve"' not in answer               # nothing to press twice meanwhile
    with app.app_context():
        assert jobs.queue is not None
        queued = [Job.fetch(i, connection=jobs.queue.connection) for i in jobs.queue.get_job_ids()]
        approvals = [(j.id, j.func_name) for j in queued if j.func_name.startswith("workers.jobs.write_back")]
        assert approvals == [(f"approve-encounter-{seeded.encounter_id}", "workers.jobs.write_back")]
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None and encounter.status == EncounterStatus.APPROVING
        assert db.session.query(ClaimSubmission).count() == 0, "nothing sent by the request itself"
    assert run_write_back_jobs(app) == 1
    panel = me.get(f"/encounters/{seeded.encounter_id}/writeback").get_data(as_text=True)
    # This encounter has no EHR session: the job ends with the reason, and the panel stops polling.
    assert 'data-testid="writeback-error"' in panel and "launch" in panel.lower()
    assert 'data-testid="writeback-progress"' not in panel and "hx-trigger" not in panel.split("<h2")[0]
    with app.app_context():
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None and encounter.status == EncounterStatus.READY
