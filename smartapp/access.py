"""Who may see, decide on (accept, reject, edit, approve) and administer what: the one rule every path
asks — pages, partials, bulk actions, the API and the jobs that act for a person. No Flask.

Everything stays inside the person's organisation. Within it:
- administrator and coder: every encounter of the organisation;
- clinician: the encounters they launched, and those whose practitioner they are (synced or linked
  encounters naming them); never another clinician's patient by URL;
- read-only staff: see what a coder sees, change nothing;
- patient (a patient-facing launch, fhirUser Patient/...): only their own encounters, read-only;
  any other person without a practitioner identity (RelatedPerson) sees nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_

from smartapp.models import Encounter, Role, User
from smartapp.smart.registry import normalize_iss

_PERSONAS_WITH_PATIENT = ("Patient",)


def _fhir_identity(user: User) -> tuple[str, str] | None:
    """(resource type, id) of the user's fhirUser, e.g. ("Practitioner", "7")."""
    parts = (user.fhir_user or "").rstrip("/").split("/")
    return (parts[-2], parts[-1]) if len(parts) >= 2 else None


def _is_person_outside_care_team(user: User) -> bool:
    identity = _fhir_identity(user)
    return identity is not None and identity[0] in ("Patient", "RelatedPerson")


def visible(user: User) -> ColumnElement[bool]:
    """SQL filter: the encounters `user` may see (for lists: the queue, the API, bulk actions)."""
    own_org = Encounter.organization_id == user.organization_id
    if not user.active:
        return false()
    identity = _fhir_identity(user)
    if _is_person_outside_care_team(user):
        if identity is None or identity[0] not in _PERSONAS_WITH_PATIENT:
            return false()
        return and_(own_org, Encounter.source_system == normalize_iss(user.issuer),
                    Encounter.fhir_patient_id == identity[1])
    if user.role == Role.CLINICIAN:
        mine = Encounter.launched_by_id == user.id
        if identity is not None and identity[0] == "Practitioner":
            mine = or_(mine, and_(Encounter.fhir_provider_id == identity[1],
                                  Encounter.source_system == normalize_iss(user.issuer)))
        return and_(own_org, mine)
    return own_org


def why_not_see(user: User, encounter: Encounter) -> str | None:
    """None when `user` may open `encounter`; else the reason, in words (callers answer 404 or 403)."""
    if encounter.organization_id != user.organization_id:
        return "This encounter belongs to another organization."
    if not user.active:
        return "This account is deactivated."
    identity = _fhir_identity(user)
    if _is_person_outside_care_team(user):
        if (identity is not None and identity[0] in _PERSONAS_WITH_PATIENT
                and encounter.fhir_patient_id == identity[1]
                and encounter.source_system == normalize_iss(user.issuer)):
            return None
        return "Patients see only their own encounters."
    if user.role == Role.CLINICIAN and encounter.launched_by_id != user.id and not (
            identity is not None and identity[0] == "Practitioner" and encounter.fhir_provider_id == identity[1]
            and encounter.source_system == normalize_iss(user.issuer)):
        return ("Clinicians see the encounters they launched or are the practitioner of; ask a coder for "
                "this one.")
    return None


def why_not_decide(user: User, encounter: Encounter) -> str | None:
    """None when `user` may decide, edit and approve codes on `encounter`; else the reason, in words."""
    hidden = why_not_see(user, encounter)
    if hidden is not None:
        return hidden
    if user.role == Role.READ_ONLY:
        return "Your role can view codes but not change them."
    return None


def can_decide(user: User, encounter: Encounter) -> bool:
    return why_not_decide(user, encounter) is None


def can_see_audit(user: User, encounter: Encounter) -> bool:
    """The trail holds no PHI; anyone who may see the encounter may see who touched it."""
    return why_not_see(user, encounter) is None


def why_not_see_insights(user: User) -> str | None:
    """Coding insights (the organisation's numbers, never PHI) are for coders and administrators."""
    if _is_person_outside_care_team(user) or user.role not in (Role.ADMIN, Role.CODER):
        return "Coding insights are for coders and administrators."
    return None


def why_not_reset_learning(user: User) -> str | None:
    """Starting the organisation's learning over is an administrator's decision."""
    if why_not_see_insights(user) is not None or user.role != Role.ADMIN:
        return "Only an administrator can reset what RevRX learned from decisions."
    return None
