"""The RevRX User behind a launch: one per (issuer, fhirUser), in the issuer's Organization.

Role on first sign-in: a Practitioner launching from inside the EHR is a clinician; a Practitioner
signing in standalone is a coder; anyone else (Patient, RelatedPerson) is read-only. The display
name follows the id_token's `name` on every sign-in, so a rename in the EHR shows up here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.errors import UserFacingError
from smartapp.models import Organization, Role, User
from smartapp.models.queries import insert_or_find
from smartapp.smart.identity import Identity
from smartapp.smart.registry import Registration


def _organization(session: Session, reg: Registration) -> Organization:
    query = select(Organization).where(Organization.issuer == reg.iss)
    return session.scalar(query) or insert_or_find(session, query, Organization(name=reg.name, issuer=reg.iss))[0]


def _role(identity: Identity | None, ehr_launch: bool) -> Role:
    if identity and identity.resource_type not in ("Practitioner", "PractitionerRole"):
        return Role.READ_ONLY
    return Role.CLINICIAN if ehr_launch else Role.CODER


def user_for_launch(session: Session, reg: Registration, identity: Identity | None, *, ehr_launch: bool) -> User:
    org = _organization(session, reg)
    fhir_user = identity.fhir_user if identity else f"{reg.iss}/anonymous"
    query = select(User).where(User.issuer == reg.iss, User.fhir_user == fhir_user)
    found = session.scalar(query)
    fallback = "/".join(fhir_user.rstrip("/").split("/")[-2:])   # "Practitioner/7" rather than a URL
    if found is None:   # two first sign-ins at once (two tabs) make one user
        user, _ = insert_or_find(session, query, User(
            organization_id=org.id, issuer=reg.iss, fhir_user=fhir_user, role=_role(identity, ehr_launch),
            display_name=(identity.display_name if identity else "") or fallback))
    else:
        user = found
    if not user.active:
        raise UserFacingError(403, "Your RevRX account is deactivated", "An administrator of your organization "
                              "deactivated it. Ask them to reactivate it.")
    if identity and identity.display_name and user.display_name != identity.display_name:
        user.display_name = identity.display_name
    user.last_login_at = datetime.now(UTC)
    return user
