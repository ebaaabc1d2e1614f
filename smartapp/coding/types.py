"""Plain data shapes that go in and out of the coding library.

Everything here is a frozen dataclass (or a small constant) so that workers, the API and tests can
build and compare them without Flask or the ORM. Offsets in :class:`EvidenceSpan` always point into
the ORIGINAL note text, never into the redacted text an external engine saw.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"  # HL7 terminology URI

CATEGORIES = ("diagnosis", "em", "procedure")
ASSERTIONS = ("present", "negated", "historical", "family", "hypothetical", "uncertain")


@dataclass(frozen=True)
class NoteInput:
    """One clinical note of an encounter (plain text; HTML is converted upstream)."""

    note_id: str
    text: str
    title: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Demographics:
    """The patient's own identifiers, used as a deny list by PHI redaction."""

    names: tuple[str, ...] = ()
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceSpan:
    """A slice of the original note: ``note.text[start:end] == text``."""

    note_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CodeSuggestion:
    """One code proposed for the claim, with the note text that supports it."""

    system: str
    code: str
    display: str
    category: str
    evidence: tuple[EvidenceSpan, ...]
    assertion: str
    confidence: float
    rationale: str
    rank: int = 0
    hint: str | None = None
    quantity: int = 1       # units of a service line (an add-on counted per vaccine, component or time block)


@dataclass(frozen=True)
class CodingResult:
    """What :func:`smartapp.coding.pipeline.run` returns."""

    suggestions: list[CodeSuggestion]
    engine: str
    engine_version: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    redacted_chars: int = 0


@dataclass(frozen=True)
class Candidate:
    """An engine's raw proposal, before validation, guideline rules and ranking.

    ``code`` may be non-billable or lack a 7th character; the pipeline resolves it. ``side`` and
    ``encounter`` are context the engine saw near the mention (laterality, injury episode).
    """

    system: str
    code: str
    evidence: tuple[EvidenceSpan, ...]
    assertion: str = "present"
    confidence: float = 0.8
    rationale: str = ""
    section: str | None = None
    side: str | None = None
    encounter: str | None = None
    category: str = "diagnosis"
    source: str = "local"
