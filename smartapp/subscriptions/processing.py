"""The subscription jobs' work: one notified event, a catch-up, and the missed-heartbeat check.

An event names an encounter (finished) or a note (for an encounter). A finished encounter is placed
like a synced one (same key, skip if RevRX has it) and coded through the connection's own credentials,
when the connection's auto-code switch and encounter classes allow; it gets the queue's "new" badge. A
note re-codes its encounter (auto_code.py), debounced: notes within DEBOUNCE_S of each other re-code it
once. Every job is safe to run twice: an event is handled only while its row is `queued`, and placing an
encounter finds the one already there.

A catch-up asks the EHR's `$status` how many events it sent and reads the missing ones with `$events`;
where the EHR has no `$events` (or the subscription is a plain R4 one) it searches finished encounters
updated since the last notification, at most CATCH_UP_LIMIT of them.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.fhir.bundles import bundle_resources, next_link
from smartapp.fhir.client import FhirClient
from smartapp.fhir.encounters import parse_encounter
from smartapp.fhir.errors import FhirError
from smartapp.fhir.references import normalize_iss
from smartapp.fhir.transport import check_type_and_id
from smartapp.jobqueue import jobs
from smartapp.models import DuplicatePolicy, EhrSubscription, Encounter, FhirConnection, ItemOutcome, SubscriptionEvent
from smartapp.models.base import as_utc
from smartapp.models.queries import latest_run
from smartapp.runtime import Runtime
from smartapp.sources.synced import code, place_encounter
from smartapp.subscriptions import auto_code
from smartapp.subscriptions.notifications import Refused, events_since_start, read_bundle
from smartapp.subscriptions.receive import CATCH_UP_JOB, EVENT_JOB, catch_up_job_id, record_events

log = logging.getLogger(__name__)
CATCH_UP_LIMIT = 200
CATCH_UP_MARGIN = timedelta(minutes=2)   # clocks differ; placing an encounter twice is a no-op anyway
NO_EVENTS_OPERATION = (400, 404, 405, 501)
DEBOUNCE_S = 2.0   # notes for one encounter within this long of each other re-code it once


def _client(runtime: Runtime, session: Session, connection: FhirConnection) -> FhirClient:
    return runtime.ehr.for_connection(session, connection, actor=None, actor_name="subscription worker")


def handle_event(session: Session, runtime: Runtime, event_id: int) -> str:
    event = _visible_event(session, event_id)
    if event is None or event.state != "queued":
        return "gone or done"
    sub = session.get(EhrSubscription, event.subscription_id)
    connection = session.get(FhirConnection, sub.connection_id) if sub is not None else None
    if sub is None or connection is None or not connection.active:
        return _finish(session, event, "skipped", "connection gone or inactive")
    fhir_id = (event.encounter_ref or "").partition("/")[2]
    if not fhir_id:
        return _finish(session, event, "skipped", "no encounter named")
    is_note = bool(sub.topic and sub.topic.rstrip("/").endswith("encounter-note"))
    if is_note and _superseded(session, event):
        return _finish(session, event, "skipped", "a later note for the same encounter re-codes it (debounced)")
    try:
        state, detail, encounter_id = handle_encounter(session, runtime, connection, fhir_id, note=is_note)
    except FhirError as err:
        session.rollback()
        event = session.get(SubscriptionEvent, event_id) or event
        return _finish(session, event, "failed", err.user_message[:300])
    event.encounter_id = encounter_id
    return _finish(session, event, state, detail)


VISIBLE_WITHIN_S = 3.0


def _visible_event(session: Session, event_id: int) -> SubscriptionEvent | None:
    """The event's row, looked for again for up to VISIBLE_WITHIN_S when it is not there yet. Its job is queued
    after the commit that recorded it, yet on PostgreSQL a worker was seen to start it a few milliseconds too
    early and find nothing; the event then stayed `queued` until recovery a minute later (and the burst of notes
    it belonged to was never re-coded in time)."""
    deadline = time.monotonic() + VISIBLE_WITHIN_S
    while True:
        event = session.get(SubscriptionEvent, event_id)
        if event is not None or time.monotonic() >= deadline:
            return event
        session.rollback()      # the next look reads what has been committed since
        time.sleep(0.1)


def _superseded(session: Session, event: SubscriptionEvent) -> bool:
    """Debounce: wait until DEBOUNCE_S after this note arrived; if another note for the same encounter came
    meanwhile, that one re-codes (a burst of notes is one re-code). Holds a worker at most DEBOUNCE_S."""
    wait = DEBOUNCE_S - (datetime.now(UTC) - as_utc(event.received_at)).total_seconds()
    if wait > 0:
        session.commit()   # hold no transaction while waiting
        time.sleep(wait)
    later = session.scalar(select(SubscriptionEvent.id).where(
        SubscriptionEvent.subscription_id == event.subscription_id,
        SubscriptionEvent.encounter_ref == event.encounter_ref, SubscriptionEvent.id > event.id).limit(1))
    return later is not None


def _finish(session: Session, event: SubscriptionEvent, state: str, detail: str) -> str:
    event.state, event.detail = state, detail[:300]
    session.commit()
    return f"{state}: {detail}"


def _existing(session: Session, connection: FhirConnection, fhir_id: str) -> Encounter | None:
    return session.scalar(select(Encounter).where(
        Encounter.organization_id == connection.organization_id,
        Encounter.source_system == normalize_iss(connection.base_url), Encounter.fhir_encounter_id == fhir_id))


def handle_encounter(session: Session, runtime: Runtime, connection: FhirConnection, fhir_id: str,
                     note: bool) -> tuple[str, str, int | None]:
    """(state, detail, encounter id) for one notified encounter of this connection."""
    check_type_and_id("Encounter", fhir_id)
    settings = auto_code.settings_for(session, connection)
    engine = runtime.settings.coding_engine
    existing = _existing(session, connection, fhir_id)
    if note:
        if existing is None:
            return "skipped", "a note for an encounter RevRX does not have (its finished event brings it)", None
        if not settings.auto_code:
            return "skipped", "auto-code is off", existing.id
        outcome = auto_code.recode_for_note(session, existing, engine)
        session.commit()
        return "done", f"note: {outcome}", existing.id
    info = None
    if settings.encounter_classes:   # the class is on the Encounter: read it (what was subscribed to)
        info = parse_encounter(_client(runtime, session, connection).read("Encounter", fhir_id))
        session.commit()
        if not auto_code.class_allowed(settings, info.class_code):
            why = f"class {info.class_code or 'unknown'} is not auto-coded"
            return "skipped", why, existing.id if existing else None
    encounter, outcome = place_encounter(session, connection, fhir_id, DuplicatePolicy.SKIP, info)
    if outcome == ItemOutcome.NEW:
        auto_code.mark_arrival(session, encounter)
    if settings.auto_code and (outcome == ItemOutcome.NEW or latest_run(session, encounter.id) is None):
        code(session, encounter, ItemOutcome.NEW, None, engine)
        detail = "coding queued"
    else:
        detail = "placed (auto-code off)" if not settings.auto_code else "already in RevRX"
    session.commit()
    return "done", detail, encounter.id


def catch_up(session: Session, runtime: Runtime, sub_id: int) -> str:
    sub = session.get(EhrSubscription, sub_id)
    connection = session.get(FhirConnection, sub.connection_id) if sub is not None else None
    if sub is None or connection is None or sub.status == "off" or not connection.active:
        return "nothing to catch up"
    client = _client(runtime, session, connection)
    session.commit()
    if sub.topic and sub.fhir_subscription_id:
        try:
            return _from_events(session, client, sub, connection)
        except FhirError as err:
            if err.status not in NO_EVENTS_OPERATION:
                sub.last_error = f"Catch-up failed: {err.user_message}"[:500]
                session.commit()
                raise
        except Refused as refused:
            sub.last_error = f"Catch-up: the EHR's $events answer was refused ({refused.reason})"
            session.commit()
            return sub.last_error
    # A ping that arrives while this search runs finds this job still running (same job id: not queued
    # again), so look again until no ping came after the search began (at most a few rounds).
    result = ""
    for _ in range(5):
        began = datetime.now(UTC)
        result = _by_search(session, runtime, client, sub, connection, began)
        session.refresh(sub)
        if sub.last_notification_at is None or as_utc(sub.last_notification_at) <= began:
            break
    return result


def _from_events(session: Session, client: FhirClient, sub: EhrSubscription, connection: FhirConnection) -> str:
    base = f"Subscription/{sub.fhir_subscription_id}"
    sent = events_since_start(client.get_url(f"{base}/$status"))
    since = sub.last_event_number + 1
    if sent is None or sent < since:
        session.commit()
        return "nothing missing"
    bundle = client.get_url(f"{base}/$events?eventsSinceNumber={since}&eventsUntilNumber={sent}")
    note = read_bundle(bundle, connection.base_url, sub.topic)
    queued, _, _ = record_events(session, sub, note, from_catch_up=True)
    if sub.last_error and sub.last_error.startswith(("No heartbeat", "Catch-up")):
        sub.last_error = None
    session.commit()
    log.info("subscription %s: caught up %d event(s) with $events", sub.id, len(queued))
    return f"caught up {len(queued)} event(s)"


def _by_search(session: Session, runtime: Runtime, client: FhirClient, sub: EhrSubscription,
               connection: FhirConnection, began: datetime) -> str:
    # From where the last search left off (less a margin for clocks and deliveries in flight), never from
    # before the subscription's creation: what finished before it is not what it subscribed to.
    created = as_utc(sub.created_at)
    since = max(created, as_utc(sub.caught_up_at) - CATCH_UP_MARGIN) if sub.caught_up_at else created
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Newest first, and each result's meta.lastUpdated checked here too: a server that ignores
    # `_lastUpdated` must not make a catch-up bring in every finished encounter it holds.
    params = [("status", "finished"), ("_lastUpdated", f"gt{stamp}"), ("_sort", "-_lastUpdated"), ("_count", "50")]
    bundle = client.search_bundle("Encounter", params)
    seen = 0
    while True:
        for resource in bundle_resources(bundle):
            if resource.get("resourceType") != "Encounter" or seen >= CATCH_UP_LIMIT:
                continue
            if not _changed_since(resource, since):
                continue
            seen += 1
            try:
                handle_encounter(session, runtime, connection, str(resource.get("id") or ""), note=False)
            except (ValueError, FhirError) as exc:
                session.rollback()
                log.info("subscription %s: catch-up skipped an encounter (%s)", sub.id, type(exc).__name__)
        url = next_link(bundle)
        if not url or seen >= CATCH_UP_LIMIT:
            break
        bundle = client.get_url(url)
    sub.caught_up_at = began
    session.commit()
    return f"searched {seen} finished encounter(s)"


def _changed_since(resource: dict[str, object], since: datetime) -> bool:
    meta = resource.get("meta")
    raw = meta.get("lastUpdated") if isinstance(meta, dict) else None
    try:
        return as_utc(datetime.fromisoformat(str(raw).replace("Z", "+00:00"))) > since
    except ValueError:
        return True   # no date to go by: the placement is a no-op for what RevRX has already


STRANDED_AFTER = timedelta(minutes=1)


def requeue_stranded(session: Session) -> int:
    """Events recorded but still `queued` a minute later (their job was lost with Redis, say): queued again
    under the same job id (a no-op for one that is only waiting its turn). The database is the truth."""
    cutoff = datetime.now(UTC) - STRANDED_AFTER
    stranded = list(session.scalars(select(SubscriptionEvent.id).where(
        SubscriptionEvent.state == "queued", SubscriptionEvent.received_at < cutoff).limit(1000)))
    for event_id in stranded:
        jobs.enqueue(EVENT_JOB, event_id, job_id=f"subscription-event-{event_id}")
    return len(stranded)


WAITING_TOO_LONG = timedelta(seconds=30)


def refresh_from_ehr(session: Session, runtime: Runtime) -> int:
    """What the EHR says about subscriptions RevRX hears nothing from (no handshake after 30 s, or in
    error): its status and `Subscription.error` (e.g. "handshake failed: HTTP 503") are shown on the
    connection page, so an EHR that cannot reach RevRX is visible from RevRX's side."""
    cutoff = datetime.now(UTC) - WAITING_TOO_LONG
    asked = 0
    for sub in list(session.scalars(select(EhrSubscription).where(
            EhrSubscription.fhir_subscription_id.is_not(None), EhrSubscription.created_at < cutoff,
            EhrSubscription.status.in_(("requested", "error"))))):
        connection = session.get(FhirConnection, sub.connection_id)
        if connection is None or not connection.active or not sub.fhir_subscription_id:
            continue
        try:
            theirs = _client(runtime, session, connection).read("Subscription", sub.fhir_subscription_id)
        except FhirError as err:
            sub.last_error = f"Could not read the subscription on the EHR: {err.user_message}"[:500]
        else:
            status = theirs.get("status")
            sub.status = status if status in ("requested", "active", "error", "off") else sub.status
            if theirs.get("error"):
                sub.last_error = f"The EHR says: {theirs['error']}"[:500]
        asked += 1
        session.commit()
    return asked


def check_heartbeats(session: Session) -> int:
    """Upkeep, once a minute: live topic subscriptions silent for two heartbeat periods say so and catch
    up; events whose job was lost are queued again. Returns how many subscriptions were late."""
    requeue_stranded(session)
    now = datetime.now(UTC)
    late = 0
    for sub in session.scalars(select(EhrSubscription).where(EhrSubscription.status.in_(("active", "error")),
                                                             EhrSubscription.heartbeat_seconds > 0)):
        heard_from = [as_utc(m) for m in (sub.last_heartbeat_at, sub.last_notification_at) if m]
        heard = max(heard_from) if heard_from else as_utc(sub.created_at)
        if now - heard > timedelta(seconds=2 * sub.heartbeat_seconds + 5):
            sub.last_error = f"No heartbeat since {heard.isoformat(timespec='seconds')}; catching up."
            jobs.enqueue_after_commit(session, CATCH_UP_JOB, sub.id, job_id=catch_up_job_id(sub.id))
            late += 1
    session.commit()
    return late
