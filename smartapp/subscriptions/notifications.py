"""Reading a notification Bundle (Backport IG, R4): plain data in, a `Notification` out, or `Refused`
with the 4xx to answer. No Flask, no ORM: the webhook and the catch-up job read the same way.

What is refused (each a clear 400): not JSON, not a `history` Bundle, no status Parameters first, an
unknown notification type, event numbers that are not numbers, and a focus that is not an Encounter or a
note (DocumentReference) on the subscribed EHR, of the subscribed topic's resource type — so nothing in a
notification can make RevRX fetch what it did not subscribe to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

TYPES = ("handshake", "heartbeat", "event-notification", "query-status", "query-event")
FOCUS_TYPES = {"encounter-finished": "Encounter", "encounter-note": "DocumentReference"}


class Refused(Exception):
    """A notification to answer with `status` (4xx) and `reason` (audited; never PHI)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Event:
    number: int
    focus: str | None          # "Encounter/123" relative to the EHR's base
    encounter: str | None      # the encounter the event is about ("Encounter/123"), focus or context


@dataclass(frozen=True)
class Notification:
    kind: str
    subscription_ref: str | None
    events_since_start: int | None
    events: list[Event] = field(default_factory=list)


def _value(param: dict[str, Any]) -> Any:
    return next((v for k, v in param.items() if k.startswith("value")), None)


def _relative(ref: Any, base_url: str) -> str | None:
    """`Encounter/1` from an absolute or relative reference on `base_url`; Refused for another server's."""
    if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
        return None
    raw = ref["reference"]
    base = base_url.rstrip("/") + "/"
    if raw.startswith(("http://", "https://")):
        if not raw.startswith(base):
            raise Refused(400, "a notification named a resource on another server")
        raw = raw[len(base):]
    parts = raw.split("/")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise Refused(400, "a notification carried a malformed reference")
    return f"{parts[0]}/{parts[1]}"


def _number(raw: Any, what: str) -> int:
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        raise Refused(400, f"{what} is not a number") from None
    if number < 0 or number > 2**53:
        raise Refused(400, f"{what} is out of range")
    return number


def _event(parts: list[Any], base_url: str, topic_name: str | None) -> Event:
    named = {p.get("name"): p for p in parts if isinstance(p, dict)}
    if "event-number" not in named:
        raise Refused(400, "a notification event has no event-number")
    number = _number(_value(named["event-number"]), "event-number")
    focus = _relative(_value(named["focus"]), base_url) if "focus" in named else None
    context = _relative(_value(named["additional-context"]), base_url) if "additional-context" in named else None
    wanted = FOCUS_TYPES.get(topic_name or "", "Encounter")
    if focus is not None and focus.split("/")[0] != wanted:
        raise Refused(400, f"a notification event's focus is not a {wanted}, which is what was subscribed to")
    encounter = focus if wanted == "Encounter" else context
    if encounter is not None and not encounter.startswith("Encounter/"):
        raise Refused(400, "a note event's context is not an Encounter")
    return Event(number, focus, encounter)


def parse(raw: bytes, base_url: str, topic: str | None) -> Notification:
    """A topic-based notification Bundle; Refused (400) for anything else."""
    try:
        bundle = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "the notification is not JSON") from None
    return read_bundle(bundle, base_url, topic)


def read_bundle(bundle: Any, base_url: str, topic: str | None) -> Notification:
    """A notification (or `$events` answer) already parsed from JSON."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle" or bundle.get("type") != "history":
        raise Refused(400, "the notification is not a history Bundle")
    entries = bundle.get("entry")
    first = entries[0].get("resource") if isinstance(entries, list) and entries and isinstance(entries[0], dict) \
        else None
    if not isinstance(first, dict) or first.get("resourceType") not in ("Parameters", "SubscriptionStatus"):
        raise Refused(400, "the notification's first entry is not a subscription status")
    params = [p for p in first.get("parameter") or [] if isinstance(p, dict)]
    named = {p.get("name"): p for p in params}
    kind = _value(named.get("type") or {})
    if kind not in TYPES:
        raise Refused(400, "the notification's type is missing or unknown")
    since = named.get("events-since-subscription-start")
    topic_name = (topic or "").rstrip("/").rsplit("/", 1)[-1] or None
    events = [_event(p.get("part") or [], base_url, topic_name) for p in params
              if p.get("name") == "notification-event"]
    sub_ref = _value(named.get("subscription") or {})
    return Notification(
        kind=str(kind),
        subscription_ref=sub_ref.get("reference") if isinstance(sub_ref, dict) else None,
        events_since_start=_number(_value(since), "events-since-subscription-start") if since else None,
        events=sorted(events, key=lambda e: e.number),
    )


def subscription_id_of(ref: str | None) -> str | None:
    """`abc` from `http://ehr/fhir/Subscription/abc` or `Subscription/abc`."""
    if not ref or "Subscription/" not in ref:
        return None
    return ref.rsplit("Subscription/", 1)[1].split("/")[0] or None


def events_since_start(status_bundle: Any) -> int | None:
    """events-since-subscription-start from a `$status` answer (a searchset of status Parameters)."""
    entries = status_bundle.get("entry") if isinstance(status_bundle, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        for param in (resource or {}).get("parameter") or []:
            if isinstance(param, dict) and param.get("name") == "events-since-subscription-start":
                return _number(_value(param), "events-since-subscription-start")
    return None
