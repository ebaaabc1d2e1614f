"""What we wrote back to the EHR: one row per approval, keyed by its idempotency key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartapp.models.base import Base, Timestamped
from smartapp.models.enums import SubmissionStatus
from smartapp.security.crypto import EncryptedJSON


class ClaimSubmission(Timestamped, Base):
    __tablename__ = "claim_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("coding_runs.id"))
    # Unique: a retried or double-clicked approve finds this row instead of making a second Claim.
    # "revrx-<FHIR encounter id (≤255)>-<row ids>-<instant>": room for the longest id
    idempotency_key: Mapped[str] = mapped_column(String(320), unique=True)
    strategy: Mapped[str] = mapped_column(String(30), default="claim")
    status: Mapped[SubmissionStatus] = mapped_column(default=SubmissionStatus.SENDING)
    fhir_resource_type: Mapped[str | None] = mapped_column(String(50))
    fhir_id: Mapped[str | None] = mapped_column(String(255))
    # What was sent (a Claim lists the patient's diagnoses): encrypted at rest like note text.
    request_body: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)
    operation_outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    # Every resource the write-back made or found (ChargeItem and Condition write-backs make several):
    # [{"resourceType": "ChargeItem", "id": "12", "status": "CREATED"}, ...]
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
