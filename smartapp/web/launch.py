"""The SMART launch endpoints: /start (pick an EHR), /launch (EHR and standalone), /callback,
/launch/encounters (pick an encounter when the EHR gave only a patient), /logout, and the app's
public JWKS at /.well-known/jwks.json.

Views stay thin: launch_flow, discovery, Authlib sessions, identity and token storage do the work.
A launch that cannot go on shows a page that says why and stores nothing.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from redis import Redis

from smartapp import audit
from smartapp.ehr_access import signout
from smartapp.ehr_access.launch_tokens import RelaunchRequired
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.fhir.errors import FhirError
from smartapp.models import LaunchSession, User
from smartapp.runs.requests import request_coding
from smartapp.smart import client_keys, launch_flow, pending
from smartapp.smart.registry import Registry
from smartapp.smart.style import style_vars
from smartapp.sources.encounter_choice import belongs_to_patient, patient_encounters
from smartapp.sources.launched import upsert_launched_encounter
from smartapp.web.runtime import runtime
from smartapp.web.sessions import sign_in, sign_out

log = logging.getLogger(__name__)
bp = Blueprint("smart", __name__)

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,255}$")


def registry() -> Registry:
    return runtime().registry


def _redis() -> Redis:
    return runtime().redis


def _timeout() -> float:
    return float(runtime().settings.fhir_timeout_s)


@bp.get("/start")
def start() -> str:
    """Standalone launch: the coder picks an EHR (a registration) from the registry."""
    return render_template("start.html", registrations=list(registry()))


@bp.get("/launch")
def launch() -> Response:
    iss = request.args.get("iss", "").strip() or None
    wanted = (request.args.get("registration") or request.args.get("client") or "").strip() or None
    if not iss and not wanted:
        return redirect(url_for("smart.start"))  # type: ignore[return-value]
    reg = launch_flow.choose_registration(registry(), iss, wanted)
    begun = launch_flow.begin(reg, _redis(), launch=request.args.get("launch") or None, iss=iss, timeout=_timeout())
    response = redirect(begun.authorize_url)
    # This browser's proof for this state only (one cookie per pending launch: two launches do not
    # collide). Inside an EHR frame over https the cookie must be SameSite=None; Secure to come back.
    secure = runtime().settings.secure_cookies
    response.set_cookie(pending.cookie_name(begun.state), begun.binding, max_age=pending.TTL_S, path="/callback",
                        secure=secure, httponly=True, samesite="None" if secure else "Lax")
    return response  # type: ignore[return-value]


@bp.get("/callback")
def callback() -> Response:
    name = pending.cookie_name(request.args.get("state", ""))
    done = launch_flow.complete(db.session, _redis(), registry(), request.args.to_dict(), request.cookies.get(name),
                                timeout=_timeout())
    response = _after_sign_in(done)
    response.delete_cookie(name, path="/callback", secure=runtime().settings.secure_cookies, httponly=True,
                           samesite="None" if runtime().settings.secure_cookies else "Lax")
    return response


def _after_sign_in(done: launch_flow.Completed) -> Response:
    user, row, context = done.user, done.launch, done.context
    sign_in(user)   # a new server-side session; the cookie session (and its CSRF token) starts afresh
    session["launch_session_id"] = row.id
    audit.record(db.session, action="launch", actor=user, resource_type="Encounter" if context.encounter else None,
                 resource_id=context.encounter, detail=f"registration {done.registration.id}")
    style_vars(row.smart_style_url, row.issuer, row.token_endpoint)   # warm the cache off the page's path
    if context.encounter:
        return _open_encounter(user, row, context.encounter)
    db.session.commit()
    if context.patient:
        # The launch travels in the URL and the form, not only in the cookie: an EHR browser hosting
        # several RevRX tabs shares one cookie, and a picker opened for patient A must act for patient A.
        return redirect(url_for("smart.pick_encounter", launch=row.id))  # type: ignore[return-value]
    return redirect(url_for("web.home"))  # type: ignore[return-value]


def _open_encounter(user: User, row: LaunchSession, encounter_id: str) -> Response:
    encounter = upsert_launched_encounter(db.session, user=user, launch=row, encounter_id=encounter_id,
                                          patient_id=row.patient_id)
    request_coding(db.session, encounter, user=user, launch_session_id=row.id,
                   engine=runtime().settings.coding_engine)
    db.session.commit()   # the launch, its user, the encounter and its run together; then the job is queued
    return redirect(url_for("web.encounter", encounter_id=encounter.id))  # type: ignore[return-value]


def _launch_id(raw: str | None) -> int:
    """The launch a page names (its `launch` parameter), else the browser session's latest launch."""
    if raw:
        if not raw.isdigit():
            raise UserFacingError(400, "Unknown launch", "This page does not belong to a launch. Launch RevRX again.")
        return int(raw)
    return int(session.get("launch_session_id") or 0)


def _current_launch(raw: str | None) -> LaunchSession:
    row = db.session.get(LaunchSession, _launch_id(raw))
    if row is None or row.user_id != current_user.id or row.revoked_at is not None:
        raise RelaunchRequired("no live launch in this browser session")
    if not row.patient_id:
        raise UserFacingError(400, "No patient in context", "The EHR did not say which patient you chose. "
                              "Launch RevRX again and pick a patient.")
    return row


@bp.get("/launch/encounters")
@login_required
def pick_encounter() -> str:
    row = _current_launch(request.args.get("launch"))
    client = runtime().ehr.for_launch(db.session, row, actor=current_user, encounter_id=None,
                                      organization_id=current_user.organization_id)
    try:
        choices = patient_encounters(client, row.patient_id or "")
    except FhirError as err:
        db.session.commit()
        raise UserFacingError(502, "The EHR could not list the encounters", err.user_message) from err
    db.session.commit()   # the search was audited
    return render_template("pick_encounter.html", choices=choices, launch_id=row.id)


@bp.post("/launch/encounters")
@login_required
def choose_encounter() -> Response:
    # Required here: a choice posted without its launch could be applied to another tab's patient.
    if not request.form.get("launch"):
        raise UserFacingError(400, "Unknown launch", "This choice does not say which launch it belongs to. "
                              "Launch RevRX again.")
    row = _current_launch(request.form.get("launch"))
    encounter_id = request.form.get("encounter", "")
    if not _FHIR_ID.match(encounter_id):
        raise UserFacingError(400, "Choose an encounter", "Pick one of the patient's encounters.")
    client = runtime().ehr.for_launch(db.session, row, actor=current_user, encounter_id=None,
                                      organization_id=current_user.organization_id)
    if not belongs_to_patient(client, encounter_id, row.patient_id or ""):
        db.session.commit()
        raise UserFacingError(404, "Encounter not found", "That encounter does not belong to the patient you chose.")
    row.encounter_id = encounter_id
    return _open_encounter(current_user._get_current_object(), row, encounter_id)  # type: ignore[attr-defined]


@bp.post("/logout")
def logout() -> Response:
    row = db.session.get(LaunchSession, session.get("launch_session_id") or 0)
    if row is not None and current_user.is_authenticated and row.user_id == current_user.id:
        signout.revoke_launch(db.session, row, registry())
        db.session.commit()
    sign_out()
    return redirect(url_for("smart.start"))  # type: ignore[return-value]


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    """Our public keys for private_key_jwt: EHRs fetch this to verify our client assertions."""
    response = jsonify(client_keys.public_jwks(registry()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.app_errorhandler(RelaunchRequired)
def relaunch_required(err: RelaunchRequired) -> tuple[str, int]:
    db.session.rollback()
    log.info("relaunch required: %s", err)
    htmx = request.headers.get("HX-Request") == "true"
    return render_template("partials/_error.html" if htmx else "relaunch.html", status=401,
                           title="Launch RevRX again", message=RelaunchRequired.user_message), 401


@bp.app_context_processor
def ehr_style() -> dict[str, Any]:
    """The launching EHR's colours and fonts (smart_style_url) for base.html's :root."""
    launch_id = session.get("launch_session_id")
    if not launch_id or not current_user.is_authenticated:
        return {}
    row = db.session.get(LaunchSession, launch_id)
    if row is None or not row.smart_style_url:
        return {}
    return {"style_vars": style_vars(row.smart_style_url, row.issuer, row.token_endpoint)}
