"""Issue 13 item 11, unit level: the database is the truth and Redis only the queue. Every kind of
unfinished coding run without a job is queued again (not only a sync's); "Code selected" codes uploads
too; a run no worker has started is offered "queue it again"; and with Redis down the requests that
would start work answer 503 having changed nothing, while /readyz says not ready."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from smartapp.extensions import db, jobs
from smartapp.models import CodingRun, Encounter, EncounterStatus, RunStatus, User
from smartapp.models.sync import DuplicatePolicy
from smartapp.recovery import requeue_lost_work
from smartapp.sources.upload_service import accept_file, upload_context
from smartapp.web.runtime import runtime
from tests.support import upload_samples as samples
from tests.support.app_factory import app_on
from tests.support.review_data import Browser, Seeded, seed

pytestmark = pytest.mark.db


def _upload(app: Flask, user_id: int, marker: str) -> int:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        result = accept_file(db.session, upload_context(runtime(), user), "visit.txt",
                             samples.note(marker).encode(), DuplicatePolicy.SKIP)
        db.session.commit()
        assert result.encounter_id is not None
        return result.encounter_id


def test_every_kind_of_stranded_run_is_queued_again(app: Flask, seeded: Seeded) -> None:
    uploaded = _upload(app, seeded.users["coder"], "stranded")
    with app.app_context():
        assert jobs.queue is not None and jobs.redis is not None
        launched = CodingRun(encounter_id=seeded.encounter_id, status=RunStatus.PENDING, engine="local")
        db.session.add(launched)
        db.session.commit()
        jobs.queue.empty()   # Redis lost its queue: both runs are now known only to the database
        upload_run = db.session.scalars(select(CodingRun).where(CodingRun.encounter_id == uploaded)).one()
        assert requeue_lost_work(db.session, jobs.redis) == 2
        waiting = set(jobs.queue.get_job_ids())
        assert {f"coding-run-{launched.id}", f"coding-run-{upload_run.id}"} <= waiting
        assert requeue_lost_work(db.session, jobs.redis) == 0, "a queued run is not queued twice"
        jobs.queue.empty()


def test_code_selected_codes_uploads_too(app: Flask, seeded: Seeded) -> None:
    uploaded = _upload(app, seeded.users["coder"], "bulk")
    me = Browser(app, seeded.users["coder"])
    me.page("/")
    answer = me.post("/queue/code", {"ids": str(uploaded)}).get_data(as_text=True)
    assert "1 encounter queued for coding." in answer and "skipped" not in answer
    with app.app_context():
        assert jobs.queue is not None
        runs = db.session.scalars(select(CodingRun).where(CodingRun.encounter_id == uploaded)).all()
        assert len(runs) == 1 and f"coding-run-{runs[0].id}" in jobs.queue.get_job_ids()
        jobs.queue.empty()


def test_a_run_no_worker_started_is_offered_queue_again_and_requeued_as_it_is(app: Flask, seeded: Seeded) -> None:
    uploaded = _upload(app, seeded.users["coder"], "stalled")
    with app.app_context():
        assert jobs.queue is not None
        run = db.session.scalars(select(CodingRun).where(CodingRun.encounter_id == uploaded)).one()
        run.created_at = datetime.now(UTC) - timedelta(minutes=3)
        db.session.commit()
        jobs.queue.empty()
        run_id = run.id
    me = Browser(app, seeded.users["coder"])
    page = me.page(f"/encounters/{uploaded}")
    assert 'data-testid="coding-stalled"' in page and 'data-testid="requeue"' in page
    me.post(f"/encounters/{uploaded}/rerun")
    with app.app_context():
        assert jobs.queue is not None
        runs = db.session.scalars(select(CodingRun).where(CodingRun.encounter_id == uploaded)).all()
        assert [r.id for r in runs] == [run_id], "the same run, not a second one"
        assert f"coding-run-{run_id}" in jobs.queue.get_job_ids()
        jobs.queue.empty()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def app_without_redis(database_url: str, encryption_key: str, tmp_path: Path) -> Iterator[Flask]:
    """The app configured with a Redis nobody listens on (the outage)."""
    yield from app_on(database_url, f"redis://127.0.0.1:{_closed_port()}/0", encryption_key, tmp_path)


def test_with_redis_down_work_is_refused_whole_and_readyz_says_so(app_without_redis: Flask) -> None:
    app = app_without_redis
    seeded = seed(app)
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json() == {"ok": False, "database": True, "redis": False}
    assert client.get("/healthz").status_code == 200
    me = Browser(app, seeded.users["coder"])
    me.page("/uploads")
    refused = me.client.post("/uploads", data={"files": [(samples.note("down").encode(), "visit.txt")]},
                             headers={"X-CSRFToken": me.csrf}, content_type="multipart/form-data")
    assert refused.status_code == 503 and "nothing was changed" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    rerun = me.post(f"/encounters/{seeded.encounter_id}/rerun")
    assert rerun.status_code == 503
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Encounter)) == 1   # only the seeded one
        assert db.session.scalar(select(func.count()).select_from(CodingRun)) == 1
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None and encounter.status != EncounterStatus.CODING


def test_an_approval_whose_job_redis_lost_is_queued_again_as_asked(app: Flask, seeded: Seeded) -> None:
    """Approving queues a job; Redis loses it before a worker starts it. Recovery finds the request in
    the database and queues the same job, as the same person, with the preview's digest: the
    encounter is not silently put back to ready."""
    from rq.job import Job

    from smartapp.recovery import release_lost_approvals

    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    me.post(f"/encounters/{seeded.encounter_id}/approve", {"digest": "abc123"})
    with app.app_context():
        assert jobs.queue is not None and jobs.redis is not None
        jobs.queue.empty()   # Redis lost it
        later = datetime.now(UTC) + timedelta(minutes=5)
        assert release_lost_approvals(db.session, jobs.redis, now=later) == 1
        job = Job.fetch(f"approve-encounter-{seeded.encounter_id}", connection=jobs.redis)
        assert job.func_name == "workers.jobs.write_back"
        assert tuple(job.args) == (seeded.encounter_id, seeded.users["coder"], "abc123")
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None and encounter.status == EncounterStatus.APPROVING
        jobs.queue.empty()
