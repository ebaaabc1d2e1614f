"""The batch sync job: page through the EHR's Encounter search and queue one coding job per encounter.

Encounters are committed in groups of `Settings.sync_coding_batch` (and at the end of each page): one
commit for the group's items, encounters and coding runs, and one coding job for the group's runs
(smartapp/runs/coding_job.py `execute_batch`), which saves RQ's and the database's per-job cost.

Safe to run again at any point (a worker killed mid-sync, a requeue): each encounter becomes a
SyncItem unique per sync, and the URL of the page being worked on is saved before its items are, so a
re-run starts from that page and skips what it already committed (a group cut short is simply done
again). One encounter failing is recorded on its item (its work undone alone, in a savepoint) and the
sync goes on; only a failed search stops it.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartapp.ehr_access.access import EhrAccess
from smartapp.fhir.bundles import bundle_resources, next_link
from smartapp.fhir.client import FhirClient
from smartapp.fhir.encounters import parse_encounter
from smartapp.fhir.errors import FhirError
from smartapp.fhir.transport import check_type_and_id
from smartapp.models import (
    CodingRun,
    Encounter,
    FhirConnection,
    ItemOutcome,
    SyncItem,
    SyncRun,
    SyncStatus,
    User,
)
from smartapp.models.people import acting
from smartapp.models.queries import insert_or_find, latest_run, savepoint
from smartapp.runs.requests import queue_batch
from smartapp.runtime import Runtime
from smartapp.sources import sync_mode, sync_reading
from smartapp.sources.sync import cancel_pending, refresh_status
from smartapp.sources.synced import code, place_encounter

log = logging.getLogger(__name__)


def search_params(criteria: dict[str, Any]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = [("_count", str(criteria.get("page_size") or 50))]
    if criteria.get("date_from"):
        params.append(("date", f"ge{date.fromisoformat(criteria['date_from']).isoformat()}"))
    if criteria.get("date_to"):
        params.append(("date", f"le{date.fromisoformat(criteria['date_to']).isoformat()}"))
    if criteria.get("patient_ids"):
        params.append(("patient", ",".join(criteria["patient_ids"])))
    if criteria.get("statuses"):
        params.append(("status", ",".join(criteria["statuses"])))
    if criteria.get("since"):   # a scheduled window: what changed since the last one read
        params.append(("_lastUpdated", f"ge{criteria['since']}"))
    return params


class _Group:
    """Encounters handled since the last commit. `commit()` commits them with whatever else the sync
    changed, and queues their coding runs as one job once committed (a job queued earlier could start
    before its runs exist; runs committed without their job would be queued one by one by recovery)."""

    def __init__(self, session: Session, size: int) -> None:
        self.session, self.size = session, max(1, size)
        self.runs: list[CodingRun] = []
        self.handled = 0

    def add(self, coding: CodingRun | None) -> None:
        """One encounter handled (its run, if it is to be coded); commits when the group is full."""
        self.handled += 1
        if coding is not None:
            self.runs.append(coding)
        if self.handled >= self.size:
            self.commit()

    def commit(self) -> None:
        if self.runs:
            queue_batch(self.session, self.runs)
        self.session.commit()
        self.runs, self.handled = [], 0

    def drop(self) -> None:
        """Forget the runs (withdrawn by a cancel) without queueing them."""
        self.runs, self.handled = [], 0


def execute(session: Session, runtime: Runtime, sync_id: int) -> None:
    run = session.get(SyncRun, sync_id)
    if run is None or run.status.terminal or run.status == SyncStatus.CODING:
        return   # gone, finished, or every page already read by an earlier attempt
    connection = session.get(FhirConnection, run.connection_id)
    if connection is None:
        return
    user = acting(session.get(User, run.requested_by_id), run.organization_id) if run.requested_by_id else None
    run.status, run.started_at = SyncStatus.RUNNING, run.started_at or datetime.now(UTC)
    session.commit()
    group = _Group(session, runtime.settings.sync_coding_batch)
    try:
        _page_through(session, runtime, run, connection, user, group)
    except FhirError as err:
        if group.handled:
            group.commit()   # what was handled before the failed request is kept and coded
        session.rollback()
        run.status, run.error, run.finished_at = SyncStatus.FAILED, err.user_message, datetime.now(UTC)
        connection.last_error = f"Sync {run.id}: {err.user_message}"
        session.commit()
        log.info("sync %s failed: HTTP %s", run.id, err.status)


def _page_through(session: Session, runtime: Runtime, run: SyncRun, connection: FhirConnection,
                  user: User | None, group: _Group) -> None:
    client = _client(runtime.ehr, session, connection, user)
    session.commit()   # what the token was granted is kept, and no write stays open while the EHR is read
    limit = int(run.criteria.get("limit") or 100)
    engine = runtime.settings.coding_engine

    def handle(resource: dict[str, Any]) -> int:
        return _handle(session, engine, run, connection, user, resource, group)

    source = run.criteria.get("source") or "search"
    if source == "auto":
        source = _decide_source(session, client, run, connection)
    if source == "bulk":
        result = sync_reading.read_bulk(client, str(run.criteria.get("bulk_group_id")), run.criteria, handle,
                                        lambda: _cancelled(session, run), limit)
        # The export's transactionTime (the server's clock) is where the next scheduled window starts.
        run.criteria = {**run.criteria, "transaction_time": result.transaction_time, "bulk_polls": result.polls}
        run.pages_fetched += 1
    elif source == "patients":
        _per_patient(session, client, run, connection, handle, limit, group)
    else:
        try:
            _search_through(session, runtime, run, connection, user, client, limit, group)
        except FhirError as err:
            if run.pages_fetched or not sync_reading.refused_without_patient(err, search_params(run.criteria)):
                raise
            session.rollback()
            why = f"the EHR refused an Encounter search without a patient ({err.user_message}): one search per patient"
            run.criteria = {**run.criteria, "source": "patients", "source_reason": why}
            sync_mode.note_source(session, connection, "patients", why)
            session.commit()
            _per_patient(session, client, run, connection, handle, limit, group)
    if _cancelled(session, run):
        return _finish_cancelled(session, run, group)
    run.next_url, run.status = None, SyncStatus.CODING
    connection.last_sync_at, connection.last_error = datetime.now(UTC), None
    group.commit()
    refresh_status(session, run)
    log.info("sync %s read (%s)", run.id, source)


def _decide_source(session: Session, client: FhirClient, run: SyncRun, connection: FhirConnection) -> str:
    """Bulk Data or search, from the CapabilityStatement (kept for the connection page) and the connection's
    Bulk Data group; the choice and its reason are kept on the run."""
    try:
        statement = client.capabilities()
    except FhirError:
        statement = {}
    schedule = sync_mode.note_capabilities(session, connection, statement) if statement else None
    source, why = sync_mode.choose_source(schedule, run.criteria)
    run.criteria = {**run.criteria, "source": source, "source_reason": why,
                    "bulk_group_id": schedule.bulk_group_id if schedule is not None else None}
    sync_mode.note_source(session, connection, source, why)
    session.commit()
    return source


def _per_patient(session: Session, client: FhirClient, run: SyncRun, connection: FhirConnection,
                 handle: sync_reading.Handle, limit: int, group: _Group) -> None:
    patients = sync_reading.patients_for(session, connection, run.criteria)
    if not patients:
        raise FhirError(400, sync_reading.NO_PATIENTS)
    sync_reading.read_per_patient(client, patients, search_params(run.criteria), handle,
                                  lambda: _cancelled(session, run), limit, before_fetch=group.commit)
    run.pages_fetched += 1


def _search_through(session: Session, runtime: Runtime, run: SyncRun, connection: FhirConnection, user: User | None,
                    client: FhirClient, limit: int, group: _Group) -> None:
    found = session.scalar(select(func.count(SyncItem.id)).where(SyncItem.sync_run_id == run.id)) or 0
    page_url = run.next_url
    while True:
        bundle, client = _fetch(runtime.ehr, session, client, connection, user, run, page_url)
        for resource in bundle_resources(bundle):
            if resource.get("resourceType") != "Encounter":
                continue
            if found >= limit or _cancelled(session, run):
                break
            found += _handle(session, runtime.settings.coding_engine, run, connection, user, resource, group)
        run.pages_fetched += 1
        page_url = next_link(bundle)
        if _cancelled(session, run):
            return
        if not page_url or found >= limit:
            break
        run.next_url = page_url   # saved first: a re-run resumes at this page
        group.commit()   # the page's last encounters with it


def _client(ehr: EhrAccess, session: Session, connection: FhirConnection, user: User | None,
            fresh: bool = False) -> FhirClient:
    return ehr.for_connection(session, connection, actor=user, actor_name="sync worker", fresh_token=fresh)


def _fetch(
    ehr: EhrAccess, session: Session, client: FhirClient, connection: FhirConnection, user: User | None, run: SyncRun,
    page_url: str | None,
) -> tuple[dict[str, Any], FhirClient]:
    """One page; on 401 the cached token is dropped and the page asked for once more with a new one."""
    for attempt in (1, 2):
        try:
            if page_url:
                return client.get_url(page_url), client
            return client.search_bundle("Encounter", search_params(run.criteria)), client
        except FhirError as err:
            if err.status != 401 or attempt == 2:
                raise
            ehr.forget_connection_token(connection)
            client = _client(ehr, session, connection, user, fresh=True)
            session.commit()
    raise AssertionError("unreachable")


def _cancelled(session: Session, run: SyncRun) -> bool:
    flag = session.scalar(select(SyncRun.cancel_requested).where(SyncRun.id == run.id))
    return bool(flag)


def _finish_cancelled(session: Session, run: SyncRun, group: _Group) -> None:
    cancel_pending(session, run)   # the group's runs too: they are in this transaction
    group.drop()
    run.status, run.finished_at, run.next_url = SyncStatus.CANCELLED, datetime.now(UTC), None
    session.commit()


def _handle(session: Session, engine: str, run: SyncRun, connection: FhirConnection, user: User | None,
            resource: dict[str, Any], group: _Group) -> int:
    """Place one encounter and create its coding run (committed and queued with its group); 1 when it is
    new to this sync, 0 when an earlier attempt had it."""
    fhir_id = str(resource.get("id") or "")
    item, is_new = _claim_item(session, engine, run, fhir_id[:200] or "(no id)", user, group)
    if item is None:
        return 0
    coding: CodingRun | None = None
    try:
        with savepoint(session):   # a failure undoes this encounter's work alone, never its group's
            check_type_and_id("Encounter", fhir_id)
            encounter, outcome = place_encounter(session, connection, fhir_id, run.duplicate_policy,
                                                 parse_encounter(resource))
            item.encounter_id, item.outcome = encounter.id, outcome
            coding = code(session, encounter, outcome, user, engine, queue=False)
            item.coding_run_id = coding.id if coding is not None else None
    except ValueError:
        coding = None
        _item_failed(item, "The EHR sent an encounter without a valid id.")
    except Exception as exc:   # noqa: BLE001 - one bad encounter must never stop the sync
        log.exception("sync %s: encounter failed (%s)", run.id, type(exc).__name__)
        coding = None
        _item_failed(item, f"Could not be queued ({type(exc).__name__}).")
    group.add(coding)
    return 1 if is_new else 0


def _claim_item(session: Session, engine: str, run: SyncRun, fhir_id: str,
                user: User | None, group: _Group) -> tuple[SyncItem | None, bool]:
    """The item to work on and whether it is new; (None, False) when an earlier attempt finished it.

    An earlier attempt may have died between its commits: an item without an encounter is placed
    again; a placed one whose coding run was never linked gets its run linked (or queued) now.
    """
    query = select(SyncItem).where(SyncItem.sync_run_id == run.id, SyncItem.fhir_encounter_id == fhir_id)
    found, created = insert_or_find(session, query, SyncItem(sync_run_id=run.id, fhir_encounter_id=fhir_id))
    if created:
        return found, True
    if found.encounter_id is None and found.outcome == ItemOutcome.NEW:
        return found, False
    if found.coding_run_id is None and found.encounter_id is not None and found.outcome in _CODED:
        coding = latest_run(session, found.encounter_id)
        if coding is None:
            encounter = session.get(Encounter, found.encounter_id)
            coding = code(session, encounter, found.outcome, user, engine) if encounter is not None else None
        found.coding_run_id = coding.id if coding is not None else None
        group.commit()
    return None, False


_CODED = (ItemOutcome.NEW, ItemOutcome.OVERWRITTEN, ItemOutcome.VERSIONED)


def _item_failed(item: SyncItem, message: str) -> None:
    """Record why (the encounter's own work was rolled back with its savepoint); committed with the group."""
    item.outcome, item.error, item.encounter_id, item.coding_run_id = ItemOutcome.FAILED, message, None, None
