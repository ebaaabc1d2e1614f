"""A FhirClient for a launch: a fresh access token (refreshed if close to expiry) and an audit
record for every resource it touches. Used by the worker and by write-back alike."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.fhir.client import FhirClient
from smartapp.jobqueue import jobs
from smartapp.models import LaunchSession, User
from smartapp.smart.tokens import RelaunchRequired, access_token_for


def client_for_launch(
    session: Session, launch: LaunchSession | None, *, actor: User | None, encounter_id: int | None,
    organization_id: int | None, actor_name: str | None = None,
) -> FhirClient:
    if launch is None:
        raise RelaunchRequired("no EHR session for this encounter")
    settings = current_app.config["SETTINGS"]
    if jobs.redis is None:
        raise RuntimeError("Redis is not configured")
    token = access_token_for(launch, session=session, redis=jobs.redis,
                             registry=current_app.extensions["revrx.registry"],
                             margin_s=settings.token_refresh_margin_s)
    return FhirClient(
        launch.issuer, token, timeout=settings.fhir_timeout_s,
        on_access=audit.fhir_access_recorder(session, actor=actor, encounter_id=encounter_id,
                                             organization_id=organization_id, actor_name=actor_name),
    )
