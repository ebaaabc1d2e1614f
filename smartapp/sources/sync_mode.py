"""How new encounters reach a connection's queue, and why: subscription, scheduled sync or manual.

The rule (issue 17): subscription mode when the EHR offers Subscription and the connection has an active
subscription; else scheduled sync when it is switched on; else manual. What the EHR offers comes from its
CapabilityStatement, read at every scheduled window and at "Test connection", and kept on the connection's
schedule row (so the connection page never calls the EHR to draw itself).

How a sync reads (`choose_source`): Bulk Data `Group/$export` when the connection names the Group to export
(the EHR's administrators made it; whether the CapabilityStatement declares the operation is shown);
otherwise an Encounter search, which
becomes one search per patient where the server refuses a search without a patient (sync_reading.py).
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

# What the EHR offers is kept on the schedule row by connections/ ("Test connection" reads it there, and
# connections/ sits below sources/); re-exported here for the sync job and the subscriber.
from smartapp.connections.capabilities import note_capabilities as note_capabilities
from smartapp.connections.capabilities import offers_subscription as offers_subscription
from smartapp.connections.capabilities import schedule_of
from smartapp.models import FhirConnection, SyncSchedule

SUBSCRIPTION, SCHEDULED, MANUAL = "subscription", "scheduled", "manual"


@dataclass(frozen=True)
class SyncMode:
    mode: str      # subscription | scheduled | manual
    reason: str    # in words, for the connection page and the API
    offers_subscription: bool | None
    offers_bulk_export: bool | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def note_source(session: Session, connection: FhirConnection, source: str, reason: str) -> None:
    """How the connection's last sync read, and why (the caller commits)."""
    schedule = schedule_of(session, connection)
    schedule.source, schedule.source_reason = source, reason[:500]


def choose_source(schedule: SyncSchedule | None, criteria: dict[str, Any]) -> tuple[str, str]:
    """("bulk" | "search", why) for a sync with these criteria on this connection."""
    if criteria.get("patient_ids"):
        return "search", "patients named: one Encounter search for them"
    if schedule is not None and schedule.bulk_group_id:
        # The group was set by someone who asked the EHR's administrators: it counts even where the
        # CapabilityStatement does not declare the operation (vendors describe Bulk Data apart from it).
        declared = "the EHR declares Bulk Data" if schedule.offers_bulk_export else \
            "a Bulk Data group is set (the CapabilityStatement does not declare the export operation)"
        return "bulk", f"{declared}: Group/{schedule.bulk_group_id}/$export"
    if schedule is not None and schedule.offers_bulk_export:
        return "search", "the EHR offers Bulk Data, but no Group is set on the connection: Encounter search"
    return "search", "the EHR's CapabilityStatement declares no Bulk Data export: Encounter search"


def has_active_subscription(session: Session, connection: FhirConnection) -> bool:
    """The seam to the subscriber (smartapp/subscriptions/, issue 17 items 1-3): its
    `has_active_subscription(session, connection)` when that package provides one, else False."""
    try:
        module = importlib.import_module("smartapp.subscriptions")
    except ImportError:
        return False
    check = getattr(module, "has_active_subscription", None)
    return bool(check(session, connection)) if callable(check) else False


def _every(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return "every minute" if minutes == 1 else f"every {minutes} minutes"
    return f"every {seconds} seconds"


def mode_of(session: Session, connection: FhirConnection) -> SyncMode:
    """Which mode is active for `connection`, and why, in words."""
    schedule = session.scalar(select(SyncSchedule).where(SyncSchedule.connection_id == connection.id))
    offers = schedule.offers_subscription if schedule is not None else None
    bulk = schedule.offers_bulk_export if schedule is not None else None
    if offers is None:
        offered = "RevRX has not read this server's CapabilityStatement yet (Test connection reads it)"
    elif offers:
        offered = "this server's CapabilityStatement offers Subscription"
    else:
        offered = "this server's CapabilityStatement offers no Subscription"
    if offers and has_active_subscription(session, connection):
        return SyncMode(SUBSCRIPTION, f"The EHR notifies RevRX of new encounters: {offered} and this connection "
                        "has an active subscription.", offers, bulk)
    if schedule is not None and schedule.enabled:
        how = ("through Bulk Data Group/" + schedule.bulk_group_id + "/$export"
               if schedule.bulk_group_id else "by Encounter searches")
        why = offered if not offers else f"{offered}, but this connection has no active subscription"
        return SyncMode(SCHEDULED, f"Scheduled sync {_every(schedule.interval_s)}, {how}: {why}.", offers, bulk)
    if not connection.active:
        return SyncMode(MANUAL, "The connection is inactive: nothing comes in until it is activated.", offers, bulk)
    return SyncMode(MANUAL, f"Encounters come in only when someone syncs: scheduled sync is off and no "
                    f"subscription is active ({offered}).", offers, bulk)
