"""Tenants, the people who use RevRX, their memberships (a person may belong to several organisations)
and the roles each person holds in each (with where each came from).

A person acts in one organisation at a time, their *active* organisation: the one the header's
switcher shows (browser), the one an API token was issued for (API), the one the work belongs to
(jobs). `User.organization_id` and `User.roles` answer for the active organisation, so every rule that
asks them (smartapp/access.py above all) is scoped to it without knowing about memberships. The active
organisation is set per request by `act_in` and never stored on the user's row; `home_organization_id`
is where the person's own sign-in puts them (their EHR's organisation), and they are always a member there.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, event, true
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

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
    # Roles are held in one organisation: a coder here may be read-only there.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(primary_key=True)
    source: Mapped[RoleSource] = mapped_column(primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    organization: Mapped[Organization] = relationship()


class Membership(Base):
    """One person in one organisation. Made for the home organisation when the person is created, and
    by an administrator's invitation for any other (smartapp/accounts/members.py)."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True, index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")


class User(UserMixin, Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("issuer", "fhir_user"),
        # Who signed in, as OpenID Connect names a person: the id_token's issuer and subject (per FHIR base).
        UniqueConstraint("issuer", "oidc_issuer", "oidc_subject", name="uq_users_oidc_identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organisation the person's own sign-in belongs to (the column keeps its old name).
    home_organization_id: Mapped[int] = mapped_column("organization_id", ForeignKey("organizations.id"),
                                                      index=True)
    issuer: Mapped[str] = mapped_column(String(500))       # the FHIR base the user's launches read
    fhir_user: Mapped[str] = mapped_column(String(500))   # absolute reference, e.g. .../Practitioner/7
    # The id_token's `iss` (Epic: its OAuth server; Oracle: an authorization.cerner.com URL) and `sub`;
    # None for users who never signed in with an id_token (created by the CLI, or before this existed).
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # The id_token's `email` claim when the EHR sends one (lower case): how an invitation by e-mail finds them.
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    last_login_at: Mapped[datetime | None]
    # A deactivated person signs in nowhere (launch, page session, API token) until reactivated.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    home_organization: Mapped[Organization] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                   order_by=RoleGrant.role, back_populates="user")
    memberships: Mapped[list[Membership]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                         foreign_keys=[Membership.user_id],
                                                         order_by=Membership.organization_id)

    # -- the active organisation ------------------------------------------------------------------

    @hybrid_property
    def organization_id(self) -> int:
        """The active organisation (the home one unless `act_in` chose another). In SQL: the home one."""
        acting = self.__dict__.get("_acting_organization_id")
        return acting if acting is not None else self.home_organization_id

    @organization_id.inplace.setter
    def _organization_id_setter(self, value: int) -> None:   # User(organization_id=…) makes a home
        self.home_organization_id = value

    @organization_id.inplace.expression
    @classmethod
    def _organization_id_expression(cls) -> Any:
        return cls.home_organization_id

    @property
    def organization_ids(self) -> list[int]:
        """Every organisation the person belongs to, home first."""
        others = [m.organization_id for m in self.memberships if m.organization_id != self.home_organization_id]
        return [self.home_organization_id, *others]

    def is_member_of(self, organization_id: int | None) -> bool:
        return organization_id is not None and organization_id in self.organization_ids

    def act_in(self, organization_id: int) -> bool:
        """Act in `organization_id` from now on (this request, this job); False, and nothing changed,
        when the person is not a member there."""
        if not self.is_member_of(organization_id):
            return False
        self.__dict__["_acting_organization_id"] = organization_id
        return True

    @property
    def organization(self) -> Organization:
        """The active organisation's row."""
        for m in self.memberships:
            if m.organization_id == self.organization_id:
                return m.organization
        return self.home_organization

    @property
    def organizations(self) -> list[Organization]:
        """Every organisation the person belongs to, by name (the header's switcher)."""
        orgs = {m.organization_id: m.organization for m in self.memberships}
        orgs.setdefault(self.home_organization_id, self.home_organization)
        return sorted(orgs.values(), key=lambda o: (o.name.lower(), o.id))

    def grants_here(self) -> list[RoleGrant]:
        """The grants held in the active organisation."""
        here = self.organization_id
        return [g for g in self.grants if g.organization_id in (here, None)]

    @property
    def is_active(self) -> bool:   # Flask-Login refuses to sign in an inactive user
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def roles_set_by_admin(self) -> bool:
        return any(g.source == RoleSource.ADMIN for g in self.grants_here())

    @property
    def roles(self) -> frozenset[Role]:
        """What this person may do: an administrator's decision when one stands, else what the EHR and
        the registration's policy gave at the last sign-in."""
        here = self.grants_here()
        admin = {g.role for g in here if g.source == RoleSource.ADMIN}
        return frozenset(admin or {g.role for g in here})

    @property
    def roles_from_sign_in(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants_here() if g.source != RoleSource.ADMIN)

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
        """Replace the grants from `source` in the active organisation (other sources' grants, and every
        grant in other organisations, stay)."""
        wanted, here = set(roles), self.organization_id
        mine = {id(g) for g in self.grants_here()}
        keep = [g for g in self.grants if id(g) not in mine or g.source != source or g.role in wanted]
        have = {g.role for g in keep if id(g) in mine and g.source == source}
        self.grants = keep + [RoleGrant(role=r, source=source, organization_id=here)
                              for r in ROLE_ORDER if r in wanted - have]


class Invitation(Timestamped, Base):
    """An administrator's invitation of someone who has not signed in to RevRX yet, by e-mail or by EHR
    identity (an absolute fhirUser reference): it becomes a membership, with its roles, at that person's
    next sign-in (smartapp/accounts/members.py)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    fhir_user: Mapped[str | None] = mapped_column(String(500), index=True)
    roles: Mapped[str] = mapped_column(String(100))   # comma-separated Role values
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]


def acting(user: User | None, organization_id: int) -> User | None:
    """`user` acting in `organization_id` (a job's work belongs to one), or None when they are not a
    member there (any more): a job never acts in an organisation for someone who left it."""
    return user if user is not None and user.act_in(organization_id) else None


@event.listens_for(Session, "before_flush")
def _home_membership(session: Session, _context: object, _instances: object) -> None:
    """Every new person is a member of their home organisation, and a grant made before the person had
    an organisation id (User(organization=…, role=…)) is held there."""
    for obj in list(session.new):
        if not isinstance(obj, User):
            continue
        home_id, home = obj.home_organization_id, obj.home_organization
        if not any(m.organization_id == home_id and home_id is not None or m.organization is home
                   for m in obj.memberships):
            obj.memberships.append(Membership(organization_id=home_id) if home_id is not None
                                   else Membership(organization=home))
        for g in obj.grants:
            if g.organization_id is None:
                if home_id is not None:
                    g.organization_id = home_id
                else:
                    g.organization = home
