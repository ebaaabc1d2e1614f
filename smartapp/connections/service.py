"""FHIR connections: create, change, describe (never the secret) and test.

Ownership is by organization: `connection_for()` answers 404 for an id that does not exist, that belongs
to another organization than the active one, or that is another person's private connection (only its
owner and the administrators see one). Changes need the admin or coder role; everybody in the
organization may look at its shared connections.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.access import (
    MANAGES_CONNECTIONS,
    why_not_manage_connection,
    why_not_manage_connections,
    why_not_share_connection,
)
from smartapp.ehr_access.destination import from_connection
from smartapp.errors import UserFacingError
from smartapp.fhir import outbound
from smartapp.fhir.service_auth import ServiceAuthError, generate_private_jwk, public_jwks
from smartapp.inputs import ConnectionCreate, ConnectionUpdate, SyncAuthType, missing_credentials
from smartapp.models import AuthType, FhirConnection, Role, SyncRun, User

MANAGERS = tuple(MANAGES_CONNECTIONS)   # kept for callers that list them; decisions ask smartapp.access
# What the add-connection form offers: the reads a sync needs, the Coverage a Claim needs, and a create
# scope for each write-back. An EHR grants what its registration allows; the rest are simply not given.
SUGGESTED_SCOPE = ("system/Encounter.rs system/Patient.rs system/Practitioner.r system/DocumentReference.rs "
                   "system/Composition.rs system/DiagnosticReport.rs system/Binary.r system/Coverage.rs "
                   "system/Claim.c system/ChargeItem.c system/Condition.c system/DocumentReference.c")
MAX_ID = 2**31 - 1   # larger path ids cannot exist (and overflow some databases' integers)


def require_manager(user: User, connection: FhirConnection | None = None) -> None:
    """403 unless `user`'s role manages connections and, given one, this one is theirs to change (the
    organisation's shared connections: administrators; a private one: its owner)."""
    why = why_not_manage_connections(user) if connection is None else why_not_manage_connection(user, connection)
    if why is not None:
        raise UserFacingError(403, "Not allowed", why)


Owned = TypeVar("Owned", FhirConnection, SyncRun)


def owned_row(session: Session, model: type[Owned], row_id: int, user: User, what: str) -> Owned:
    """The row if it exists and the user may see it: 404 otherwise, the same for another organisation's
    (no existence leak) and for another person's private connection (or a sync run of one)."""
    row = session.get(model, row_id) if 0 < row_id <= MAX_ID else None
    connection = row if isinstance(row, FhirConnection) else (
        session.get(FhirConnection, row.connection_id) if row is not None and row.connection_id else None)
    if row is None or row.organization_id != user.organization_id or \
            not user.is_member_of(user.organization_id) or \
            (connection is not None and not may_see_connection(user, connection)):
        raise UserFacingError(404, f"{what[0].upper()}{what[1:]} not found", f"There is no {what} with this id.")
    return row


def may_see_connection(user: User, connection: FhirConnection) -> bool:
    """The organisation's connections: everyone in it; a private one: its owner and the administrators."""
    return connection.organization_id == user.organization_id and (
        connection.owner_id is None or connection.owner_id == user.id or Role.ADMIN in user.roles)


def connection_for(session: Session, user: User, connection_id: int) -> FhirConnection:
    return owned_row(session, FhirConnection, connection_id, user, "FHIR connection")


def list_connections(session: Session, user: User) -> list[FhirConnection]:
    rows = session.scalars(select(FhirConnection).where(FhirConnection.organization_id == user.organization_id)
                           .order_by(FhirConnection.name, FhirConnection.id))
    return [c for c in rows if may_see_connection(user, c)]


def check_addresses(base_url: str | None, token_endpoint: str | None) -> None:
    """Refuse (422) URLs RevRX must not contact: loopback, private, link-local and metadata addresses
    and plain http, unless the operator allowed the host (OUTBOUND_ALLOWED_HOSTS). Checked again at
    every connect (the name may resolve differently later). One message for every refusal."""
    policy = outbound.configured()
    for url in (base_url, token_endpoint):
        if url:
            try:
                policy.check_url(url)
            except outbound.AddressRefused:
                raise UserFacingError(422, "Invalid connection", outbound.REFUSED_MESSAGE) from None


def create_connection(session: Session, user: User, data: ConnectionCreate) -> FhirConnection:
    require_manager(user)
    private = data.private if data.private is not None else Role.ADMIN not in user.roles
    if not private and why_not_share_connection(user) is not None:
        raise UserFacingError(403, "Not allowed", why_not_share_connection(user) or "")
    check_addresses(data.base_url, data.token_endpoint)
    secret = data.secret
    if data.auth_type == SyncAuthType.BACKEND_SERVICES and data.generate_key and not secret:
        secret = generate_private_jwk()
    if data.auth_type == SyncAuthType.BACKEND_SERVICES and secret:
        _check_key(secret)   # refuse a key we could not sign with, now rather than at the first sync
    connection = FhirConnection(
        organization_id=user.organization_id, created_by_id=user.id, owner_id=user.id if private else None,
        name=data.name, base_url=data.base_url,
        fhir_version=data.fhir_version, auth_type=AuthType(data.auth_type.value), client_id=data.client_id,
        secret=secret, token_endpoint=data.token_endpoint, scope=data.scope,
        active=True if data.active is None else data.active,
        writeback_preferences=_writeback_preferences({}, data.writeback, data.claim_status,
                                                     data.writeback_author, data.writeback_author_name),
    )
    session.add(connection)
    session.flush()
    audit.record(session, action="connection-create", actor=user, resource_type="FhirConnection",
                 resource_id=str(connection.id),
                 detail=f"{connection.auth_type.value} {'private' if private else 'shared'}")
    return connection


def _check_key(secret: str) -> None:
    try:
        public_jwks(secret)
    except ServiceAuthError as err:
        raise UserFacingError(422, "Invalid connection", err.user_message) from None


def update_connection(session: Session, user: User, connection: FhirConnection, data: ConnectionUpdate) -> None:
    require_manager(user, connection)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "base_url", "active"):
        if field in changes and changes[field] is None:
            raise UserFacingError(422, "Invalid connection", f"{field} cannot be empty.")
    if "auth_type" in changes and changes["auth_type"] is None:
        raise UserFacingError(422, "Invalid connection", "auth_type cannot be empty.")
    check_addresses(changes.get("base_url"), changes.get("token_endpoint"))
    for field, value in changes.items():
        if field == "secret" and not value:
            continue   # an empty secret in a form means "keep the stored one"
        if field in _PREFERENCES:
            continue
        setattr(connection, field, AuthType(value.value) if field == "auth_type" else value)
    if changes.keys() & {"base_url", "auth_type", "client_id", "secret", "token_endpoint", "scope"}:
        connection.granted_scope = None   # known again from the next token
    if changes.keys() & set(_PREFERENCES):
        connection.writeback_preferences = _writeback_preferences(
            connection.writeback_preferences or {}, changes.get("writeback"), changes.get("claim_status"),
            changes.get("writeback_author"), changes.get("writeback_author_name"))
    auth_type = SyncAuthType(connection.auth_type.value) if connection.auth_type != AuthType.SMART_LAUNCH else None
    problem = auth_type and missing_credentials(auth_type, connection.client_id, bool(connection.secret))
    if problem:
        raise UserFacingError(422, "Invalid connection", problem)
    if connection.auth_type == AuthType.BACKEND_SERVICES and connection.secret:
        _check_key(connection.secret)
    connection.updated_at = datetime.now(UTC)
    audit.record(session, action="connection-update", actor=user, resource_type="FhirConnection",
                 resource_id=str(connection.id), detail=",".join(sorted(changes))[:200])


_PREFERENCES = ("writeback", "claim_status", "writeback_author", "writeback_author_name")


def _writeback_preferences(current: dict[str, Any], strategies: Sequence[str] | None,
                           claim_status: str | None, author: str | None = None,
                           author_name: str | None = None) -> dict[str, Any]:
    """A new dict (SQLAlchemy notices a JSON column change only by assignment); None keeps a value."""
    prefs = dict(current)
    if author is not None:
        prefs["author"] = author
    if author_name is not None:
        prefs["author_name"] = author_name
    if strategies is not None:
        prefs["strategies"] = list(strategies)
    if claim_status is not None:
        prefs["claim_status"] = claim_status
    return prefs


def delete_connection(session: Session, user: User, connection: FhirConnection) -> None:
    require_manager(user, connection)
    audit.record(session, action="connection-delete", actor=user, resource_type="FhirConnection",
                 resource_id=str(connection.id))
    session.delete(connection)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def describe(connection: FhirConnection) -> dict[str, Any]:
    """The connection as the API shows it: everything but the secret."""
    jwks: dict[str, Any] | None = None
    destination = from_connection(connection)
    if connection.auth_type == AuthType.BACKEND_SERVICES and connection.secret:
        try:
            jwks = public_jwks(connection.secret)
        except ServiceAuthError:
            jwks = None
    return {
        "id": connection.id, "name": connection.name, "base_url": connection.base_url,
        "fhir_version": connection.fhir_version, "auth_type": connection.auth_type.value,
        "sharing": "organization" if connection.owner_id is None else "private",
        "owner_id": connection.owner_id,
        "owner_name": connection.owner.display_name if connection.owner is not None else None,
        "client_id": connection.client_id, "token_endpoint": connection.token_endpoint, "scope": connection.scope,
        "granted_scope": connection.granted_scope,
        "active": connection.active, "has_secret": bool(connection.secret), "public_jwks": jwks,
        "writeback": list(destination.preferences), "claim_status": destination.claim_status,
        "writeback_author": destination.system_author_ref, "writeback_author_name": destination.system_author_name,
        "last_sync_at": _iso(connection.last_sync_at), "last_error": connection.last_error,
        "created_at": _iso(connection.created_at), "updated_at": _iso(connection.updated_at),
    }
