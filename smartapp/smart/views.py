"""The SMART launch endpoints: /launch (EHR and standalone), /callback, /start (pick an EHR), /logout.

Views stay thin: registry, discovery, Authlib sessions, identity and token storage do the work.
A launch that cannot go on shows a page that says why and stores nothing.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import select

from smartapp import audit
from smartapp.errors import UserFacingError
from smartapp.extensions import db, jobs
from smartapp.ingest.coding_requests import request_coding
from smartapp.ingest.launched import upsert_launched_encounter
from smartapp.models import LaunchSession, Organization, Role, User
from smartapp.smart import oauth_client, pending
from smartapp.smart.context import LaunchContext, parse_context
from smartapp.smart.discovery import DiscoveryError, discover
from smartapp.smart.identity import Identity, IdentityError, verify_id_token
from smartapp.smart.registry import Registration, Registry
from smartapp.smart.tokens import expires_at_from

log = logging.getLogger(__name__)
bp = Blueprint("smart", __name__)

RELAUNCH = "Launch RevRX again from the EHR."


def registry() -> Registry:
    reg: Registry = current_app.extensions["revrx.registry"]
    return reg


def _redis() -> Any:
    return jobs.redis


@bp.get("/start")
def start() -> str:
    """Standalone launch: the coder picks an EHR from the registry."""
    return render_template("start.html", registrations=list(registry()))


@bp.get("/launch")
def launch() -> Response:
    iss = request.args.get("iss", "").strip()
    if not iss:
        return redirect(url_for("smart.start"))  # type: ignore[return-value]
    reg = registry().by_iss(iss)
    if reg is None:
        # No outbound request to an issuer we do not know: it could be anyone's server.
        raise UserFacingError(400, "Unknown EHR", "This EHR is not registered with RevRX. Ask your "
                              "administrator to add it to launch.json.")
    try:
        config = discover(reg.iss)
    except DiscoveryError as err:
        log.warning("discovery failed for registration %s: %s", reg.id, err)
        raise UserFacingError(502, "The EHR did not answer", f"RevRX could not read the EHR's SMART "
                              f"configuration. {RELAUNCH}") from err
    state, verifier, nonce = pending.new_state(), oauth_client.new_code_verifier(), secrets.token_urlsafe(16)
    launch_id = request.args.get("launch") or None
    pending.put(_redis(), state, pending.PendingLaunch(
        registration_id=reg.id, iss=reg.iss, code_verifier=verifier, nonce=nonce, launch=launch_id,
        authorization_endpoint=config.authorization_endpoint, token_endpoint=config.token_endpoint,
        jwks_uri=config.jwks_uri, revocation_endpoint=config.revocation_endpoint,
    ))
    url = oauth_client.authorization_url(
        reg, config.authorization_endpoint, state=state, code_verifier=verifier, nonce=nonce,
        iss=reg.iss, launch=launch_id,
    )
    return redirect(url)  # type: ignore[return-value]


def _find_user(reg: Registration, identity: Identity | None, launch_id: str | None) -> User:
    s = db.session
    org = s.scalar(select(Organization).where(Organization.issuer == reg.iss))
    if org is None:
        org = Organization(name=reg.name, issuer=reg.iss)
        s.add(org)
        s.flush()
    fhir_user = identity.fhir_user if identity else f"{reg.iss}/anonymous"
    user = s.scalar(select(User).where(User.issuer == reg.iss, User.fhir_user == fhir_user))
    if user is None:
        # A practitioner launching from inside the EHR is a clinician; standalone users code.
        role = Role.CLINICIAN if launch_id else Role.CODER
        if identity and identity.resource_type not in ("Practitioner", "PractitionerRole"):
            role = Role.READ_ONLY
        user = User(organization_id=org.id, issuer=reg.iss, fhir_user=fhir_user, role=role,
                    display_name=(identity.display_name if identity else "") or fhir_user.rsplit("/", 2)[-2:][-1])
        s.add(user)
        s.flush()
    user.last_login_at = datetime.now(UTC)
    return user


@bp.get("/callback")
def callback() -> Response:
    found = pending.take(_redis(), request.args.get("state", ""))
    if found is None:
        raise UserFacingError(400, "This sign-in link is no longer valid",
                              f"It has expired, was already used, or did not come from RevRX. {RELAUNCH}")
    reg = registry().by_id(found.registration_id)
    if reg is None:
        raise UserFacingError(400, "Unknown EHR", "This EHR is no longer registered with RevRX.")
    if request.args.get("error"):
        error = request.args["error"]
        message = ("Access was declined in the EHR, so RevRX cannot read this encounter."
                   if error == "access_denied" else f"The EHR refused the sign-in ({error}).")
        raise UserFacingError(403, "The EHR did not grant access", f"{message} {RELAUNCH}")
    code = request.args.get("code")
    if not code:
        raise UserFacingError(400, "The EHR sent no authorization code", RELAUNCH)
    try:
        token = oauth_client.exchange_code(reg, found.token_endpoint, code=code, code_verifier=found.code_verifier)
    except oauth_client.TokenRequestError as err:
        log.warning("token exchange failed for registration %s: %s", reg.id, err)
        raise UserFacingError(502, "Sign-in could not be completed", err.user_message) from err
    identity = None
    if token.get("id_token"):
        try:
            identity = verify_id_token(token["id_token"], jwks_uri=found.jwks_uri, issuer=reg.iss,
                                       client_id=reg.client_id, nonce=found.nonce)
        except IdentityError as err:
            log.warning("id_token rejected for registration %s: %s", reg.id, err)
            raise UserFacingError(401, "The EHR's identity token was not valid", f"{err}. {RELAUNCH}") from err
    elif "openid" in reg.scopes:
        raise UserFacingError(401, "The EHR did not say who you are", f"No id_token was returned. {RELAUNCH}")
    context = parse_context(token)
    user = _find_user(reg, identity, found.launch)
    launch_row = _store_launch(reg, found.token_endpoint, token, context, user)
    login_user(user)
    session["launch_session_id"] = launch_row.id
    audit.record(db.session, action="launch", actor=user, resource_type="Encounter" if context.encounter else None,
                 resource_id=context.encounter, detail=f"registration {reg.id}")
    if context.encounter:
        encounter = upsert_launched_encounter(db.session, user=user, launch=launch_row,
                                              encounter_id=context.encounter, patient_id=context.patient)
        db.session.commit()
        request_coding(db.session, encounter, user=user, launch_session_id=launch_row.id,
                       engine=current_app.config["SETTINGS"].coding_engine)
        return redirect(url_for("web.encounter", encounter_id=encounter.id))  # type: ignore[return-value]
    db.session.commit()
    return redirect(url_for("web.home"))  # type: ignore[return-value]


def _store_launch(reg: Registration, token_endpoint: str, token: dict[str, Any], context: LaunchContext,
                  user: User) -> LaunchSession:
    row = LaunchSession(
        user_id=user.id, registration_id=reg.id, issuer=reg.iss, token_endpoint=token_endpoint,
        access_token=token["access_token"], refresh_token=token.get("refresh_token"),
        id_token=token.get("id_token"), scope=token.get("scope") or reg.scope,
        expires_at=expires_at_from(token), patient_id=context.patient, encounter_id=context.encounter,
        need_patient_banner=context.need_patient_banner, smart_style_url=context.smart_style_url,
        intent=context.intent, tenant=context.tenant, context={"fhirContext": context.fhir_context},
    )
    db.session.add(row)
    db.session.flush()
    return row


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    session.clear()
    return redirect(url_for("smart.start"))  # type: ignore[return-value]
