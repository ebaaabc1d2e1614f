"""The webhook's work, kept short (the EHR waits for the answer; the goal is well under 200 ms): find
the subscription by the id in its URL, check the secret in constant time, read the notification,
record each event once (unique per subscription and number) and queue the work to RQ.

Answers: 200 handshake/heartbeat, 202 events queued; 404 unknown subscription; 401 wrong or missing
secret; 413 oversized; 400 malformed or naming what was not subscribed to; 409 duplicate or
out-of-order events (below the highest number seen and not recorded: the catch-up that the gap started
reads them with `$events`), and 409 for a paused subscription. Every refusal is audited (no PHI).
A gap (a number above the highest seen + 1) or a heartbeat that counts more events than were seen
queues a catch-up.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.jobqueue import jobs
from smartapp.models import EhrSubscription, FhirConnection, SubscriptionEvent
from smartapp.models.queries import insert_or_find
from smartapp.subscriptions.notifications import Notification, Refused, parse, subscription_id_of

MAX_BYTES = 256 * 1024
EVENT_JOB = "workers.jobs.subscription_event"
CATCH_UP_JOB = "workers.jobs.subscription_catch_up"


@dataclass(frozen=True)
class Answer:
    status: int
    message: str


def catch_up_job_id(sub_id: int) -> str:
    return f"subscription-catch-up-{sub_id}"


def _refuse(session: Session, sub: EhrSubscription | None, status: int, reason: str) -> Answer:
    audit.record(session, action="subscription-notification-refused", actor_name="EHR webhook",
                 resource_type="EhrSubscription", resource_id=str(sub.id) if sub else None,
                 organization_id=sub.organization_id if sub else None, outcome="refused", detail=f"{status}: {reason}")
    session.commit()
    return Answer(status, reason)


def receive(session: Session, public_id: str, secret: str | None, body: bytes, length: int | None) -> Answer:
    """Handle one POST to the webhook; the caller turns the Answer into the HTTP response."""
    sub = session.scalar(select(EhrSubscription).where(EhrSubscription.public_id == public_id[:64]))
    if sub is None:
        return _refuse(session, None, 404, "unknown subscription")
    if not secret or not hmac.compare_digest(secret.encode(), sub.secret.encode()):
        return _refuse(session, sub, 401, "missing or wrong secret")
    if (length or 0) > MAX_BYTES or len(body) > MAX_BYTES:
        return _refuse(session, sub, 413, f"notification larger than {MAX_BYTES // 1024} KB")
    if sub.status == "off":
        return _refuse(session, sub, 409, "the subscription is paused")
    connection = session.get(FhirConnection, sub.connection_id)
    if connection is None:
        return _refuse(session, sub, 404, "the connection was deleted")
    now = datetime.now(UTC)
    if sub.topic is None:   # a plain R4 subscription: an empty ping, the catch-up searches what changed
        sub.last_notification_at, sub.status, sub.last_error = now, "active", None   # R4 has no handshake
        jobs.enqueue_after_commit(session, CATCH_UP_JOB, sub.id, job_id=catch_up_job_id(sub.id))
        session.commit()
        return Answer(202, "ping received; catch-up queued")
    try:
        note = parse(body, connection.base_url, sub.topic)
    except Refused as refused:
        return _refuse(session, sub, refused.status, refused.reason)
    their_id = subscription_id_of(note.subscription_ref)
    if sub.fhir_subscription_id and their_id and their_id != sub.fhir_subscription_id:
        return _refuse(session, sub, 400, "the notification is for another subscription")
    sub.fhir_subscription_id = sub.fhir_subscription_id or their_id
    return _handle(session, sub, note, now)


def _handle(session: Session, sub: EhrSubscription, note: Notification, now: datetime) -> Answer:
    if note.kind == "handshake":
        sub.status, sub.last_error, sub.last_heartbeat_at = "active", None, now
        session.commit()
        return Answer(200, "handshake accepted")
    if note.kind in ("heartbeat", "query-status"):
        sub.last_heartbeat_at = now
        if note.events_since_start is not None and note.events_since_start > sub.last_event_number:
            _catch_up(session, sub)   # events were sent that never arrived (or are still being handled)
        session.commit()
        return Answer(200, "heartbeat received")
    if not note.events:
        return _refuse(session, sub, 400, "an event notification without events")
    queued, duplicates, out_of_order = record_events(session, sub, note)
    if not queued:
        reason = "out-of-order events (a catch-up reads them)" if out_of_order else "duplicate events"
        return _refuse(session, sub, 409, f"{reason}: {', '.join(map(str, duplicates + out_of_order))}")
    sub.last_notification_at, sub.status = now, "active"
    session.commit()
    return Answer(202, f"{len(queued)} event(s) queued")


def _catch_up(session: Session, sub: EhrSubscription) -> None:
    jobs.enqueue_after_commit(session, CATCH_UP_JOB, sub.id, job_id=catch_up_job_id(sub.id))


def record_events(session: Session, sub: EhrSubscription, note: Notification,
                  from_catch_up: bool = False) -> tuple[list[int], list[int], list[int]]:
    """Record new events and queue their jobs; (queued, duplicate, out-of-order) event numbers.

    The webhook and a catch-up may record events of one subscription at the same time: the row is locked
    first (PostgreSQL; SQLite serialises writers anyway) and re-read, and the numbers kept on it are
    recomputed from the events table, never from a value read before the other's commit."""
    session.execute(select(EhrSubscription).where(EhrSubscription.id == sub.id).with_for_update()
                    .execution_options(populate_existing=True))
    queued: list[int] = []
    duplicates: list[int] = []
    out_of_order: list[int] = []
    highest = sub.highest_event_number
    for event in note.events:
        if event.number <= 0:
            continue
        query = select(SubscriptionEvent).where(SubscriptionEvent.subscription_id == sub.id,
                                                SubscriptionEvent.event_number == event.number)
        if session.scalar(query) is not None:
            duplicates.append(event.number)
            continue
        if not from_catch_up and event.number < highest:
            out_of_order.append(event.number)
            continue
        if not from_catch_up and event.number > highest + 1:
            _catch_up(session, sub)   # a gap: what is missing is read with $events
        row, created = insert_or_find(session, query, SubscriptionEvent(
            subscription_id=sub.id, event_number=event.number, focus=event.focus, encounter_ref=event.encounter))
        if not created:
            duplicates.append(event.number)
            continue
        highest = max(highest, event.number)
        jobs.enqueue_after_commit(session, EVENT_JOB, row.id, job_id=f"subscription-event-{row.id}")
        queued.append(event.number)
    _advance(session, sub)
    return queued, duplicates, out_of_order


def _advance(session: Session, sub: EhrSubscription) -> None:
    """From the events table: the highest number recorded, and last_event_number, the highest below which
    nothing is missing."""
    session.flush()
    numbers = set(session.scalars(select(SubscriptionEvent.event_number).where(
        SubscriptionEvent.subscription_id == sub.id, SubscriptionEvent.event_number > sub.last_event_number)))
    last = sub.last_event_number
    while last + 1 in numbers:
        last += 1
    sub.last_event_number = last
    sub.highest_event_number = max(numbers | {last, sub.highest_event_number})
