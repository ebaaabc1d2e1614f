"""Notification Bundles in the Backport IG's R4 shape.

Every notification is a Bundle of type `history` whose first entry is a Parameters resource profiled
as backport-subscription-status-r4 (subscription, topic, status, type, events-since-subscription-start
and one `notification-event` per event: event-number, timestamp, focus and, for a note, the encounter
as additional-context). With `id-only` content the focus resources follow as entries carrying only
their fullUrl; `full-resource` adds the resource; `empty` sends neither.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from sandbox.store import now_instant
from sandbox.subscriptions.store import Sub

Resource = dict[str, Any]
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport"
STATUS_PROFILE = f"{BACKPORT}/StructureDefinition/backport-subscription-status-r4"


def status_parameters(sub: Sub, fhir_base: str, kind: str, rows: list[sqlite3.Row],
                      content: str | None = None) -> Resource:
    params: list[dict[str, Any]] = [
        {"name": "subscription", "valueReference": {"reference": f"{fhir_base}/Subscription/{sub.id}"}},
        *([{"name": "topic", "valueCanonical": sub.topic}] if sub.topic else []),
        {"name": "status", "valueCode": sub.status},
        {"name": "type", "valueCode": kind},
        {"name": "events-since-subscription-start", "valueString": str(sub.events)},
    ]
    for row in rows:
        parts: list[dict[str, Any]] = [
            {"name": "event-number", "valueString": str(row["number"])},
            {"name": "timestamp", "valueInstant": row["at"]},
        ]
        if (content or sub.content) != "empty":
            parts.append({"name": "focus", "valueReference": {"reference": f"{fhir_base}/{row['focus']}"}})
            if row["context"]:
                parts.append({"name": "additional-context",
                              "valueReference": {"reference": f"{fhir_base}/{row['context']}"}})
        params.append({"name": "notification-event", "part": parts})
    if sub.last_error and kind in ("query-status", "heartbeat"):
        params.append({"name": "error", "valueCodeableConcept": {"text": sub.last_error}})
    return {"resourceType": "Parameters", "id": str(uuid.uuid4()), "meta": {"profile": [STATUS_PROFILE]},
            "parameter": params}


def notification(sub: Sub, fhir_base: str, kind: str, rows: list[sqlite3.Row],
                 resources: dict[str, Resource] | None = None, content: str | None = None) -> Resource:
    """A history Bundle: the status Parameters first, then (unless `empty`) one entry per focus."""
    shown = content or sub.content
    status = status_parameters(sub, fhir_base, kind, rows, shown)
    entries: list[dict[str, Any]] = [{
        "fullUrl": f"urn:uuid:{status['id']}", "resource": status,
        "request": {"method": "GET", "url": f"{fhir_base}/Subscription/{sub.id}/$status"},
        "response": {"status": "200"},
    }]
    if shown != "empty":
        for row in rows:
            entry: dict[str, Any] = {"fullUrl": f"{fhir_base}/{row['focus']}",
                                     "request": {"method": "PUT", "url": row["focus"]},
                                     "response": {"status": "200"}}
            if shown == "full-resource" and resources and row["focus"] in resources:
                entry["resource"] = resources[row["focus"]]
            entries.append(entry)
    return {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "history", "timestamp": now_instant(),
            "entry": entries}


def status_bundle(subs: list[Sub], fhir_base: str) -> Resource:
    """`$status`: a searchset of status Parameters (type query-status), one per subscription."""
    return {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "searchset", "total": len(subs),
            "entry": [{"fullUrl": f"urn:uuid:{uuid.uuid4()}",
                       "resource": status_parameters(s, fhir_base, "query-status", []),
                       "search": {"mode": "match"}} for s in subs]}
