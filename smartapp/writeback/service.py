"""Approve & write back: the plan for this EHR (Claim, ChargeItems, encounter diagnoses or a coding
report) → conditional creates on the EHR → a recorded submission with the server's ids or its error.

Idempotency, twice over: the ClaimSubmission row is unique on its key (encounter + coding run), so a
double click finds the first submission; and every resource carries our identifier. Where the server
honours `If-None-Exist` (declares it, and is not Epic or Oracle Health, which never documented it) it is
created conditionally; elsewhere a "sent" marker is committed before each POST, a POST is resent only on
429/503 with Retry-After, and a lost answer or a killed worker leads to a search for what we wrote
(writeback/sending.py), so even a retry after a half-finished write-back makes no second resource.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.ehr_access.launch_tokens import RelaunchRequired
from smartapp.ehr_access.routing import Route
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError
from smartapp.models import ClaimSubmission, CodingRun, Encounter, EncounterStatus, SubmissionStatus, User
from smartapp.models.base import as_utc
from smartapp.models.queries import insert_or_find
from smartapp.writeback import sending
from smartapp.writeback.plan import IDENTIFIER_SYSTEM, Plan, WritebackRefused, idempotency_key, make_plan

log = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=2)   # far beyond the FHIR timeouts and retries of one attempt

__all__ = ["IDENTIFIER_SYSTEM", "PlanChanged", "WritebackRefused", "approve_and_write_back", "idempotency_key",
           "preview"]


class PlanChanged(RuntimeError):
    """What would be sent differs from the preview the person confirmed; `plan` is the new one."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("the write-back changed since it was previewed")
        self.plan = plan


def preview(session: Session, encounter: Encounter, run: CodingRun, user: User, route: Route) -> Plan:
    """The plan an approval would send now (reads the server's capabilities and the Coverage; each
    read is audited, and the caller commits)."""
    try:
        client = route.client() if route.destination else None
        plan = make_plan(encounter, run, user, route.destination, client)
    except RelaunchRequired as err:
        plan = make_plan(encounter, run, user, route.destination, None)
        plan.refusal = err.user_message
    except FhirError as err:
        plan = make_plan(encounter, run, user, route.destination, None)
        plan.refusal = f"RevRX could not prepare the write-back: {err.user_message}"
    plan.refusal = earlier_copy(session, encounter, run) or plan.refusal
    return plan   # the caller commits the audit of the FHIR reads above


def earlier_copy(session: Session, encounter: Encounter, run: CodingRun) -> str | None:
    """Why a re-run's codes are not sent when an earlier run's are already in the EHR, or None.

    Policy, for every write-back kind (Claim, ChargeItem, encounter-diagnosis Conditions, the coding
    report): never two live copies of one encounter's codes in the EHR. RevRX does not cancel or
    replace what it wrote (neither Epic nor Oracle Health lets an app update those resources), so the
    second approval is refused and the person is told what to do instead."""
    earlier = session.scalars(select(ClaimSubmission).where(
        ClaimSubmission.encounter_id == encounter.id, ClaimSubmission.run_id != run.id,
        ClaimSubmission.status.in_([s for s in SubmissionStatus if s.written_back]))
        .order_by(ClaimSubmission.id.desc()).limit(1)).first()
    if earlier is None:
        return None
    sent = ", ".join(f"{r['resourceType']}/{r['id']}" for r in (earlier.results or []) if r.get("id")) \
        or "the earlier codes"
    return (f"An earlier coding of this encounter was already written back ({sent}); RevRX never sends a "
            "second copy. Correct or cancel what was sent in the EHR (your billing office can), using the "
            "coding report of these codes, which you can download from this page.")


def abandoned(row: ClaimSubmission, now: datetime | None = None) -> bool:
    """Stuck in SENDING: the process sending it died (no attempt takes anywhere near this long)."""
    return row.status == SubmissionStatus.SENDING and (now or datetime.now(UTC)) - as_utc(row.updated_at) > STUCK_AFTER


def _retryable(row: ClaimSubmission) -> bool:
    """A failed write-back may be retried; so may an abandoned one: the retry skips what an earlier
    attempt confirmed, and finds what it only sent (If-None-Exist where the server honours it, a search
    for our "sent" markers elsewhere) instead of sending it blindly again."""
    return row.status == SubmissionStatus.FAILED or abandoned(row)


def _submission(session: Session, encounter: Encounter, run: CodingRun, user: User) -> tuple[ClaimSubmission, bool]:
    """The submission row for this approval, and whether this request should send it.

    A new row is committed at once, before anything is sent: it is the marker that makes the other
    click of a double click (or a retried job) find this send instead of starting a second one, and
    that recovery finds if this process dies mid-send. It is the one commit the write-back makes itself."""
    query = select(ClaimSubmission).where(ClaimSubmission.idempotency_key == idempotency_key(encounter, run))
    existing = session.scalar(query)
    if existing is not None:
        return existing, _retryable(existing)
    row, created = insert_or_find(session, query, ClaimSubmission(
        encounter_id=encounter.id, run_id=run.id, idempotency_key=idempotency_key(encounter, run),
        strategy="claim", status=SubmissionStatus.SENDING, submitted_by_id=user.id, results=[]))
    session.commit()
    return row, created


NO_SERVICE_LINE = ("Not written back: the Claim would list diagnoses but no visit or procedure line (the "
                   "visit level was rejected), and payers deny such a Claim. Accept a visit level or procedure "
                   "code, or send it from the review page, which asks whether to send it without one.")


def approve_and_write_back(session: Session, encounter: Encounter, run: CodingRun, user: User, route: Route,
                           expected_digest: str | None = None, *,
                           without_service_line: bool = False) -> ClaimSubmission:
    """Send the plan. With `expected_digest` (from the preview) a changed plan raises PlanChanged
    before anything is recorded or sent. A Claim without a service line goes out only when the person
    chose it (`without_service_line`: the page's preview asks; the API takes it as a flag); otherwise
    it is refused with the reason, as the page's preview would warn."""
    key = idempotency_key(encounter, run)
    done = session.scalar(select(ClaimSubmission).where(ClaimSubmission.idempotency_key == key))
    if done is not None and not _retryable(done):
        return done
    plan: Plan | None = None
    problem: Exception | None = None
    client: FhirClient | None = None
    try:
        client = route.client() if route.destination else None
        plan = make_plan(encounter, run, user, route.destination, client)
    except (RelaunchRequired, FhirError) as err:
        problem = err
    if plan is not None:
        plan.refusal = earlier_copy(session, encounter, run) or plan.refusal
        if plan.claim_without_lines and not without_service_line:
            plan.refusal = NO_SERVICE_LINE
    if plan is not None and expected_digest and plan.digest != expected_digest:
        raise PlanChanged(plan)   # the caller commits the audit of the reads
    row, send = _submission(session, encounter, run, user)
    if not send:
        return row
    row.status, row.error, row.operation_outcome = SubmissionStatus.SENDING, None, None
    row.submitted_by_id = user.id
    row.strategy = plan.strategy.name if plan and plan.strategy else "none"
    if isinstance(problem, (RelaunchRequired, FhirError)):
        return _failed(session, row, user, encounter, problem.user_message, "resource")
    if plan is None or client is None or not plan.sendable or plan.strategy is None:
        refusal = plan.refusal if plan is not None else None
        return _failed(session, row, user, encounter, refusal or "Nothing can be written back.", "resource")
    return _send(session, row, plan, client, user, encounter)


PLAN_CHANGED = ("The codes changed after you reviewed what would be sent, so nothing was sent. "
                "Review it again and confirm.")


def record_plan_changed(session: Session, encounter: Encounter, run: CodingRun, user: User) -> ClaimSubmission:
    """The approval job found the plan changed since the preview: nothing is sent, and the submission
    says so (the page shows it; the person reviews again). A write-back already done stays as it is."""
    row, send = _submission(session, encounter, run, user)
    if send:
        row.strategy = "none"
        _failed(session, row, user, encounter, PLAN_CHANGED, "resource")
    return row


def _send(session: Session, row: ClaimSubmission, plan: Plan, client: FhirClient, user: User,
          encounter: Encounter) -> ClaimSubmission:
    rtype = plan.strategy.resource_type if plan.strategy else "resource"
    row.request_body = (plan.outgoing[0].body if len(plan.outgoing) == 1
                        else {"resourceType": "Bundle", "type": "batch",
                              "entry": [{"resource": o.body} for o in plan.outgoing]})
    # What an earlier attempt of this approval confirmed (skipped) or only sent (searched for first).
    earlier = {str(r["key"]): r for r in row.results or [] if isinstance(r, dict) and r.get("key")}
    results: list[dict[str, str]] = []

    def mark(marker: dict[str, str]) -> None:
        # Committed before the POST: a worker killed mid-send leaves the marker for recovery to search by.
        row.results = [*results, marker]
        session.commit()

    try:
        for out in plan.outgoing:
            before = earlier.get(out.ident)
            if before is not None and before.get("id"):
                results.append(before)
            elif plan.conditional_create:
                result = client.create(out.resource, if_none_exist=out.if_none_exist)
                results.append(sending.entry(out, "CREATED" if result.created else "EXISTING", result.id))
            else:
                results.append(sending.create_once(client, out, before, mark))
            row.results = list(results)   # what got through survives a failure further on
    except RelaunchRequired as err:
        return _failed(session, row, user, encounter, err.user_message, rtype)
    except FhirError as err:
        row.operation_outcome = err.outcome
        return _failed(session, row, user, encounter, f"The EHR refused the {rtype}: {err.user_message}", rtype)
    row.status = (SubmissionStatus.CREATED if any(r["status"] == "CREATED" for r in results)
                  else SubmissionStatus.EXISTING)
    row.fhir_resource_type, row.fhir_id = results[0]["resourceType"], results[0]["id"]
    encounter.status = EncounterStatus.APPROVED
    how = "conditional create" if plan.conditional_create else "create after searching for an earlier send"
    for r in results:
        audit.record(session, action="write-back", actor=user, resource_type=r["resourceType"], resource_id=r["id"],
                     encounter_id=encounter.id, detail=f"{row.strategy}: {r['status'].lower()} via {how}")
    return row


def _failed(session: Session, row: ClaimSubmission, user: User, encounter: Encounter, message: str,
            rtype: str) -> ClaimSubmission:
    row.status, row.error = SubmissionStatus.FAILED, message
    audit.record(session, action="write-back", actor=user, resource_type=rtype if rtype != "resource" else None,
                 encounter_id=encounter.id, outcome="failure", detail=f"{row.strategy}: failed"[:200])
    log.info("write-back for encounter %s failed", encounter.id)
    return row
