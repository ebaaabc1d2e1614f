"""A RAF (risk adjustment factor) score, only when its inputs are known: age, sex and the eligibility
segment (community non-dual aged, full-dual disabled, institutional, ...). An EHR encounter rarely
states the segment, so callers show why there is no score rather than guess one.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from smartapp.hcc.mapping import MODEL, MODEL_YEAR

SEGMENTS = {
    "CNA": "Community, non-dual, aged", "CND": "Community, non-dual, disabled",
    "CFA": "Community, full-benefit dual, aged", "CFD": "Community, full-benefit dual, disabled",
    "CPA": "Community, partial-benefit dual, aged", "CPD": "Community, partial-benefit dual, disabled",
    "INS": "Long-term institutional",
}


@dataclass(frozen=True)
class Raf:
    score: float
    segment: str
    model: str = MODEL
    year: int = MODEL_YEAR

    @property
    def described(self) -> str:
        return f"{self.score:.3f} ({self.model}, payment year {self.year}, {SEGMENTS[self.segment]})"


def missing_inputs(age: int | None, sex: str | None, segment: str | None) -> list[str]:
    return [name for name, value in (("age", age), ("sex", sex), ("eligibility segment", segment))
            if value in (None, "")]


def raf(codes: list[str], *, age: int | None, sex: str | None, segment: str | None) -> Raf | None:
    """The V28 RAF of `codes` for this person, or None when an input is missing or unknown."""
    if missing_inputs(age, sex, segment) or segment not in SEGMENTS or sex not in ("M", "F"):
        return None
    with warnings.catch_warnings():   # hccinfhir still uses importlib.resources.path (deprecated)
        warnings.simplefilter("ignore", DeprecationWarning)
        from hccinfhir import HCCInFHIR

        processor = HCCInFHIR(model_name=MODEL)
    demographics: dict[str, Any] = {"age": age, "sex": sex}
    result = processor.calculate_from_diagnosis([c.replace(".", "") for c in codes], demographics,
                                                prefix_override=f"{segment}_")  # type: ignore[arg-type]
    return Raf(score=round(float(result.risk_score), 3), segment=str(segment))
