"""Clinical events in the sandbox EHR that RevRX must notice without anyone clicking sync (dev and test).

- `POST /_admin/encounters/<id>/finish` {"copy": true} finishes an encounter: its status becomes
  `finished`, `period.end` now, and `meta.lastUpdated` moves (what `_lastUpdated` searches and Bulk Data
  `_since` see). With `copy`, a new encounter (and a copy of each of its notes) is made from `<id>` first
  and finished instead, so every call is an encounter RevRX has never seen. Works in every profile (the
  vendor profiles refuse Encounter create over FHIR; this is the EHR's own clinical workflow).
  Answers {"id": the finished encounter's id, "lastUpdated": …}.
"""

from __future__ import annotations

import copy as copying
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.db import get_db, transaction
from sandbox.store import Resource, ResourceStore

bp = Blueprint("ehr_events", __name__, url_prefix="/_admin")


def _notes_of(store: ResourceStore, encounter_id: str) -> list[Resource]:
    ref = f"Encounter/{encounter_id}"
    found = [c for c in store.all_of_type("Composition") if (c.get("encounter") or {}).get("reference") == ref]
    for doc in store.all_of_type("DocumentReference"):
        refs = (doc.get("context") or {}).get("encounter") or []
        if any(r.get("reference") == ref for r in refs):
            found.append(doc)
    return found


def _copy(store: ResourceStore, original: Resource) -> Resource:
    body = copying.deepcopy(original)
    body.pop("meta", None)
    body.pop("id", None)
    body["status"] = "in-progress"
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


@bp.post("/encounters/<encounter_id>/finish")
def finish(encounter_id: str) -> tuple[Response, int]:
    body: Any = request.get_json(silent=True) or {}
    conn = get_db()
    store = ResourceStore(conn)
    with transaction(conn, immediate=True):
        encounter = store.get("Encounter", encounter_id)
        if encounter is None:
            return jsonify(error=f"Encounter/{encounter_id} is not known"), 404
        if isinstance(body, dict) and body.get("copy"):
            encounter = _copy(store, encounter)
        encounter["status"] = "finished"
        period = dict(encounter.get("period") or {})
        period["end"] = datetime.now(UTC).isoformat(timespec="seconds")
        encounter["period"] = period
        stored, _ = store.put(encounter)
    return jsonify(id=stored["id"], lastUpdated=stored["meta"]["lastUpdated"]), 200
