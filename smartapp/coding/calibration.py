"""Calibrated confidence: the number shown is how often such a suggestion was right.

Each diagnosis suggestion gets a feature key (where its words came from, where in the note, what
kind of code) and its confidence becomes the share of suggestions with that key that matched the
coder's codes on the calibration set, shrunk towards coarser keys when a key is rare. The table is
fitted by ``scripts/calibrate.py`` on one set (the ACI-BENCH labels) and checked on others by
``make eval`` (calibration table and expected calibration error per set). Without the table the
engine's own confidence stays.

Suggestions below :data:`TO_CHECK_BELOW` are shown as "To check" on the review page.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from . import apstructure
from .types import CodeSuggestion

TABLE_PATH = Path(__file__).with_name("calibration.json")
TO_CHECK_BELOW = 0.6
SHRINK = 8.0        # pseudo-counts that pull a rare key towards its coarser key (fewer keys, less overfit)
_STATUS = ("Z79", "Z94", "Z95", "Z96", "Z98", "Z99", "Z90", "Z92")
_ENCOUNTER = ("Z00", "Z01", "Z02", "Z09", "Z11", "Z12", "Z13", "Z23")


def _source(rationale: str) -> str:
    r = rationale.lower()
    if "combination code" in r:
        return "combination"
    if "long-term drug" in r or r.startswith("status:"):
        return "status"
    if "documented in the note:" in r:
        return "refined"
    if "curated term" in r:
        return "lexicon"
    if "index/title term" in r:
        return "title"
    return "other"


def _kind(s: CodeSuggestion) -> str:
    if s.assertion in ("historical", "family"):
        return s.assertion
    if s.code.startswith(_STATUS):
        return "status"
    if s.code.startswith(_ENCOUNTER):
        return "encounter"
    if s.code.startswith("R"):
        return "symptom"
    if s.code.startswith(("S", "T")):
        return "injury"
    return "condition"


def _place(s: CodeSuggestion, texts: dict[str, str]) -> str:
    r = s.rationale.lower()
    in_ap = " in assessment plan" in r or " in diagnoses" in r
    if in_ap and any(e.note_id in texts and apstructure.in_head(texts[e.note_id], e.start, e.end) for e in s.evidence):
        return "heading"
    return "assessment" if in_ap else "elsewhere"


def keys(s: CodeSuggestion, texts: dict[str, str]) -> tuple[str, str]:
    """From the finer to the coarser feature key of a diagnosis suggestion."""
    kind, source, place = _kind(s), _source(s.rationale), _place(s, texts)
    return f"{kind}|{source}|{place}", kind


@lru_cache(maxsize=1)
def table() -> dict[str, list[float]]:
    """key -> [right, total] from the fitted file; empty when there is none."""
    if not TABLE_PATH.exists():
        return {}
    data = json.loads(TABLE_PATH.read_text())
    return {k: [float(v[0]), float(v[1])] for k, v in data.get("counts", {}).items()}


def calibrate(s: CodeSuggestion, texts: dict[str, str]) -> float:
    """The calibrated confidence of a diagnosis suggestion.

    A feature key never seen when fitting (an external engine's suggestion) keeps the engine's own
    confidence: nothing was measured for it. A local suggestion an ensemble's other engine also
    found keeps its calibrated value with half its doubt removed (an assumption, not measured: the
    evaluation sets are scored with the local engine only).
    """
    counts = table()
    fine, coarse = keys(s, texts)
    if fine not in counts:
        return s.confidence
    agreed = "also found by" in s.rationale
    right, total = counts.get(coarse, [0.0, 0.0])
    value = (right + SHRINK * s.confidence) / (total + SHRINK)
    right, total = counts[fine]
    value = (right + SHRINK * value) / (total + SHRINK)
    if agreed:
        value += (1 - value) / 2
    return round(min(0.99, max(0.05, value)), 2)
