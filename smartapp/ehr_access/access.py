"""`EhrAccess`: the one way into an EHR. Asked for a launch, a FHIR connection or an encounter, it
answers with an authorized, audited FhirClient; asked for an encounter's write-back, with a `Route`
(where it goes, what was granted there, and the client that reaches it).

Built once per process, by the app factory and by the worker, from the settings, the registrations
and Redis; services receive it instead of reaching for the running app.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis
from sqlalchemy.orm import Session

from smartapp.ehr_access import connection_client, launch_client
from smartapp.ehr_access.launch_tokens import RelaunchRequired
from smartapp.ehr_access.routing import Route, newest_launch, opening_launch, route_for
from smartapp.fhir.client import FhirClient
from smartapp.fhir.service_auth import ServiceAuthError
from smartapp.models import Encounter, FhirConnection, LaunchSession, User
from smartapp.smart.registry import Registry


@dataclass(frozen=True)
class EhrAccess:
    registry: Registry
    redis: Redis
    timeout_s: float = 10.0
    refresh_margin_s: int = 120
    max_concurrency: int = 4   # requests open at once to one EHR origin, all processes together

    def for_launch(self, session: Session, launch: LaunchSession | None, *, actor: User | None,
                   encounter_id: int | None, organization_id: int | None,
                   actor_name: str | None = None) -> FhirClient:
        """The launch's client: its token refreshed when close to expiry, and once more on a 401.

        A launch's token works only for the person it was issued to, in their organisation: asked to
        act for anyone else (another user's work, another organisation's encounter) it refuses."""
        if launch is not None and (actor is None or launch.user_id != actor.id or (
                organization_id is not None and actor.organization_id != organization_id)):
            raise RelaunchRequired("an EHR session is used only by the person it was issued to")
        return launch_client.client_for_launch(
            session, launch, registry=self.registry, redis=self.redis, timeout_s=self.timeout_s,
            refresh_margin_s=self.refresh_margin_s, actor=actor, encounter_id=encounter_id,
            organization_id=organization_id, actor_name=actor_name, max_concurrency=self.max_concurrency)

    def for_connection(self, session: Session, connection: FhirConnection, *, actor: User | None,
                       encounter_id: int | None = None, actor_name: str | None = None,
                       fresh_token: bool = False, timeout_s: float | None = None) -> FhirClient:
        """The connection's client: a cached token (minted anew when `fresh_token`), or static credentials."""
        return connection_client.client_for_connection(
            session, connection, redis=self.redis, timeout_s=timeout_s or self.timeout_s,
            refresh_margin_s=self.refresh_margin_s, actor=actor, encounter_id=encounter_id,
            actor_name=actor_name, fresh_token=fresh_token, max_concurrency=self.max_concurrency)

    def forget_connection_token(self, connection: FhirConnection) -> None:
        connection_client.forget_token(self.redis, connection)

    def for_coding(self, session: Session, encounter: Encounter, launch: LaunchSession | None,
                   actor: User | None) -> FhirClient:
        """The client a coding run reads with, always the requester's own way in: the run's launch when
        it is theirs; else the organisation's connection a synced encounter came by; else their own
        launch of that EHR. Never someone else's launch."""
        own = launch if launch is not None and actor is not None and launch.user_id == actor.id else None
        if own is None and encounter.fhir_connection_id is None:
            own = opening_launch(session, encounter, actor) or newest_launch(session, encounter, actor)
        if own is None and encounter.fhir_connection_id is not None:
            connection = session.get(FhirConnection, encounter.fhir_connection_id)
            if connection is None or not connection.active or connection.organization_id != encounter.organization_id:
                raise ServiceAuthError(None, "The FHIR connection this encounter came from was removed or deactivated.")
            return self.for_connection(session, connection, actor=actor, encounter_id=encounter.id,
                                       actor_name="worker for sync")
        if own is None:
            raise RelaunchRequired("no EHR session of the requester for this encounter")
        return self.for_launch(session, own, actor=actor, encounter_id=encounter.id,
                               organization_id=encounter.organization_id,
                               actor_name=f"worker for user:{actor.id}" if actor else "worker")

    def route(self, session: Session, encounter: Encounter, user: User) -> Route:
        """How `user`'s approval of `encounter` reaches the EHR (see `routing`)."""
        return route_for(self, session, encounter, user)
