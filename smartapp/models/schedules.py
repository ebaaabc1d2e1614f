"""Scheduled incremental sync of one FHIR connection (issue 17): "new encounters code themselves" on an
EHR that offers no Subscription.

One row per connection. `since` is where the next window starts: a window reads what the EHR changed
from `since` on (`_lastUpdated=ge…` searches, or Bulk Data `_since`), and moves `since` forward only
once its reading has finished, so a failed or interrupted window is read again. `next_run_at` is the
claim: a scheduler pass starts a window only by moving `next_run_at` forward in one conditional UPDATE,
so two workers (or two scheduler passes) never start the same window twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartapp.models.base import Base, Timestamped

DEFAULT_INTERVAL_S = 15 * 60


class SyncSchedule(Timestamped, Base):
    __tablename__ = "sync_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("fhir_connections.id", ondelete="CASCADE"), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    interval_s: Mapped[int] = mapped_column(default=DEFAULT_INTERVAL_S)
    since: Mapped[datetime | None]                  # start of the next window (None: from when it was enabled)
    next_run_at: Mapped[datetime | None] = mapped_column(index=True)
    last_sync_id: Mapped[int | None] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"))
    last_run_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Bulk Data: the Group the EHR's administrators defined for RevRX (Group/<id>/$export).
    bulk_group_id: Mapped[str | None] = mapped_column(String(255))
    # Patient-scoped searches (servers that refuse an Encounter search without a patient and offer no
    # Bulk Data): these patients, else every patient this connection has brought in so far.
    patient_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the CapabilityStatement said when last read, and how the last window read ("bulk",
    # "search", "patients") and why: the connection page shows them.
    offers_subscription: Mapped[bool | None]
    offers_bulk_export: Mapped[bool | None]
    capabilities_checked_at: Mapped[datetime | None]
    source: Mapped[str | None] = mapped_column(String(20))
    source_reason: Mapped[str | None] = mapped_column(String(500))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
