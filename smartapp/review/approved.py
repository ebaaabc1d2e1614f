"""The approved codes of a coding run, in billing order: what every write-back strategy sends.

One place decides the sequence (first-listed diagnosis first, then the coder's order), which codes a
person added or changed (not marked AI-suggested), and which lines point at which diagnoses, so the
Claim, the ChargeItems, the encounter diagnoses and the coding report always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartapp.models import CodingRun, Decision, Suggestion

MAX_POINTERS = 4   # a claim line points at up to four diagnoses (X12 837P / CMS-1500)


@dataclass(frozen=True)
class ApprovedCode:
    system: str
    code: str
    display: str
    category: str          # diagnosis, em, procedure
    ai_suggested: bool     # accepted as the engine suggested it (not added or changed by a person)
    original_code: str | None = None
    quantity: int = 1      # units of a service line


@dataclass(frozen=True)
class ApprovedCodes:
    diagnoses: list[ApprovedCode]   # in sequence: [0] is the first-listed diagnosis
    lines: list[ApprovedCode]       # E/M first, then procedures
    rejected: list[tuple[str, str | None]]   # (code, reason): for the coding report

    @property
    def pointers(self) -> tuple[int, ...]:
        return tuple(range(1, min(len(self.diagnoses), MAX_POINTERS) + 1))

    @property
    def empty(self) -> bool:
        return not self.diagnoses and not self.lines


def ordered(suggestions: list[Suggestion]) -> list[Suggestion]:
    return sorted(suggestions, key=lambda s: (s.rank, s.id or 0))


def _code(s: Suggestion) -> ApprovedCode:
    return ApprovedCode(s.system, s.code, s.display, s.category,
                        ai_suggested=s.origin == "engine" and s.original_code is None,
                        original_code=s.original_code, quantity=s.quantity or 1)


def approved_codes(run: CodingRun) -> ApprovedCodes:
    accepted = [s for s in ordered(list(run.suggestions)) if s.decision == Decision.ACCEPTED]
    lines = [s for s in accepted if s.category == "em"] + [s for s in accepted if s.category == "procedure"]
    return ApprovedCodes(
        diagnoses=[_code(s) for s in accepted if s.category == "diagnosis"],
        lines=[_code(s) for s in lines],
        rejected=[(s.code, s.decision_reason) for s in ordered(list(run.suggestions))
                  if s.decision == Decision.REJECTED],
    )
