"""Tenants and the people who use RevRX."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped
from smartapp.models.enums import Role


class Organization(Timestamped, Base):
    """The tenant boundary: every encounter, connection and user belongs to one."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # One organization per EHR FHIR base by default; a launch finds its tenant by its FHIR base.
    issuer: Mapped[str | None] = mapped_column(String(500), unique=True)


class User(UserMixin, Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("issuer", "fhir_user"),
        # Who signed in, as OpenID Connect names a person: the id_token's issuer and subject (per FHIR base).
        UniqueConstraint("issuer", "oidc_issuer", "oidc_subject", name="uq_users_oidc_identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))       # the FHIR base the user's launches read
    fhir_user: Mapped[str] = mapped_column(String(500))   # absolute reference, e.g. .../Practitioner/7
    # The id_token's `iss` (Epic: its OAuth server; Oracle: an authorization.cerner.com URL) and `sub`;
    # None for users who never signed in with an id_token (created by the CLI, or before this existed).
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(default=Role.CLINICIAN)
    last_login_at: Mapped[datetime | None]
    # A deactivated person signs in nowhere (launch, page session, API token) until reactivated.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    organization: Mapped[Organization] = relationship()

    @property
    def is_active(self) -> bool:   # Flask-Login refuses to sign in an inactive user
        return self.active

    def get_id(self) -> str:
        return str(self.id)
