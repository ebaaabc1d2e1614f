"""Code suggestion library (no Flask, no ORM): ``pipeline.run(notes, demographics)``."""
from .types import CPT, HCPCS, ICD10CM, CodeSuggestion, CodingResult, Demographics, EvidenceSpan, NoteInput

__all__ = ["CPT", "HCPCS", "ICD10CM", "CodeSuggestion", "CodingResult", "Demographics", "EvidenceSpan",
           "NoteInput"]
