"""When the EHR gives a patient but no encounter (standalone launch, or an EHR without encounter
context), the user picks one of the patient's encounters: searched with the launch's own token, and
checked again on choice so a forged form cannot pull in another patient's encounter.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartapp.fhir.capabilities import resource_capability
from smartapp.fhir.client import FhirClient
from smartapp.fhir.encounters import parse_encounter
from smartapp.fhir.errors import FhirAuthError, FhirError, FhirNotFound

MAX_CHOICES = 50


@dataclass(frozen=True)
class EncounterChoice:
    id: str
    date: str
    kind: str
    status: str


def patient_encounters(client: FhirClient, patient_id: str) -> list[EncounterChoice]:
    """The patient's encounters, newest first (sorted here too: not every server honours `_sort`, and it
    is sent only where the CapabilityStatement declares it; Epic and Oracle refuse undeclared ones)."""
    params = {"patient": patient_id, "_count": str(MAX_CHOICES)}
    if _declares_sort(client):
        params["_sort"] = "-date"
    found = client.search("Encounter", params)
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


def _declares_sort(client: FhirClient) -> bool:
    try:
        statement = client.capabilities()
    except FhirAuthError:
        raise
    except FhirError:
        return False
    resource = resource_capability(statement, "Encounter") or {}
    return any(isinstance(p, dict) and p.get("name") == "_sort" for p in resource.get("searchParam") or [])


def belongs_to_patient(client: FhirClient, encounter_id: str, patient_id: str) -> bool:
    try:
        resource = client.read("Encounter", encounter_id)
    except FhirNotFound:
        return False
    return parse_encounter(resource).patient_id == patient_id
