"""RQ job functions. Thin: ids in, the job scope (session and runtime), one service call. Safe to run twice."""

from __future__ import annotations

from sqlalchemy.orm import Session

from smartapp import recovery
from smartapp.models import Encounter, User
from smartapp.models.people import acting
from smartapp.runs import coding_job, retention, upload_coding
from smartapp.runtime import Runtime
from smartapp.sources import schedule, sync_job
from smartapp.subscriptions import processing as subscription_processing
from smartapp.writeback import approval
from workers.job_scope import job


@job
def code_encounter(session: Session, runtime: Runtime, run_id: int) -> None:
    coding_job.execute(session, runtime, run_id)


@job
def code_encounters(session: Session, runtime: Runtime, *run_ids: int) -> None:
    """Several coding runs in one job (a batch sync's group: smartapp/runs/requests.py `queue_batch`)."""
    coding_job.execute_batch(session, runtime, run_ids)


@job
def code_upload(session: Session, runtime: Runtime, run_id: int) -> None:
    upload_coding.execute(session, run_id, runtime.settings.engine_settings())


@job
def sync_encounters(session: Session, runtime: Runtime, sync_id: int) -> None:
    sync_job.execute(session, runtime, sync_id)


@job
def run_sync_schedules(session: Session, runtime: Runtime) -> int:
    """Start the scheduled sync windows that are due (smartapp/sources/schedule.py)."""
    return len(schedule.run_due(session))


@job
def recover_interrupted(session: Session, runtime: Runtime) -> int:
    """Requeue jobs a dead worker left started, and unfinished sync work that has no job."""
    return recovery.recover(session)


@job
def purge_expired(session: Session, runtime: Runtime) -> str:
    """Empty expired note text and remove expired uploaded originals (smartapp/runs/retention.py)."""
    done = retention.purge_expired(session, runtime.storage)
    return f"{done.notes} note texts, {done.originals} originals"


@job
def write_back(session: Session, runtime: Runtime, encounter_id: int, user_id: int, digest: str = "") -> str:
    """"Approve & write back" from the review page, as the user who pressed it, sending what they
    previewed (`digest`; empty when there was no preview to hold to, as in a retry or a resend)."""
    encounter, user = session.get(Encounter, encounter_id), session.get(User, user_id)
    user = acting(user, encounter.organization_id) if encounter is not None else None
    if encounter is None or user is None:
        return "gone"
    return approval.approve_reviewed(session, encounter, user, runtime.ehr.route(session, encounter, user),
                                     digest or None)


@job
def approve_encounter(session: Session, runtime: Runtime, encounter_id: int, user_id: int) -> str:
    """"Approve selected" for one encounter, as the user who pressed it."""
    encounter, user = session.get(Encounter, encounter_id), session.get(User, user_id)
    user = acting(user, encounter.organization_id) if encounter is not None else None
    if encounter is None or user is None:
        return "gone"
    return approval.approve_queued(session, encounter, user, runtime.ehr.route(session, encounter, user)).value


@job
def subscription_event(session: Session, runtime: Runtime, event_id: int) -> str:
    """One event a FHIR subscription notified (smartapp/subscriptions/processing.py)."""
    return subscription_processing.handle_event(session, runtime, event_id)


@job
def subscription_catch_up(session: Session, runtime: Runtime, subscription_id: int) -> str:
    """Events a subscription missed ($events), or finished encounters since its last notification."""
    return subscription_processing.catch_up(session, runtime, subscription_id)


@job
def subscription_heartbeats(session: Session, runtime: Runtime) -> int:
    """Subscriptions whose heartbeat stopped: flagged and caught up; silent ones asked about on the EHR."""
    late = subscription_processing.check_heartbeats(session)
    subscription_processing.refresh_from_ehr(session, runtime)
    return late
