"""What a connection's EHR offers (Subscription, Bulk Data), kept on the connection's schedule row.

Read from the CapabilityStatement at "Test connection" (connections/check.py) and at every scheduled sync
window (sources/sync_job.py). It lives here, below sources/, so the connection check does not import the
sync package (which imports connections/).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.fhir.bulk import offers_bulk_export
from smartapp.fhir.capabilities import resource_capability, supports_interaction
from smartapp.models import FhirConnection, SyncSchedule


def offers_subscription(statement: dict[str, Any]) -> bool:
    """Whether the server lets a client create Subscriptions (R4, or the R5 Backport IG on R4)."""
    return resource_capability(statement, "Subscription") is not None and \
        supports_interaction(statement, "Subscription", "create")


def schedule_of(session: Session, connection: FhirConnection) -> SyncSchedule:
    """The connection's schedule row, made (switched off) when it has none yet."""
    found = session.scalar(select(SyncSchedule).where(SyncSchedule.connection_id == connection.id))
    if found is None:
        found = SyncSchedule(connection_id=connection.id, organization_id=connection.organization_id,
                             enabled=False, patient_ids=[], extra={})
        session.add(found)
        session.flush()
    return found


def note_capabilities(session: Session, connection: FhirConnection, statement: dict[str, Any]) -> SyncSchedule:
    """Keep what the CapabilityStatement offers on the schedule row (the caller commits)."""
    schedule = schedule_of(session, connection)
    schedule.offers_subscription = offers_subscription(statement)
    schedule.offers_bulk_export = offers_bulk_export(statement)
    schedule.capabilities_checked_at = datetime.now(UTC)
    return schedule
