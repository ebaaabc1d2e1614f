"""SMART scopes: parse v1 (`patient/Encounter.read`) and v2 (`patient/Encounter.rs`) forms.

Enforcement is deliberately loose, like many real EHRs: a scope grants an interaction on a resource
type in any context (patient/, user/, system/), and patient-context tokens are not limited to the
patient's compartment. Reads and searches both accept `r`, `s` or v1 `read`; creates need `c` or v1
`write`; updates need `u` or v1 `write`.
"""

from __future__ import annotations

from dataclasses import dataclass

V1_PERMISSIONS = {"read": frozenset("rs"), "write": frozenset("cud"), "*": frozenset("cruds")}

# What each interaction accepts from a parsed scope.
INTERACTION_NEEDS = {
    "read": frozenset("rs"),
    "search": frozenset("rs"),
    "create": frozenset("c"),
    "update": frozenset("u"),
}


@dataclass(frozen=True)
class ResourceScope:
    context: str
    resource: str
    permissions: frozenset[str]


def parse_scope(scope: str) -> ResourceScope | None:
    """One resource scope, or None for launch/openid/fhirUser/offline_access and the malformed."""
    if "/" not in scope or "." not in scope:
        return None
    context, _, rest = scope.partition("/")
    if context not in {"patient", "user", "system"}:
        return None
    rest = rest.split("?", 1)[0]  # v2 granular scopes: ignore the query part (loose enforcement)
    resource, _, perms = rest.rpartition(".")
    if not resource:
        return None
    if perms in V1_PERMISSIONS:
        return ResourceScope(context, resource, V1_PERMISSIONS[perms])
    if perms and set(perms) <= set("cruds"):
        return ResourceScope(context, resource, frozenset(perms))
    return None


def resource_scopes(scope_string: str) -> list[ResourceScope]:
    parsed = (parse_scope(s) for s in scope_string.split())
    return [s for s in parsed if s is not None]


def allows(scope_string: str, resource_type: str, interaction: str) -> bool:
    """Does any scope in the granted string allow `interaction` on `resource_type`?"""
    needs = INTERACTION_NEEDS[interaction]
    return any(
        s.resource in {resource_type, "*"} and bool(s.permissions & needs)
        for s in resource_scopes(scope_string)
    )


def has(scope_string: str, name: str) -> bool:
    return name in scope_string.split()
