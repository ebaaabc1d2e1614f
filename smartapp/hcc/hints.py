"""Documentation hints: where the note supports a more specific diagnosis code that carries an HCC
(or a more severe one) than the code suggested, say so. A hint is advice for the coder to check in
the note, never a code added by itself.

Each rule names the suggested codes it applies to, words that document the more specific condition,
and the code they would support. Words preceded closely by a negation ("no", "denies", "without")
do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smartapp.hcc.mapping import Hcc, hccs_for


@dataclass(frozen=True)
class HintRule:
    applies_to: tuple[str, ...]     # suggested ICD-10-CM codes (dotted)
    words: str                      # regular expression over the note text
    target: str                     # the more specific code the words support
    documented: str                 # what the note says, in words


RULES: tuple[HintRule, ...] = (
    HintRule(("E11.9", "E11.65", "E11.8"), r"\bneuropath(y|ic)\b", "E11.42", "diabetic neuropathy"),
    HintRule(("E11.9", "E11.65", "E11.8"), r"\b(chronic kidney disease|CKD|diabetic nephropathy)\b", "E11.22",
             "chronic kidney disease"),
    HintRule(("E11.9", "E11.65", "E11.8"), r"\bretinopathy\b", "E11.319", "diabetic retinopathy"),
    HintRule(("F32.9", "F32.A"), r"\bsevere (major )?depress", "F32.2", "severe depression"),
    HintRule(("F32.9", "F32.A"), r"\bmoderate (major )?depress", "F32.1", "moderate depression"),
    HintRule(("E66.9", "E66.3", "E66.8"), r"\b(morbid(ly)? obes|BMI (of )?(4\d|[5-9]\d))", "E66.01",
             "morbid (severe) obesity"),
    HintRule(("N18.9",), r"\b(CKD|chronic kidney disease),? stage (4|IV)\b", "N18.4", "CKD stage 4"),
    HintRule(("N18.9", "N18.30"), r"\b(CKD|chronic kidney disease),? stage (3b|IIIb)\b", "N18.32", "CKD stage 3b"),
)

_NEGATION = re.compile(r"\b(no|denies|denied|without|negative for|not)\b[^.;\n]{0,25}$", re.IGNORECASE)


@dataclass(frozen=True)
class Hint:
    code: str             # the suggested code
    target: str           # the code the note may support
    target_hcc: Hcc
    documented: str

    @property
    def message(self) -> str:
        return (f"The note mentions {self.documented}: {self.target} ({self.target_hcc.name}, "
                f"{self.target_hcc.label}) may apply instead of {self.code}, if the documentation supports it.")


def _mentioned(pattern: str, text: str) -> bool:
    for match in re.finditer(pattern, text, re.IGNORECASE):
        if not _NEGATION.search(text[max(0, match.start() - 40):match.start()]):
            return True
    return False


def hints_for(codes: list[str], note_text: str) -> list[Hint]:
    """Hints for the suggested `codes` given the encounter's note text (read, never stored)."""
    found: list[Hint] = []
    present = set(codes)
    for code in codes:
        current = {h.number for h in hccs_for(code)}
        for rule in RULES:
            if code not in rule.applies_to or rule.target in present:
                continue
            target_hccs = hccs_for(rule.target)
            if not target_hccs or {h.number for h in target_hccs} <= current:
                continue
            if _mentioned(rule.words, note_text):
                found.append(Hint(code, rule.target, target_hccs[0], rule.documented))
                break
    return found
