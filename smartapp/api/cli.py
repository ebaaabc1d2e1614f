"""Command-line helpers for API access and operations (`flask --app wsgi <command>`).

    flask --app wsgi create-user --organization "Clinic" --role coder --name "Casey Coder"
    flask --app wsgi create-api-token 3            # prints the token once; only its hash is stored
    flask --app wsgi list-api-tokens 3             # id, name, expiry, last use, revoked
    flask --app wsgi revoke-api-token 12           # by the id list-api-tokens shows
    flask --app wsgi set-role 3 admin              # e.g. the first administrator of an organization
    flask --app wsgi deactivate-user 3             # signs them out everywhere; activate-user undoes it
    flask --app wsgi purge-expired                 # retention now (the workers also run it hourly)
"""

from __future__ import annotations

import uuid
from datetime import datetime

import click
from sqlalchemy import select

from smartapp.accounts import api_tokens, members
from smartapp.accounts.api_tokens import create_token
from smartapp.accounts.roles import change_roles, words
from smartapp.accounts.status import set_active
from smartapp.api import bp
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Organization, Role, User
from smartapp.runs import retention
from smartapp.web.runtime import runtime


@bp.cli.command("create-api-token")
@click.argument("user_id", type=int)
@click.option("--name", default="default", help="A label for the token (e.g. the script that uses it)")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Days it works (default API_TOKEN_DAYS)")
@click.option("--organization-id", type=int, default=None,
              help="The organisation the token acts in (default: the person's home organisation)")
def create_api_token(user_id: int, name: str, days: int | None, organization_id: int | None) -> None:
    """Create an API token for USER_ID and print it (it cannot be shown again)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise click.ClickException(f"no user with id {user_id}")
    if organization_id is not None and not user.act_in(organization_id):
        raise click.ClickException(f"user {user_id} is not a member of organization {organization_id}")
    click.echo(create_token(db.session, user, name=name[:100], days=days or runtime().settings.api_token_days))


@bp.cli.command("list-api-tokens")
@click.argument("user_id", type=int)
def list_api_tokens(user_id: int) -> None:
    """List USER_ID's API tokens (never the tokens themselves)."""
    for row in api_tokens.tokens_of(db.session, [user_id]):
        click.echo(f"{row.id}\t{row.name}\t{api_tokens.state(row)}\texpires {_when(row.expires_at)}"
                   f"\tlast used {_when(row.last_used_at)}")


@bp.cli.command("revoke-api-token")
@click.argument("token_id", type=int)
def revoke_api_token(token_id: int) -> None:
    """Revoke API token TOKEN_ID (the id list-api-tokens shows): it stops working at once."""
    try:
        row = api_tokens.revoke(db.session, None, token_id)
    except UserFacingError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(f"revoked token {row.id} ({row.name})")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


@bp.cli.command("create-user")
@click.option("--organization", "org_name", required=True, help="Organization name (made if missing)")
@click.option("--issuer", default=None, help="The EHR issuer of the organization, to join a launch tenant")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CODER.value)
@click.option("--name", "display_name", default="API user")
def create_user(org_name: str, issuer: str | None, role: str, display_name: str) -> None:
    """Create a user for API or batch work and print its id."""
    query = select(Organization).where(Organization.issuer == issuer) if issuer else \
        select(Organization).where(Organization.name == org_name, Organization.issuer.is_(None))
    organization = db.session.scalars(query).first()
    if organization is None:
        organization = Organization(name=org_name, issuer=issuer)
        db.session.add(organization)
        db.session.flush()
    user = User(organization_id=organization.id, issuer="revrx:local", fhir_user=f"local:{uuid.uuid4()}",
                display_name=display_name, role=Role(role))
    db.session.add(user)
    db.session.commit()
    click.echo(str(user.id))


@bp.cli.command("set-role")
@click.argument("user_id", type=int)
@click.argument("roles", nargs=-1, required=True, type=click.Choice([*(r.value for r in Role), "ehr"]))
def set_role(user_id: int, roles: tuple[str, ...]) -> None:
    """Give USER_ID (the #id on the People page) ROLES (one or more; "ehr": as the EHR says again);
    how the first administrator is made."""
    user = db.session.get(User, user_id)
    if user is None:
        raise click.ClickException(f"no user with id {user_id}")
    try:
        change_roles(db.session, None, user, None if "ehr" in roles else {Role(r) for r in roles})
    except UserFacingError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(f"{user.display_name or user_id}: {words(user.roles)}")


def _set_active(user_id: int, active: bool) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        raise click.ClickException(f"no user with id {user_id}")
    try:
        set_active(db.session, None, user, active)
    except UserFacingError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(f"{user.display_name or user_id}: {'active' if active else 'deactivated'}")


@bp.cli.command("deactivate-user")
@click.argument("user_id", type=int)
def deactivate_user(user_id: int) -> None:
    """Deactivate USER_ID: their sessions end and their API tokens and launches stop working at once."""
    _set_active(user_id, False)


@bp.cli.command("activate-user")
@click.argument("user_id", type=int)
def activate_user(user_id: int) -> None:
    """Reactivate USER_ID (they sign in again; their unexpired API tokens work again)."""
    _set_active(user_id, True)


@bp.cli.command("purge-expired")
def purge_expired() -> None:
    """Empty expired note text and remove expired uploaded originals (see smartapp/runs/retention.py)."""
    done = retention.purge_expired(db.session, runtime().storage)
    click.echo(f"removed {done.notes} note texts and {done.originals} uploaded originals")


@bp.cli.command("add-member")
@click.argument("organization_id", type=int)
@click.option("--email", default=None, help="Invite by e-mail (as the EHR's id_token gives it)")
@click.option("--fhir-user", default=None, help="Invite by EHR identity: the full FHIR reference of the person")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]), default=["coder"])
def add_member(organization_id: int, email: str | None, fhir_user: str | None, roles: tuple[str, ...]) -> None:
    """Make a person a member of ORGANIZATION_ID with ROLES (a person RevRX knows: at once; anyone else:
    at their next sign-in). Prints the user id, or "invited"."""
    if db.session.get(Organization, organization_id) is None:
        raise click.ClickException(f"no organization with id {organization_id}")
    try:
        done = members.invite(db.session, None, {Role(r) for r in roles}, email=email, fhir_user=fhir_user,
                              organization_id=organization_id)
    except UserFacingError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(str(done.id) if isinstance(done, User) else "invited")


@bp.cli.command("organization-id")
@click.argument("user_id", type=int)
def organization_id_of(user_id: int) -> None:
    """Print USER_ID's home organization id (for add-member)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise click.ClickException(f"no user with id {user_id}")
    click.echo(str(user.home_organization_id))
