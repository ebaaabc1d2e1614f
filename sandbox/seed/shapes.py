"""The other note shapes real EHRs send, one shape per encounter in e060–e078.

Encounters e001–e059 and e079–e087 keep the two plain shapes (even: DocumentReference with inline
text/plain, odd: Composition). Each encounter here carries its ACI-BENCH note in one more shape, and
the "bad document" shapes always sit next to a readable note, so every encounter still codes:

| enc | shape |
|---|---|
| e060 | DocumentReference → `Binary` (text/plain behind `attachment.url`) |
| e061 | inline text/html |  e062 | `Binary` text/html |
| e063 | inline text/rtf |   e064 | `Binary` text/rtf |
| e065 | `Binary` application/pdf (a real PDF with a text layer) |
| e066 | one document, two attachments: PDF first, then the same note as text/plain |
| e067 | DiagnosticReport with inline `presentedForm` |  e068 | DiagnosticReport → `Binary` PDF |
| e069 | an entered-in-error document next to the real note |
| e070 | a superseded draft, replaced (`relatesTo`) by the final note |
| e071 | cp1252 bytes declared `charset=windows-1252` in a `Binary` |
| e072 | one malformed document (bad base64, bad date, unknown keys) next to the real note |
| e073 | a document whose `Binary` is missing (404) next to the real note |
| e074 | a scanned note (image/jpeg, no text) next to the real note |
| e075 | the note split into five DocumentReferences (paging when a server caps page size) |
| e076 | the note as application/xhtml+xml |
| e077 | an attachment on a foreign host (must be refused: SSRF) next to the real note |
| e078 | the note inline plus a short addendum behind a `Binary` (fault tests break just the Binary) |
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from typing import Any

from sandbox.seed import notes
from sandbox.seed.pdf import text_pdf

Resource = dict[str, Any]
# The cp1252 encounter's note starts with this line; tests look for its characters.
CP1252_LINE = "Patient’s temperature 38.5°C – reviewed with Dr. Müller."
FOREIGN_URL = "https://files.example.invalid/notes/e077.txt"


class Visit:
    """Everything a shape needs about one seeded encounter."""

    def __init__(self, n: int, note: str, patient: dict[str, str], encounter: dict[str, Any],
                 author: dict[str, str], signed: str, description: str) -> None:
        self.n, self.note, self.patient, self.encounter = n, note, patient, encounter
        self.author, self.signed, self.description = author, signed, description

    @property
    def tag(self) -> str:
        return f"{self.n:03d}"

    def document(self, doc_id: str, attachments: list[dict[str, Any]], **extra: Any) -> Resource:
        """A DocumentReference like the plain seed one, with the given attachments."""
        doc = notes.document_reference(doc_id, self.note, self.patient, self.encounter, self.author,
                                       self.signed, self.description)
        doc["content"] = [{"attachment": {"title": "Progress note", "creation": self.signed, **a}}
                          for a in attachments]
        doc.update(extra)
        return doc

    def plain_document(self, doc_id: str, text: str | None = None, **extra: Any) -> Resource:
        return self.document(doc_id, [inline("text/plain; charset=utf-8", (text or self.note).encode())], **extra)


def inline(content_type: str, data: bytes) -> dict[str, Any]:
    return {"contentType": content_type, "data": base64.b64encode(data).decode("ascii")}


def binary(binary_id: str, content_type: str, data: bytes) -> Resource:
    return {"resourceType": "Binary", "id": binary_id, "contentType": content_type,
            "data": base64.b64encode(data).decode("ascii")}


def linked(binary_id: str, content_type: str) -> dict[str, Any]:
    return {"contentType": content_type, "url": f"Binary/{binary_id}"}


def note_html(note: str, xhtml: bool = False) -> str:
    sections = notes.split_sections(note)
    body = "".join(f"<h2>{html.escape(title)}</h2>{notes.xhtml_div(text)}" for title, text in sections)
    head = "<head><title>Progress note</title><style>h2 { font-size: 1.1em }</style></head>"
    if xhtml:
        return f'<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml">{head}<body>{body}</body></html>'
    return f"<!DOCTYPE html><html>{head}<body>{body}</body></html>"


def note_rtf(note: str) -> str:
    def escape(line: str) -> str:
        out = []
        for ch in line:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) > 127:
                out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
            else:
                out.append(ch)
        return "".join(out)

    lines = [r"{\b " + escape(line) + "}" if notes.HEADING.match(line.strip()) else escape(line)
             for line in note.splitlines()]
    return r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helvetica;}}\f0\fs20 " + "\\par\n".join(lines) + "}"


def diagnostic_report(visit: Visit, report_id: str, presented: list[dict[str, Any]]) -> Resource:
    return {
        "resourceType": "DiagnosticReport",
        "id": report_id,
        "status": "final",
        "category": [{"coding": [{"system": "http://loinc.org", "code": "LP29708-2", "display": "Cardiology"}],
                      "text": "Consult report"}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "11488-4", "display": "Consult note"}],
                 "text": "Consult note"},
        "subject": visit.patient,
        "encounter": visit.encounter["ref"],
        "effectiveDateTime": visit.signed,
        "issued": visit.signed,
        "resultsInterpreter": [visit.author],
        "presentedForm": [{"title": "Consult note", "creation": visit.signed, **p} for p in presented],
    }


def _e060(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [linked(f"bin{v.tag}", "text/plain")]),
            binary(f"bin{v.tag}", "text/plain; charset=utf-8", v.note.encode())]


def _e061(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [inline("text/html; charset=utf-8", note_html(v.note).encode())])]


def _e062(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [linked(f"bin{v.tag}", "text/html")]),
            binary(f"bin{v.tag}", "text/html; charset=utf-8", note_html(v.note).encode())]


def _e063(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [inline("text/rtf", note_rtf(v.note).encode("ascii"))])]


def _e064(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [linked(f"bin{v.tag}", "application/rtf")]),
            binary(f"bin{v.tag}", "application/rtf", note_rtf(v.note).encode("ascii"))]


def _e065(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [linked(f"bin{v.tag}", "application/pdf")]),
            binary(f"bin{v.tag}", "application/pdf", text_pdf(v.note, "Progress note"))]


def _e066(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [linked(f"bin{v.tag}-pdf", "application/pdf"),
                                      linked(f"bin{v.tag}-txt", "text/plain")]),
            binary(f"bin{v.tag}-pdf", "application/pdf", text_pdf(v.note, "Progress note")),
            binary(f"bin{v.tag}-txt", "text/plain; charset=utf-8", v.note.encode())]


def _e067(v: Visit) -> list[Resource]:
    return [diagnostic_report(v, f"rep{v.tag}", [inline("text/plain; charset=utf-8", v.note.encode())])]


def _e068(v: Visit) -> list[Resource]:
    return [diagnostic_report(v, f"rep{v.tag}", [linked(f"bin{v.tag}", "application/pdf")]),
            binary(f"bin{v.tag}", "application/pdf", text_pdf(v.note, "Consult note"))]


def _e069(v: Visit) -> list[Resource]:
    wrong = "WRONG PATIENT: this note was filed on the wrong chart and must not be coded."
    return [v.plain_document(f"dr{v.tag}"),
            v.plain_document(f"dr{v.tag}-eie", wrong, status="entered-in-error", docStatus="entered-in-error")]


def _e070(v: Visit) -> list[Resource]:
    draft = "PRELIMINARY DRAFT: superseded by the signed note."
    final = v.plain_document(f"dr{v.tag}")
    final["relatesTo"] = [{"code": "replaces", "target": {"reference": f"DocumentReference/dr{v.tag}-draft"}}]
    return [v.plain_document(f"dr{v.tag}-draft", draft, status="superseded", docStatus="preliminary"), final]


def _e071(v: Visit) -> list[Resource]:
    text = f"{CP1252_LINE}\n\n{v.note}"
    return [v.document(f"dr{v.tag}", [linked(f"bin{v.tag}", "text/plain")]),
            binary(f"bin{v.tag}", "text/plain; charset=windows-1252", text.encode("cp1252", errors="replace"))]


def _e072(v: Visit) -> list[Resource]:
    bad = v.document(f"dr{v.tag}-bad", [{"contentType": "text/plain", "data": "@@@ not base64 @@@"}],
                     date="yesterday-ish", epicNoteFlags={"x": 1})
    return [v.plain_document(f"dr{v.tag}"), bad]


def _e073(v: Visit) -> list[Resource]:
    return [v.plain_document(f"dr{v.tag}"),
            v.document(f"dr{v.tag}-lost", [linked(f"bin{v.tag}-missing", "text/plain")])]


def _e074(v: Visit) -> list[Resource]:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    return [v.plain_document(f"dr{v.tag}"), v.document(f"dr{v.tag}-scan", [inline("image/jpeg", jpeg)])]


def _e075(v: Visit) -> list[Resource]:
    sections = notes.split_sections(v.note)
    size = max(1, -(-len(sections) // 5))
    chunks = [sections[i:i + size] for i in range(0, len(sections), size)]
    return [v.plain_document(f"dr{v.tag}-{i + 1}", "\n\n".join(f"{t}\n{b}" for t, b in chunk),
                             description=f"Progress note, part {i + 1} of {len(chunks)}")
            for i, chunk in enumerate(chunks)]


def _e076(v: Visit) -> list[Resource]:
    return [v.document(f"dr{v.tag}", [inline("application/xhtml+xml", note_html(v.note, xhtml=True).encode())])]


def _e077(v: Visit) -> list[Resource]:
    return [v.plain_document(f"dr{v.tag}"),
            v.document(f"dr{v.tag}-remote", [{"contentType": "text/plain", "url": FOREIGN_URL}])]


ADDENDUM = "ADDENDUM\nPatient called back: symptoms improved, plan unchanged."


def _e078(v: Visit) -> list[Resource]:
    addendum = v.document(f"dr{v.tag}-addendum", [linked(f"bin{v.tag}", "text/plain")],
                          description="Addendum")
    return [v.plain_document(f"dr{v.tag}"), addendum,
            binary(f"bin{v.tag}", "text/plain; charset=utf-8", ADDENDUM.encode())]


SHAPES: dict[int, Callable[[Visit], list[Resource]]] = {
    60: _e060, 61: _e061, 62: _e062, 63: _e063, 64: _e064, 65: _e065, 66: _e066, 67: _e067, 68: _e068,
    69: _e069, 70: _e070, 71: _e071, 72: _e072, 73: _e073, 74: _e074, 75: _e075, 76: _e076, 77: _e077,
    78: _e078,
}
