"""How an approval reaches the EHR for one encounter: through an EHR launch, or through the FHIR
connection that synced it (batch-synced encounters have no launch at all).

Which one: the approver's own launch first (a clinician approving in context writes as themselves);
then the encounter's connection when it is active and the organisation's (a coder working synced
work); then any launch of the encounter (a coder approving what a clinician launched). Nothing
else: such an encounter cannot be written back, and the plan says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    launch = session.get(LaunchSession, encounter.launch_session_id) if encounter.launch_session_id else None
    reg = access.registry.by_id(launch.registration_id) if launch is not None else None
    if launch is not None and reg is not None and launch.user_id == user.id and launch.revoked_at is None:
        return _via_launch(access, session, encounter, user, launch, from_launch(launch, reg))
    connection = (session.get(FhirConnection, encounter.fhir_connection_id)
                  if encounter.fhir_connection_id is not None else None)
    if connection is not None and connection.active and connection.organization_id == encounter.organization_id:
        def open_connection() -> FhirClient:
            return access.for_connection(session, connection, actor=user, encounter_id=encounter.id)
        return Route(from_connection(connection), open_connection)
    if launch is not None and reg is not None:   # someone else's, or signed out: the client says "launch again"
        return _via_launch(access, session, encounter, user, launch, from_launch(launch, reg))
    return Route(None)


def _via_launch(access: EhrAccess, session: Session, encounter: Encounter, user: User, launch: LaunchSession,
                destination: Destination) -> Route:
    def open_launch() -> FhirClient:
        return access.for_launch(session, launch, actor=user, encounter_id=encounter.id,
                                 organization_id=encounter.organization_id)
    return Route(destination, open_launch)
