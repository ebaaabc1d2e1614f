"""Clinical events in the sandbox EHR that RevRX must notice without anyone clicking sync (dev and test).

- `POST /_admin/encounters/<id>/finish` {"copy": true} finishes an encounter: its status becomes
  `finished`, `period.end` now, and `meta.lastUpdated` moves (what `_lastUpdated` searches and Bulk Data
  `_since` see). With `copy`, a new encounter (and a copy of each of its notes) is made from `<id>` first
  and finished instead, so every call is an encounter RevRX has never seen (a new visit: it started today,
  the original's length ago). Works in every profile (the
  vendor profiles refuse Encounter create over FHIR; this is the EHR's own clinical workflow).
  Answers {"id": the finished encounter's id, "lastUpdated": …}.
- `POST /ehr/encounter/<id>/finish-new-visit`: the same with `copy`, from the EHR's patient list ("Finish a
  new visit"), as a clinician closing a visit would; back to the list, showing the new encounter.
"""

from __future__ import annotations

import copy as copying
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, request, url_for

from sandbox.db import get_db, transaction
from sandbox.services import services
from sandbox.store import Resource, ResourceStore
from sandbox.subscriptions import record_change

bp = Blueprint("ehr_events", __name__)



def _notes_of(store: ResourceStore, encounter_id: str) -> list[Resource]:
    ref = f"Encounter/{encounter_id}"
    found = [c for c in store.all_of_type("Composition") if (c.get("encounter") or {}).get("reference") == ref]
    for doc in store.all_of_type("DocumentReference"):
        refs = (doc.get("context") or {}).get("encounter") or []
        if any(r.get("reference") == ref for r in refs):
            found.append(doc)
    return found


def started_now(period: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """A new visit happens today: it starts now less the original's length (so its date of service is
    today, not the original's; a queue sorted newest first shows it at the top), but never before today's
    midnight (UTC): a visit finished just after midnight would otherwise be dated yesterday."""
    now = now or datetime.now(UTC)
    try:
        length = datetime.fromisoformat(str(period["end"])) - datetime.fromisoformat(str(period["start"]))
    except (KeyError, TypeError, ValueError):
        length = timedelta(0)
    length = length if timedelta(0) <= length <= timedelta(hours=12) else timedelta(0)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {"start": max(now - length, midnight).isoformat(timespec="seconds")}


def _copy(store: ResourceStore, original: Resource) -> Resource:
    body = copying.deepcopy(original)
    body.pop("meta", None)
    body.pop("id", None)
    body["status"] = "in-progress"
    body["period"] = started_now(dict(body.get("period") or {}))
    created = store.create(body)
    for note in _notes_of(store, str(original["id"])):
        copied = copying.deepcopy(note)
        copied.pop("meta", None)
        copied.pop("id", None)
        if copied["resourceType"] == "Composition":
            copied["encounter"] = {"reference": f"Encounter/{created['id']}"}
        else:
            copied.setdefault("context", {})["encounter"] = [{"reference": f"Encounter/{created['id']}"}]
        store.create(copied)
    return created


@bp.post("/_admin/encounters/<encounter_id>/finish")
def finish(encounter_id: str) -> tuple[Response, int]:
    body: Any = request.get_json(silent=True) or {}
    found = _finish(encounter_id, copy=isinstance(body, dict) and bool(body.get("copy")))
    if found is None:
        return jsonify(error=f"Encounter/{encounter_id} is not known"), 404
    return jsonify(id=found["id"], lastUpdated=found["meta"]["lastUpdated"]), 200


@bp.post("/ehr/encounter/<encounter_id>/finish-new-visit")
def finish_new_visit(encounter_id: str) -> Response:
    """The EHR page's button: a new visit like this one, finished now (shown at the top of the list)."""
    found = _finish(encounter_id, copy=True)
    if found is None:
        abort(404)
    return redirect(url_for("ehr.home", q=found["id"], finished=found["id"]))   # type: ignore[return-value]


def _finish(encounter_id: str, copy: bool) -> Resource | None:
    conn = get_db()
    store = ResourceStore(conn)
    with transaction(conn, immediate=True):
        encounter = store.get("Encounter", encounter_id)
        if encounter is None:
            return None
        if copy:
            encounter = _copy(store, encounter)
        before = dict(encounter)
        encounter["status"] = "finished"
        period = dict(encounter.get("period") or {})
        period["end"] = datetime.now(UTC).isoformat(timespec="seconds")
        encounter["period"] = period
        stored, _ = store.put(encounter)
        record_change(conn, before, stored, services().config.fhir_base)   # subscriptions (issue 17)
    return stored
