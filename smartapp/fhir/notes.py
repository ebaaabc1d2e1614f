"""Clinical notes from Composition, DocumentReference and DiagnosticReport → `ClinicalNote`.

A note that cannot be used raises `NoteSkipped(reason)`; callers record a `SkippedDocument` and carry
on, so one bad document never loses the others. A `FhirAuthError` while fetching an attachment is
not a per-document problem (every other fetch would fail too) and propagates.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartapp.documents.extract import HTML, PDF, PLAIN, RTF, ExtractionError, extract, html_to_text, media_type
from smartapp.fhir._values import as_dict, concept_text, dicts, text_of
from smartapp.fhir.errors import FhirAuthError, FhirError
from smartapp.fhir.records import BinaryContent

FetchBinary = Callable[[str, str], BinaryContent]
# The formats read from EHR attachments, best first: the less conversion, the more faithful the text.
PREFERENCE = (PLAIN, HTML, RTF, PDF)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# "superseded" is not dead on its own: Synthea (and amended-note workflows) mark every note but the newest
# superseded although nothing replaces it for that encounter; note_loading drops one only when another
# document of the same set replaces it (relatesTo), and a lone superseded note is coded.
_DEAD_STATUSES = {"entered-in-error", "cancelled"}


@dataclass(frozen=True)
class ClinicalNote:
    resource_type: str
    resource_id: str | None
    title: str | None
    type_text: str | None
    category: str | None
    author: str | None
    date: str | None  # FHIR dateTime as the EHR wrote it
    content_type: str
    text: str


@dataclass(frozen=True)
class SkippedDocument:
    resource_type: str
    resource_id: str | None
    reason: str


class NoteSkipped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def note_from_composition(resource: dict[str, Any]) -> ClinicalNote:
    _check_status(resource.get("status"))
    blocks: list[str] = []
    for section in dicts(resource.get("section")):
        _render_section(section, blocks)
    if not blocks:
        # No sections: the resource narrative is all there is.
        blocks.append(_div_text(resource.get("text")))
    text = "\n\n".join(b for b in blocks if b).strip()
    if not text:
        raise NoteSkipped("the note has no text")
    return ClinicalNote(
        resource_type="Composition",
        resource_id=text_of(resource.get("id")),
        title=text_of(resource.get("title")),
        type_text=concept_text(resource.get("type")),
        category=concept_text(resource.get("category")),
        author=_author(resource.get("author")),
        date=text_of(resource.get("date")),
        content_type="text/html",
        text=text,
    )


def note_from_document_reference(resource: dict[str, Any], fetch_binary: FetchBinary) -> ClinicalNote:
    _check_status(resource.get("status"))
    if resource.get("docStatus") == "entered-in-error":
        raise NoteSkipped("the document was entered in error")
    attachments = [a for c in dicts(resource.get("content")) for a in dicts(c.get("attachment"))]
    content_type, text = _best_attachment_text(attachments, fetch_binary)
    period = as_dict(as_dict(resource.get("context")).get("period"))
    type_text = concept_text(resource.get("type"))
    return ClinicalNote(
        resource_type="DocumentReference",
        resource_id=text_of(resource.get("id")),
        title=text_of(resource.get("description")) or _attachment_title(attachments) or type_text,
        type_text=type_text,
        category=concept_text(resource.get("category")),
        author=_author(resource.get("author")),
        date=text_of(resource.get("date")) or text_of(period.get("start")),
        content_type=content_type,
        text=text,
    )


def note_from_diagnostic_report(resource: dict[str, Any], fetch_binary: FetchBinary) -> ClinicalNote:
    _check_status(resource.get("status"))
    attachments = dicts(resource.get("presentedForm"))
    try:
        content_type, text = _best_attachment_text(attachments, fetch_binary)
    except NoteSkipped:
        conclusion = text_of(resource.get("conclusion"))
        if not conclusion:
            raise
        content_type, text = "text/plain", conclusion
    code_text = concept_text(resource.get("code"))
    return ClinicalNote(
        resource_type="DiagnosticReport",
        resource_id=text_of(resource.get("id")),
        title=code_text,
        type_text=code_text,
        category=concept_text(resource.get("category")),
        author=_author(resource.get("resultsInterpreter")) or _author(resource.get("performer")),
        date=text_of(resource.get("effectiveDateTime")) or text_of(resource.get("issued")),
        content_type=content_type,
        text=text,
    )


def _check_status(status: Any) -> None:
    if status in _DEAD_STATUSES:
        raise NoteSkipped(f"the document status is {status}")


def _render_section(section: dict[str, Any], blocks: list[str]) -> None:
    """Title line, then the section's narrative, then nested sections in order (depth-first)."""
    title = text_of(section.get("title")) or concept_text(section.get("code"))
    body = _div_text(section.get("text"))
    block = "\n".join(p for p in (f"{title}:" if title else "", body) if p)
    if block:
        blocks.append(block)
    for child in dicts(section.get("section")):
        _render_section(child, blocks)


def _div_text(narrative: Any) -> str:
    if not isinstance(narrative, dict) or not isinstance(narrative.get("div"), str):
        return ""
    return html_to_text(narrative["div"])


def _best_attachment_text(attachments: list[dict[str, Any]], fetch_binary: FetchBinary) -> tuple[str, str]:
    """Text of the most faithful readable attachment, falling back to the next on any failure."""
    if not attachments:
        raise NoteSkipped("the document has no attachment")

    def rank(attachment: dict[str, Any]) -> int:
        kind = media_type(attachment.get("contentType"))
        return PREFERENCE.index(kind) if kind in PREFERENCE else len(PREFERENCE)

    problems: list[str] = []
    for attachment in sorted(attachments, key=rank):
        try:
            return _attachment_text(attachment, fetch_binary)
        except FhirAuthError:
            raise
        except (ExtractionError, FhirError, NoteSkipped) as exc:
            problems.append(str(exc) if not isinstance(exc, FhirError) else exc.user_message)
    raise NoteSkipped("; ".join(dict.fromkeys(problems)) or "no readable attachment")


def _attachment_text(attachment: dict[str, Any], fetch_binary: FetchBinary) -> tuple[str, str]:
    declared = text_of(attachment.get("contentType"))
    if isinstance(attachment.get("data"), str):
        try:
            data = base64.b64decode(attachment["data"], validate=False)
        except (binascii.Error, ValueError) as exc:
            raise NoteSkipped("the attachment data is not valid base64") from exc
        content_type = declared or "application/octet-stream"
    elif url := text_of(attachment.get("url")):
        # The declared contentType verbatim (parameters included): Epic answers a Binary only in the
        # format it was asked for exactly.
        accept = declared or "*/*"
        fetched = fetch_binary(url, accept)
        data = fetched.data
        # Trust the server's media type when it is one we read (it carries the charset); otherwise
        # the attachment's declared type; otherwise let the extractor sniff the bytes.
        if media_type(fetched.content_type) in PREFERENCE or not declared:
            content_type = fetched.content_type
        else:
            content_type = declared
    else:
        raise NoteSkipped("the attachment has neither data nor a URL")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise NoteSkipped("the attachment is too large to read")
    text = extract(data, content_type, accept=PREFERENCE).text
    if not text.strip():
        raise NoteSkipped("the attachment is empty")
    return media_type(content_type) or content_type, text


def _attachment_title(attachments: list[dict[str, Any]]) -> str | None:
    return next((t for a in attachments if (t := text_of(a.get("title")))), None)


def _author(value: Any) -> str | None:
    for ref in dicts(value):
        if text := text_of(ref.get("display")) or text_of(ref.get("reference")):
            return text
    return None
