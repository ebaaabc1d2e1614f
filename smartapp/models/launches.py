"""A completed SMART launch: the tokens (encrypted) and the launch context the EHR gave us."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped
from smartapp.models.people import User
from smartapp.security.crypto import EncryptedText


class LaunchSession(Timestamped, Base):
    __tablename__ = "launch_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    registration_id: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(500))       # the FHIR base this launch reads
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))   # the id_token's `iss` (not the FHIR base)
    token_endpoint: Mapped[str] = mapped_column(String(500))
    access_token: Mapped[str] = mapped_column(EncryptedText)
    refresh_token: Mapped[str | None] = mapped_column(EncryptedText)
    id_token: Mapped[str | None] = mapped_column(EncryptedText)
    scope: Mapped[str] = mapped_column(String(2000), default="")
    expires_at: Mapped[datetime | None]
    patient_id: Mapped[str | None] = mapped_column(String(255))
    encounter_id: Mapped[str | None] = mapped_column(String(255))
    need_patient_banner: Mapped[bool] = mapped_column(default=False)
    smart_style_url: Mapped[str | None] = mapped_column(String(500))
    intent: Mapped[str | None] = mapped_column(String(100))
    tenant: Mapped[str | None] = mapped_column(String(200))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # fhirContext and friends
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def scopes(self) -> set[str]:
        return set(self.scope.split())
