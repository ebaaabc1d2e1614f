"""OAuth endpoints: /oauth/authorize (EHR and standalone launch), /oauth/token, /oauth/revoke,
/oauth/jwks.

EHR launch: the clinician is already signed into the EHR, so a valid `launch` is approved at once as
the user stored in the launch context. Standalone launch: a sign-in and patient-picker page (choose
the practitioner you are, the patient when `launch/patient` was asked, the encounter when
`launch/encounter` was asked), with Approve and Deny. Errors redirect back to the client
(`error`, `error_description`, `state`) only once the client and its redirect_uri are known to be
valid; otherwise an error page is shown, as RFC 6749 section 4.1.2.1 requires.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, jsonify, render_template, request

from sandbox.db import get_db
from sandbox.ehr_data import encounter_rows, patient_choices, practitioner_choices
from sandbox.oauth_models import AuthorizedUser
from sandbox.scopes import has
from sandbox.services import services
from sandbox.store import ResourceStore

bp = Blueprint("oauth", __name__, url_prefix="/oauth")
PICKER_FIELDS = {"decision", "practitioner", "patient", "encounter"}


def _error_page(err: OAuth2Error) -> tuple[str, int]:
    return render_template("oauth_error.html", error=err.error, description=err.description), 400


@bp.route("/authorize", methods=["GET", "POST"])
def authorize() -> Any:
    server = services().auth_server
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as err:
        if err.redirect_uri:
            return server.handle_error_response(None, err)
        return _error_page(err)

    ctx = grant.launch_context
    if ctx is not None:
        user = AuthorizedUser(ctx.user_id, ctx.patient_id, ctx.encounter_id)
        return server.create_authorization_response(grant=grant, grant_user=user)

    scope = grant.request.scope or ""
    wants = {"patient": has(scope, "launch/patient"), "encounter": has(scope, "launch/encounter")}
    decision = request.form.get("decision")
    if decision is None:
        return _picker(grant, wants, problem=None)
    if decision != "approve":
        return server.create_authorization_response(grant=grant, grant_user=None)
    picked, problem = _picked_user(wants)
    if picked is None:
        return _picker(grant, wants, problem=problem), 400
    return server.create_authorization_response(grant=grant, grant_user=picked)


def _picker(grant: Any, wants: dict[str, bool], problem: str | None) -> str:
    store = ResourceStore(get_db())
    return render_template(
        "authorize.html",
        client=grant.request.client.registration,
        scopes=(grant.request.scope or "").split(),
        wants=wants,
        practitioners=practitioner_choices(store),
        patients=patient_choices(store),
        encounters=encounter_rows(store) if wants["encounter"] else [],
        problem=problem,
        form=request.form,
        # The original request travels as hidden fields, so a POSTed authorize request
        # (SMART authorize-post) survives the picker as well as a GET one.
        oauth_params=[(k, v) for k, v in request.values.items(multi=True) if k not in PICKER_FIELDS],
    )


def _picked_user(wants: dict[str, bool]) -> tuple[AuthorizedUser | None, str]:
    store = ResourceStore(get_db())
    practitioner = request.form.get("practitioner", "")
    patient = request.form.get("patient") or None
    encounter = request.form.get("encounter") or None
    if not practitioner or store.get("Practitioner", practitioner) is None:
        return None, "Choose who you are."
    if encounter:
        found = store.get("Encounter", encounter)
        subject = (found or {}).get("subject", {}).get("reference", "")
        if found is None:
            return None, "That encounter does not exist."
        if patient and subject != f"Patient/{patient}":
            return None, "That encounter belongs to another patient."
        patient = subject.partition("/")[2] or patient
    if wants["patient"] and (not patient or store.get("Patient", patient) is None):
        return None, "Choose a patient."
    return AuthorizedUser(practitioner, patient, encounter), ""


@bp.post("/token")
def token() -> Any:
    if services().faults.state.token_500:
        body = {"error": "server_error", "error_description": "Injected fault: token endpoint failure"}
        return jsonify(body), 500
    return services().auth_server.create_token_response()


@bp.post("/revoke")
def revoke() -> Any:
    return services().auth_server.create_endpoint_response("revocation")


@bp.get("/jwks")
def jwks() -> Response:
    return jsonify(services().signer.jwks())
