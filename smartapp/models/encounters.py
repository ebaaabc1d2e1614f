"""Encounters to code (from FHIR or from uploaded files) and their note text (encrypted)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped
from smartapp.models.connections import FhirConnection
from smartapp.models.enums import EncounterSource, EncounterStatus
from smartapp.security.crypto import EncryptedText


class Encounter(Timestamped, Base):
    __tablename__ = "encounters"
    # One row per EHR encounter and organisation, whatever is launched or synced twice: an organisation
    # never finds (or takes over) another's row.
    __table_args__ = (
        UniqueConstraint("organization_id", "source_system", "fhir_encounter_id", name="uq_encounters_fhir_key"),
        Index("ix_encounters_org_status", "organization_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    source: Mapped[EncounterSource] = mapped_column(default=EncounterSource.FHIR)
    # The FHIR base URL the encounter was read from (with the id, its key); never the OpenID issuer,
    # which is the launch's (LaunchSession.oidc_issuer) and the organisation's.
    source_system: Mapped[str | None] = mapped_column(String(500))
    # FHIR ids up to 255 characters (Epic ids may exceed FHIR's 64).
    fhir_encounter_id: Mapped[str | None] = mapped_column(String(255))
    fhir_patient_id: Mapped[str | None] = mapped_column(String(255), index=True)
    # For the patient banner only (name, sex, birth date, MRN); encrypted like the notes.
    patient_label: Mapped[str | None] = mapped_column(EncryptedText)
    fhir_provider_id: Mapped[str | None] = mapped_column(String(255))
    provider_name: Mapped[str | None] = mapped_column(String(200))
    encounter_type: Mapped[str | None] = mapped_column(String(200))
    encounter_class: Mapped[str | None] = mapped_column(String(50))   # Encounter.class code: AMB, EMER, IMP...
    # Encounter.reasonCode texts, "; "-joined: why the patient came (clinical: encrypted like the notes).
    visit_reason: Mapped[str | None] = mapped_column(EncryptedText)
    date_of_service: Mapped[date | None]
    service_end_date: Mapped[date | None]    # the last day of a multi-day stay; None for a one-day visit
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[EncounterStatus] = mapped_column(default=EncounterStatus.NEW)
    version: Mapped[int] = mapped_column(default=1)
    launch_session_id: Mapped[int | None] = mapped_column(ForeignKey("launch_sessions.id"))
    launched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set for encounters that came by batch sync: the coding job reads the EHR with this connection's
    # credentials when there is no launch session.
    fhir_connection_id: Mapped[int | None] = mapped_column(ForeignKey("fhir_connections.id", ondelete="SET NULL"))
    # Whose the connection is decides who sees the encounter (a private connection's: its owner and the
    # administrators; smartapp/access.py).
    fhir_connection: Mapped[FhirConnection | None] = relationship()

    notes: Mapped[list[Note]] = relationship(
        back_populates="encounter", cascade="all, delete-orphan", order_by="Note.id"
    )


class Note(Timestamped, Base):
    __tablename__ = "notes"
    __table_args__ = (UniqueConstraint("encounter_id", "resource_type", "resource_id", name="uq_notes_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    resource_type: Mapped[str] = mapped_column(String(50))
    resource_id: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(200))
    note_date: Mapped[datetime | None]
    content_type: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(EncryptedText)
    purge_after: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]   # set when the retention job emptied `text`

    encounter: Mapped[Encounter] = relationship(back_populates="notes")
