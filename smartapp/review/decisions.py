"""Accepting and rejecting suggestions. Every decision is recorded with who and when, and audited."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.models import Decision, Suggestion, User

# Offered after a reject, so the reason takes one click; any other reason can be typed.
REJECT_REASONS = (
    "Not supported by the documentation",
    "Condition ruled out or negated",
    "Not addressed at this visit",
    "A more specific code applies",
    "Duplicate of another code",
)


def decide(session: Session, suggestion: Suggestion, decision: Decision, user: User, reason: str | None = None) -> None:
    suggestion.decision = decision
    suggestion.decision_reason = (reason or "").strip()[:300] or None
    suggestion.decided_by_id = user.id
    suggestion.decided_at = datetime.now(UTC)
    audit.record(
        session, action="decide", actor=user, resource_type="Suggestion", resource_id=str(suggestion.id),
        encounter_id=suggestion.run.encounter_id, detail=f"{suggestion.code} {decision.value.lower()}",
    )


# Add-on codes the engine offers as optional (G2211: the practitioner must be the continuing focal
# point of care, which no note states reliably). A person accepts them one by one, never in bulk.
OPTIONAL_CODES = frozenset({"G2211"})


def is_optional(suggestion: Suggestion) -> bool:
    return suggestion.code in OPTIONAL_CODES or (suggestion.hint or "").startswith("Optional")


def accept_all_pending(session: Session, suggestions: list[Suggestion], user: User) -> int:
    """Accept every pending suggestion except the optional add-ons ("Accept all", "Approve selected")."""
    count = 0
    for suggestion in suggestions:
        if suggestion.decision == Decision.PENDING and not is_optional(suggestion):
            suggestion.decision = Decision.ACCEPTED
            suggestion.decided_by_id = user.id
            suggestion.decided_at = datetime.now(UTC)
            count += 1
    if count:
        audit.record(session, action="decide", actor=user, resource_type="CodingRun",
                     resource_id=str(suggestions[0].run_id), encounter_id=suggestions[0].run.encounter_id,
                     detail=f"accepted {count} pending suggestions")
    return count
