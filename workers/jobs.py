"""RQ job functions. Thin: ids in, an app context, one service call. Safe to run twice."""

from __future__ import annotations

from smartapp.approval_route import ehr_route
from smartapp.extensions import db
from smartapp.ingest import coding_job, job_recovery, retention, sync_job, upload_coding
from smartapp.ingest.upload_runtime import current_storage
from smartapp.models import Encounter, User
from smartapp.writeback import approval
from workers.app_context import settings, with_app_context


@with_app_context
def code_encounter(run_id: int) -> None:
    coding_job.execute(db.session, run_id, settings().engine_settings())


@with_app_context
def code_upload(run_id: int) -> None:
    upload_coding.execute(db.session, run_id, settings().engine_settings())


@with_app_context
def sync_encounters(sync_id: int) -> None:
    sync_job.execute(db.session, sync_id)


@with_app_context
def recover_interrupted() -> int:
    """Requeue jobs a dead worker left started, and unfinished sync work that has no job."""
    return job_recovery.recover(db.session)


@with_app_context
def purge_expired() -> str:
    """Empty expired note text and remove expired uploaded originals (smartapp/ingest/retention.py)."""
    done = retention.purge_expired(db.session, current_storage())
    return f"{done.notes} note texts, {done.originals} originals"


@with_app_context
def approve_encounter(encounter_id: int, user_id: int) -> str:
    """"Approve selected" for one encounter, as the user who pressed it."""
    encounter, user = db.session.get(Encounter, encounter_id), db.session.get(User, user_id)
    if encounter is None or user is None:
        return "gone"
    return approval.approve_queued(db.session, encounter, user, ehr_route(encounter, user)).value
