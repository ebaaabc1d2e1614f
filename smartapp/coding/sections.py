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
                        "medical decision making", "mdm", "a", "p", "a/p", "assess", "imp",
                        "assessment / plan", "assessment/ plan", "assessment /plan", "impression / plan",
                        "impression/plan", "a / p", "assessment and recommendations", "impression and recommendations"),
    "diagnoses": ("diagnoses", "diagnosis", "visit diagnoses", "final diagnosis", "problem list",
                  "active problems", "problems", "dx", "final dx", "discharge diagnosis", "discharge diagnoses",
                  "principal diagnosis", "secondary diagnoses", "final impression", "diagnostic impression",
                  "working diagnosis", "ed diagnosis", "ed diagnoses", "clinical diagnosis",
                  "other conditions", "other conditions during stay", "other problems", "other diagnoses",
                  "additional diagnoses", "chronic problems", "chronic conditions", "comorbidities", "active issues",
                  "hospital problems", "secondary diagnosis"),
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
    # What was given today is an encounter reason (Z23); the diseases named there are vaccines.
    "immunizations": ("immunizations", "immunization", "vaccines", "vaccinations", "vaccines today",
                      "immunizations today", "vaccinations today", "immunizations given", "immunizations given today",
                      "vaccines given", "vaccines given today", "vaccines administered", "immunizations administered"),
}
_LOOKUP = {h: kind for kind, hs in _HEADINGS.items() for h in hs}
_ALT = "|".join(sorted((re.escape(h) for h in _LOOKUP if len(h) > 1), key=len, reverse=True))
# A heading starts a line and ends with a colon, or is alone on its line (any case). SOAP letters
# (S:, O:, A:, P:) need their colon.
_HEADING_RE = re.compile(
    rf"^[ \t#*]*(?:(?P<h>{_ALT})[ \t*]*(?::|[ \t]*$)|(?P<soap>[SOAP]):)", re.IGNORECASE | re.MULTILINE)

# Dictated notes run their headings into the prose: "... 136 over 82. New paragraph. Assessment. One,
# acute gout flare ..." or "... fundi normal, period. Assessment colon migraine ...". A heading word
# opening a sentence and followed by a spoken colon or its own full stop is a heading there too.
_DICTATED_RE = re.compile(
    r"(?:(?<=[.!?] )|(?<=[.!?]  )|(?<=paragraph, ))(?P<h>assessment and plan|assessment|impression|plan|"
    r"diagnosis|diagnoses|history of present illness|physical examination|review of systems|"
    r"past medical history|family history|social history|medications|allergies)"
    r"(?:[ \t]+colon\b[ \t,]*|\.[ \t]+)", re.IGNORECASE)

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
    if "colon" in text or "aragraph" in text:
        marks = sorted(marks + [(m.start(), m.end(), _LOOKUP[m.group("h").lower()], m.group("h"))
                                for m in _DICTATED_RE.finditer(text)])
    out: list[Section] = []
    first = marks[0][0] if marks else len(text)
    if first > 0 and text[:first].strip():
        out.append(Section("preamble", "", 0, first))
    for i, (_, body, kind, heading) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out.append(Section(kind, heading, body, end))
    return _numbered_problems(text, out)


# "1) Atrial fibrillation ... 2) Chronic systolic heart failure ..." before any heading: a progress
# note organised by problems, whose only heading may be "Plan:". Two or more numbered lines.
_NUMBERED_RE = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|#)[ \t]*[A-Za-z]", re.MULTILINE)


def _numbered_problems(text: str, sections: list[Section]) -> list[Section]:
    if not sections or sections[0].kind != "preamble":
        return sections
    pre = sections[0]
    items = list(_NUMBERED_RE.finditer(text, pre.start, pre.end))
    if len(items) < 2 or any(s.kind == "diagnoses" for s in sections) or any(
            s.kind == "assessment_plan" and s.heading.lower() not in ("plan", "p") for s in sections):
        return sections
    start = items[0].start()
    head = [Section("preamble", "", pre.start, start)] if text[pre.start:start].strip() else []
    return head + [Section("diagnoses", "numbered problems", start, pre.end)] + sections[1:]


def kind_at(sections: list[Section], offset: int) -> str:
    for s in sections:
        if s.start <= offset < s.end:
            return s.kind
    return "preamble"


def plan_only(sections: list[Section]) -> bool:
    """The note's only coding sections are headed "Plan" (or "P"): its problems are stated before the
    plan ("COPD: stable on tiotropium", "Follow-up: pernicious anemia"), with no assessment of their
    own, so the plan alone does not decide which conditions are today's."""
    coding = [s for s in sections if s.kind in CODING_KINDS]
    return bool(coding) and all(s.heading.lower() in ("plan", "p") for s in coding)
