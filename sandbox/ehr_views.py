"""The EHR pages: patient list with encounters and a Launch RevRX button, the encounter page that
embeds RevRX in an iframe, the list of Claims written back, and the SMART style sheet.

`GET /ehr/launch/<encounter_id>` is the EHR launch: it stores a launch context (patient, encounter,
user = the encounter's practitioner, one hour) and sends the browser to
`{registration.launch_url}?iss={FHIR base}&launch={id}` (`&` when launch_url has a query already).
`?client=<registration id or client id>` on the home page, the launch and the encounter page picks
another registration for this EHR (public, symmetric, asymmetric clients side by side); without it
the first registration in launch.json is used.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request

from sandbox.clients import SandboxClient
from sandbox.db import get_db
from sandbox.ehr_data import claim_rows, encounter_detail, matches, patients_with_encounters
from sandbox.launch import create_launch
from sandbox.search_params import values_at
from sandbox.services import services
from sandbox.store import ResourceStore

bp = Blueprint("ehr", __name__)

SMART_STYLE = {
    "color_background": "#f4f6f8",
    "color_error": "#b3261e",
    "color_highlight": "#2f6fdb",
    "color_modal_backdrop": "rgba(0, 0, 0, 0.4)",
    "color_success": "#2e7d32",
    "color_text": "#1d2733",
    "dim_border_radius": "6px",
    "dim_font_size": "14px",
    "dim_spacing_size": "16px",
    "font_family_body": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "font_family_heading": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "font_family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
}

PATIENTS_PER_PAGE = 10   # the home page had all 80-odd patients on one 13,000 px page


def _client() -> SandboxClient:
    svc = services()
    wanted = request.args.get("client")
    if wanted:
        for client in svc.clients.values():
            if wanted in {client.client_id, client.registration.id}:
                return client
        abort(404, description=f"no registration {wanted!r} for this EHR")
    first = svc.first_client()
    if first is None:
        abort(503, description="launch.json has no registration for this EHR's FHIR base")
    return first


def launch_url(encounter_id: str) -> str:
    """Create a launch context for the encounter and return the app URL to send the browser to (as the
    practitioner `?as=` names, else the encounter's own)."""
    conn = get_db()
    encounter = ResourceStore(conn).get("Encounter", encounter_id)
    if encounter is None:
        abort(404, description=f"Encounter {encounter_id} not found")
    refs = [r.get("reference", "") for r in values_at(encounter, "participant.individual")]
    # `?as=<Practitioner id>`: someone other than the encounter's practitioner opens it (an ED encounter
    # opened by the primary-care physician); else the encounter's own practitioner.
    user = request.args.get("as") or next((r.partition("/")[2] for r in refs if r.startswith("Practitioner/")),
                                          None)
    if user is None:
        abort(409, description="this encounter has no practitioner to launch as")
    patient = str(encounter.get("subject", {}).get("reference", "")).partition("/")[2] or None
    client = _client()
    svc = services()
    ctx = create_launch(conn, client.client_id, user, patient, encounter_id, svc.config.launch_ttl)
    base = client.registration.launch_url
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'iss': svc.config.fhir_base, 'launch': ctx.id})}"


def client_choices() -> list[tuple[str, str, str]]:
    """(registration id, name, client auth) of every client, the default (first) one first."""
    return [(c.registration.id, c.registration.name, c.registration.client_auth)
            for c in services().clients.values() if c.registration.launch_url]


@bp.get("/")
def home() -> str:
    store = ResourceStore(get_db())
    chosen = request.args.get("client") or None
    if chosen is not None:
        _client()   # 404 for a client this EHR does not know
    query = (request.args.get("q") or "").strip()[:200]
    found = [p for p in patients_with_encounters(store) if not query or matches(p, query)]
    pages = max(1, -(-len(found) // PATIENTS_PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    shown = found[(page - 1) * PATIENTS_PER_PAGE:page * PATIENTS_PER_PAGE]
    return render_template("home.html", patients=shown, total=len(found), page=page, pages=pages, q=query,
                           clients=client_choices(), client=chosen)


@bp.get("/ehr/launch/<encounter_id>")
def launch(encounter_id: str) -> Any:
    return redirect(launch_url(encounter_id), code=302)


@bp.get("/ehr/encounter/<encounter_id>")
def encounter_page(encounter_id: str) -> str:
    detail = encounter_detail(ResourceStore(get_db()), encounter_id)
    if detail is None:
        abort(404, description=f"Encounter {encounter_id} not found")
    return render_template("encounter.html", **detail, client=request.args.get("client"))


@bp.get("/ehr/claims")
def claims() -> str:
    return render_template("claims.html", claims=claim_rows(ResourceStore(get_db())))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """No icon; answer 204 so browsers (and console-error checks in browser tests) see no 404."""
    return Response(status=204)


@bp.get("/ehr/smart-style.json")
def smart_style() -> Response:
    return jsonify(SMART_STYLE)
