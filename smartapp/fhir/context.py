"""Everything the coding job needs about one encounter, in as few round trips as the server allows.

Round 1 reads the CapabilityStatement. Round 2 gets the Encounter and its notes in one request: a
search with `_revinclude` (and `_include` for Patient and participants) where the server declares
it, else a `batch` Bundle where the server declares that, else separate requests. Round 3 fetches
whatever is still missing — Patient, Practitioner, Coverage and every Binary attachment — together,
on a small bounded pool. So a server with `_revinclude` answers a launch in three sequential round
trips however many notes there are.

Note searches always carry `patient` (Epic and Oracle Health refuse a DocumentReference search without
it): a batch is used only when the patient is known before the Encounter is read (the launch or the
stored encounter says), otherwise the Encounter is read first. Which note types are searched comes
from the CapabilityStatement (Composition and DiagnosticReport only where declared: neither vendor has
Composition) and from the token's granted scopes (`FhirClient.may_search`): a type the registration did
not request is never searched.

Only an auth failure, a missing Encounter, or an encounter without notes whose note searches failed
or were refused aborts (the user sees why; never "no codes"); anything else degrades to a missing piece
or a `SkippedDocument` the user is shown.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from smartapp.fhir._values import dicts
from smartapp.fhir.capabilities import (
    declared_search_params,
    resource_capability,
    supported_includes,
    supported_revincludes,
    supports_system_interaction,
)
from smartapp.fhir.client import FhirClient
from smartapp.fhir.coverage import find_coverage
from smartapp.fhir.encounters import EncounterInfo, parse_encounter
from smartapp.fhir.errors import FhirAuthError, FhirError, FhirNotFound
from smartapp.fhir.note_loading import load_notes
from smartapp.fhir.notes import ClinicalNote, SkippedDocument
from smartapp.fhir.people import (
    PatientInfo,
    PractitionerInfo,
    parse_patient,
    parse_practitioner,
    practitioner_id_from_role,
)
from smartapp.fhir.references import parse_reference, reference_id
from smartapp.fhir.retry import RETRY_STATUSES

log = logging.getLogger(__name__)

MAX_FETCH_WORKERS = 4
# DocumentReference (Clinical Notes, what US Core requires) is always asked for; Composition and
# DiagnosticReport only where the CapabilityStatement declares a search for them (neither Epic nor Oracle
# Health has Composition; labs without text are common in DiagnosticReport and many EHRs refuse it).
_CORE_NOTE_TYPES = ("DocumentReference",)
_DECLARED_NOTE_TYPES = ("Composition", "DiagnosticReport")
_OPTIONAL_NOTE_TYPES = ("DiagnosticReport",)   # refused quietly: no warning per launch
_UNKNOWN_SERVER_NOTE_TYPES = ("DocumentReference", "Composition")   # no CapabilityStatement at all
_INCLUDES = ("Encounter:patient", "Encounter:participant")
# Searches a server may refuse without it meaning the EHR is broken: not offered, or not granted.
_REFUSED = (400, 403, 404, 405, 501)

Resources = list[dict[str, Any]]


@dataclass
class EncounterContext:
    encounter: EncounterInfo
    patient: PatientInfo | None
    practitioner: PractitionerInfo | None
    coverage: dict[str, Any] | None
    notes: list[ClinicalNote]
    skipped: list[SkippedDocument]
    requests_made: int
    strategy: str = "separate"  # revinclude | batch | separate: how round 2 was done


@dataclass
class _Plan:
    note_types: tuple[str, ...]
    revincludes: list[str]
    includes: list[str]
    batch: bool


def fetch_encounter_context(client: FhirClient, encounter_id: str, patient_id: str | None = None) -> EncounterContext:
    start_requests = client.requests_made
    skipped: list[SkippedDocument] = []
    failures: list[FhirError] = []
    plan = _plan(client)
    strategy = "revinclude"
    resources = _combined_search(client, encounter_id, plan, skipped, failures) if plan.revincludes else None
    if resources is None and plan.batch and patient_id:
        strategy = "batch"
        resources = _batch_fetch(client, encounter_id, patient_id, plan, skipped, failures)
    if resources is None:
        strategy = "separate"
        resources = _separate_fetch(client, encounter_id, plan, skipped, failures)
    by_type = _group(resources)
    encounter_json = _find(by_type, "Encounter", encounter_id)
    if encounter_json is None:
        raise FhirNotFound(404, f"The EHR has no encounter {encounter_id}.", None)
    encounter = parse_encounter(encounter_json)

    # Round 3: people, coverage and attachments depend only on what round 2 returned, so they
    # overlap. Audit records made on pool threads reach on_access on this thread.
    with client.holding_access_records(), ThreadPoolExecutor(max_workers=MAX_FETCH_WORKERS) as pool:
        patient_f = pool.submit(_patient, client, encounter, by_type)
        practitioner_f = pool.submit(_practitioner, client, encounter, by_type)
        coverage_f: Future[dict[str, Any] | None] = pool.submit(_coverage, client, encounter)
        notes = load_notes(client, by_type, skipped, pool)
        patient, practitioner, coverage = patient_f.result(), practitioner_f.result(), coverage_f.result()
    if not notes and failures:
        # Nothing to code and the EHR failed to say why there is nothing: that is its error, not "no notes".
        raise failures[0]
    refused = [s for s in skipped if s.reason.startswith("could not search")]
    if not notes and refused:
        # Every note search the EHR answered was refused: coding on nothing would look like "no codes".
        raise FhirError(400, "The EHR refused to list this encounter's notes ("
                        + "; ".join(s.reason for s in refused) + ").", None)
    return EncounterContext(
        encounter=encounter,
        patient=patient,
        practitioner=practitioner,
        coverage=coverage,
        notes=notes,
        skipped=skipped,
        requests_made=client.requests_made - start_requests,
        strategy=strategy,
    )


def _plan(client: FhirClient) -> _Plan:
    try:
        statement = client.capabilities()
    except FhirAuthError:
        raise
    except FhirError as exc:
        log.info("no CapabilityStatement (%s); using separate requests", exc.status)
        return _Plan(tuple(t for t in _UNKNOWN_SERVER_NOTE_TYPES if client.may_search(t)), [], [], batch=False)
    declared_rev = supported_revincludes(statement, "Encounter")
    note_types = _CORE_NOTE_TYPES + tuple(t for t in _DECLARED_NOTE_TYPES
                                          if _searchable(statement, t) or f"{t}:encounter" in declared_rev)
    # Never depend on a type the registration did not ask for: the server may offer it, the token
    # cannot read it (and a refused search must not fail every encounter).
    note_types = tuple(t for t in note_types if client.may_search(t))
    revincludes = [f"{t}:encounter" for t in note_types if f"{t}:encounter" in declared_rev]
    declared_inc = supported_includes(statement, "Encounter")
    includes = [i for i in _INCLUDES if i in declared_inc or "*" in declared_inc]
    return _Plan(note_types, revincludes, includes,
                 client.batch_reads and supports_system_interaction(statement, "batch"))


def _searchable(statement: dict[str, Any], resource_type: str) -> bool:
    resource = resource_capability(statement, resource_type) or {}
    return any(i.get("code") == "search-type" for i in dicts(resource.get("interaction")))


def _combined_search(
    client: FhirClient, encounter_id: str, plan: _Plan, skipped: list[SkippedDocument], failures: list[FhirError]
) -> Resources | None:
    """One search for encounter + patient + participants + notes, or None if the server refuses it."""
    params: list[tuple[str, str]] = [("_id", encounter_id)]
    params += [("_include", i) for i in plan.includes] + [("_revinclude", r) for r in plan.revincludes]
    try:
        resources = client.search("Encounter", params)
    except FhirAuthError:
        raise
    except FhirError as exc:
        # Declared but refused (some servers overstate their CapabilityStatement).
        log.info("combined Encounter search failed (%s); falling back", exc.status)
        return None
    patient_id = _patient_id(resources, encounter_id)
    for note_type in plan.note_types:
        if f"{note_type}:encounter" not in plan.revincludes:
            resources += _search_notes(client, note_type, encounter_id, patient_id, skipped, failures)
    return resources


def _batch_fetch(
    client: FhirClient, encounter_id: str, patient_id: str, plan: _Plan, skipped: list[SkippedDocument],
    failures: list[FhirError],
) -> Resources | None:
    """Encounter and note searches in one batch Bundle; failed entries are retried alone or skipped."""
    urls = [f"Encounter/{encounter_id}"] + [f"{t}?patient={patient_id}&encounter={encounter_id}"
                                            for t in plan.note_types]
    try:
        entries = client.batch(urls)
    except FhirAuthError:
        raise
    except FhirError as exc:
        log.info("batch refused (%s); using separate requests", exc.status)
        return None
    first, note_entries = entries[0], entries[1:]
    if first.error is None:
        resources = list(first.resources)
    elif first.status in RETRY_STATUSES:
        resources = [client.read("Encounter", encounter_id)]  # alone, with the client's retries
    else:
        raise first.error
    patient_id = _patient_id(resources, encounter_id) or patient_id
    for note_type, entry in zip(plan.note_types, note_entries, strict=True):
        if entry.error is None:
            resources += entry.resources
        elif entry.status in RETRY_STATUSES or isinstance(entry.error, FhirAuthError):
            resources += _search_notes(client, note_type, encounter_id, patient_id, skipped, failures)
        else:
            _note_search_failed(note_type, entry.error, skipped, failures)
    return resources


def _separate_fetch(
    client: FhirClient, encounter_id: str, plan: _Plan, skipped: list[SkippedDocument], failures: list[FhirError]
) -> Resources:
    encounter = client.read("Encounter", encounter_id)
    patient_id = reference_id(encounter.get("subject"), "Patient")
    resources = [encounter]
    with client.holding_access_records(), ThreadPoolExecutor(max_workers=MAX_FETCH_WORKERS) as pool:
        found = pool.map(
            lambda t: _search_notes(client, t, encounter_id, patient_id, skipped, failures), plan.note_types
        )
        for batch in found:
            resources += batch
    return resources


def _search_notes(
    client: FhirClient,
    note_type: str,
    encounter_id: str,
    patient_id: str | None,
    skipped: list[SkippedDocument],
    failures: list[FhirError],
) -> Resources:
    # Epic requires a patient parameter on note searches; encounter narrows to this visit.
    params = {"encounter": encounter_id}
    if patient_id:
        params["patient"] = patient_id
    try:
        return client.search(note_type, params)
    except FhirAuthError:
        raise
    except FhirError as exc:
        _note_search_failed(note_type, exc, skipped, failures)
        return []


def _note_search_failed(
    note_type: str, exc: FhirError, skipped: list[SkippedDocument], failures: list[FhirError]
) -> None:
    """One kind of note could not be listed: the others are still coded, and the user is told."""
    if isinstance(exc, FhirAuthError):
        raise exc
    if exc.status not in _REFUSED:
        failures.append(exc)
    elif note_type in _OPTIONAL_NOTE_TYPES:
        # Declared but not granted or not offered: normal for reports, not worth a warning per launch.
        log.info("%s search refused (%s)", note_type, exc.status)
        return
    skipped.append(SkippedDocument(note_type, None, f"could not search {note_type}: {exc.user_message}"))


def _patient_id(resources: Resources, encounter_id: str) -> str | None:
    for resource in resources:
        if resource.get("resourceType") == "Encounter" and resource.get("id") == encounter_id:
            return reference_id(resource.get("subject"), "Patient")
    return None


def _group(resources: Resources) -> dict[str, Resources]:
    grouped: dict[str, Resources] = {}
    seen: set[tuple[str, str]] = set()
    for resource in resources:
        key = (str(resource.get("resourceType")), str(resource.get("id")))
        if resource.get("id") is not None and key in seen:
            continue  # paging and _include can return a resource twice
        seen.add(key)
        grouped.setdefault(key[0], []).append(resource)
    return grouped


def _find(by_type: dict[str, Resources], resource_type: str, resource_id: str) -> dict[str, Any] | None:
    return next((r for r in by_type.get(resource_type, []) if r.get("id") == resource_id), None)


def _read_optional(client: FhirClient, resource_type: str, resource_id: str) -> dict[str, Any] | None:
    try:
        return client.read(resource_type, resource_id)
    except FhirAuthError:
        raise
    except FhirError as exc:
        log.info("could not read %s (%s)", resource_type, exc.status)
        return None


def _found_or_read(client: FhirClient, by_type: dict[str, Resources], resource_type: str, resource_id: str) -> (
    dict[str, Any] | None
):
    return _find(by_type, resource_type, resource_id) or _read_optional(client, resource_type, resource_id)


def _patient(client: FhirClient, encounter: EncounterInfo, by_type: dict[str, Resources]) -> PatientInfo | None:
    if not encounter.patient_id:
        return None
    resource = _found_or_read(client, by_type, "Patient", encounter.patient_id)
    return parse_patient(resource) if resource else None


def _practitioner(
    client: FhirClient, encounter: EncounterInfo, by_type: dict[str, Resources]
) -> PractitionerInfo | None:
    if encounter.provider_ref is None and encounter.provider_search:
        return _practitioner_by_search(client, encounter)
    ref = parse_reference(encounter.provider_ref)
    if ref is None or ref.id is None:
        return None
    if ref.resource_type == "PractitionerRole":
        role = _found_or_read(client, by_type, "PractitionerRole", ref.id)
        practitioner_id = practitioner_id_from_role(role) if role else None
        if practitioner_id is None:
            return None
        encounter.provider_id = practitioner_id  # resolved: the person behind the role
    else:
        practitioner_id = ref.id
    resource = _found_or_read(client, by_type, "Practitioner", practitioner_id)
    return parse_practitioner(resource) if resource else None


def _practitioner_by_search(client: FhirClient, encounter: EncounterInfo) -> PractitionerInfo | None:
    """Resolve a conditional participant reference ("Practitioner?identifier=...") by that search. Exactly
    one match names the provider; none, several, or a refused search leave only the reference's display
    (never someone else, such as whoever launched the app)."""
    search = encounter.provider_search or ""
    resource_type, _, query = search.partition("?")
    params = parse_qsl(query)
    if not client.may_search(resource_type) or not _declares(client, resource_type, {k for k, _ in params}):
        return None
    try:
        found = [r for r in client.search(resource_type, params) if r.get("resourceType") == resource_type]
    except FhirAuthError:
        raise
    except FhirError as exc:
        log.info("could not resolve a conditional %s reference (%s)", resource_type, exc.status)
        return None
    if len(found) != 1:
        log.info("a conditional %s reference matched %d resources: not resolved", resource_type, len(found))
        return None
    resource: dict[str, Any] | None = found[0]
    if resource_type == "PractitionerRole":
        practitioner_id = practitioner_id_from_role(found[0])
        resource = _read_optional(client, "Practitioner", practitioner_id) if practitioner_id else None
    if resource is None:
        return None
    info = parse_practitioner(resource)
    encounter.provider_id, encounter.provider_ref = info.id, f"Practitioner/{info.id}"
    return info


def _offers_search(client: FhirClient, resource_type: str) -> bool:
    """Whether the server's CapabilityStatement offers a search of `resource_type` (unknown: try)."""
    try:
        statement = client.capabilities()
    except FhirAuthError:
        raise
    except FhirError:
        return True
    declares_any = any(dicts(rest.get("resource")) for rest in dicts(statement.get("rest")))
    return _searchable(statement, resource_type) or not declares_any


def _declares(client: FhirClient, resource_type: str, names: set[str]) -> bool:
    """Whether the server declares these search parameters (Oracle Health searches Practitioner by `_id`
    only): a parameter it does not declare is not sent. Unknown (no statement, none declared): try."""
    try:
        declared = declared_search_params(client.capabilities(), resource_type)
    except FhirAuthError:
        raise
    except FhirError:
        return True
    return declared is None or names <= declared


def _coverage(client: FhirClient, encounter: EncounterInfo) -> dict[str, Any] | None:
    """The encounter's Coverage, searched only where the token may and the server declares the search
    (as for every other type: no refused search on every launch)."""
    if not encounter.patient_id or not client.may_search("Coverage") or not _offers_search(client, "Coverage"):
        return None
    try:
        return find_coverage(client, encounter.patient_id, encounter.date_of_service)
    except FhirAuthError:
        raise
    except FhirError:   # coding does not need the insurance; write-back asks again and says why
        return None

