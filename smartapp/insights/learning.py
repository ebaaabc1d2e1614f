"""Learning from an organisation's decisions: what its coders usually reject, and which code they
usually choose instead of a suggested one. Plain functions over counts, shared by the coding run
(which applies them to new suggestions), the insights page and the replay measurement
(scripts/replay_learning.py).

Guardrails, all here:
- a rule needs at least `min_decisions` decisions on the same code in the same context (the code and
  its assertion: a negated mention is a different context from a present one); fewer teaches nothing;
- a code is "usually rejected" only when rejections are also the majority of its decisions;
- a demoted code is moved to the end of its group and marked, never removed;
- an edit A → B is offered (not applied) when B is the majority of A's decisions;
- the counts come from one organisation only, and only after its newest reset.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

DEMOTED_RANK_OFFSET = 1000   # moves a demoted code after every other code of its run, in its old order
NO_REASON = "no reason given"


@dataclass(frozen=True)
class Decided:
    """One decision on an engine suggestion: the suggested code, its context, and what the coder did."""

    code: str                 # the code as the engine suggested it
    assertion: str
    accepted: bool
    reason: str | None = None
    chosen: str | None = None  # the code the coder changed it to, if any


@dataclass(frozen=True)
class Rejected:
    rejected: int
    accepted: int
    reason: str


@dataclass(frozen=True)
class Chosen:
    code: str
    times: int
    of: int


@dataclass
class Learned:
    min_decisions: int
    rejected: dict[tuple[str, str], Rejected] = field(default_factory=dict)   # (code, assertion) → rule
    chosen: dict[tuple[str, str], Chosen] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rejected and not self.chosen


def learn(decisions: list[Decided], min_decisions: int) -> Learned:
    """The rules `decisions` support with at least `min_decisions` decisions each."""
    model = Learned(min_decisions=min_decisions)
    totals: Counter[tuple[str, str]] = Counter()
    rejects: Counter[tuple[str, str]] = Counter()
    reasons: dict[tuple[str, str], Counter[str]] = {}
    edits: dict[tuple[str, str], Counter[str]] = {}
    for d in decisions:
        key = (d.code, d.assertion)
        totals[key] += 1
        if not d.accepted:
            rejects[key] += 1
            reasons.setdefault(key, Counter())[d.reason or NO_REASON] += 1
        elif d.chosen and d.chosen != d.code:
            edits.setdefault(key, Counter())[d.chosen] += 1
    for key, count in rejects.items():
        if count >= min_decisions and count * 2 > totals[key]:
            top = sorted(reasons[key].items(), key=lambda kv: (-kv[1], kv[0] == NO_REASON, kv[0]))[0][0]
            model.rejected[key] = Rejected(rejected=count, accepted=totals[key] - count, reason=top)
    for key, chosen in edits.items():
        code, times = sorted(chosen.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if times >= min_decisions and times * 2 > totals[key]:
            model.chosen[key] = Chosen(code=code, times=times, of=totals[key])
    return model


class Suggested(Protocol):
    code: str
    assertion: str
    rank: int


def adjustments(suggestions: list[Suggested], model: Learned) -> dict[int, dict[str, Any]]:
    """For each suggestion (by its index) that a rule touches: its new rank and its explanation."""
    changed: dict[int, dict[str, Any]] = {}
    for index, s in enumerate(suggestions):
        key = (s.code, s.assertion)
        rule = model.rejected.get(key)
        if rule is not None:
            changed[index] = {"rank": s.rank + DEMOTED_RANK_OFFSET, "learned": {
                "kind": "usually_rejected", "rejected": rule.rejected, "accepted": rule.accepted,
                "reason": rule.reason, "was_rank": s.rank, "min_decisions": model.min_decisions}}
            continue
        offer = model.chosen.get(key)
        if offer is not None:
            changed[index] = {"rank": s.rank, "learned": {
                "kind": "usually_chosen", "code": offer.code, "times": offer.times, "of": offer.of,
                "min_decisions": model.min_decisions}}
    return changed
