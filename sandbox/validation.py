"""Business rules for resources clients write, answered with 422 Unprocessable Entity.

Claims get the strictest check because write-back is what RevRX does: every element R4 marks 1..1
(status, type, use, patient, created, provider, priority, insurance) must be present, the coded
elements must use their required value sets, and local references to the patient, the encounter and
the coverage must resolve — a real payer-facing EHR would refuse the claim otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.outcome import FhirError
from sandbox.search_params import values_at
from sandbox.store import Resource, ResourceStore

ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")

REQUIRED: dict[str, tuple[str, ...]] = {
    "Claim": ("status", "type", "use", "patient", "created", "provider", "priority", "insurance"),
    "ChargeItem": ("status", "code", "subject"),
    "DocumentReference": ("status", "content"),
    "Composition": ("status", "type", "date", "author", "title"),
    "Encounter": ("status", "class"),
    "Coverage": ("status", "beneficiary", "payor"),
    "Condition": ("subject",),
    "Patient": (),
}
CODES: dict[str, dict[str, set[str]]] = {
    "Claim": {
        "status": {"active", "cancelled", "draft", "entered-in-error"},
        "use": {"claim", "preauthorization", "predetermination"},
    },
    "ChargeItem": {
        "status": {"planned", "billable", "not-billable", "aborted", "billed", "entered-in-error",
                   "unknown"},
    },
}
# Local references that must point at an existing resource: (path, expected type).
MUST_RESOLVE: dict[str, tuple[tuple[str, str], ...]] = {
    "Claim": (("patient", "Patient"), ("item.encounter", "Encounter"), ("insurance.coverage", "Coverage")),
    "ChargeItem": (("subject", "Patient"), ("context", "Encounter")),
}


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def validate_resource(resource: Resource, store: ResourceStore) -> None:
    rtype = resource["resourceType"]
    missing = [name for name in REQUIRED.get(rtype, ()) if _empty(resource.get(name))]
    if missing:
        raise FhirError(422, f"{rtype} is missing required element(s): {', '.join(missing)}", "required")
    for name, allowed in CODES.get(rtype, {}).items():
        if resource.get(name) not in allowed:
            raise FhirError(422, f"{rtype}.{name} must be one of {sorted(allowed)}", "code-invalid")
    if rtype == "Claim":
        for index, item in enumerate(resource.get("insurance") or []):
            if not isinstance(item, dict) or _empty(item.get("coverage")) or "focal" not in item:
                raise FhirError(422, f"Claim.insurance[{index}] needs focal and coverage", "required")
    for path, target in MUST_RESOLVE.get(rtype, ()):
        for ref in values_at(resource, path):
            reference = ref.get("reference") if isinstance(ref, dict) else None
            if not isinstance(reference, str) or "/" not in reference or "://" in reference:
                continue  # contained ('#x'), logical or external references are not checked
            ref_type, _, ref_id = reference.partition("/")
            if ref_type != target or store.get(ref_type, ref_id.split("/")[0]) is None:
                raise FhirError(422, f"{rtype}.{path} reference {reference!r} does not resolve", "invalid")
