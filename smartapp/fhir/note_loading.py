"""Turn the note resources of one encounter into `ClinicalNote`s, fetching attachments concurrently.

Composition, DocumentReference and DiagnosticReport are each parsed tolerantly; a document that
cannot be used becomes a `SkippedDocument` with a reason the user is shown, and never costs the
others. Documents another document in the set replaces (`relatesTo.code = replaces`) are skipped
as superseded; a note whose status is `superseded` but which nothing in the set replaces is coded
(Synthea marks every note but a patient's newest superseded, though each is its encounter's only one).
DiagnosticReports without any narrative (lab panels: results only) are not notes and are left out
silently. One note served twice, as a DocumentReference and as a DiagnosticReport, is coded once (the
DocumentReference): the report is recognised by the DocumentReference's identifier carrying its id,
else by identical text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from smartapp.fhir._values import dicts
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirAuthError
from smartapp.fhir.notes import (
    ClinicalNote,
    FetchBinary,
    NoteSkipped,
    SkippedDocument,
    note_from_composition,
    note_from_diagnostic_report,
    note_from_document_reference,
)
from smartapp.fhir.references import parse_reference

log = logging.getLogger(__name__)

Resources = list[dict[str, Any]]
_PARSERS: dict[str, Callable[[dict[str, Any], FetchBinary], ClinicalNote]] = {
    "Composition": lambda resource, _fetch: note_from_composition(resource),
    "DocumentReference": note_from_document_reference,
    "DiagnosticReport": note_from_diagnostic_report,
}


def load_notes(
    client: FhirClient, by_type: dict[str, Resources], skipped: list[SkippedDocument], pool: Executor
) -> list[ClinicalNote]:
    """Every readable note, oldest first; the unreadable ones are appended to `skipped`."""
    documents: list[dict[str, Any]] = []
    replaced = _replaced_ids(by_type)
    for resource_type in _PARSERS:
        candidates = [r for r in by_type.get(resource_type, []) if _is_narrative(r)]
        documents += _without_replaced(resource_type, candidates, replaced, skipped)

    def load(document: dict[str, Any]) -> ClinicalNote | SkippedDocument:
        resource_type = str(document.get("resourceType"))
        try:
            return _PARSERS[resource_type](document, client.read_binary)
        except NoteSkipped as exc:
            return SkippedDocument(resource_type, _id(document), exc.reason)
        except FhirAuthError:
            raise
        except Exception:  # a malformed resource must not lose the others
            log.exception("unreadable %s", resource_type)
            return SkippedDocument(resource_type, _id(document), "the document could not be read")

    notes: list[ClinicalNote] = []
    # Binary downloads dominate; the caller's small pool overlaps them without hammering the EHR.
    for result in pool.map(load, documents):
        if isinstance(result, ClinicalNote):
            notes.append(result)
        else:
            skipped.append(result)
    read = {n.resource_id for n in notes if n.resource_type == "DocumentReference"}
    notes = _without_copies(notes, _report_ids_named_by_documents(
        [d for d in by_type.get("DocumentReference", []) if d.get("id") in read]))
    notes.sort(key=lambda n: n.date or "")
    return notes


def _is_narrative(resource: dict[str, Any]) -> bool:
    if resource.get("resourceType") != "DiagnosticReport":
        return True
    return bool(resource.get("presentedForm") or resource.get("conclusion"))


def _replaced_ids(by_type: dict[str, Resources]) -> set[tuple[str, str]]:
    """(type, id) of every document another document of the set says it replaces (amended notes)."""
    replaced: set[tuple[str, str]] = set()
    for resource_type in _PARSERS:
        for doc in by_type.get(resource_type, []):
            for rel in dicts(doc.get("relatesTo")):
                if rel.get("code") != "replaces":
                    continue
                target = parse_reference(rel.get("target") or rel.get("targetReference"), default_type=resource_type)
                if target is not None and target.id:
                    replaced.add((target.resource_type or resource_type, target.id))
    return replaced


def _without_replaced(resource_type: str, documents: Resources, replaced: set[tuple[str, str]],
                      skipped: list[SkippedDocument]) -> Resources:
    """Drop the documents another one replaces. A `superseded` one that nothing here replaces is kept
    and read as current: for this encounter it is the only version there is."""
    kept = []
    for doc in documents:
        if (resource_type, doc.get("id")) in replaced:
            skipped.append(SkippedDocument(resource_type, _id(doc), "replaced by a newer version"))
        else:
            kept.append(doc)
    return kept


def _report_ids_named_by_documents(documents: Resources) -> set[str]:
    """Ids the identifiers of DocumentReferences that were read carry (`urn:uuid:<id>`,
    `.../DiagnosticReport/<id>` or the bare id): the DiagnosticReport of that id is the same note."""
    named: set[str] = set()
    for doc in documents:
        for identifier in dicts(doc.get("identifier")):
            value = identifier.get("value")
            if isinstance(value, str) and value:
                named.add(value.rsplit(":", 1)[-1].rsplit("/", 1)[-1])
    return named


def _without_copies(notes: list[ClinicalNote], report_ids: set[str]) -> list[ClinicalNote]:
    """The DiagnosticReports that repeat a DocumentReference of the set, left out: shown and coded once,
    every evidence quote once."""
    texts = {" ".join(n.text.split()) for n in notes if n.resource_type != "DiagnosticReport"}
    kept = []
    for note in notes:
        if note.resource_type == "DiagnosticReport" and (
                note.resource_id in report_ids or " ".join(note.text.split()) in texts):
            log.info("DiagnosticReport repeats a DocumentReference of the encounter; coded once")
            continue
        kept.append(note)
    return kept


def _id(resource: dict[str, Any]) -> str | None:
    value = resource.get("id")
    return value if isinstance(value, str) else None
