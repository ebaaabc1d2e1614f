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
    # One organization per EHR issuer by default; a launch finds its tenant by the issuer.
    issuer: Mapped[str | None] = mapped_column(String(500), unique=True)


class User(UserMixin, Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("issuer", "fhir_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    fhir_user: Mapped[str] = mapped_column(String(500))   # absolute reference, e.g. .../Practitioner/7
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
