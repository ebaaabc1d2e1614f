"""Which search parameters each resource type supports, and how to pull their values out of JSON.

One table drives search, `_include`/`_revinclude` and the CapabilityStatement, so what the server
announces is exactly what it does. Paths are dotted element names; a step through a list visits every
item (FHIRPath-like, without functions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SearchParam:
    name: str
    kind: str  # token | reference | string | date
    paths: tuple[str, ...]
    targets: tuple[str, ...] = ()  # resource types a reference parameter points at
    doc: str = ""


def _p(name: str, kind: str, *paths: str, targets: tuple[str, ...] = (), doc: str = "") -> SearchParam:
    return SearchParam(name, kind, paths, targets, doc)


_ID = _p("_id", "token", "id", doc="Logical id")
_IDENT = _p("identifier", "token", "identifier", doc="system|value")
_PATIENT_SUBJECT = _p("patient", "reference", "subject", targets=("Patient",))
_SUBJECT = _p("subject", "reference", "subject", targets=("Patient", "Group"))
_STATUS = _p("status", "token", "status")

_DEFS: dict[str, list[SearchParam]] = {
    "Patient": [
        _ID, _IDENT,
        _p("name", "string", "name", doc="Any part of the name, prefix match"),
        _p("family", "string", "name.family"),
        _p("given", "string", "name.given"),
        _p("gender", "token", "gender"),
        _p("birthdate", "date", "birthDate"),
    ],
    "Practitioner": [_ID, _IDENT, _p("name", "string", "name")],
    "Organization": [_ID, _IDENT, _p("name", "string", "name")],
    "PractitionerRole": [
        _ID, _IDENT,
        _p("practitioner", "reference", "practitioner", targets=("Practitioner",)),
        _p("organization", "reference", "organization", targets=("Organization",)),
        _p("role", "token", "code"),
        _p("active", "token", "active"),
    ],
    "Encounter": [
        _ID, _IDENT, _PATIENT_SUBJECT, _SUBJECT, _STATUS,
        _p("date", "date", "period", doc="ge/le/gt/lt/eq prefixes"),
        _p("participant", "reference", "participant.individual", targets=("Practitioner",)),
        _p("practitioner", "reference", "participant.individual", targets=("Practitioner",)),
        _p("service-provider", "reference", "serviceProvider", targets=("Organization",)),
        _p("class", "token", "class"),
        _p("type", "token", "type"),
    ],
    "DocumentReference": [
        _ID, _IDENT, _PATIENT_SUBJECT, _SUBJECT, _STATUS,
        _p("encounter", "reference", "context.encounter", targets=("Encounter",)),
        _p("type", "token", "type"),
        _p("category", "token", "category"),
        _p("date", "date", "date"),
        _p("author", "reference", "author", targets=("Practitioner", "Organization")),
    ],
    "Composition": [
        _ID, _IDENT, _PATIENT_SUBJECT, _SUBJECT, _STATUS,
        _p("encounter", "reference", "encounter", targets=("Encounter",)),
        _p("type", "token", "type"),
        _p("date", "date", "date"),
        _p("author", "reference", "author", targets=("Practitioner",)),
    ],
    "DiagnosticReport": [
        _ID, _IDENT, _PATIENT_SUBJECT, _SUBJECT, _STATUS,
        _p("encounter", "reference", "encounter", targets=("Encounter",)),
        _p("category", "token", "category"),
        _p("code", "token", "code"),
        _p("date", "date", "effectiveDateTime"),
    ],
    "Coverage": [
        _ID, _IDENT, _STATUS,
        _p("patient", "reference", "beneficiary", targets=("Patient",)),
        _p("beneficiary", "reference", "beneficiary", targets=("Patient",)),
        _p("payor", "reference", "payor", targets=("Organization", "Patient")),
    ],
    "Claim": [
        _ID, _IDENT, _STATUS,
        _p("patient", "reference", "patient", targets=("Patient",)),
        _p("encounter", "reference", "item.encounter", targets=("Encounter",)),
        _p("use", "token", "use"),
        _p("created", "date", "created"),
        _p("provider", "reference", "provider", targets=("Practitioner", "Organization")),
    ],
    "ChargeItem": [
        _ID, _IDENT, _PATIENT_SUBJECT, _SUBJECT, _STATUS,
        _p("encounter", "reference", "context", targets=("Encounter",)),
        _p("context", "reference", "context", targets=("Encounter",)),
        _p("code", "token", "code"),
    ],
    "Condition": [
        _ID, _IDENT, _PATIENT_SUBJECT, _SUBJECT,
        _p("encounter", "reference", "encounter", targets=("Encounter",)),
        _p("clinical-status", "token", "clinicalStatus"),
        _p("code", "token", "code"),
        _p("category", "token", "category"),
    ],
    "Binary": [_ID],
}

SEARCH_PARAMS: dict[str, dict[str, SearchParam]] = {
    rtype: {p.name: p for p in params} for rtype, params in _DEFS.items()
}
SUPPORTED_TYPES: tuple[str, ...] = tuple(sorted(SEARCH_PARAMS))


def values_at(node: Any, path: str) -> list[Any]:
    """Every value at a dotted path, flattening lists along the way."""
    current: list[Any] = [node]
    for step in path.split("."):
        found: list[Any] = []
        for item in current:
            if isinstance(item, dict) and step in item:
                value = item[step]
                found.extend(value if isinstance(value, list) else [value])
        current = found
    return current


def reference_params(rtype: str) -> list[SearchParam]:
    return [p for p in SEARCH_PARAMS.get(rtype, {}).values() if p.kind == "reference"]


def search_includes(rtype: str) -> list[str]:
    """`_include` values this type supports, e.g. Encounter:patient."""
    return [f"{rtype}:{p.name}" for p in reference_params(rtype)]


def search_rev_includes(rtype: str) -> list[str]:
    """`_revinclude` values that can point at this type, e.g. DocumentReference:encounter."""
    found: list[str] = []
    for source in SUPPORTED_TYPES:
        found.extend(f"{source}:{p.name}" for p in reference_params(source) if rtype in p.targets)
    return found
