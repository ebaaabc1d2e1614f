"""Turn the note resources of one encounter into `ClinicalNote`s, fetching attachments concurrently.

Composition, DocumentReference and DiagnosticReport are each parsed tolerantly; a document that
cannot be used becomes a `SkippedDocument` with a reason the user is shown, and never costs the
others. Documents another document in the set replaces (`relatesTo.code = replaces`) are skipped
as superseded. DiagnosticReports without any narrative (lab panels: results only) are not notes
and are left out silently.
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
from smartapp.fhir.references import reference_id

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
    for resource_type in _PARSERS:
        candidates = [r for r in by_type.get(resource_type, []) if _is_narrative(r)]
        documents += _without_replaced(resource_type, candidates, skipped)

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
    notes.sort(key=lambda n: n.date or "")
    return notes


def _is_narrative(resource: dict[str, Any]) -> bool:
    if resource.get("resourceType") != "DiagnosticReport":
        return True
    return bool(resource.get("presentedForm") or resource.get("conclusion"))


def _without_replaced(resource_type: str, documents: Resources, skipped: list[SkippedDocument]) -> Resources:
    """Drop documents that another document in the set says it replaces (amended notes)."""
    replaced = {
        reference_id(rel.get("target"), resource_type)
        for doc in documents
        for rel in dicts(doc.get("relatesTo"))
        if rel.get("code") == "replaces"
    }
    kept = []
    for doc in documents:
        if doc.get("id") in replaced:
            skipped.append(SkippedDocument(resource_type, _id(doc), "replaced by a newer version"))
        else:
            kept.append(doc)
    return kept


def _id(resource: dict[str, Any]) -> str | None:
    value = resource.get("id")
    return value if isinstance(value, str) else None
