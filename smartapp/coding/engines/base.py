"""What every engine shares: settings, the prepared note it receives, and the interface."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..phi import Redaction, redact
from ..sections import Section
from ..types import Candidate, CodeSuggestion, Demographics, NoteInput


@dataclass(frozen=True)
class EngineSettings:
    """Engine choice and its connection settings. Built by the app from its one configuration
    (``smartapp.config.Settings.engine_settings``); this library does not read the environment."""

    engine: str = "local"
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)
    openai_timeout: float = 30.0
    openai_retries: int = 2
    openai_chunk_chars: int = 12000
    aws_region: str = "us-east-1"
    comprehend_chunk_chars: int = 9000
    comprehend_snomed: bool = False     # also call InferSNOMEDCT (procedures -> CPT, past history)
    ensemble_with: str = "openai"       # the external half of the "ensemble" engine


class PreparedNote:
    """A note after sectioning and redaction. External engines may only read ``redaction.text``.

    Redaction runs on first use: the local engine never sends text anywhere, so it does not pay
    for it (about a third of the pipeline's time on a 3 KB note).
    """

    def __init__(self, note: NoteInput, sections: list[Section], redaction: Redaction | None = None,
                 demographics: Demographics | None = None) -> None:
        self.note = note
        self.sections = sections
        self._redaction = redaction
        self._demographics = demographics

    @property
    def redaction(self) -> Redaction:
        if self._redaction is None:
            self._redaction = redact(self.note.text, self._demographics)
        return self._redaction

    @property
    def redacted(self) -> bool:
        """Whether the text was redacted (i.e. prepared for an external engine)."""
        return self._redaction is not None


@dataclass
class EngineOutput:
    candidates: list[Candidate]
    warnings: list[str] = field(default_factory=list)
    # Mentions the engine saw as uncertain diagnoses (not coded, but they count for E/M problems).
    uncertain: int = 0
    # Office procedure codes (category "procedure") an external engine found, e.g. SNOMED CT -> CPT.
    procedures: list[CodeSuggestion] = field(default_factory=list)


class Engine(Protocol):
    name: str
    version: str

    def extract(self, notes: Sequence[PreparedNote]) -> EngineOutput:
        """Candidates with evidence offsets into the ORIGINAL note text."""
        ...


class EngineError(RuntimeError):
    """An engine could not run (configuration, network); the message is safe to show people."""
