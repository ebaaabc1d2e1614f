"""Amazon Comprehend Medical as a coding engine (boto3, REDACTED text only).

Per chunk of redacted text (kept under the 10,000-character InferICD10CM limit): InferICD10CM gives
condition mentions with ranked ICD-10-CM concepts and traits; DetectEntitiesV2 (and optionally
InferSNOMEDCT, ``COMPREHEND_SNOMED=1``) add the PAST_HISTORY trait that InferICD10CM lacks;
InferSNOMEDCT's procedures become CPT suggestions through a small crosswalk (:mod:`..procedure_rules`).
Traits map to our assertions; codes are re-validated against the code set; offsets are mapped back to the original note.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import procedures
from ..codesets import icd10cm
from ..sections import kind_at
from ..types import CPT, ICD10CM, Candidate, CodeSuggestion, EvidenceSpan
from .base import EngineError, EngineOutput, EngineSettings, PreparedNote
from .chunking import chunks

_TRAITS = (("NEGATION", "negated"), ("PERTAINS_TO_FAMILY", "family"), ("HYPOTHETICAL", "hypothetical"),
           ("FUTURE", "hypothetical"), ("LOW_CONFIDENCE", "uncertain"), ("PAST_HISTORY", "historical"))
_MIN_TRAIT_SCORE = 0.5
_MAX_CHUNK = 9500     # InferICD10CM / InferSNOMEDCT accept at most 10,000 characters


def assertion_from_traits(traits: Sequence[dict[str, Any]]) -> str:
    names = {t.get("Name") for t in traits if float(t.get("Score", 0)) >= _MIN_TRAIT_SCORE}
    return next((ours for theirs, ours in _TRAITS if theirs in names), "present")


class ComprehendEngine:
    name = "comprehend"

    def __init__(self, settings: EngineSettings, client: Any | None = None, use_snomed: bool | None = None) -> None:
        self.settings = settings
        self.use_snomed = settings.comprehend_snomed if use_snomed is None else use_snomed
        self.version = "comprehendmedical:InferICD10CM+DetectEntitiesV2" + ("+InferSNOMEDCT" if self.use_snomed else "")
        if client is None:
            import boto3  # imported here so the local engine never needs the SDK

            client = boto3.client("comprehendmedical", region_name=settings.aws_region)
        self._client = client

    def _call(self, op: str, text: str) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            result: dict[str, Any] = getattr(self._client, op)(Text=text)
            return result
        except (BotoCoreError, ClientError) as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            raise EngineError(f"Comprehend Medical {op} failed ({code})") from exc

    def _history_spans(self, entities: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
        return [(int(ent["BeginOffset"]), int(ent["EndOffset"])) for ent in entities
                if ent.get("Category") == "MEDICAL_CONDITION"
                and assertion_from_traits(ent.get("Traits", [])) == "historical"]

    def _procedures(self, prepared: PreparedNote, offset: int, chunk: str, entities: Sequence[dict[str, Any]],
                    out: EngineOutput) -> None:
        """InferSNOMEDCT procedures -> CPT (crosswalk by concept id, else by text), only when the
        original note says the procedure was done at this visit (same rule as the local engine)."""
        red, note = prepared.redaction, prepared.note
        for ent in entities:
            if ent.get("Category") != "TEST_TREATMENT_PROCEDURE" or \
                    assertion_from_traits(ent.get("Traits", [])) != "present":
                continue
            b, e = int(ent["BeginOffset"]), int(ent["EndOffset"])
            if chunk[b:e] != ent.get("Text"):
                continue
            concepts = sorted(ent.get("SNOMEDCTConcepts", []), key=lambda c: -float(c.get("Score", 0)))
            rule = next((r for c in concepts for r in [procedures.rule_for_snomed(str(c.get("Code", "")),
                                                                                 str(c.get("Description", "")))]
                         if r), None) or procedures.rule_for_snomed("", str(ent.get("Text", "")))
            if rule is None or any(p.code == rule.code for p in out.procedures):
                continue
            start, end = red.to_original(offset + b), red.to_original(offset + e - 1) + 1
            ok, why = procedures.done_here(note.text, start, end, kind_at(prepared.sections, start), rule)
            if not ok:
                continue
            concept = concepts[0] if concepts else {}
            out.procedures.append(CodeSuggestion(
                CPT, rule.code, rule.label, "procedure",
                (EvidenceSpan(note.note_id, start, end, note.text[start:end]),),
                "present", round(float(ent.get("Score", 0.8)), 2),
                f"Comprehend Medical SNOMED CT {concept.get('Code', '?')} ({concept.get('Description', '')}) -> "
                f"{rule.code}; {why}.", 0, rule.hint))

    def extract(self, notes: Sequence[PreparedNote]) -> EngineOutput:
        out = EngineOutput(candidates=[])
        dropped = 0
        limit = min(self.settings.comprehend_chunk_chars, _MAX_CHUNK)
        for prepared in notes:
            red = prepared.redaction
            for offset, chunk in chunks(red.text, limit):
                detected = self._call("detect_entities_v2", chunk).get("Entities", [])
                snomed = self._call("infer_snomedct", chunk).get("Entities", []) if self.use_snomed else []
                history = self._history_spans([*detected, *snomed])
                self._procedures(prepared, offset, chunk, snomed, out)
                for ent in self._call("infer_icd10_cm", chunk).get("Entities", []):
                    concepts = sorted(ent.get("ICD10CMConcepts", []), key=lambda c: -float(c.get("Score", 0)))
                    valid = [c for c in concepts if icd10cm.is_valid(str(c.get("Code", "")))]
                    if not valid:
                        dropped += bool(concepts)
                        continue
                    b, e = int(ent["BeginOffset"]), int(ent["EndOffset"])
                    if chunk[b:e] != ent.get("Text"):
                        dropped += 1        # offsets that do not match the text we sent: do not trust
                        continue
                    assertion = assertion_from_traits(ent.get("Traits", []))
                    if assertion == "present" and any(hb < e and b < he for hb, he in history):
                        assertion = "historical"
                    if assertion == "uncertain":
                        out.uncertain += 1
                    start = red.to_original(offset + b)
                    end = red.to_original(offset + e - 1) + 1
                    ev = EvidenceSpan(prepared.note.note_id, start, end, prepared.note.text[start:end])
                    best = valid[0]
                    out.candidates.append(Candidate(
                        ICD10CM, icd10cm.normalize(str(best["Code"])), (ev,), assertion,
                        round(float(best.get("Score", 0.5)) * float(ent.get("Score", 1.0)), 3),
                        f"Comprehend Medical: {best.get('Description', '')}",
                        kind_at(prepared.sections, start), source="comprehend"))
        if dropped:
            out.warnings.append(f"{dropped} Comprehend Medical mention(s) had no valid ICD-10-CM code; dropped")
        return out
