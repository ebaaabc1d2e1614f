"""Dev and test switches of the authorization server side (no authentication: never for production).

- `POST /_admin/oauth/expire-codes` -> {"expired": n}: every unused authorization code expires now, so a
  test can show what the app does with an expired code (the token endpoint answers `invalid_grant`).
- `POST /_admin/oauth/revoke-all` -> {"revoked": n}: every access and refresh token stops working, as
  if the user's EHR session was ended by an administrator.
- `GET|POST|DELETE /_admin/oauth/context` -> how launch context appears in token responses, to imitate
  other EHRs: `{"need_patient_banner": false}` (the app should hide its banner), `{"encounter":
  "omit"}` (patient only, as EHRs without encounter context do) or `{"encounter": "fhirContext"}`
  (the encounter only as a SMART 2.x `fhirContext` reference). DELETE restores the defaults.

Token endpoint 500s and early access-token expiry are the general fault switches (`token_500`,
`expire_tokens`) in faults.py.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from sandbox.db import get_db
from sandbox.oauth_models import expire_codes

bp = Blueprint("oauth_admin", __name__, url_prefix="/_admin/oauth")
EXTENSION = "sandbox.context_switches"
ENCOUNTER_MODES = ("field", "omit", "fhirContext")


@dataclass
class ContextSwitches:
    need_patient_banner: bool = True
    encounter: str = "field"


_lock = threading.Lock()


def context_switches() -> ContextSwitches:
    with _lock:
        found = current_app.extensions.setdefault(EXTENSION, ContextSwitches())
        return ContextSwitches(**asdict(found))


@bp.post("/expire-codes")
def expire_all_codes() -> Response:
    return jsonify(expired=expire_codes(get_db()))


@bp.post("/revoke-all")
def revoke_all_tokens() -> Response:
    revoked = get_db().execute("UPDATE tokens SET revoked = 1, refresh_revoked = 1 WHERE revoked = 0").rowcount
    return jsonify(revoked=revoked)


@bp.get("/context")
def get_context() -> Response:
    return jsonify(asdict(context_switches()))


@bp.post("/context")
def set_context() -> tuple[Response, int]:
    from sandbox.admin import single_process_only

    if (refused := single_process_only()) is not None:
        return refused
    body: Any = request.get_json(silent=True) or {}
    current = asdict(context_switches())
    for key, value in dict(body).items():
        if key == "need_patient_banner":
            current[key] = bool(value)
        elif key == "encounter" and value in ENCOUNTER_MODES:
            current[key] = value
        else:
            return jsonify(error=f"unknown context switch {key}={value!r}"), 400
    with _lock:
        current_app.extensions[EXTENSION] = ContextSwitches(**current)
    return jsonify(current), 200


@bp.delete("/context")
def clear_context() -> Response:
    with _lock:
        current_app.extensions[EXTENSION] = ContextSwitches()
    return jsonify(asdict(ContextSwitches()))
