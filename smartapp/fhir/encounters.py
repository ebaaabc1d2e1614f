"""Encounter → EncounterInfo: the facts coding and write-back need, from R4 or R5-shaped JSON.

Never raises for missing or odd pieces: they are named in `missing` so the UI can ask for them
(e.g. no attending provider) instead of the job failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from smartapp.fhir._values import as_dict, concept_text, dicts, parse_date, text_of
from smartapp.fhir.references import Ref, parse_reference

# Participant types that name the clinician who owns the encounter, best first.
_PROVIDER_TYPES = ("ATND", "PPRF", "attending", "PART", "SPRF", "CON", "ADM")
_PROVIDER_RESOURCES = ("Practitioner", "PractitionerRole")


@dataclass
class EncounterInfo:
    id: str
    status: str | None
    patient_id: str | None
    provider_ref: str | None  # "Practitioner/1" or "PractitionerRole/2" (resolve the role to a person)
    provider_id: str | None  # a Practitioner id, once known
    date_of_service: date | None
    period_start: str | None
    period_end: str | None
    class_code: str | None
    type_text: str | None
    service_provider: str | None
    missing: list[str] = field(default_factory=list)
    provider_display: str | None = None
    # A conditional participant reference ("Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|123", as
    # Synthea writes them): resolved by a search (fhir/context.py), else only its display is known.
    provider_search: str | None = None
    reasons: list[str] = field(default_factory=list)   # reasonCode texts, e.g. "Chest pain"
    period_end_date: date | None = None                # last day of a multi-day stay (None: same day)

    @property
    def days(self) -> int:
        """Days the encounter spans (1 for a visit that starts and ends on one day)."""
        if self.date_of_service is None or self.period_end_date is None:
            return 1
        return max(1, (self.period_end_date - self.date_of_service).days + 1)

    @property
    def provider_is_role(self) -> bool:
        return bool(self.provider_ref and self.provider_ref.startswith("PractitionerRole/"))


def parse_encounter(resource: dict[str, Any]) -> EncounterInfo:
    missing: list[str] = []
    patient = parse_reference(resource.get("subject") or resource.get("patient"), default_type="Patient")
    patient_id = patient.id if patient and patient.resource_type == "Patient" else None
    if not patient_id:
        missing.append("patient")

    provider = _pick_provider(resource)
    provider_ref = provider.relative if provider else None
    provider_id = provider.id if provider and provider.resource_type == "Practitioner" else None
    provider_search = provider.raw if provider and provider.id is None and "?" in provider.raw else None
    if provider_ref is None and provider_search is None:
        missing.append("provider")

    # R5 renamed period to actualPeriod; fall back to the planned period only as a last resort.
    period = next((as_dict(resource[k]) for k in ("period", "actualPeriod") if as_dict(resource.get(k))), {})
    start, end = text_of(period.get("start")), text_of(period.get("end"))
    date_of_service = parse_date(start) or parse_date(end)
    last_day = parse_date(end)
    if date_of_service is None:
        missing.append("date_of_service")

    class_code = _class_code(resource.get("class"))
    if class_code is None:
        missing.append("class")
    type_text = concept_text(resource.get("type"))
    service_provider = parse_reference(resource.get("serviceProvider"), default_type="Organization")
    status = text_of(resource.get("status"))
    if status is None:
        missing.append("status")

    return EncounterInfo(
        id=str(resource.get("id") or ""),
        status=status,
        patient_id=patient_id,
        provider_ref=provider_ref,
        provider_id=provider_id,
        date_of_service=date_of_service,
        period_start=start,
        period_end=end,
        class_code=class_code,
        type_text=type_text,
        service_provider=(service_provider.display or service_provider.relative) if service_provider else None,
        missing=missing,
        provider_display=provider.display if provider else None,
        provider_search=provider_search,
        reasons=_reasons(resource),
        period_end_date=last_day if last_day and date_of_service and last_day > date_of_service else None,
    )


def _pick_provider(resource: dict[str, Any]) -> Ref | None:
    candidates: list[tuple[int, int, Ref]] = []
    for index, participant in enumerate(dicts(resource.get("participant"))):
        # R4 says individual, R5 says actor.
        ref = _conditional(participant.get("individual") or participant.get("actor")) or \
            parse_reference(participant.get("individual") or participant.get("actor"))
        if ref is None or ref.resource_type not in _PROVIDER_RESOURCES or (ref.id is None and "?" not in ref.raw):
            continue
        codes = [
            str(c.get("code")) for t in dicts(participant.get("type")) for c in dicts(t.get("coding")) if c.get("code")
        ]
        rank = min((_PROVIDER_TYPES.index(c) for c in codes if c in _PROVIDER_TYPES), default=len(_PROVIDER_TYPES))
        candidates.append((rank, index, ref))
    if not candidates:
        return None
    candidates.sort(key=lambda item: (item[0], item[1]))
    return candidates[0][2]


def _class_code(value: Any) -> str | None:
    """R4 class is a Coding; R5 class is a list of CodeableConcept."""
    for item in dicts(value):
        if text := text_of(item.get("code")):
            return text
        for coding in dicts(item.get("coding")):
            if text := text_of(coding.get("code")):
                return text
    return None


_CONDITIONAL = re.compile(r"^(?P<type>Practitioner|PractitionerRole)\?(?P<query>\S+)$")


def _conditional(value: Any) -> Ref | None:
    """A conditional reference ("Practitioner?identifier=sys|123"): the type, no id, the search as `raw`."""
    reference = as_dict(value).get("reference")
    match = _CONDITIONAL.match(reference.strip()) if isinstance(reference, str) else None
    if match is None:
        return None
    display = as_dict(value).get("display")
    return Ref(raw=match.group(0), resource_type=match.group("type"), id=None,
               display=display if isinstance(display, str) else None)


def _reasons(resource: dict[str, Any]) -> list[str]:
    """Why the patient came: R4 reasonCode (CodeableConcepts), R5 reason[].value[].concept."""
    found: list[str] = []
    concepts = dicts(resource.get("reasonCode")) + [
        as_dict(v.get("concept")) for r in dicts(resource.get("reason")) for v in dicts(r.get("value"))]
    for concept in concepts:
        text = concept_text(concept)
        if text and text not in found:
            found.append(text)
    return found
