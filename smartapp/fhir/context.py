"""Everything the coding job needs about one encounter, in as few round trips as the server allows.

With `_revinclude` support (declared in the CapabilityStatement) a single search returns the Encounter,
its Patient and participants, and its notes; otherwise the pieces are read and searched separately.
Binary attachments are then fetched concurrently (bounded). Only an auth failure or a missing
Encounter aborts; anything else degrades to a missing piece or a `SkippedDocument`.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from smartapp.fhir._values import dicts
from smartapp.fhir.capabilities import supported_includes, supported_revincludes
from smartapp.fhir.client import FhirClient
from smartapp.fhir.coverage import find_coverage
from smartapp.fhir.encounters import EncounterInfo, parse_encounter
from smartapp.fhir.errors import FhirAuthError, FhirError, FhirNotFound
from smartapp.fhir.notes import (
    ClinicalNote,
    NoteSkipped,
    SkippedDocument,
    note_from_composition,
    note_from_document_reference,
)
from smartapp.fhir.people import (
    PatientInfo,
    PractitionerInfo,
    parse_patient,
    parse_practitioner,
    practitioner_id_from_role,
)
from smartapp.fhir.references import parse_reference, reference_id

log = logging.getLogger(__name__)

MAX_FETCH_WORKERS = 4
_NOTE_TYPES = ("DocumentReference", "Composition")
_REVINCLUDES = ("DocumentReference:encounter", "Composition:encounter")
_INCLUDES = ("Encounter:patient", "Encounter:participant")


@dataclass
class EncounterContext:
    encounter: EncounterInfo
    patient: PatientInfo | None
    practitioner: PractitionerInfo | None
    coverage: dict[str, Any] | None
    notes: list[ClinicalNote]
    skipped: list[SkippedDocument]
    requests_made: int


def fetch_encounter_context(client: FhirClient, encounter_id: str) -> EncounterContext:
    start_requests = client.requests_made
    skipped: list[SkippedDocument] = []
    resources = _combined_search(client, encounter_id)
    if resources is None:
        resources = _separate_fetch(client, encounter_id, skipped)
    by_type = _group(resources)
    encounter_json = next((r for r in by_type.get("Encounter", []) if r.get("id") == encounter_id), None)
    if encounter_json is None:
        raise FhirNotFound(404, f"The EHR has no encounter {encounter_id}.", None)
    encounter = parse_encounter(encounter_json)

    patient = _patient(client, encounter, by_type)
    practitioner = _practitioner(client, encounter, by_type)
    coverage = _coverage(client, encounter)
    notes = _notes(client, by_type, skipped)
    return EncounterContext(
        encounter=encounter,
        patient=patient,
        practitioner=practitioner,
        coverage=coverage,
        notes=notes,
        skipped=skipped,
        requests_made=client.requests_made - start_requests,
    )


def _combined_search(client: FhirClient, encounter_id: str) -> list[dict[str, Any]] | None:
    """One search for encounter + patient + participants + notes, or None if the server can't."""
    try:
        statement = client.capabilities()
    except FhirAuthError:
        raise
    except FhirError as exc:
        log.info("no CapabilityStatement (%s); using separate searches", exc.status)
        return None
    revincludes = [r for r in _REVINCLUDES if r in supported_revincludes(statement, "Encounter")]
    if not revincludes:
        return None
    declared = supported_includes(statement, "Encounter")
    includes = [i for i in _INCLUDES if i in declared or "*" in declared]
    params: list[tuple[str, str]] = [("_id", encounter_id)]
    params += [("_include", i) for i in includes] + [("_revinclude", r) for r in revincludes]
    try:
        resources = client.search("Encounter", params)
    except FhirAuthError:
        raise
    except FhirError as exc:
        # Declared but refused (some servers overstate their CapabilityStatement).
        log.info("combined Encounter search failed (%s); using separate searches", exc.status)
        return None
    missing_notes = [t for t in _NOTE_TYPES if f"{t}:encounter" not in revincludes]
    patient_id = _patient_id(resources, encounter_id)
    for note_type in missing_notes:
        resources += _search_notes(client, note_type, encounter_id, patient_id, [])
    return resources


def _separate_fetch(client: FhirClient, encounter_id: str, skipped: list[SkippedDocument]) -> list[dict[str, Any]]:
    encounter = client.read("Encounter", encounter_id)
    patient_id = reference_id(encounter.get("subject"), "Patient")
    resources = [encounter]
    for note_type in _NOTE_TYPES:
        resources += _search_notes(client, note_type, encounter_id, patient_id, skipped)
    return resources


def _search_notes(
    client: FhirClient, note_type: str, encounter_id: str, patient_id: str | None, skipped: list[SkippedDocument]
) -> list[dict[str, Any]]:
    # Epic requires a patient parameter on note searches; encounter narrows to this visit.
    params = {"encounter": encounter_id}
    if patient_id:
        params["patient"] = patient_id
    try:
        return client.search(note_type, params)
    except FhirAuthError:
        raise
    except FhirError as exc:
        # Not offered or not granted (e.g. no Composition scope): note it and use what we have.
        if exc.status not in (400, 403, 404, 405, 501):
            raise
        skipped.append(SkippedDocument(note_type, None, f"could not search {note_type}: {exc.user_message}"))
        return []


def _patient_id(resources: list[dict[str, Any]], encounter_id: str) -> str | None:
    for resource in resources:
        if resource.get("resourceType") == "Encounter" and resource.get("id") == encounter_id:
            return reference_id(resource.get("subject"), "Patient")
    return None


def _group(resources: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    for resource in resources:
        key = (str(resource.get("resourceType")), str(resource.get("id")))
        if resource.get("id") is not None and key in seen:
            continue  # paging and _include can return a resource twice
        seen.add(key)
        grouped.setdefault(key[0], []).append(resource)
    return grouped


def _find(by_type: dict[str, list[dict[str, Any]]], resource_type: str, resource_id: str) -> dict[str, Any] | None:
    return next((r for r in by_type.get(resource_type, []) if r.get("id") == resource_id), None)


def _read_optional(client: FhirClient, resource_type: str, resource_id: str) -> dict[str, Any] | None:
    try:
        return client.read(resource_type, resource_id)
    except FhirAuthError:
        raise
    except FhirError as exc:
        log.info("could not read %s (%s)", resource_type, exc.status)
        return None


def _patient(
    client: FhirClient, encounter: EncounterInfo, by_type: dict[str, list[dict[str, Any]]]
) -> PatientInfo | None:
    if not encounter.patient_id:
        return None
    resource = _find(by_type, "Patient", encounter.patient_id) or _read_optional(
        client, "Patient", encounter.patient_id
    )
    return parse_patient(resource) if resource else None


def _practitioner(
    client: FhirClient, encounter: EncounterInfo, by_type: dict[str, list[dict[str, Any]]]
) -> PractitionerInfo | None:
    ref = parse_reference(encounter.provider_ref)
    if ref is None or ref.id is None:
        return None
    if ref.resource_type == "PractitionerRole":
        role = _find(by_type, "PractitionerRole", ref.id) or _read_optional(client, "PractitionerRole", ref.id)
        practitioner_id = practitioner_id_from_role(role) if role else None
        if practitioner_id is None:
            return None
        encounter.provider_id = practitioner_id  # resolved: the person behind the role
    else:
        practitioner_id = ref.id
    resource = _find(by_type, "Practitioner", practitioner_id) or _read_optional(
        client, "Practitioner", practitioner_id
    )
    return parse_practitioner(resource) if resource else None


def _coverage(client: FhirClient, encounter: EncounterInfo) -> dict[str, Any] | None:
    if not encounter.patient_id:
        return None
    return find_coverage(client, encounter.patient_id, encounter.date_of_service)


def _notes(
    client: FhirClient, by_type: dict[str, list[dict[str, Any]]], skipped: list[SkippedDocument]
) -> list[ClinicalNote]:
    notes: list[ClinicalNote] = []
    for composition in by_type.get("Composition", []):
        try:
            notes.append(note_from_composition(composition))
        except NoteSkipped as exc:
            skipped.append(SkippedDocument("Composition", composition.get("id"), exc.reason))
        except Exception:  # a malformed resource must not lose the others
            log.exception("unreadable Composition")
            skipped.append(SkippedDocument("Composition", _id(composition), "the note could not be read"))

    documents = _without_replaced(by_type.get("DocumentReference", []), skipped)

    def load(document: dict[str, Any]) -> ClinicalNote | SkippedDocument:
        try:
            return note_from_document_reference(document, client.read_binary)
        except NoteSkipped as exc:
            return SkippedDocument("DocumentReference", _id(document), exc.reason)
        except FhirAuthError:
            raise
        except Exception:
            log.exception("unreadable DocumentReference")
            return SkippedDocument("DocumentReference", _id(document), "the document could not be read")

    # Binary downloads dominate; a small pool overlaps them without hammering the EHR. Audit records
    # from the pool threads are handed to on_access on this thread.
    with client.holding_access_records(), ThreadPoolExecutor(max_workers=MAX_FETCH_WORKERS) as pool:
        for result in pool.map(load, documents):
            if isinstance(result, ClinicalNote):
                notes.append(result)
            else:
                skipped.append(result)
    notes.sort(key=lambda n: n.date or "")
    return notes


def _without_replaced(documents: list[dict[str, Any]], skipped: list[SkippedDocument]) -> list[dict[str, Any]]:
    """Drop documents that another document in the set says it replaces (amended notes)."""
    replaced = {
        reference_id(rel.get("target"), "DocumentReference")
        for doc in documents
        for rel in dicts(doc.get("relatesTo"))
        if rel.get("code") == "replaces"
    }
    kept = []
    for doc in documents:
        if doc.get("id") in replaced:
            skipped.append(SkippedDocument("DocumentReference", _id(doc), "replaced by a newer version"))
        else:
            kept.append(doc)
    return kept


def _id(resource: dict[str, Any]) -> str | None:
    value = resource.get("id")
    return value if isinstance(value, str) else None
