"""The SubscriptionTopics this EHR offers and what triggers them.

A topic names a resource type and a trigger: "encounter finished" fires when an Encounter is created
finished or its status changes to finished; "encounter note" fires when a DocumentReference that points
at an encounter is created or updated (a note added or amended). Plain R4 criteria subscriptions
(`Encounter?status=finished`) fire when a created or updated resource matches the query and did not
match before the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.search import matches, parse_search
from sandbox.search_params import SEARCH_PARAMS

Resource = dict[str, Any]
TOPIC_BASE = "http://revrx.example.org/fhir/SubscriptionTopic"
ENCOUNTER_FINISHED = f"{TOPIC_BASE}/encounter-finished"
ENCOUNTER_NOTE = f"{TOPIC_BASE}/encounter-note"


@dataclass(frozen=True)
class Topic:
    url: str
    name: str
    resource: str
    description: str


TOPICS = {t.url: t for t in (
    Topic(ENCOUNTER_FINISHED, "encounter-finished", "Encounter",
          "An Encounter is created with status finished, or its status changes to finished."),
    Topic(ENCOUNTER_NOTE, "encounter-note", "DocumentReference",
          "A clinical note (DocumentReference) for an encounter is added or amended."),
)}


def note_encounter(resource: Resource) -> str | None:
    """`Encounter/<id>` of a DocumentReference's context, if any."""
    refs = (resource.get("context") or {}).get("encounter") or []
    for ref in refs if isinstance(refs, list) else []:
        value = ref.get("reference") if isinstance(ref, dict) else None
        if isinstance(value, str) and "Encounter/" in value:
            return "Encounter/" + value.rsplit("Encounter/", 1)[1].split("/")[0]
    return None


def topic_fires(topic: Topic, before: Resource | None, after: Resource) -> bool:
    """Does this change of a resource trigger the topic?"""
    if after.get("resourceType") != topic.resource:
        return False
    if topic.url == ENCOUNTER_FINISHED:
        return after.get("status") == "finished" and (before is None or before.get("status") != "finished")
    if topic.url == ENCOUNTER_NOTE:
        return note_encounter(after) is not None and after.get("status") != "entered-in-error"
    return False


def parse_criteria(query: str) -> tuple[str, list[tuple[str, str]]]:
    """`Encounter?status=finished` as (type, pairs); ValueError for what this server cannot evaluate."""
    rtype, _, rest = query.partition("?")
    if rtype not in SEARCH_PARAMS:
        raise ValueError(f"criteria on {rtype or '(nothing)'} are not supported")
    pairs = [tuple(p.split("=", 1)) for p in rest.split("&") if p]
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"criteria {query!r} are not a search query")
    return rtype, [(k, v) for k, v in pairs]  # type: ignore[misc]


def criteria_match(query: str, resource: Resource | None, fhir_base: str) -> bool:
    if resource is None:
        return False
    rtype, pairs = parse_criteria(query)
    if resource.get("resourceType") != rtype:
        return False
    return matches(resource, parse_search(rtype, pairs, strict=True).criteria, fhir_base)


def criteria_fires(query: str, before: Resource | None, after: Resource, fhir_base: str) -> bool:
    """A plain R4 criteria subscription fires when the resource starts matching."""
    return criteria_match(query, after, fhir_base) and not criteria_match(query, before, fhir_base)


def topic_resource(topic: Topic, fhir_base: str) -> Resource:
    """The R4B-shaped SubscriptionTopic (served as JSON for clients that look it up)."""
    return {
        "resourceType": "SubscriptionTopic", "id": topic.name, "url": topic.url, "status": "active",
        "title": topic.name, "description": topic.description,
        "resourceTrigger": [{"resource": topic.resource, "supportedInteraction": ["create", "update"],
                             "description": topic.description}],
        "canFilterBy": [{"resource": topic.resource, "filterParameter": p}
                        for p in ("patient", "class", "type") if p in SEARCH_PARAMS[topic.resource]],
        "notificationShape": [{"resource": topic.resource,
                               **({"include": ["DocumentReference:encounter"]}
                                  if topic.resource == "DocumentReference" else {})}],
    }
