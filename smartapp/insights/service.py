"""What the insights page, the CSV downloads and the API share: the person's scope (the one access
rule), the period, the tables, the learned rules and the reset (audited)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.access import visible, why_not_reset_learning, why_not_see_insights
from smartapp.insights import feedback, stats
from smartapp.insights.learning import Learned
from smartapp.models import LearningReset, User

PERIODS = (7, 30, 90, 365)


class NotAllowed(PermissionError):
    """The person may not see or do this; the message says why."""


@dataclass(frozen=True)
class Insights:
    days: int
    tables: dict[str, stats.Table]


def period(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in PERIODS else 90


def insights(session: Session, user: User, days: int, only: str | None = None) -> Insights:
    why = why_not_see_insights(user)
    if why is not None:
        raise NotAllowed(why)
    return Insights(days, stats.build(session, visible(user), days=days, only=only))


def learned_rules(session: Session, user: User) -> tuple[Learned, object]:
    """What RevRX currently applies for the user's organisation, and since when it learns."""
    why = why_not_see_insights(user)
    if why is not None:
        raise NotAllowed(why)
    return feedback.learned(session, user.organization_id), feedback.learning_since(session, user.organization_id)


def reset_learning(session: Session, user: User) -> None:
    why = why_not_reset_learning(user)
    if why is not None:
        raise NotAllowed(why)
    session.add(LearningReset(organization_id=user.organization_id, reset_by_id=user.id))
    audit.record(session, action="reset-learning", actor=user, resource_type="Organization",
                 resource_id=str(user.organization_id), detail="learning from decisions started over")
