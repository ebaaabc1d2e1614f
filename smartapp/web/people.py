"""The People page: who in the (active) organisation uses RevRX, which roles they hold there and where
each came from; administrators decide roles (or leave them to the EHR), invite people by e-mail or EHR
identity, and remove those who came by invitation (smartapp/accounts/members.py)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from smartapp.access import why_not_administer
from smartapp.accounts import api_tokens, members
from smartapp.accounts.roles import administrators, change_roles, people
from smartapp.accounts.status import set_active
from smartapp.connections.service import MAX_ID
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Role, User
from smartapp.models.people import ROLE_ORDER
from smartapp.web import bp
from smartapp.web.auth import user

ROLE_WORDS = {Role.ADMIN: "everything a coder does, and decides who holds which role",
              Role.CODER: "works the queue, connections, syncs and uploads; reviews and approves any encounter",
              Role.CLINICIAN: "reviews and approves the encounters they launched or are the practitioner of",
              Role.READ_ONLY: "sees codes and audit trails, changes nothing"}
FOLLOW_EHR = "ehr"


@bp.app_context_processor
def _whom_to_ask() -> dict[str, object]:
    """`org_administrators()` for pages that say whom to ask for a role (partials/_role_needed.html)."""
    def org_administrators() -> list[User]:
        if not current_user.is_authenticated:
            return []
        return administrators(db.session, current_user.organization_id)
    return {"org_administrators": org_administrators}


def _page(errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    me = user()
    everyone = people(db.session, me.organization_id)
    admin = why_not_administer(me) is None
    # API tokens: an administrator sees (and may revoke) the organisation's, everyone else their own.
    tokens = api_tokens.tokens_of(db.session, [p.id for p in everyone] if admin else [me.id], me.organization_id)
    return render_template("people.html", people=everyone, me=me, names={p.id: p.display_name for p in everyone},
                           roles=list(ROLE_ORDER), role_words=ROLE_WORDS, can_change=admin,
                           tokens=tokens, token_state=api_tokens.state,
                           invitations=members.pending_invitations(db.session, me.organization_id) if admin else [],
                           errors=errors or [], changed=request.args.get("changed")), status


@bp.get("/people")
@login_required
def people_page() -> tuple[str, int]:
    return _page()


def _chosen() -> set[Role] | None:
    """The roles the form chose; None for "as the EHR says". Raises ValueError for an unknown role."""
    if request.form.get("decide") == FOLLOW_EHR:
        return None
    return {Role(value) for value in request.form.getlist("roles") or [request.form.get("role", "")]}


def _person(user_id: int) -> User:
    """Someone of the signed-in person's organisation; anyone else does not exist for them."""
    target = db.session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if target is None or not target.act_in(user().organization_id):
        raise UserFacingError(404, "Not found", "There is nobody with this id in your organization.")
    return target


def _saved(target: User, change: Callable[[], object]) -> Response | tuple[str, int]:
    """Apply a change to a person and go back to the list; a refusal (409, e.g. the last
    administrator) is shown on the page with nothing changed."""
    try:
        change()
    except UserFacingError as err:
        if err.status != 409:
            raise
        db.session.rollback()
        return _page([err.message], 409)
    db.session.commit()
    return redirect(url_for("web.people_page", changed=target.id))  # type: ignore[return-value]


@bp.post("/people/<int:user_id>/role")
@login_required
def set_person_role(user_id: int) -> Response | tuple[str, int]:
    me, target = user(), _person(user_id)
    try:
        roles = _chosen()
    except ValueError:
        return _page([f"Unknown role. Choose from: {', '.join(r.value for r in Role)}."], 422)
    return _saved(target, lambda: change_roles(db.session, me, target, roles))


@bp.post("/people/<int:user_id>/active")
@login_required
def set_person_active(user_id: int) -> Response | tuple[str, int]:
    """Deactivate (`active=0`) or reactivate (`active=1`): a deactivated person loses access at once."""
    me, target = user(), _person(user_id)
    return _saved(target, lambda: set_active(db.session, me, target, request.form.get("active") == "1"))


@bp.post("/people/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int) -> Response:
    """Revoke an API token (its owner, or an administrator of the organisation): it stops working at once."""
    if not 0 < token_id <= MAX_ID:
        raise UserFacingError(404, "Not found", "There is no such API token in your organization.")
    api_tokens.revoke(db.session, user(), token_id)
    db.session.commit()
    return redirect(url_for("web.people_page"))  # type: ignore[return-value]


@bp.post("/people/invite")
@login_required
def invite_person() -> Response | tuple[str, int]:
    """Invite someone into the active organisation (administrators): a member now if RevRX knows them,
    else at their next sign-in. A refusal (already a member, not an address) is shown on the page."""
    me = user()
    try:
        roles = {Role(value) for value in request.form.getlist("roles")}
    except ValueError:
        return _page([f"Unknown role. Choose from: {', '.join(r.value for r in Role)}."], 422)
    try:
        members.invite(db.session, me, roles, email=request.form.get("email"),
                       fhir_user=request.form.get("fhir_user"))
    except UserFacingError as err:
        if err.status not in (409, 422):
            raise
        db.session.rollback()
        return _page([err.message], err.status)
    db.session.commit()
    return redirect(url_for("web.people_page") + "#invite")  # type: ignore[return-value]


@bp.post("/people/<int:user_id>/remove")
@login_required
def remove_person(user_id: int) -> Response | tuple[str, int]:
    """Take an invited member out of the active organisation (administrators)."""
    me, target = user(), _person(user_id)
    return _saved(target, lambda: members.remove(db.session, me, target))


@bp.post("/people/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(invitation_id: int) -> Response:
    if not 0 < invitation_id <= MAX_ID:
        raise UserFacingError(404, "Not found", "There is no such invitation in your organization.")
    members.withdraw(db.session, user(), invitation_id)
    db.session.commit()
    return redirect(url_for("web.people_page") + "#invite")  # type: ignore[return-value]
