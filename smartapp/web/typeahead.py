"""ICD-10-CM typeahead: a small ARIA listbox of billable codes for what the person typed.

The code set and its word index take a few seconds to load, so the web process warms them in the
background at start (and the review page asks again, once per process, in case start-up skipped it);
a search that arrives during the warm-up waits for it instead of loading a second copy.
"""

from __future__ import annotations

import re
import threading

from flask import render_template, request
from flask.blueprints import BlueprintSetupState
from flask_login import login_required

from smartapp.coding.codesets import icd10cm
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user

LIMIT = 8
_ID = re.compile(r"^[A-Za-z][\w-]{0,60}$")
_warmed = threading.Event()
_loading = threading.Lock()


def _warm() -> None:
    with _loading:
        icd10cm.warm()


def warm_code_set() -> None:
    if _warmed.is_set():
        return
    _warmed.set()
    threading.Thread(target=_warm, name="icd10cm-warm", daemon=True).start()


@bp.record_once
def _warm_at_start(state: BlueprintSetupState) -> None:
    if not state.app.config.get("TESTING"):
        warm_code_set()


@bp.get("/encounters/<int:encounter_id>/codes/search")
@login_required
def code_search(encounter_id: int) -> str:
    encounter_for_user(encounter_id)   # the organization check, like every encounter URL
    query = (request.args.get("code") or request.args.get("q") or "").strip()[:60]
    listbox = request.args.get("list", "code-options")
    listbox = listbox if _ID.match(listbox) else "code-options"
    category = request.args.get("category", "diagnosis")
    options: list[tuple[str, str]] = []
    if category == "diagnosis" and len(query) >= 2:
        with _loading:   # during the warm-up: wait for it rather than load twice
            options = icd10cm.search(query, LIMIT)
    return render_template("partials/_code_options.html", options=options, query=query, listbox=listbox,
                           category=category)
