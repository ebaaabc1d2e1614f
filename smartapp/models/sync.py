"""Batch syncs from a FHIR connection: one SyncRun per request, one SyncItem per encounter found.

The items are the sync's memory: unique per (sync, FHIR Encounter id), so a sync job that is run again
after its worker died re-reads the page it was on and skips what it already handled. Counts for the
summary are derived from the items and their coding runs, never kept as counters that a crash could
leave wrong.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartapp.models.base import Base, Timestamped, utcnow


class SyncStatus(enum.StrEnum):
    QUEUED = "QUEUED"        # waiting for a worker
    RUNNING = "RUNNING"      # paging through the EHR's encounters
    CODING = "CODING"        # every page read; coding jobs still running
    COMPLETE = "COMPLETE"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"        # the search itself failed (auth, server down); items stay as they were

    @property
    def terminal(self) -> bool:
        return self in (SyncStatus.COMPLETE, SyncStatus.CANCELLED, SyncStatus.FAILED)


class DuplicatePolicy(enum.StrEnum):
    SKIP = "skip"            # an encounter we already have is left alone
    OVERWRITE = "overwrite"  # re-read and re-code it, replacing the previous result
    VERSION = "version"      # re-read and re-code it as a new version, keeping earlier runs


class ItemOutcome(enum.StrEnum):
    NEW = "NEW"
    SKIPPED = "SKIPPED"
    OVERWRITTEN = "OVERWRITTEN"
    VERSIONED = "VERSIONED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class SyncRun(Timestamped, Base):
    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("fhir_connections.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[SyncStatus] = mapped_column(default=SyncStatus.QUEUED)
    duplicate_policy: Mapped[DuplicatePolicy] = mapped_column(default=DuplicatePolicy.SKIP)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)   # dates, patient ids, statuses, limit
    job_id: Mapped[str | None] = mapped_column(String(100))
    next_url: Mapped[str | None] = mapped_column(Text)          # where paging resumes after an interruption
    pages_fetched: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class SyncItem(Base):
    __tablename__ = "sync_items"
    __table_args__ = (UniqueConstraint("sync_run_id", "fhir_encounter_id", name="uq_sync_items_encounter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sync_run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    fhir_encounter_id: Mapped[str] = mapped_column(String(255))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id", ondelete="SET NULL"))
    coding_run_id: Mapped[int | None] = mapped_column(ForeignKey("coding_runs.id", ondelete="SET NULL"))
    outcome: Mapped[ItemOutcome] = mapped_column(default=ItemOutcome.NEW)
    error: Mapped[str | None] = mapped_column(String(500))      # for people; never PHI
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
