"""How an approval reaches the EHR for one encounter: through an EHR launch, or through the FHIR
connection that synced it (batch-synced encounters have no launch at all).

Which one: the approver's own launch that opened the encounter (a clinician approving in context
writes as themselves); else the encounter's connection when it is active and the organisation's (a
coder working synced work); else the approver's newest own launch of that EHR (a coder signed in
standalone). Never another person's launch: a token is used only for the person it was
issued to. Nothing else: such an encounter cannot be written back, and the plan says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.ehr_access.destination import Destination, from_connection, from_launch
from smartapp.ehr_access.launch_tokens import RelaunchRequired
from smartapp.fhir.client import FhirClient
from smartapp.models import Encounter, FhirConnection, LaunchSession, User

if TYPE_CHECKING:   # the facade calls in here; only its type is needed
    from smartapp.ehr_access.access import EhrAccess


@dataclass(frozen=True)
class Route:
    destination: Destination | None
    opener: Callable[[], FhirClient] | None = None

    def client(self) -> FhirClient:
        """An authenticated, audited client (raises RelaunchRequired or FhirError when it cannot)."""
        if self.opener is None:
            raise RelaunchRequired("no EHR session or connection for this encounter")
        return self.opener()


def route_for(access: EhrAccess, session: Session, encounter: Encounter, user: User) -> Route:
    launch = opening_launch(session, encounter, user)
    connection = _connection(session, encounter) if launch is None else None
    if connection is not None:
        def open_connection() -> FhirClient:
            return access.for_connection(session, connection, actor=user, encounter_id=encounter.id)
        return Route(from_connection(connection), open_connection)
    launch = launch or newest_launch(session, encounter, user)
    reg = access.registry.by_id(launch.registration_id) if launch is not None else None
    if launch is not None and reg is not None:
        return _via_launch(access, session, encounter, user, launch, from_launch(launch, reg))
    return Route(None)   # nobody else's launch: the plan says to launch RevRX from the EHR


def _connection(session: Session, encounter: Encounter) -> FhirConnection | None:
    """The organisation's active connection the encounter came by, if any."""
    connection = (session.get(FhirConnection, encounter.fhir_connection_id)
                  if encounter.fhir_connection_id is not None else None)
    if connection is None or not connection.active or connection.organization_id != encounter.organization_id:
        return None
    return connection


def opening_launch(session: Session, encounter: Encounter, user: User | None) -> LaunchSession | None:
    """The launch that opened the encounter, when it is `user`'s own and live."""
    opened = session.get(LaunchSession, encounter.launch_session_id) if encounter.launch_session_id else None
    if opened is None or user is None or opened.user_id != user.id or opened.revoked_at is not None:
        return None
    return opened


def newest_launch(session: Session, encounter: Encounter, user: User | None) -> LaunchSession | None:
    """`user`'s newest live launch of the encounter's EHR (a coder's standalone sign-in, say)."""
    if user is None or encounter.source_system is None or encounter.organization_id != user.organization_id:
        return None
    return session.scalars(select(LaunchSession).where(
        LaunchSession.user_id == user.id, LaunchSession.issuer == encounter.source_system,
        LaunchSession.revoked_at.is_(None)).order_by(LaunchSession.id.desc()).limit(1)).first()


def _via_launch(access: EhrAccess, session: Session, encounter: Encounter, user: User, launch: LaunchSession,
                destination: Destination) -> Route:
    def open_launch() -> FhirClient:
        return access.for_launch(session, launch, actor=user, encounter_id=encounter.id,
                                 organization_id=encounter.organization_id)
    return Route(destination, open_launch)
