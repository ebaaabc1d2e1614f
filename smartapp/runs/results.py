"""Saving what a coding run produced, shared by every source of encounters (EHR launch, batch sync,
file upload): the run's suggestions, timings and warnings, then COMPLETE — or FAILED with a message
a person can act on. A re-run replaces the run's suggestions in the same transaction that marks it
COMPLETE, so a crash mid-way leaves no half result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.coding.types import CodingResult
from smartapp.insights import feedback
from smartapp.models import CodingRun, Encounter, EncounterStatus, RunStatus, Suggestion

log = logging.getLogger(__name__)


def runnable(session: Session, run_id: int) -> tuple[CodingRun, Encounter] | None:
    """The run and its encounter, or None when there is nothing to do: deleted, or already done by
    an earlier attempt (which is what makes every coding job safe to run twice)."""
    run = session.get(CodingRun, run_id)
    if run is None or run.status == RunStatus.COMPLETE:
        return None
    encounter = session.get(Encounter, run.encounter_id)
    return None if encounter is None else (run, encounter)


def start_run(session: Session, run: CodingRun) -> None:
    run.status, run.started_at, run.error = RunStatus.RUNNING, datetime.now(UTC), None
    run.attempts += 1
    session.commit()


def store_result(
    session: Session, run: CodingRun, encounter: Encounter, result: CodingResult, *,
    warnings: list[str], timings: dict[str, float | int],
) -> None:
    """Replace the run's suggestions with `result`'s and mark the run COMPLETE, the encounter READY.

    `warnings` (the source's own, e.g. documents skipped) go before the pipeline's; `timings` are
    added to the pipeline's step timings.
    """
    session.execute(delete(Suggestion).where(Suggestion.run_id == run.id))
    rows = [Suggestion(
        run_id=run.id, system=s.system, code=s.code, display=s.display, category=s.category, rank=s.rank,
        confidence=s.confidence, assertion=s.assertion, rationale=s.rationale[:500], hint=s.hint, quantity=s.quantity,
        evidence=[{"note_id": int(e.note_id), "start": e.start, "end": e.end} for e in s.evidence],
    ) for s in result.suggestions]
    feedback.apply(session, encounter.organization_id, rows)   # what this organisation's coders taught
    session.add_all(rows)
    run.engine_version = result.engine_version
    run.warnings = warnings + result.warnings
    run.timings = {**result.timings_ms, **timings}
    run.status, run.finished_at = RunStatus.COMPLETE, datetime.now(UTC)
    encounter.status = EncounterStatus.READY
    session.commit()
    log.info("coding run %s complete: %s suggestions", run.id, len(result.suggestions))


def fail_run(session: Session, run: CodingRun, encounter: Encounter, message: str,
             keep: Callable[[], None] | None = None) -> None:
    """Roll back the attempt's work and record why it failed (the message is shown to people); `keep`
    re-applies, after the rollback, what the attempt learnt that is to be kept all the same."""
    audit.rollback_keeping_audit(session)
    if keep is not None:
        keep()
    run = session.get(CodingRun, run.id) or run
    run.status, run.error, run.finished_at = RunStatus.FAILED, message, datetime.now(UTC)
    encounter.status = EncounterStatus.FAILED
    session.commit()
    log.info("coding run %s failed", run.id)
