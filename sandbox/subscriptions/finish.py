"""Finishing an encounter, as a clinician closing a visit in the EHR: the change subscriptions fire on.

- `GET /ehr/encounter/<id>/finish`: the encounter's status and a "Finish encounter" button;
  `POST` finishes it (status `finished`, `period.end` now) and shows the page again.
(`POST /_admin/encounters/<id>/finish`, in sandbox/ehr_events.py, does the same for tests and benchmarks.)
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template_string

from sandbox.db import get_db, transaction
from sandbox.services import services
from sandbox.store import ResourceStore, now_instant
from sandbox.subscriptions.store import record_change

bp = Blueprint("subscriptions_ehr", __name__)

PAGE = """{% extends "base.html" %}
{% block title %}Finish encounter {{ e.id }} · Sandbox EHR{% endblock %}
{% block content %}
<section class="panel" style="padding:12px 14px">
  <h1>Encounter {{ e.id }}</h1>
  <p>Status: <b data-testid="encounter-status">{{ e.status }}</b>{% if events %} · {{ events }} subscription
  event(s) recorded{% endif %}</p>
  {% if e.status != 'finished' %}
  <form method="post">
    <button class="button" type="submit" data-testid="finish-encounter">Finish encounter</button>
  </form>
  {% endif %}
  <p><a href="{{ url_for('ehr.home') }}">Back to patients</a></p>
</section>
{% endblock %}"""


def finish(encounter_id: str) -> tuple[dict[str, object], int]:
    """Set the encounter finished (a no-op when it is); returns it and how many events it made."""
    conn = get_db()
    store = ResourceStore(conn)
    with transaction(conn, immediate=True):
        before = store.get("Encounter", encounter_id)
        if before is None:
            abort(404, description=f"Encounter {encounter_id} not found")
        if before.get("status") == "finished":
            return before, 0
        after = {**before, "status": "finished",
                 "period": {**(before.get("period") or {}), "end": now_instant()}}
        stored, _ = store.put(after)
        made = record_change(conn, before, stored, services().config.fhir_base)
    return stored, made


@bp.get("/ehr/encounter/<encounter_id>/finish")
def finish_page(encounter_id: str) -> str:
    found = ResourceStore(get_db()).get("Encounter", encounter_id)
    if found is None:
        abort(404, description=f"Encounter {encounter_id} not found")
    return render_template_string(PAGE, e=found, events=0)


@bp.post("/ehr/encounter/<encounter_id>/finish")
def finish_now(encounter_id: str) -> str:
    encounter, made = finish(encounter_id)
    return render_template_string(PAGE, e=encounter, events=made)
