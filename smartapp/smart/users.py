"""The RevRX User behind a launch, in the FHIR base's Organization: one per OpenID identity (the
id_token's issuer and subject, as Oracle Health's OpenID Connect guide defines a user) for each FHIR
base; one per fhirUser when the launch has no id_token. A user saved before the OpenID identity was kept
is found by fhirUser once and then holds it. A second identity claiming a fhirUser that is already
someone else's is refused rather than merged into one account.

Roles are recomputed at every sign-in from what the EHR says and the registration's policy
(smartapp/smart/roles.py); an administrator's decision, when one stands, overrides them. The display
name follows the id_token's `name` on every sign-in, so a rename in the EHR shows up here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.accounts.members import accept_invitations
from smartapp.errors import UserFacingError
from smartapp.models import Organization, RoleSource, User
from smartapp.models.queries import insert_or_find
from smartapp.smart.identity import Identity
from smartapp.smart.registry import Registration
from smartapp.smart.roles import derive

log = logging.getLogger(__name__)


def _organization(session: Session, reg: Registration) -> Organization:
    query = select(Organization).where(Organization.issuer == reg.iss)
    return session.scalar(query) or insert_or_find(session, query, Organization(name=reg.name, issuer=reg.iss))[0]


class IdentityConflict(RuntimeError):
    """This fhirUser already belongs to a user who signed in with another OpenID identity."""


def _find(session: Session, reg: Registration, identity: Identity | None, fhir_user: str) -> User | None:
    by_fhir_user = select(User).where(User.issuer == reg.iss, User.fhir_user == fhir_user)
    if identity is None or not identity.issuer:
        return session.scalar(by_fhir_user)
    found = session.scalar(select(User).where(User.issuer == reg.iss, User.oidc_issuer == identity.issuer,
                                              User.oidc_subject == identity.subject))
    if found is not None:
        if found.fhir_user != fhir_user:
            found.fhir_user = fhir_user   # the EHR remapped the account to another FHIR resource
        return found
    legacy = session.scalar(by_fhir_user)
    if legacy is not None and (legacy.oidc_issuer, legacy.oidc_subject) == (identity.issuer, identity.subject):
        return legacy       # this person's other tab committed them between the two reads above
    if legacy is not None and legacy.oidc_subject is not None:
        raise IdentityConflict(fhir_user)
    if legacy is not None:
        legacy.oidc_issuer, legacy.oidc_subject = identity.issuer, identity.subject
    return legacy


def user_for_launch(session: Session, reg: Registration, identity: Identity | None, *, ehr_launch: bool,
                    role_codes: Iterable[str] | None = ()) -> User:
    """`role_codes` None: the EHR was asked for the person's roles and did not answer. The roles it gave
    at the last sign-in then stand (an outage must not turn a clinician into a coder by default); a
    first sign-in gets the registration's default."""
    org = _organization(session, reg)
    if identity is not None and identity.issuer and org.oidc_issuer != identity.issuer:
        org.oidc_issuer = identity.issuer   # the OpenID issuer, kept apart from the FHIR base (org.issuer)
    fhir_user = identity.fhir_user if identity else f"{reg.iss}/anonymous"
    found = _find(session, reg, identity, fhir_user)
    fallback = "/".join(fhir_user.rstrip("/").split("/")[-2:])   # "Practitioner/7" rather than a URL
    if found is None:   # two first sign-ins at once (two tabs) make one user
        oidc_issuer = identity.issuer if identity and identity.issuer else None
        query = (select(User).where(User.issuer == reg.iss, User.oidc_issuer == oidc_issuer,
                                    User.oidc_subject == identity.subject) if oidc_issuer and identity
                 else select(User).where(User.issuer == reg.iss, User.fhir_user == fhir_user))
        user, _ = insert_or_find(session, query, User(
            organization_id=org.id, issuer=reg.iss, fhir_user=fhir_user,
            oidc_issuer=oidc_issuer, oidc_subject=identity.subject if oidc_issuer and identity else None,
            display_name=(identity.display_name if identity else "") or fallback))
    else:
        user = found
    if not user.active:
        raise UserFacingError(403, "Your RevRX account is deactivated", "An administrator of your organization "
                              "deactivated it. Ask them to reactivate it.")
    # A sign-in speaks for the person's home organisation, even when this request already had them acting
    # in another (one person object per database session).
    user.act_in(user.home_organization_id)
    if role_codes is None and any(g.source == RoleSource.EHR for g in user.grants):
        log.info("user %s signs in with the roles the EHR gave last time (it did not answer now)", user.id)
    else:
        derived = derive(reg.roles, person_type=identity.resource_type if identity else "",
                         claims=identity.claims if identity else {}, role_codes=role_codes or (),
                         ehr_launch=ehr_launch)
        # What this sign-in says replaces what the last one said; an administrator's grants stay.
        for source in (RoleSource.EHR, RoleSource.REGISTRATION):
            user.set_roles(derived.roles if source == derived.source else (), source)
        log.info("user %s signs in with roles %s", user.id, derived.basis)
    if identity and identity.display_name and user.display_name != identity.display_name:
        user.display_name = identity.display_name
    email = identity.claims.get("email") if identity else None
    if isinstance(email, str) and "@" in email and len(email) <= 320:
        user.email = email.strip().lower()
    user.last_login_at = datetime.now(UTC)
    session.flush()
    accept_invitations(session, user)   # organisations that invited this person before they signed in
    return user
