"""RQ job functions. Thin: ids in, an app context, one service call. Safe to run twice."""

from __future__ import annotations

from smartapp.extensions import db
from smartapp.ingest import coding_job, sync_job, sync_recovery, upload_coding
from workers.app_context import with_app_context


@with_app_context
def code_encounter(run_id: int) -> None:
    coding_job.execute(db.session, run_id)


@with_app_context
def code_upload(run_id: int) -> None:
    upload_coding.execute(db.session, run_id)


@with_app_context
def sync_encounters(sync_id: int) -> None:
    sync_job.execute(db.session, sync_id)


@with_app_context
def recover_interrupted() -> int:
    """Requeue jobs a dead worker left started, and unfinished sync work that has no job."""
    return sync_recovery.recover(db.session)
