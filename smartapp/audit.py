"""Writing the audit trail: every read of patient data, every decision, every write-back.

Records say who, what action, which resource (type and id), when and how it ended. They never carry
note text, names or other PHI: `detail` holds codes and statuses only.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from smartapp.fhir.records import AccessRecord
from smartapp.models import AuditEvent, User


def actor_label(user: User | None) -> str:
    return f"user:{user.id}" if user is not None else "worker"


def record(
    session: Session, *, action: str, actor: User | None = None, actor_name: str | None = None,
    resource_type: str | None = None, resource_id: str | None = None, encounter_id: int | None = None,
    organization_id: int | None = None, outcome: str = "success", detail: str | None = None,
) -> AuditEvent:
    """Add an AuditEvent to the session (the caller's commit persists it with the work it describes)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor=actor_name or actor_label(actor),
        organization_id=organization_id if organization_id is not None else (actor.organization_id if actor else None),
        action=action, resource_type=resource_type, resource_id=resource_id,
        encounter_id=encounter_id, outcome=outcome, detail=(detail or None) and detail[:500],
    )
    session.add(event)
    # Held strongly until commit, so a rollback of failed work can put them back (see below).
    session.info.setdefault(_UNCOMMITTED, []).append(event)
    return event


def fhir_access_recorder(
    session: Session, *, actor: User | None, encounter_id: int | None, organization_id: int | None,
    actor_name: str | None = None,
) -> Callable[[AccessRecord], None]:
    """An `on_access` callback for FhirClient: one AuditEvent per resource read, searched or written."""

    def on_access(access: AccessRecord) -> None:
        record(
            session, action=access.action, actor=actor, actor_name=actor_name,
            resource_type=access.resource_type, resource_id=access.resource_id, encounter_id=encounter_id,
            organization_id=organization_id, outcome="success" if access.status < 400 else "failure",
            detail=f"HTTP {access.status}",
        )

    return on_access



_UNCOMMITTED = "revrx.audit.uncommitted"


@sa_event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if not session.in_nested_transaction():     # a released savepoint commits nothing yet
        session.info.pop(_UNCOMMITTED, None)


def rollback_keeping_audit(session: Session) -> None:
    """Roll back failed work but keep the audit trail of what was read before the failure.

    A read that succeeded did happen, even when the job that made it fails later; its AuditEvent
    must survive the rollback. Events not yet committed are added again as new rows after it.
    """
    pending = [_columns(e) for e in session.info.pop(_UNCOMMITTED, [])]
    session.rollback()
    session.add_all(AuditEvent(**values) for values in pending)


def _columns(event: AuditEvent) -> dict[str, object]:
    return {c.key: getattr(event, c.key) for c in AuditEvent.__table__.columns if c.key != "id"}
