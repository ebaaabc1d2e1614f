"""Deactivating and reactivating a person (the People page and `flask deactivate-user`).

A deactivated person loses access at once: their browser sessions end, their API tokens stop
working, their launches are refused and the access rule shows them nothing. Like role changes, only an
administrator of the same organisation does it, never to themselves, and never to the last active
administrator. Every change is audited.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.access import why_not_administer
from smartapp.accounts import sessions
from smartapp.accounts.roles import administrators
from smartapp.errors import UserFacingError
from smartapp.models import User


def _check_actor(actor: User | None, target: User) -> None:
    if actor is None:
        return   # the command line: an operator on the server
    if why_not_administer(actor) is not None:
        raise UserFacingError(403, "Not allowed", "Only an administrator can deactivate or reactivate people.")
    if actor.organization_id != target.organization_id:
        raise UserFacingError(403, "Not allowed", "This person belongs to another organization.")
    if actor.organization_id != target.home_organization_id:
        # Deactivation shuts the account everywhere: only the organisation the person signs in through decides.
        raise UserFacingError(409, "A member from another organization", "This person's account belongs to "
                              "another organization; remove them from yours instead.")


def set_active(session: Session, actor: User | None, target: User, active: bool) -> None:
    _check_actor(actor, target)
    if target.active == active:
        return
    if not active:
        if actor is not None and actor.id == target.id:
            raise UserFacingError(409, "Not yourself", "You cannot deactivate your own account.")
        admins = [u.id for u in administrators(session, target.organization_id) if u.active]
        if admins == [target.id]:
            raise UserFacingError(409, "Last administrator", "The organization needs an active administrator: "
                                  "make someone else an administrator first.")
        sessions.end_all(session, target.id, "deactivated")
    target.active = active
    audit.record(session, action="deactivate" if not active else "reactivate", actor=actor,
                 actor_name=None if actor else "command line", resource_type="User", resource_id=str(target.id),
                 organization_id=target.organization_id)
