"""When the EHR gives a patient but no encounter (standalone launch, or an EHR without encounter
context), the user picks one of the patient's encounters: searched with the launch's own token, and
checked again on choice so a forged form cannot pull in another patient's encounter.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartapp.fhir.client import FhirClient
from smartapp.fhir.encounters import parse_encounter
from smartapp.fhir.errors import FhirNotFound

MAX_CHOICES = 50


@dataclass(frozen=True)
class EncounterChoice:
    id: str
    date: str
    kind: str
    status: str


def patient_encounters(client: FhirClient, patient_id: str) -> list[EncounterChoice]:
    """The patient's encounters, newest first (sorted here too: not every server honours `_sort`)."""
    found = client.search("Encounter", {"patient": patient_id, "_sort": "-date", "_count": str(MAX_CHOICES)})
    choices = []
    for resource in found:
        if resource.get("resourceType") != "Encounter" or not resource.get("id"):
            continue
        info = parse_encounter(resource)
        if info.patient_id not in (None, patient_id):
            continue
        choices.append(EncounterChoice(
            id=info.id, date=str(info.date_of_service or info.period_start or ""),
            kind=info.type_text or info.class_code or "Encounter", status=info.status or "",
        ))
    choices.sort(key=lambda c: c.date, reverse=True)
    return choices[:MAX_CHOICES]


def belongs_to_patient(client: FhirClient, encounter_id: str, patient_id: str) -> bool:
    try:
        resource = client.read("Encounter", encounter_id)
    except FhirNotFound:
        return False
    return parse_encounter(resource).patient_id == patient_id
