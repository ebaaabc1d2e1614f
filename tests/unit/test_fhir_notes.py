"""Notes from Composition / DocumentReference / DiagnosticReport: text a coder would recognise."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from smartapp.fhir.errors import FhirAuthError, FhirError
from smartapp.fhir.notes import (
    NoteSkipped,
    note_from_composition,
    note_from_diagnostic_report,
    note_from_document_reference,
)
from smartapp.fhir.records import BinaryContent

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text())


def no_fetch(url: str, accept: str) -> BinaryContent:
    raise AssertionError(f"unexpected fetch of {url}")


def tiny_pdf(*lines: str) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    # pypdf has no public "add indirect object" API; streams must be indirect.
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    ops = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td {ops} ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_composition_keeps_section_titles_nested_sections_and_decodes_entities() -> None:
    note = note_from_composition(load("composition_nested"))
    assert note.text.splitlines()[:3] == [
        "History of Present Illness:",
        "62 y/o with chest pain & dyspnea for 3 days.",
        "Temp 38.2°C.",
    ]
    assert "Assessment and Plan:\n- Type 2 diabetes <uncontrolled>\n- Hypertension" in note.text
    # the nested section follows its parent, with its own title
    assert note.text.index("Diabetes:\nStart metformin 500 mg\nA1c in 3 months") > note.text.index("Hypertension")
    assert "Review of systems:\nCardio | positive" in note.text  # title from section.code
    assert "alert" not in note.text
    assert (note.title, note.type_text, note.author, note.date) == (
        "Progress Note",
        "Progress note",
        "Ana Ruiz, MD",
        "2024-03-05T10:30:00-05:00",
    )


def test_composition_entered_in_error_is_skipped() -> None:
    resource = {**load("composition_nested"), "status": "entered-in-error"}
    with pytest.raises(NoteSkipped, match="entered-in-error"):
        note_from_composition(resource)


def test_inline_base64_text_plain() -> None:
    note = note_from_document_reference(load("docref_base64_text"), no_fetch)
    assert note.text == (
        "Assessment: Community-acquired pneumonia, right lower lobe.\nPlan: amoxicillin 1 g TID – 5 days."
    )
    assert (note.content_type, note.category, note.type_text) == ("text/plain", "Clinical Note", "Progress note")


def test_cp1252_text_without_charset_is_still_readable() -> None:
    note = note_from_document_reference(load("docref_cp1252"), no_fetch)
    assert note.text == "Café au lait spots – neurofibromatosis"


def test_inline_html_drops_markup_and_head() -> None:
    note = note_from_document_reference(load("docref_html"), no_fetch)
    assert note.text == "Discharge Diagnosis\nAcute kidney injury — resolved"
    assert note.date == "2024-03-06"  # from context.period when date is absent


def test_inline_rtf() -> None:
    note = note_from_document_reference(load("docref_rtf"), no_fetch)
    assert "Diagnosis: lumbago with sciatica, left side" in note.text
    assert "\\par" not in note.text and "fonttbl" not in note.text


def test_pdf_behind_binary_url() -> None:
    doc = {
        "resourceType": "DocumentReference",
        "id": "dr-pdf",
        "status": "current",
        "content": [{"attachment": {"contentType": "application/pdf", "url": "Binary/pdf-9"}}],
    }
    calls: list[tuple[str, str]] = []

    def fetch(url: str, accept: str) -> BinaryContent:
        calls.append((url, accept))
        return BinaryContent("application/pdf", tiny_pdf("Assessment: acute bronchitis", "Plan: supportive care"))

    note = note_from_document_reference(doc, fetch)
    assert calls == [("Binary/pdf-9", "application/pdf")]
    assert "Assessment: acute bronchitis" in note.text and "Plan: supportive care" in note.text
    assert note.content_type == "application/pdf"


def test_best_of_several_attachments_is_chosen_and_others_not_fetched() -> None:
    calls: list[str] = []

    def fetch(url: str, accept: str) -> BinaryContent:
        calls.append(url)
        return BinaryContent("text/html", b"<p>Sinusitis, acute maxillary</p>")

    note = note_from_document_reference(load("docref_multi"), fetch)
    assert calls == ["Binary/html-1"]  # html beats rtf and pdf
    assert note.text == "Sinusitis, acute maxillary"
    assert note.title == "Progress Note 3/5"


def test_falls_back_to_next_attachment_when_best_one_fails() -> None:
    def fetch(url: str, accept: str) -> BinaryContent:
        if url == "Binary/html-1":
            raise FhirError(404, "The EHR could not find the requested record.")
        if url == "Binary/rtf-1":
            return BinaryContent("application/octet-stream", rb"{\rtf1 Otitis media\par}")
        raise AssertionError(url)

    note = note_from_document_reference(load("docref_multi"), fetch)
    assert note.text == "Otitis media"
    assert note.content_type == "text/rtf"


def test_expired_token_while_fetching_is_not_swallowed() -> None:
    def fetch(url: str, accept: str) -> BinaryContent:
        raise FhirAuthError(401, "expired")

    with pytest.raises(FhirAuthError):
        note_from_document_reference(load("docref_multi"), fetch)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": "entered-in-error"}, "entered-in-error"),
        ({"docStatus": "entered-in-error"}, "entered in error"),
        ({"content": []}, "no attachment"),
    ],
)
def test_unusable_documents_are_skipped_with_a_reason(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(NoteSkipped, match=reason):
        note_from_document_reference({**load("docref_base64_text"), **change}, no_fetch)


def test_malformed_document_is_skipped_not_crashing() -> None:
    with pytest.raises(NoteSkipped) as info:
        note_from_document_reference(load("docref_malformed"), no_fetch)
    assert "base64" in info.value.reason


def test_pdf_without_text_layer_is_skipped() -> None:
    doc = {
        "resourceType": "DocumentReference",
        "status": "current",
        "content": [{"attachment": {"contentType": "application/pdf", "data": base64.b64encode(tiny_pdf()).decode()}}],
    }
    with pytest.raises(NoteSkipped, match="no text layer"):
        note_from_document_reference(doc, no_fetch)


def test_diagnostic_report_presented_form_and_conclusion_fallback() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "rad-1",
        "status": "final",
        "code": {"text": "CT chest"},
        "effectiveDateTime": "2024-03-05",
        "presentedForm": [
            {"contentType": "text/plain", "data": base64.b64encode(b"IMPRESSION: small nodule").decode()}
        ],
    }
    note = note_from_diagnostic_report(report, no_fetch)
    assert (note.text, note.title, note.date) == ("IMPRESSION: small nodule", "CT chest", "2024-03-05")

    bare = {**report, "presentedForm": [], "conclusion": "No acute findings."}
    assert note_from_diagnostic_report(bare, no_fetch).text == "No acute findings."


def _inline_text(data: bytes, content_type: str = "text/plain") -> dict[str, Any]:
    return {"resourceType": "DocumentReference", "status": "current",
            "content": [{"attachment": {"contentType": content_type, "data": base64.b64encode(data).decode()}}]}


@pytest.mark.parametrize(("data", "content_type"), [
    ("Assessment: essential hypertension – 38.5 °C\n".encode("utf-16-le"), "text/plain"),   # Windows "Unicode"
    ("\ufeffAssessment: essential hypertension – 38.5 °C\n".encode(), "text/plain; charset=utf-8"),
    ("Assessment: essential hypertension – 38.5 °C\n".encode("utf-16"), "text/plain"),      # BOM, no charset
], ids=["utf-16-le without BOM", "utf-8 BOM", "utf-16 BOM"])
def test_unicode_text_without_a_usable_charset_is_decoded(data: bytes, content_type: str) -> None:
    """The same extractor as uploads: UTF-16 without BOM or charset, and a BOM, read cleanly."""
    note = note_from_document_reference(_inline_text(data, content_type), no_fetch)
    assert note.text == "Assessment: essential hypertension – 38.5 °C"


def test_an_undeclared_cyrillic_note_is_decoded() -> None:
    text = "Диагноз: гипертоническая болезнь. План: контроль давления через две недели."
    note = note_from_document_reference(_inline_text(text.encode("cp1251")), no_fetch)
    assert note.text == text


def test_binary_bytes_labelled_text_are_skipped_not_stored() -> None:
    with pytest.raises(NoteSkipped, match="binary data"):
        note_from_document_reference(_inline_text(bytes(range(256))), no_fetch)



def test_a_binary_is_asked_for_in_its_declared_content_type_verbatim() -> None:
    """Issue 15 item 7: Epic answers a Binary only in the format asked for exactly."""
    doc = {"resourceType": "DocumentReference", "id": "dr-rtf", "status": "current",
           "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "url": "Binary/b-1"}}]}
    calls: list[tuple[str, str]] = []

    def fetch(url: str, accept: str) -> BinaryContent:
        calls.append((url, accept))
        return BinaryContent("text/plain; charset=utf-8", b"Assessment: otitis media")

    note_from_document_reference(doc, fetch)
    assert calls == [("Binary/b-1", "text/plain; charset=utf-8")]
