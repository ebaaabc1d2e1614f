"""Who may change what on an encounter, in one place (no Flask).

- read-only: sees the codes, changes nothing;
- clinician: decides and approves the encounters they launched (or that nobody launched);
- coder: any encounter of their organization;
- admin: everything a coder may, plus the audit view of any encounter.
The organization boundary itself is checked where the encounter is loaded.
"""

from __future__ import annotations

from smartapp.models import Encounter, Role, User


def why_not_decide(user: User, encounter: Encounter) -> str | None:
    """None when `user` may decide, edit and approve codes on `encounter`; else the reason, in words."""
    if user.role == Role.READ_ONLY:
        return "Your role can view codes but not change them."
    if user.role == Role.CLINICIAN and encounter.launched_by_id not in (None, user.id):
        return "Clinicians can change and approve the encounters they launched; ask a coder for this one."
    return None


def can_decide(user: User, encounter: Encounter) -> bool:
    return why_not_decide(user, encounter) is None


def can_see_audit(user: User, encounter: Encounter) -> bool:
    """The trail holds no PHI; anyone who may see the encounter may see who touched it."""
    return user.organization_id == encounter.organization_id
