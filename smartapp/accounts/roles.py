"""An administrator's decision about a person's roles (the People page and `flask set-role`).

Roles normally come from the EHR and the registration's policy at every sign-in
(smartapp/smart/roles.py). An administrator may decide a person's roles instead — a set of one or
more; while that decision stands it is what counts — and may withdraw it, so the sign-in's roles count
again. Only an administrator decides, only within their own organisation; an organisation never loses
its last administrator (nobody could then change roles from the app again), and a patient's account
stays read-only. Every change is audited with the old and the new roles, and an
administrator's change ends the person's browser sessions (they sign in again).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.access import why_not_administer
from smartapp.accounts import sessions
from smartapp.errors import UserFacingError
from smartapp.models import Membership, Role, RoleSource, User
from smartapp.models.people import ROLE_ORDER


def people(session: Session, organization_id: int) -> list[User]:
    """The organisation's members, each acting in it (their roles there), by name. Loaded people are
    the session's objects: call it for the organisation the caller acts in."""
    members = list(session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.organization_id == organization_id)
                                   .order_by(User.display_name, User.id)))
    for person in members:
        person.act_in(organization_id)
    return members


def administrators(session: Session, organization_id: int) -> list[User]:
    """Whom to ask for a role: the organisation's administrators, by name."""
    return [u for u in people(session, organization_id) if Role.ADMIN in u.roles]


def _person_type(user: User) -> str:
    """The FHIR resource type of the person behind the account ("Practitioner", "Patient", …)."""
    parts = user.fhir_user.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def words(roles: Iterable[Role]) -> str:
    held = set(roles)
    return ", ".join(r.value.replace("_", " ") for r in ROLE_ORDER if r in held) or "none"


def change_roles(session: Session, actor: User | None, target: User, roles: Iterable[Role] | None) -> None:
    """Decide `target`'s roles (`roles` None: withdraw the decision; the sign-in's roles count again).
    `actor` None: the command line (an operator on the server), which may change anyone's roles."""
    if actor is not None:
        why = why_not_administer(actor)
        if why is not None:
            raise UserFacingError(403, "Not allowed", why)
        if actor.organization_id != target.organization_id:
            raise UserFacingError(403, "Not allowed", "This person belongs to another organization.")
    wanted = None if roles is None else frozenset(roles)
    if wanted is not None and not wanted:
        raise UserFacingError(409, "No role chosen", "Choose at least one role, or let the EHR decide.")
    before, was_decided = target.roles, target.roles_set_by_admin
    after = target.roles_from_sign_in if wanted is None else wanted
    if after == before and (wanted is not None) == was_decided:
        return
    if (wanted or after) - {Role.READ_ONLY} and _person_type(target) in ("Patient", "RelatedPerson"):
        raise UserFacingError(409, "Not a staff account", "This account signed in as a patient or a patient's "
                              "relative: it can only be read-only.")
    if Role.ADMIN in before and Role.ADMIN not in after and \
            [u.id for u in administrators(session, target.organization_id)] == [target.id]:
        raise UserFacingError(409, "Last administrator", "The organization needs at least one administrator: "
                              "make someone else an administrator first.")
    target.set_roles(wanted or (), RoleSource.ADMIN)
    sessions.end_all(session, target.id, "role-change")   # what they may do changed: they sign in again
    audit.record(session, action="role-change", actor=actor, actor_name=None if actor else "command line",
                 resource_type="User", resource_id=str(target.id), organization_id=target.organization_id,
                 detail=f"{words(before)} -> {words(after)}" + ("" if wanted else " (as the EHR says)"))


def change_role(session: Session, actor: User | None, target: User, role: Role) -> None:
    """One role, decided by an administrator (kept for callers that set exactly one)."""
    change_roles(session, actor, target, {role})
