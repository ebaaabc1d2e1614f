"""Dev and test endpoints under /_admin. No authentication: a dev tool, never for production.

- `GET /_admin/health` -> {"ok": true}
- `GET /_admin/resources/<Type>` -> JSON list of every resource of that type
- `GET|POST|DELETE /_admin/faults` -> read, merge or clear fault switches (see `faults.py`)
- `POST /_admin/tokens` {"scope", "patient", "encounter", "user", "client_id"} -> a token response
  minted without the browser dance, for tests of FHIR clients
- `POST /_admin/launch` {"encounter": "e001"} -> {"iss", "launch", "url"}: an EHR launch as JSON
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from sandbox.db import get_db
from sandbox.ehr_views import launch_url
from sandbox.faults import FaultError
from sandbox.oauth_models import AuthorizedUser, expire_access_tokens, save_token
from sandbox.services import services
from sandbox.store import ResourceStore

bp = Blueprint("admin", __name__, url_prefix="/_admin")


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.get("/health")
def health() -> Response:
    return jsonify(ok=True)


@bp.get("/resources/<rtype>")
def resources(rtype: str) -> Response:
    return jsonify(ResourceStore(get_db()).all_of_type(rtype))


@bp.get("/faults")
def get_faults() -> Response:
    return jsonify(services().faults.state.as_json())


def single_process_only() -> tuple[Response, int] | None:
    """A 409 when the sandbox runs several server processes: switches kept in one process's memory
    would hold for some requests and not others (sandbox/server.py)."""
    if current_app.config.get("SANDBOX_PROCESSES", 1) > 1:
        return jsonify(error="this switch needs a single-process sandbox (python -m sandbox --processes 1)"), 409
    return None


@bp.post("/faults")
def set_faults() -> tuple[Response, int]:
    if (refused := single_process_only()) is not None:
        return refused
    faults = services().faults
    try:
        expire = faults.apply(_json_body())
    except (FaultError, TypeError, ValueError) as err:
        return jsonify(error=str(err)), 400
    body = faults.state.as_json()
    if expire:
        body["expired_tokens"] = expire_access_tokens(get_db())
    return jsonify(body), 200


@bp.delete("/faults")
def clear_faults() -> Response:
    services().faults.clear()
    return jsonify(services().faults.state.as_json())


@bp.post("/tokens")
def mint_token() -> tuple[Response, int]:
    svc = services()
    body = _json_body()
    client = svc.clients.get(str(body.get("client_id"))) if body.get("client_id") else svc.first_client()
    if client is None:
        return jsonify(error="unknown client"), 400
    user = AuthorizedUser(str(body.get("user", "pr001")), body.get("patient"), body.get("encounter"),
                          body.get("nonce"))
    scope = str(body.get("scope") or client.registration.scope)
    token: dict[str, Any] = svc.auth_server.generate_token(
        grant_type="authorization_code", client=client, user=user, scope=scope,
        include_refresh_token=True,
    )
    token["scope"] = scope  # a test tool: grant exactly what was asked, registered or not
    if body.get("expires_in") is not None:
        token["expires_in"] = int(body["expires_in"])
    save_token(get_db(), token, client.client_id, user, None, svc.config.refresh_token_ttl)
    return jsonify(token), 200


@bp.post("/launch")
def make_launch() -> Response:
    encounter = str(_json_body().get("encounter", ""))
    url = launch_url(encounter)
    launch_id = url.rpartition("launch=")[2]
    return jsonify(iss=services().config.fhir_base, launch=launch_id, url=url)
