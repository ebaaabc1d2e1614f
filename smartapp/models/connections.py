"""FHIR servers an organization syncs from (backend services and friends); secrets encrypted."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped
from smartapp.models.enums import AuthType
from smartapp.security.crypto import EncryptedText

if TYPE_CHECKING:
    from smartapp.models.people import User


def new_jwks_token() -> str:
    return secrets.token_urlsafe(24)


class FhirConnection(Timestamped, Base):
    __tablename__ = "fhir_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # None: the organisation's, shared with its coders and managed by its administrators. A person's id:
    # private to them; what it brings in belongs to the organisation but only they and its
    # administrators see it (smartapp/access.py).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    name: Mapped[str] = mapped_column(String(200))
    base_url: Mapped[str] = mapped_column(String(500))
    fhir_version: Mapped[str] = mapped_column(String(10), default="R4")
    auth_type: Mapped[AuthType] = mapped_column(default=AuthType.BACKEND_SERVICES)
    client_id: Mapped[str | None] = mapped_column(String(200))
    secret: Mapped[str | None] = mapped_column(EncryptedText)   # client secret, password, key or API key
    token_endpoint: Mapped[str | None] = mapped_column(String(500))
    scope: Mapped[str | None] = mapped_column(String(2000))           # what RevRX asks for
    granted_scope: Mapped[str | None] = mapped_column(String(2000))   # what the EHR's last token granted
    active: Mapped[bool] = mapped_column(default=True)
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    writeback_preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The unguessable part of the connection's public JWKS URL (/jwks/<token>.json), which an EHR that takes
    # a JWK Set URL (Epic's backend apps) fetches the connection's public key from; stable for the connection.
    jwks_token: Mapped[str | None] = mapped_column(String(64), unique=True, default=new_jwks_token)
