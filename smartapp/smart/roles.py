"""Where a person's roles come from at sign-in: the EHR first, then the registration's policy.

A registration's `roles` policy in launch.json (docs/ehr-registration.md#roles):

    "roles": {
      "practitioner_role": {"coder": ["http://example.org/staff-role|coder"],
                            "clinician": ["http://terminology.hl7.org/CodeSystem/practitioner-role|doctor"]},
      "claim": "revrx_roles",
      "otherwise": "by_launch"
    }

- `practitioner_role`: which PractitionerRole codes ("system|code", or a bare code) make which RevRX
  role. The codes are read from the EHR with the person's own token (fhirUser → PractitionerRole).
- `claim`: an id_token claim where the EHR names roles (a list or a space-separated string); each value
  is a RevRX role name or one of the codes above.
- `otherwise`: the roles when the EHR says nothing — a list of roles, or "by_launch": clinician when
  launched from inside the EHR, coder when signing in standalone (what RevRX always did). Recomputed
  at every sign-in, so it never sticks to a person.

Everything the EHR says is recomputed at every sign-in too. A person may hold several roles. An
administrator's decision (the People page) overrides all of this until it is withdrawn. A patient or a
patient's relative is read-only whatever anyone says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smartapp.models.enums import Role, RoleSource

BY_LAUNCH = "by_launch"
PERSONS_OUTSIDE_CARE_TEAM = ("Patient", "RelatedPerson")


class RolePolicyError(ValueError):
    """The registration's `roles` policy cannot be understood; the message names the fix."""


@dataclass(frozen=True)
class RolePolicy:
    codes: Mapping[str, frozenset[Role]] = field(default_factory=dict)   # EHR code -> roles it gives
    claim: str | None = None
    otherwise: frozenset[Role] | None = None    # None: by the kind of launch

    @property
    def reads_practitioner_roles(self) -> bool:
        return bool(self.codes)


@dataclass(frozen=True)
class Derived:
    roles: frozenset[Role]
    source: RoleSource
    basis: str     # in words, for the People page and the log: why these roles


def _role(value: object, where: str) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise RolePolicyError(f"{where}: roles names an unknown role {value!r} (one of {known})") from None


def parse_policy(raw: object, where: str) -> RolePolicy:
    """The `roles` object of one registration (absent: the default policy, by the kind of launch)."""
    if raw is None:
        return RolePolicy()
    if not isinstance(raw, dict):
        raise RolePolicyError(f"{where}: roles must be an object")
    codes: dict[str, set[Role]] = {}
    mapping = raw.get("practitioner_role") or {}
    if not isinstance(mapping, dict):
        raise RolePolicyError(f"{where}: roles.practitioner_role maps a role to a list of codes")
    for role_name, listed in mapping.items():
        role = _role(role_name, where)
        if not isinstance(listed, list) or not all(isinstance(c, str) and c for c in listed):
            raise RolePolicyError(f"{where}: roles.practitioner_role.{role_name} must be a list of codes")
        for code in listed:
            codes.setdefault(code, set()).add(role)
    otherwise_raw = raw.get("otherwise", BY_LAUNCH)
    if otherwise_raw == BY_LAUNCH:
        otherwise = None
    elif isinstance(otherwise_raw, list) and otherwise_raw:
        otherwise = frozenset(_role(r, where) for r in otherwise_raw)
    else:
        raise RolePolicyError(f"{where}: roles.otherwise is \"by_launch\" or a non-empty list of roles")
    claim = raw.get("claim")
    if claim is not None and not (isinstance(claim, str) and claim):
        raise RolePolicyError(f"{where}: roles.claim names an id_token claim")
    return RolePolicy(codes={c: frozenset(r) for c, r in codes.items()}, claim=claim, otherwise=otherwise)


def _claim_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _from_values(policy: RolePolicy, values: Iterable[str]) -> set[Role]:
    roles: set[Role] = set()
    for value in values:
        roles |= policy.codes.get(value, frozenset())
        bare = value.rpartition("|")[2]
        roles |= policy.codes.get(bare, frozenset())   # the EHR's coding, the policy's bare code
        if value in {r.value for r in Role}:
            roles.add(Role(value))
    return roles


def _words(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(r.value.replace("_", " ") for r in roles))


def derive(policy: RolePolicy, *, person_type: str, claims: Mapping[str, Any], role_codes: Iterable[str],
           ehr_launch: bool) -> Derived:
    """The roles a sign-in gives, and on what basis."""
    if person_type in PERSONS_OUTSIDE_CARE_TEAM:
        return Derived(frozenset({Role.READ_ONLY}), RoleSource.REGISTRATION,
                       f"signed in as a {person_type}: read-only")
    from_ehr: set[Role] = set()
    said: list[str] = []
    if policy.claim and policy.claim in claims:
        got = _from_values(policy, _claim_values(claims[policy.claim]))
        if got:
            from_ehr |= got
            said.append(f"the id_token's {policy.claim} claim")
    got = _from_values(policy, role_codes)
    if got:
        from_ehr |= got
        said.append("PractitionerRole in the EHR")
    if from_ehr:
        return Derived(frozenset(from_ehr), RoleSource.EHR, f"{_words(from_ehr)} from {' and '.join(said)}")
    if policy.otherwise is not None:
        return Derived(policy.otherwise, RoleSource.REGISTRATION,
                       f"{_words(policy.otherwise)}: the EHR names no role, the registration's default")
    role = Role.CLINICIAN if ehr_launch else Role.CODER
    how = "launched from inside the EHR" if ehr_launch else "signed in standalone"
    return Derived(frozenset({role}), RoleSource.REGISTRATION,
                   f"{role.value}: the EHR names no role and this sign-in {how}")
