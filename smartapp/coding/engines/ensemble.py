"""Local engine plus an external one (OpenAI or Comprehend): union of their candidates.

Codes both engines find get a confidence boost; codes only the external engine finds are kept
(already validated and quoted) at a lower confidence. If the external engine fails, the local
result stands with a warning, so a network problem never leaves a coder with nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .base import Engine, EngineError, EngineOutput, EngineSettings, PreparedNote
from .local import LocalEngine

_AGREE_BOOST = 0.05
_EXTERNAL_ONLY = 0.85


class EnsembleEngine:
    name = "ensemble"

    def __init__(self, settings: EngineSettings, external: Engine | None = None) -> None:
        self.local = LocalEngine()
        self._settings = settings
        self._external = external
        self.version = f"ensemble({self.local.version}+{settings.ensemble_with})"

    def _build_external(self) -> Engine:
        if self._external is None:
            from . import get_engine

            self._external = get_engine(replace(self._settings, engine=self._settings.ensemble_with))
        return self._external

    def extract(self, notes: Sequence[PreparedNote]) -> EngineOutput:
        local = self.local.extract(notes)
        try:
            ext = self._build_external().extract(notes)
        except EngineError as exc:
            local.warnings.append(f"{self._settings.ensemble_with} part of the ensemble failed ({exc}); "
                                  "local suggestions only")
            return local
        local_codes = {c.code for c in local.candidates if c.assertion == "present"}
        ext_codes = {c.code for c in ext.candidates if c.assertion == "present"}
        merged = [replace(c, confidence=min(1.0, c.confidence + _AGREE_BOOST),
                          rationale=c.rationale + f"; also found by {self._settings.ensemble_with}")
                  if c.code in ext_codes else c for c in local.candidates]
        merged += [replace(c, confidence=round(c.confidence * _EXTERNAL_ONLY, 3))
                   for c in ext.candidates if c.code not in local_codes]
        return EngineOutput(merged, local.warnings + ext.warnings, max(local.uncertain, ext.uncertain))

