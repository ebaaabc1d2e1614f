"""A FhirClient for a launch: a fresh access token (refreshed if close to expiry), one refresh-and-retry
when the EHR answers 401 before the token's stated expiry, and an audit record for every resource it
touches. Used by the worker, the encounter picker and write-back alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from redis import Redis
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.ehr_access.concurrency import OriginSlots
from smartapp.ehr_access.launch_tokens import RelaunchRequired, access_token_for, refresh_rejected_token
from smartapp.fhir import capabilities
from smartapp.fhir.client import FhirClient
from smartapp.models import LaunchSession, User
from smartapp.smart import scopes
from smartapp.smart.registry import Registry


class ReauthSession(requests.Session):
    """Retries a request once with a refreshed token when the EHR says 401 to ours.

    FhirClient builds the Authorization header from the token it was given; after a refresh this
    session swaps the stale token for the new one on every later request too. A refresh that fails
    raises RelaunchRequired, which every caller already turns into "launch RevRX again".
    """

    def __init__(self, token: str, refresher: Callable[[str], str]) -> None:
        super().__init__()
        self._current = token
        self._replaced: set[str] = set()
        self._refresher = refresher

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        headers = dict(kwargs.pop("headers", None) or {})
        sent = self._bearer(headers)
        if sent in self._replaced:
            headers["Authorization"] = f"Bearer {self._current}"
            sent = self._current
        kwargs["headers"] = headers
        response = super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]
        if response.status_code != 401 or sent is None:
            return response
        response.close()
        fresh = self._refresher(sent)
        if fresh == sent:
            raise RelaunchRequired("the EHR refused the access token")
        self._replaced.add(sent)
        self._current = fresh
        headers["Authorization"] = f"Bearer {fresh}"
        return super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def _bearer(headers: dict[str, Any]) -> str | None:
        value = str(headers.get("Authorization") or "")
        return value[7:] if value.startswith("Bearer ") else None


def client_for_launch(
    session: Session, launch: LaunchSession | None, *, registry: Registry, redis: Redis, timeout_s: float,
    refresh_margin_s: int, actor: User | None, encounter_id: int | None, organization_id: int | None,
    actor_name: str | None = None, max_concurrency: int = 0,
) -> FhirClient:
    # The issuer is a registration from launch.json (operator configuration), so the outbound address
    # policy for typed-in connection URLs does not apply; the limit on concurrent requests does.
    if launch is None:
        raise RelaunchRequired("no EHR session for this encounter")
    reg = registry.by_id(launch.registration_id)
    token = access_token_for(launch, session=session, redis=redis, registry=registry, margin_s=refresh_margin_s)

    def refresher(stale: str) -> str:
        return refresh_rejected_token(launch, stale, session=session, redis=redis, registry=registry)

    return FhirClient(
        launch.issuer, token, timeout=timeout_s, session=ReauthSession(token, refresher),
        gate=OriginSlots(redis, launch.issuer, max_concurrency).hold,
        may_search=scopes.searcher(launch.scope), batch_reads=reg.batch_reads if reg else True,
        capability_cache=capabilities.SHARED,
        on_access=audit.fhir_access_recorder(session, actor=actor, encounter_id=encounter_id,
                                             organization_id=organization_id, actor_name=actor_name),
    )
