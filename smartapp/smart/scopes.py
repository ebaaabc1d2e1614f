"""SMART scopes, v1 (`patient/Claim.write`) and v2 (`user/Claim.c`): does a granted set allow an action?"""

from __future__ import annotations

import re

_SCOPE = re.compile(r"^(patient|user|system)/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$")
_V1 = {"read": "rs", "write": "cud", "*": "cruds"}


def allows(granted: set[str] | str, resource_type: str, action: str) -> bool:
    """True if any granted scope permits `action` (one of c, r, u, d, s) on `resource_type`."""
    scopes = granted.split() if isinstance(granted, str) else granted
    for scope in scopes:
        match = _SCOPE.match(scope)
        if not match:
            continue
        _, resource, perms, _query = match.groups()
        if resource not in (resource_type, "*"):
            continue
        letters = _V1.get(perms, perms)
        if action in letters:
            return True
    return False
