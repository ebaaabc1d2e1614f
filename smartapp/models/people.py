"""Tenants and the people who use RevRX, and the roles each person holds (with where each came from)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped, utcnow
from smartapp.models.enums import Role, RoleSource

# The order a person's roles are shown in, and which one names them when one word must do.
ROLE_ORDER = (Role.ADMIN, Role.CODER, Role.CLINICIAN, Role.READ_ONLY)


class Organization(Timestamped, Base):
    """The tenant boundary: every encounter, connection and user belongs to one."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # One organization per EHR FHIR base by default; a launch finds its tenant by its FHIR base. Despite
    # its name this is the FHIR base, never the OpenID issuer (kept apart below).
    issuer: Mapped[str | None] = mapped_column(String(500), unique=True)
    # The id_token issuer its people last signed in with: Epic's OAuth server (`.../oauth2`), Oracle's
    # `authorization.cerner.com/tenants/<tenant>/...`; the FHIR base only where the EHR says so.
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))


class RoleGrant(Base):
    """One role one person holds, and where it came from. EHR and registration grants are recomputed
    at every sign-in; administrator grants stay until an administrator changes them."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(primary_key=True)
    source: Mapped[RoleSource] = mapped_column(primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


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
    last_login_at: Mapped[datetime | None]
    # A deactivated person signs in nowhere (launch, page session, API token) until reactivated.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    organization: Mapped[Organization] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                   order_by=RoleGrant.role)

    @property
    def is_active(self) -> bool:   # Flask-Login refuses to sign in an inactive user
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def roles_set_by_admin(self) -> bool:
        return any(g.source == RoleSource.ADMIN for g in self.grants)

    @property
    def roles(self) -> frozenset[Role]:
        """What this person may do: an administrator's decision when one stands, else what the EHR and
        the registration's policy gave at the last sign-in."""
        admin = {g.role for g in self.grants if g.source == RoleSource.ADMIN}
        return frozenset(admin or {g.role for g in self.grants})

    @property
    def roles_from_sign_in(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants if g.source != RoleSource.ADMIN)

    @property
    def sorted_roles(self) -> list[Role]:
        return [r for r in ROLE_ORDER if r in self.roles]

    @property
    def role(self) -> Role:
        """The one role that names this person (the most capable they hold); decisions use `roles`."""
        held = self.sorted_roles
        return held[0] if held else Role.READ_ONLY

    @role.setter
    def role(self, value: Role) -> None:
        self.set_roles({value}, RoleSource.ADMIN)

    def set_roles(self, roles: Iterable[Role], source: RoleSource) -> None:
        """Replace the grants from `source` (other sources' grants stay)."""
        wanted = set(roles)
        keep = [g for g in self.grants if g.source != source or g.role in wanted]
        have = {g.role for g in keep if g.source == source}
        self.grants = keep + [RoleGrant(role=r, source=source) for r in ROLE_ORDER if r in wanted - have]
