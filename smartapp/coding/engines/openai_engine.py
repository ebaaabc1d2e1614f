"""OpenAI (or any server speaking the chat completions API) as a coding engine.

Only the REDACTED note text is sent. The model answers in a strict JSON schema (temperature 0);
every code is checked against the ICD-10-CM code set and every evidence quote must be verbatim in
the text the model saw, else the item is dropped. Quotes are mapped back to offsets in the
original note. E/M levels are not asked of the model: :mod:`..em` computes them deterministically.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..codesets import icd10cm
from ..sections import kind_at
from ..types import ASSERTIONS, ICD10CM, Candidate
from .base import EngineError, EngineOutput, EngineSettings, PreparedNote
from .chunking import chunks, locate

SYSTEM_PROMPT = (
    "You are a certified outpatient medical coder. From the clinical note, list the ICD-10-CM diagnosis "
    "codes supported by the documentation, following the ICD-10-CM Official Guidelines for outpatient "
    "services: code to the highest specificity documented; do not code uncertain diagnoses (possible, "
    "probable, suspected, rule out) - code their signs or symptoms instead; do not code symptoms integral "
    "to a confirmed diagnosis. For each code give a short verbatim quote copied exactly from the note that "
    "supports it, the assertion (present, negated, historical, family, hypothetical, uncertain), a confidence "
    "between 0 and 1 and a one-sentence rationale. Placeholders such as [NAME] or [DATE] replace private "
    "details; never guess them.")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["codes"],
    "properties": {"codes": {"type": "array", "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "quote", "assertion", "confidence", "rationale"],
        "properties": {
            "code": {"type": "string", "description": "ICD-10-CM code with a dot, e.g. E11.9"},
            "quote": {"type": "string", "description": "verbatim text from the note"},
            "assertion": {"type": "string", "enum": list(ASSERTIONS)},
            "confidence": {"type": "number"},
            "rationale": {"type": "string"},
        }}}},
}


class OpenAIEngine:
    name = "openai"

    def __init__(self, settings: EngineSettings) -> None:
        import openai  # imported here so the local engine never needs the SDK

        if not settings.openai_api_key and not settings.openai_base_url:
            raise EngineError("OpenAI engine needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server)")
        self.settings = settings
        self.version = f"openai:{settings.openai_model}"
        self._openai = openai
        self._client = openai.OpenAI(api_key=settings.openai_api_key or "unused", base_url=settings.openai_base_url,
                                     timeout=settings.openai_timeout, max_retries=settings.openai_retries)

    def _ask(self, text: str) -> list[dict[str, Any]]:
        try:
            resp = self._client.chat.completions.create(
                model=self.settings.openai_model,
                temperature=0,
                messages=[{"role": "system", "content": SYSTEM_PROMPT},
                          {"role": "user", "content": f"Clinical note:\n\n{text}"}],
                response_format={"type": "json_schema",
                                 "json_schema": {"name": "icd10cm_codes", "strict": True, "schema": SCHEMA}},
            )
        except self._openai.OpenAIError as exc:
            # Class name only: SDK messages can echo request content.
            raise EngineError(f"OpenAI request failed ({type(exc).__name__})") from exc
        content = resp.choices[0].message.content if resp.choices else None
        try:
            data = json.loads(content or "{}")
        except json.JSONDecodeError as exc:
            raise EngineError("OpenAI returned a response that is not JSON") from exc
        items = data.get("codes", []) if isinstance(data, dict) else []
        return [i for i in items if isinstance(i, dict)]

    def extract(self, notes: Sequence[PreparedNote]) -> EngineOutput:
        out = EngineOutput(candidates=[])
        dropped_codes = dropped_quotes = 0
        for prepared in notes:
            red = prepared.redaction.text
            for offset, chunk in chunks(red, self.settings.openai_chunk_chars):
                for item in self._ask(chunk):
                    code = icd10cm.normalize(str(item.get("code", "")))
                    if not icd10cm.is_valid(code):
                        dropped_codes += 1
                        continue
                    ev = locate(str(item.get("quote", "")), prepared, offset, offset + len(chunk))
                    if ev is None:
                        dropped_quotes += 1
                        continue
                    assertion = item.get("assertion") if item.get("assertion") in ASSERTIONS else "present"
                    if assertion == "uncertain":
                        out.uncertain += 1
                    conf = item.get("confidence")
                    conf = min(max(float(conf), 0.0), 1.0) if isinstance(conf, int | float) else 0.7
                    out.candidates.append(Candidate(
                        ICD10CM, code, (ev,), str(assertion), conf,
                        f"OpenAI {self.settings.openai_model}: {str(item.get('rationale', ''))[:300]}",
                        kind_at(prepared.sections, ev.start), source="openai"))
        if dropped_codes:
            out.warnings.append(f"{dropped_codes} code(s) from OpenAI were not valid ICD-10-CM and were dropped")
        if dropped_quotes:
            out.warnings.append(f"{dropped_quotes} OpenAI suggestion(s) had evidence not found in the note; dropped")
        return out
