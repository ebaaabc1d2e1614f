"""Launch context from the token response: patient, encounter, banner, style, intent, tenant.

Unknown keys are ignored; `fhirContext` references are kept for later use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LaunchContext:
    patient: str | None = None
    encounter: str | None = None
    need_patient_banner: bool = False
    smart_style_url: str | None = None
    intent: str | None = None
    tenant: str | None = None
    fhir_context: list[dict[str, Any]] = field(default_factory=list)


def _reference_id(ref: str | None, resource_type: str) -> str | None:
    if not ref:
        return None
    parts = ref.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == resource_type else None


def parse_context(token: dict[str, Any]) -> LaunchContext:
    fhir_context = [c for c in token.get("fhirContext", []) if isinstance(c, dict)]
    encounter = token.get("encounter")
    if not encounter:
        # SMART 2.2: the encounter may arrive only as a fhirContext reference.
        for item in fhir_context:
            encounter = _reference_id(item.get("reference"), "Encounter") or encounter
    banner = token.get("need_patient_banner", False)
    return LaunchContext(
        patient=token.get("patient") or None,
        encounter=encounter or None,
        need_patient_banner=banner is True or str(banner).lower() == "true",
        smart_style_url=token.get("smart_style_url") or None,
        intent=token.get("intent") or None,
        tenant=token.get("tenant") or None,
        fhir_context=fhir_context,
    )
