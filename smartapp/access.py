"""Who may see, decide on (accept, reject, edit, approve) and administer what: the one rule every path
asks — pages, partials, bulk actions, the API and the jobs that act for a person. No Flask.

Everything stays inside the person's *active* organisation (a person may belong to several and acts in
one at a time: `User.organization_id` and `User.roles` answer for it; smartapp/models/people.py); another
organisation's objects do not exist for them (callers answer 404). Within it, each role a person holds
gives:
- administrator and coder: every encounter of the organisation; connections, syncs and uploads;
  administrators also change who holds which role;
- clinician: the encounters they launched, and those whose practitioner they are (synced or linked
  encounters naming them); never another clinician's patient by URL;
- read-only staff: see what a coder sees, change nothing;
- patient (a patient-facing launch, fhirUser Patient/...): only their own encounters, read-only;
  any other person without a practitioner identity (RelatedPerson) sees nothing.
A person may hold several roles (smartapp/smart/roles.py): they may do what any of them allows.
What a person's private connection brings in belongs to the organisation but is seen only by that
person and the organisation's administrators (the organisation's own connections are shared).
Every refusal says why and, where a role would help, that an administrator grants roles.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from smartapp.fhir.references import normalize_iss
from smartapp.models import Encounter, FhirConnection, Role, User

_PERSONAS_WITH_PATIENT = ("Patient",)
SEES_ORGANIZATION = frozenset({Role.ADMIN, Role.CODER, Role.READ_ONLY})
DECIDES_ORGANIZATION = frozenset({Role.ADMIN, Role.CODER})
MANAGES_CONNECTIONS = frozenset({Role.ADMIN, Role.CODER})
UPLOADS = frozenset({Role.ADMIN, Role.CODER, Role.CLINICIAN})
ASK = "An administrator of your organization can give you the role (People page)."


def _fhir_identity(user: User) -> tuple[str, str] | None:
    """(resource type, id) of the user's fhirUser, e.g. ("Practitioner", "7")."""
    parts = (user.fhir_user or "").rstrip("/").split("/")
    return (parts[-2], parts[-1]) if len(parts) >= 2 else None


def _is_person_outside_care_team(user: User) -> bool:
    identity = _fhir_identity(user)
    return identity is not None and identity[0] in ("Patient", "RelatedPerson")


def _not_others_private(user: User) -> ColumnElement[bool]:
    """SQL: the encounter did not come by someone else's private connection — or `user` reached it
    themselves, by an EHR launch (administrators see everything of the organisation)."""
    if Role.ADMIN in user.roles:
        return Encounter.organization_id == user.organization_id
    others = select(FhirConnection.id).where(FhirConnection.id == Encounter.fhir_connection_id,
                                             FhirConnection.owner_id.is_not(None),
                                             FhirConnection.owner_id != user.id)
    return or_(~exists(others), Encounter.launched_by_id == user.id)


def _others_private(user: User, encounter: Encounter) -> bool:
    """The encounter came by another person's private connection, and `user` neither administers the
    organisation nor reached the encounter themselves (their launch, or the encounter of the
    practitioner they are, or a patient's own)."""
    connection = encounter.fhir_connection if encounter.fhir_connection_id is not None else None
    if connection is None or connection.owner_id is None or connection.owner_id == user.id:
        return False
    if Role.ADMIN in user.roles or encounter.launched_by_id == user.id:
        return False
    identity = _fhir_identity(user)
    if _is_person_outside_care_team(user):
        return False   # a patient sees only their own encounters anyway (why_not_see)
    return not (Role.CLINICIAN in user.roles and identity is not None and _clinicians_own(user, encounter))


def visible(user: User) -> ColumnElement[bool]:
    """SQL filter: the encounters `user` may see (for lists: the queue, the API, bulk actions)."""
    if not user.active or not user.is_member_of(user.organization_id):
        return false()
    own_org = Encounter.organization_id == user.organization_id
    identity = _fhir_identity(user)
    if _is_person_outside_care_team(user):
        if identity is None or identity[0] not in _PERSONAS_WITH_PATIENT:
            return false()
        return and_(own_org, Encounter.source_system == normalize_iss(user.issuer),
                    Encounter.fhir_patient_id == identity[1])
    roles = user.roles
    if roles & SEES_ORGANIZATION:
        everything = and_(own_org, _not_others_private(user))
        return or_(everything, and_(own_org, _clinicians_mine(user))) if Role.CLINICIAN in roles else everything
    if Role.CLINICIAN in roles:
        return and_(own_org, _clinicians_mine(user))
    return false()


def _clinicians_mine(user: User) -> ColumnElement[bool]:
    """SQL: a clinician's encounters, those they launched or are the practitioner of."""
    identity = _fhir_identity(user)
    mine: ColumnElement[bool] = Encounter.launched_by_id == user.id
    if identity is not None and identity[0] == "Practitioner":
        mine = or_(mine, and_(Encounter.fhir_provider_id == identity[1],
                              Encounter.source_system == normalize_iss(user.issuer)))
    return mine


def _clinicians_own(user: User, encounter: Encounter) -> bool:
    """A clinician's encounter: one they launched, or one naming them as its practitioner."""
    identity = _fhir_identity(user)
    return encounter.launched_by_id == user.id or (
        identity is not None and identity[0] == "Practitioner" and encounter.fhir_provider_id == identity[1]
        and encounter.source_system == normalize_iss(user.issuer))


def exists_for(user: User, encounter: Encounter) -> bool:
    """False when `encounter` must not even exist for `user` (answer 404, as for an unknown id): another
    organisation's (than the active one), or another person's private connection's."""
    return (encounter.organization_id == user.organization_id and user.is_member_of(user.organization_id)
            and not _others_private(user, encounter))


def why_not_see(user: User, encounter: Encounter) -> str | None:
    """None when `user` may open `encounter`; else the reason, in words (callers answer 404 or 403)."""
    if encounter.organization_id != user.organization_id or not user.is_member_of(user.organization_id):
        return "This encounter belongs to another organization."
    if not user.active:
        return "This account is deactivated."
    if _others_private(user, encounter):
        return ("This encounter came by another person's private connection: only they and the "
                "organization's administrators see it.")
    identity = _fhir_identity(user)
    if _is_person_outside_care_team(user):
        if (identity is not None and identity[0] in _PERSONAS_WITH_PATIENT
                and encounter.fhir_patient_id == identity[1]
                and encounter.source_system == normalize_iss(user.issuer)):
            return None
        return "Patients see only their own encounters."
    roles = user.roles
    if roles & SEES_ORGANIZATION or (Role.CLINICIAN in roles and _clinicians_own(user, encounter)):
        return None
    if Role.CLINICIAN in roles:
        return ("Clinicians see the encounters they launched or are the practitioner of; ask a coder for "
                "this one.")
    return f"Your account has no role that shows encounters yet. {ASK}"


def why_not_decide(user: User, encounter: Encounter) -> str | None:
    """None when `user` may decide, edit and approve codes on `encounter`; else the reason, in words."""
    hidden = why_not_see(user, encounter)
    if hidden is not None:
        return hidden
    roles = user.roles
    if roles & DECIDES_ORGANIZATION or (Role.CLINICIAN in roles and _clinicians_own(user, encounter)):
        return None
    if Role.CLINICIAN in roles:
        return ("You see this encounter read-only; as a clinician you decide on the encounters you launched "
                f"or are the practitioner of. Ask a coder, or: {ASK}")
    if _is_person_outside_care_team(user):
        return "Your role can view codes but not change them."
    return f"Your role can view codes but not change them. {ASK}"


def scope_note(user: User) -> str | None:
    """What the work queue leaves out for this person, in words (None: nothing)."""
    if user.roles & SEES_ORGANIZATION or _is_person_outside_care_team(user):
        return None
    if Role.CLINICIAN in user.roles:
        return ("As a clinician you see the encounters you launched or are the practitioner of; coders see "
                f"every encounter of the organization. {ASK}")
    return f"Your account has no role that shows encounters yet. {ASK}"


def why_not_manage_connections(user: User) -> str | None:
    """None when `user` may add, test and sync FHIR connections; else the reason, in words."""
    if user.roles & MANAGES_CONNECTIONS:
        return None
    held = ", ".join(r.value.replace("_", " ") for r in user.sorted_roles) or "no role"
    return (f"Connections and syncs are for coders and administrators; you are signed in as {held}. {ASK}")


def why_not_manage_connection(user: User, connection: FhirConnection) -> str | None:
    """None when `user` may change, delete or schedule this connection: the organisation's shared ones are
    its administrators'; a private one is its owner's (and the administrators'). Using one to sync or
    test needs only `why_not_manage_connections`."""
    why = why_not_manage_connections(user)
    if why is not None or Role.ADMIN in user.roles:
        return why
    if connection.owner_id is None:
        return ("This is the organization's shared connection: its administrators change it. You can sync with "
                "it, or add a private connection of your own.")
    if connection.owner_id != user.id:
        return "This is another person's private connection."
    return None


def why_not_share_connection(user: User) -> str | None:
    """Adding a connection shared with the whole organisation is an administrator's decision."""
    if Role.ADMIN in user.roles:
        return None
    return ("Connections shared with the organization are added by its administrators; add it as your private "
            "connection, or ask an administrator.")


def why_not_upload(user: User) -> str | None:
    """None when `user` may upload notes; else the reason, in words."""
    if user.roles & UPLOADS:
        return None
    return f"Your role can view encounters but not upload notes. {ASK}"


def why_not_administer(user: User) -> str | None:
    """None when `user` may change who holds which role; else the reason, in words."""
    if Role.ADMIN in user.roles:
        return None
    return "Only an administrator can change roles."


def can_decide(user: User, encounter: Encounter) -> bool:
    return why_not_decide(user, encounter) is None


def can_see_audit(user: User, encounter: Encounter) -> bool:
    """The trail holds no PHI; anyone who may see the encounter may see who touched it."""
    return why_not_see(user, encounter) is None


def why_not_see_insights(user: User) -> str | None:
    """Coding insights (the organisation's numbers, never PHI) are for coders and administrators."""
    if _is_person_outside_care_team(user) or not user.roles & {Role.ADMIN, Role.CODER}:
        return "Coding insights are for coders and administrators."
    return None


def why_not_reset_learning(user: User) -> str | None:
    """Starting the organisation's learning over is an administrator's decision."""
    if why_not_see_insights(user) is not None or Role.ADMIN not in user.roles:
        return "Only an administrator can reset what RevRX learned from decisions."
    return None
