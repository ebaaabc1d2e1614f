"""Who belongs to an organisation: administrators invite people (by e-mail or by EHR identity), and
remove them; roles within it are changed as before (smartapp/accounts/roles.py).

An invitation of someone RevRX already knows (a person who signed in, from this EHR or another) makes
them a member at once, with the roles chosen; anyone else is invited until their next sign-in, when
the invitation becomes a membership (`accept_invitations`). A person's home organisation — the one
their own EHR sign-in puts them in — is never removed from them (deactivation, by that organisation's
administrators, shuts an account); any other membership can be. Removing someone ends their browser
sessions (they may have been acting in it) and their API tokens for that organisation stop working.
Everything is audited in the organisation concerned.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.access import why_not_administer
from smartapp.accounts import sessions
from smartapp.accounts.roles import administrators, words
from smartapp.errors import UserFacingError
from smartapp.models import Invitation, Membership, Role, RoleSource, User
from smartapp.models.people import ROLE_ORDER


def _require_admin(actor: User) -> None:
    why = why_not_administer(actor)
    if why is not None:
        raise UserFacingError(403, "Not allowed", "Only an administrator can invite or remove people.")


def _normalised(email: str | None, fhir_user: str | None) -> tuple[str | None, str | None]:
    email = (email or "").strip().lower() or None
    fhir_user = (fhir_user or "").strip().rstrip("/") or None
    if email is not None and ("@" not in email or len(email) > 320 or " " in email):
        raise UserFacingError(422, "Invalid invitation", "This is not an e-mail address.")
    if fhir_user is not None and (not fhir_user.startswith(("https://", "http://")) or len(fhir_user) > 500
                                  or fhir_user.count("/") < 4):
        raise UserFacingError(422, "Invalid invitation", "An EHR identity is the person's full FHIR reference, "
                              "e.g. https://ehr.example.org/fhir/Practitioner/123.")
    if (email is None) == (fhir_user is None):
        raise UserFacingError(422, "Invalid invitation", "Give either an e-mail address or an EHR identity.")
    return email, fhir_user


def _join(session: Session, person: User, organization_id: int, roles: frozenset[Role],
          invited_by: User | None) -> None:
    """Make `person` a member of `organization_id` holding `roles` (an administrator's decision)."""
    acting_before = person.organization_id
    person.memberships.append(Membership(organization_id=organization_id,
                                         invited_by_id=invited_by.id if invited_by else None))
    person.act_in(organization_id)
    person.set_roles(roles, RoleSource.ADMIN)
    person.act_in(acting_before)
    session.flush()


def invite(session: Session, actor: User | None, roles: Iterable[Role], *, email: str | None = None,
           fhir_user: str | None = None, organization_id: int | None = None) -> User | Invitation:
    """Invite into the actor's (active) organisation — `actor` None: the command line, into
    `organization_id` — and return the person, made a member now, or the pending invitation. 409 when
    they already are a member or already invited."""
    if actor is not None:
        _require_admin(actor)
    wanted = frozenset(roles)
    if not wanted:
        raise UserFacingError(422, "No role chosen", "Choose at least one role for the person you invite.")
    email, fhir_user = _normalised(email, fhir_user)
    org = actor.organization_id if actor is not None else organization_id
    if org is None:
        raise UserFacingError(422, "Invalid invitation", "Say which organization to invite into.")
    known = list(session.scalars(select(User).where(
        User.email == email if email else User.fhir_user == fhir_user).order_by(User.id)))
    if any(p.is_member_of(org) for p in known):
        raise UserFacingError(409, "Already a member", "This person already belongs to your organization.")
    detail = f"{email or fhir_user} as {words(wanted)}"
    if known:
        person = known[0]
        _join(session, person, org, wanted, actor)
        audit.record(session, action="member-add", actor=actor, actor_name=None if actor else "command line",
                     resource_type="User", resource_id=str(person.id), organization_id=org, detail=detail)
        return person
    pending = session.scalar(select(Invitation).where(
        Invitation.organization_id == org, Invitation.accepted_at.is_(None),
        Invitation.email == email if email else Invitation.fhir_user == fhir_user))
    if pending is not None:
        raise UserFacingError(409, "Already invited", "This person is already invited; the invitation turns into "
                              "a membership at their next sign-in.")
    invitation = Invitation(organization_id=org, email=email, fhir_user=fhir_user,
                            invited_by_id=actor.id if actor else None,
                            roles=",".join(r.value for r in ROLE_ORDER if r in wanted))
    session.add(invitation)
    session.flush()
    audit.record(session, action="member-invite", actor=actor, actor_name=None if actor else "command line",
                 resource_type="Invitation", resource_id=str(invitation.id), organization_id=org, detail=detail)
    return invitation


def pending_invitations(session: Session, organization_id: int) -> list[Invitation]:
    return list(session.scalars(select(Invitation).where(Invitation.organization_id == organization_id,
                                                         Invitation.accepted_at.is_(None))
                                .order_by(Invitation.id)))


def withdraw(session: Session, actor: User, invitation_id: int) -> None:
    """Withdraw a pending invitation of the actor's organisation (404 for any other)."""
    _require_admin(actor)
    row = session.get(Invitation, invitation_id)
    if row is None or row.organization_id != actor.organization_id or row.accepted_at is not None:
        raise UserFacingError(404, "Not found", "There is no such invitation in your organization.")
    audit.record(session, action="member-invite-withdraw", actor=actor, resource_type="Invitation",
                 resource_id=str(row.id), detail=row.email or row.fhir_user)
    session.delete(row)


def accept_invitations(session: Session, person: User) -> list[int]:
    """At sign-in: the invitations waiting for this person (by e-mail or fhirUser) become memberships.
    Returns the organisations joined."""
    match = [Invitation.fhir_user == person.fhir_user.rstrip("/")]
    if person.email:
        match.append(Invitation.email == person.email)
    joined = []
    for row in session.scalars(select(Invitation).where(Invitation.accepted_at.is_(None), or_(*match))
                               .order_by(Invitation.id)):
        row.accepted_at, row.accepted_by_id = datetime.now(UTC), person.id
        if person.is_member_of(row.organization_id):
            continue
        roles = frozenset(Role(r) for r in row.roles.split(",") if r)
        inviter = session.get(User, row.invited_by_id) if row.invited_by_id else None
        _join(session, person, row.organization_id, roles, inviter)
        audit.record(session, action="member-join", actor=person, resource_type="Invitation",
                     resource_id=str(row.id), organization_id=row.organization_id, detail=words(roles))
        joined.append(row.organization_id)
    return joined


def remove(session: Session, actor: User, target: User) -> None:
    """Take `target` (acting in the actor's organisation) out of it, with every role they held there."""
    _require_admin(actor)
    org = actor.organization_id
    if not target.is_member_of(org):
        raise UserFacingError(404, "Not found", "There is nobody with this id in your organization.")
    if target.home_organization_id == org:
        raise UserFacingError(409, "Their own organization", "This person signs in through your organization's "
                              "EHR: deactivate their account instead of removing them.")
    if Role.ADMIN in target.roles and [u.id for u in administrators(session, org)] == [target.id]:
        raise UserFacingError(409, "Last administrator", "The organization needs at least one administrator: "
                              "make someone else an administrator first.")
    before = target.roles
    target.grants = [g for g in target.grants if g.organization_id != org]
    target.memberships = [m for m in target.memberships if m.organization_id != org]
    target.act_in(target.home_organization_id)
    sessions.end_all(session, target.id, "removed")
    audit.record(session, action="member-remove", actor=actor, resource_type="User", resource_id=str(target.id),
                 organization_id=org, detail=f"held {words(before)}")
