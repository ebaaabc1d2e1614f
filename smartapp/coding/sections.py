"""Split a note into sections by their headings (HPI, assessment and plan, ROS, ...).

Codes should come from what the clinician concluded (assessment and plan, diagnoses), not from a
review of systems or exam findings; the section kind lets the pipeline apply that preference.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical kind -> heading spellings (lowercase, matched at the start of a line).
_HEADINGS: dict[str, tuple[str, ...]] = {
    "assessment_plan": ("assessment and plan", "assessment & plan", "assessment/plan", "a&p",
                        "assessment", "impression and plan", "impression", "plan", "clinical impression",
                        "medical decision making", "mdm", "a", "p", "a/p"),
    "diagnoses": ("diagnoses", "diagnosis", "visit diagnoses", "final diagnosis", "problem list",
                  "active problems", "problems"),
    "cc": ("chief complaint", "cc", "reason for visit", "reason for encounter"),
    "hpi": ("history of present illness", "hpi", "subjective", "interval history", "history", "s"),
    "ros": ("review of systems", "ros"),
    "exam": ("physical examination", "physical exam", "exam", "examination", "pe", "objective", "o"),
    "vitals": ("vital signs", "vitals", "vitals reviewed"),
    "instructions": ("instructions", "patient instructions", "discharge instructions"),
    "pmh": ("past medical history", "pmh", "medical history", "past history", "pmhx"),
    "psh": ("past surgical history", "psh", "surgical history"),
    "family": ("family history", "fh", "fhx", "family hx"),
    "social": ("social history", "sh", "social hx"),
    "meds": ("medications", "current medications", "meds", "medication list"),
    "allergies": ("allergies",),
    "results": ("results", "labs", "lab results", "data reviewed", "imaging", "diagnostics", "studies"),
    "procedures": ("procedures", "procedure", "procedure note"),
}
_LOOKUP = {h: kind for kind, hs in _HEADINGS.items() for h in hs}
_ALT = "|".join(sorted((re.escape(h) for h in _LOOKUP if len(h) > 1), key=len, reverse=True))
# A heading starts a line and ends with a colon, or is alone on its line (any case). SOAP letters
# (S:, O:, A:, P:) need their colon.
_HEADING_RE = re.compile(
    rf"^[ \t#*]*(?:(?P<h>{_ALT})[ \t*]*(?::|[ \t]*$)|(?P<soap>[SOAP]):)", re.IGNORECASE | re.MULTILINE)

CODING_KINDS = frozenset({"assessment_plan", "diagnoses"})
SKIP_KINDS = frozenset({"ros", "exam", "vitals", "meds", "allergies", "results"})


@dataclass(frozen=True)
class Section:
    kind: str          # canonical kind, "preamble" before the first heading
    heading: str
    start: int         # body start (after the heading)
    end: int


def split(text: str) -> list[Section]:
    """Sections in order; text before any heading is a "preamble" section."""
    marks = [(m.start(), m.end(), _LOOKUP[(m.group("h") or m.group("soap")).lower()], m.group("h") or m.group("soap"))
             for m in _HEADING_RE.finditer(text)]
    out: list[Section] = []
    first = marks[0][0] if marks else len(text)
    if first > 0 and text[:first].strip():
        out.append(Section("preamble", "", 0, first))
    for i, (_, body, kind, heading) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out.append(Section(kind, heading, body, end))
    return out


def kind_at(sections: list[Section], offset: int) -> str:
    for s in sections:
        if s.start <= offset < s.end:
            return s.kind
    return "preamble"
