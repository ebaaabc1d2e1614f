"""Clinical notes in the two shapes EHRs use: DocumentReference with inline text/plain, and
Composition with one XHTML section per SOAP heading ("CHIEF COMPLAINT", "ASSESSMENT AND PLAN", ...).
"""

from __future__ import annotations

import base64
import html
import re
from typing import Any

LOINC = "http://loinc.org"
PROGRESS_NOTE = {"coding": [{"system": LOINC, "code": "11506-3", "display": "Progress note"}],
                 "text": "Progress note"}
CATEGORY = {"coding": [{
    "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
    "code": "clinical-note", "display": "Clinical Note",
}]}
# A heading is a line of capitals (at least four letters, so "HIV" in a list is not one).
HEADING = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){4})[A-Z][A-Z0-9 ,&/()\-]*$")
SECTION_LOINC = {
    "CHIEF COMPLAINT": ("10154-3", "Chief complaint Narrative"),
    "HISTORY OF PRESENT ILLNESS": ("10164-2", "History of Present illness Narrative"),
    "REVIEW OF SYSTEMS": ("10187-3", "Review of systems Narrative"),
    "PHYSICAL EXAM": ("29545-1", "Physical findings Narrative"),
    "PHYSICAL EXAMINATION": ("29545-1", "Physical findings Narrative"),
    "EXAM": ("29545-1", "Physical findings Narrative"),
    "ASSESSMENT AND PLAN": ("51847-2", "Evaluation + Plan note"),
    "ASSESSMENT": ("51848-0", "Evaluation note"),
    "IMPRESSION": ("51848-0", "Evaluation note"),
    "PLAN": ("18776-5", "Plan of care note"),
    "MEDICATIONS": ("10160-0", "History of Medication use Narrative"),
    "CURRENT MEDICATIONS": ("10160-0", "History of Medication use Narrative"),
    "ALLERGIES": ("48765-2", "Allergies and adverse reactions Document"),
    "RESULTS": ("30954-2", "Relevant diagnostic tests/laboratory data Narrative"),
    "VITALS": ("8716-3", "Vital signs"),
    "VITALS REVIEWED": ("8716-3", "Vital signs"),
    "MEDICAL HISTORY": ("11348-0", "History of Past illness Narrative"),
    "PAST HISTORY": ("11348-0", "History of Past illness Narrative"),
    "SURGICAL HISTORY": ("47519-4", "History of Procedures Document"),
    "SOCIAL HISTORY": ("29762-2", "Social history Narrative"),
    "FAMILY HISTORY": ("10157-6", "History of family member diseases Narrative"),
    "INSTRUCTIONS": ("69730-0", "Instructions"),
}


def split_sections(note: str) -> list[tuple[str, str]]:
    """(heading, body) pairs in order; text before the first heading goes under 'NOTE'."""
    sections: list[tuple[str, list[str]]] = []
    for line in note.splitlines():
        stripped = line.strip()
        if HEADING.match(stripped):
            sections.append((stripped, []))
        else:
            if not sections:
                sections.append(("NOTE", []))
            sections[-1][1].append(line.rstrip())
    return [(title, "\n".join(body).strip()) for title, body in sections
            if title != "NOTE" or "\n".join(body).strip()]


def xhtml_div(text: str) -> str:
    """Paragraph per blank-line block, <br/> inside a block; always valid, never empty XHTML."""
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()] or ["(no content)"]
    paragraphs = "".join(
        "<p>" + "<br/>".join(html.escape(line.strip(), quote=False) for line in block.splitlines()) + "</p>"
        for block in blocks
    )
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{paragraphs}</div>'


def _title(heading: str) -> str:
    small = {"of", "and", "the", "or", "to", "in"}
    words = heading.lower().split()
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words))


def _section(heading: str, body: str) -> dict[str, Any]:
    code: dict[str, Any] = {"text": heading}
    if heading in SECTION_LOINC:
        loinc, display = SECTION_LOINC[heading]
        code["coding"] = [{"system": LOINC, "code": loinc, "display": display}]
    return {"title": _title(heading), "code": code, "text": {"status": "generated", "div": xhtml_div(body)}}


def document_reference(doc_id: str, note: str, patient: dict[str, str], encounter: dict[str, Any],
                       author: dict[str, str], date: str, description: str) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": doc_id,
        "status": "current",
        "docStatus": "final",
        "type": PROGRESS_NOTE,
        "category": [CATEGORY],
        "subject": patient,
        "date": date,
        "author": [author],
        "description": description,
        "content": [{"attachment": {
            "contentType": "text/plain; charset=utf-8",
            "language": "en-US",
            "data": base64.b64encode(note.encode("utf-8")).decode("ascii"),
            "title": "Progress note",
            "creation": date,
        }}],
        "context": {"encounter": [encounter["ref"]], "period": encounter["period"]},
    }


def composition(comp_id: str, note: str, patient: dict[str, str], encounter: dict[str, Any],
                author: dict[str, str], date: str) -> dict[str, Any]:
    return {
        "resourceType": "Composition",
        "id": comp_id,
        "status": "final",
        "type": PROGRESS_NOTE,
        "category": [CATEGORY],
        "subject": patient,
        "encounter": encounter["ref"],
        "date": date,
        "author": [author],
        "title": "Progress note",
        "section": [_section(heading, body) for heading, body in split_sections(note)],
    }
