"""SMART scopes, v1 (`patient/Claim.write`) and v2 (`user/Claim.c`): what to ask for, in which dialect,
and whether a granted set allows an action.

A registration lists its scopes in launch.json in either dialect; `requested()` turns them into what
one launch asks for: the EHR-launch or standalone form, in the dialect the server speaks (the
registration's `scope_dialect`, or `auto`, checked against the server's advertised
`permission-v1`/`permission-v2` capabilities).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_SCOPE = re.compile(r"^(patient|user|system)/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$")
_V1 = {"read": "rs", "write": "cud", "*": "cruds"}
_V2_ORDER = "cruds"


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


def searcher(granted: str | None) -> Callable[[str], bool] | None:
    """Whether a token with these granted scopes may search a type; None when nothing is known (no scope
    recorded, or a grant without any resource scope: then the server's answers decide)."""
    if not granted or not any(_SCOPE.match(s) for s in granted.split()):
        return None
    return lambda resource_type: allows(granted, resource_type, "s")


def to_v2(scope: str) -> str:
    match = _SCOPE.match(scope)
    if not match or match.group(3) not in _V1:
        return scope
    context, resource, perms, query = match.groups()
    return f"{context}/{resource}.{_V1[perms]}{query or ''}"


def to_v1(scope: str) -> str:
    """v2 to v1; a v2 query (granular scope) has no v1 form and is dropped with it."""
    match = _SCOPE.match(scope)
    if not match or match.group(3) in _V1:
        return scope
    context, resource, perms, _query = match.groups()
    reads, writes = bool(set(perms) & set("rs")), bool(set(perms) & set("cud"))
    word = "*" if reads and writes else "write" if writes else "read"
    return f"{context}/{resource}.{word}"


def dialect_for(preferred: str, capabilities: Iterable[str]) -> str:
    """v1 or v2: the registration's choice unless the server advertises only the other one."""
    caps = set(capabilities)
    speaks = {d for d in ("v1", "v2") if f"permission-{d}" in caps}
    if preferred in speaks or not speaks:
        return preferred if preferred in ("v1", "v2") else "v2"
    return "v2" if "v2" in speaks else "v1"


def in_dialect(scopes: Iterable[str], dialect: str) -> list[str]:
    convert = to_v1 if dialect == "v1" else to_v2
    out: list[str] = []
    for scope in scopes:
        converted = convert(scope)
        if converted not in out:
            out.append(converted)
    return out


def requested(scopes: Iterable[str], *, dialect: str, capabilities: Iterable[str], standalone: bool) -> list[str]:
    """What one launch asks for. EHR launch: `launch` plus the resource scopes. Standalone: no
    `launch`, but `launch/patient`, and `launch/encounter` where the server offers an encounter picker."""
    caps = set(capabilities)
    wanted = in_dialect(scopes, dialect_for(dialect, caps))
    if standalone:
        wanted = [s for s in wanted if s != "launch"]
        extra = ["launch/patient"]
        if "context-standalone-encounter" in caps:
            extra.append("launch/encounter")
        wanted = [*extra, *(s for s in wanted if s not in extra)]
    elif "launch" not in wanted:
        wanted.insert(0, "launch")
    return wanted


def granted(token_scope: str | None, requested_scope: str) -> str:
    """The scopes the EHR granted: its `scope` answer, or (RFC 6749 section 5.1) what was requested."""
    return " ".join((token_scope or requested_scope).split())
