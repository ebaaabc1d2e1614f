"""Changing a person's role in their organisation (the People page and `flask set-role`).

Only an administrator changes roles, only within their own organisation; an organisation never
loses its last administrator (nobody could then change roles from the app again), and a patient's
account stays read-only. Every change is audited with the old and the new role, and ends the person's browser sessions.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.accounts import sessions
from smartapp.errors import UserFacingError
from smartapp.models import Role, User


def people(session: Session, organization_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.organization_id == organization_id)
                                .order_by(User.display_name, User.id)))


def _admins(session: Session, organization_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(User).where(
        User.organization_id == organization_id, User.role == Role.ADMIN)) or 0)


def _person_type(user: User) -> str:
    """The FHIR resource type of the person behind the account ("Practitioner", "Patient", …)."""
    parts = user.fhir_user.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def change_role(session: Session, actor: User | None, target: User, role: Role) -> None:
    """`actor` None: the command line (an operator on the server), which may change anyone's role."""
    if actor is not None:
        if actor.role != Role.ADMIN:
            raise UserFacingError(403, "Not allowed", "Only an administrator can change roles.")
        if actor.organization_id != target.organization_id:
            raise UserFacingError(403, "Not allowed", "This person belongs to another organization.")
    if target.role == role:
        return
    if role != Role.READ_ONLY and _person_type(target) in ("Patient", "RelatedPerson"):
        raise UserFacingError(409, "Not a staff account", "This account signed in as a patient or a patient's "
                              "relative: it can only be read-only.")
    if target.role == Role.ADMIN and _admins(session, target.organization_id) == 1:
        raise UserFacingError(409, "Last administrator", "The organization needs at least one administrator: "
                              "make someone else an administrator first.")
    before = target.role
    target.role = role
    sessions.end_all(session, target.id, "role-change")   # what they may do changed: they sign in again
    audit.record(session, action="role-change", actor=actor, actor_name=None if actor else "command line",
                 resource_type="User", resource_id=str(target.id), organization_id=target.organization_id,
                 detail=f"{before.value} -> {role.value}")
