"""The organisation's decisions, read for learning, and the learning applied to a new coding run's
suggestions before they are saved (smartapp/runs/results.py calls `apply`).

The threshold is INSIGHTS_MIN_DECISIONS, set once per process by build_runtime (like the other
process-wide policies), so the job that saves suggestions needs no extra argument.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartapp.insights.learning import Decided, Learned, adjustments, learn
from smartapp.models import CodingRun, Decision, Encounter, LearningReset, Suggestion
from smartapp.review.decisions import REJECT_REASONS

OTHER_REASON = "Other (typed)"

_min_decisions = 5


def configure(min_decisions: int) -> None:
    global _min_decisions
    _min_decisions = max(1, min_decisions)


def min_decisions() -> int:
    return _min_decisions


def learning_since(session: Session, organization_id: int) -> datetime | None:
    """When an administrator last reset the organisation's learning (None: never)."""
    return session.scalar(select(func.max(LearningReset.created_at))
                          .where(LearningReset.organization_id == organization_id))


def decisions(session: Session, organization_id: int) -> list[Decided]:
    """Every decision the organisation's coders made on engine suggestions since the last reset."""
    suggested = func.coalesce(Suggestion.original_code, Suggestion.code)
    query = (select(suggested, Suggestion.code, Suggestion.assertion, Suggestion.decision,
                    Suggestion.decision_reason, func.count())
             .join(CodingRun, CodingRun.id == Suggestion.run_id).join(Encounter, Encounter.id == CodingRun.encounter_id)
             .where(Encounter.organization_id == organization_id, Suggestion.origin == "engine",
                    Suggestion.decision != Decision.PENDING)
             .group_by(suggested, Suggestion.code, Suggestion.assertion, Suggestion.decision,
                       Suggestion.decision_reason))
    since = learning_since(session, organization_id)
    if since is not None:
        query = query.where(Suggestion.decided_at > since)
    found: list[Decided] = []
    for code, final, assertion, decision, reason, count in session.execute(query):
        # A reason typed in a coder's own words stays on its encounter: learning carries it to other
        # patients' pages, so only the offered reasons travel ("Other (typed)" for the rest).
        shared = None if reason is None else (reason if reason in REJECT_REASONS else OTHER_REASON)
        one = Decided(code=code, assertion=assertion, accepted=decision == Decision.ACCEPTED, reason=shared,
                      chosen=final if final != code else None)
        found.extend([one] * int(count))
    return found


def learned(session: Session, organization_id: int, threshold: int | None = None) -> Learned:
    return learn(decisions(session, organization_id), threshold or _min_decisions)


def apply(session: Session, organization_id: int, rows: list[Suggestion]) -> None:
    """Demote and annotate a new run's suggestions (not yet saved) by what the organisation learned."""
    model = learned(session, organization_id)
    if model.empty:
        return
    for index, change in adjustments(rows, model).items():   # type: ignore[arg-type]
        rows[index].rank = change["rank"]
        rows[index].learned = change["learned"]
