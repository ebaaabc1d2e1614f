"""The RevRX User behind a launch: one per (issuer, fhirUser), in the issuer's Organization.

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

from smartapp.models import Organization, RoleSource, User
from smartapp.models.queries import insert_or_find
from smartapp.smart.identity import Identity
from smartapp.smart.registry import Registration
from smartapp.smart.roles import derive

log = logging.getLogger(__name__)


def _organization(session: Session, reg: Registration) -> Organization:
    query = select(Organization).where(Organization.issuer == reg.iss)
    return session.scalar(query) or insert_or_find(session, query, Organization(name=reg.name, issuer=reg.iss))[0]


def user_for_launch(session: Session, reg: Registration, identity: Identity | None, *, ehr_launch: bool,
                    role_codes: Iterable[str] = ()) -> User:
    org = _organization(session, reg)
    fhir_user = identity.fhir_user if identity else f"{reg.iss}/anonymous"
    query = select(User).where(User.issuer == reg.iss, User.fhir_user == fhir_user)
    found = session.scalar(query)
    fallback = "/".join(fhir_user.rstrip("/").split("/")[-2:])   # "Practitioner/7" rather than a URL
    if found is None:   # two first sign-ins at once (two tabs) make one user
        user, _ = insert_or_find(session, query, User(
            organization_id=org.id, issuer=reg.iss, fhir_user=fhir_user,
            display_name=(identity.display_name if identity else "") or fallback))
    else:
        user = found
    derived = derive(reg.roles, person_type=identity.resource_type if identity else "",
                     claims=identity.claims if identity else {}, role_codes=role_codes, ehr_launch=ehr_launch)
    # What this sign-in says replaces what the last one said; an administrator's grants stay.
    for source in (RoleSource.EHR, RoleSource.REGISTRATION):
        user.set_roles(derived.roles if source == derived.source else (), source)
    log.info("user %s signs in with roles %s", user.id, derived.basis)
    if identity and identity.display_name and user.display_name != identity.display_name:
        user.display_name = identity.display_name
    user.last_login_at = datetime.now(UTC)
    return user
