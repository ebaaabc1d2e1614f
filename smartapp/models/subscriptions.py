"""FHIR Subscriptions RevRX holds on EHRs, the events they brought, and what auto-processing may do.

- `EhrSubscription`: one subscription on one connection's EHR (a topic, or plain criteria), with the
  webhook's public id (in its URL) and secret (encrypted; sent back by the EHR in a header RevRX chose),
  what the EHR last said (status, error), and the event numbers handled so far.
- `SubscriptionEvent`: one numbered event, unique per subscription: the memory that makes notifications
  idempotent (a duplicate finds its row) and shows gaps (a number missing below the highest seen).
- `AutoCodeSettings`: per connection, whether notified encounters are coded and which classes.
- `AutoArrival`: an encounter that came by itself (subscription): the queue's "new" badge until someone
  opens it, and a later note that waits for the coder's consent because a person already decided.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartapp.models.base import Base, Timestamped, utcnow
from smartapp.security.crypto import EncryptedText


class EhrSubscription(Timestamped, Base):
    __tablename__ = "ehr_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("fhir_connections.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret: Mapped[str] = mapped_column(EncryptedText)
    header_name: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str | None] = mapped_column(String(500))          # None: plain R4 criteria
    criteria: Mapped[str] = mapped_column(String(500))
    fhir_subscription_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="requested")   # what the EHR says (or "creating")
    heartbeat_seconds: Mapped[int] = mapped_column(default=0)
    last_event_number: Mapped[int] = mapped_column(default=0)   # every event up to this one is handled
    highest_event_number: Mapped[int] = mapped_column(default=0)
    last_heartbeat_at: Mapped[datetime | None]
    last_notification_at: Mapped[datetime | None]
    caught_up_at: Mapped[datetime | None]   # a search catch-up read everything changed before this
    last_error: Mapped[str | None] = mapped_column(Text)


class SubscriptionEvent(Base):
    __tablename__ = "subscription_events"
    __table_args__ = (UniqueConstraint("subscription_id", "event_number", name="uq_subscription_events_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("ehr_subscriptions.id", ondelete="CASCADE"), index=True)
    event_number: Mapped[int]
    focus: Mapped[str | None] = mapped_column(String(300))       # e.g. Encounter/123 (never PHI)
    encounter_ref: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), default="queued")   # queued | done | skipped | failed
    detail: Mapped[str | None] = mapped_column(String(300))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class AutoCodeSettings(Base):
    __tablename__ = "auto_code_settings"

    connection_id: Mapped[int] = mapped_column(ForeignKey("fhir_connections.id", ondelete="CASCADE"),
                                               primary_key=True)
    auto_code: Mapped[bool] = mapped_column(default=True)
    encounter_classes: Mapped[list[Any]] = mapped_column(JSON, default=list)   # empty: every class


class AutoArrival(Base):
    __tablename__ = "auto_arrivals"

    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), primary_key=True)
    arrived_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]
    note_waiting_at: Mapped[datetime | None]   # a later note came after a human decision: re-code needs consent
