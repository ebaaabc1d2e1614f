"""Uploaded note files: one row per upload encounter, keyed by content hash and version.

The file name is encrypted (names of exported notes often carry the patient's name); the original
bytes live in storage under `storage_key`. Unique on (organization, SHA-256, version): two uploads of
the same content at the same moment make one encounter, the loser sees a duplicate.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped
from smartapp.models.encounters import Encounter
from smartapp.security.crypto import EncryptedText


class UploadedFile(Timestamped, Base):
    __tablename__ = "uploaded_files"
    __table_args__ = (UniqueConstraint("organization_id", "sha256", "version", name="uq_uploaded_files_content"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(EncryptedText)
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    text_encoding: Mapped[str | None] = mapped_column(String(30))
    storage: Mapped[str] = mapped_column(String(10))        # local or s3
    storage_key: Mapped[str] = mapped_column(String(500))
    purged_at: Mapped[datetime | None]   # the original was removed from storage after the retention period

    encounter: Mapped[Encounter] = relationship()
