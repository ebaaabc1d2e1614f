"""Error classes and calibration for `make eval` (the classes of issue 14's list).

Every wrong diagnosis (a suggested code that is neither gold nor optional) and every missed gold
code gets exactly one class, decided from the code and the words around its evidence. The rules are
heuristics of the evaluation, deliberately independent of the engine's own assertion logic (an
engine cannot pass by agreeing with itself): read the class counts as "where to look", and the
per-note error list for the facts.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Order matters: the first class whose rule fits wins.
FP_CLASSES = (
    "wrong specificity",
    "relative's condition coded",
    "screening/testing coded as disease",
    "vaccine coded as disease or as given",
    "hypothetical coded",
    "uncertain coded as confirmed",
    "negated coded",
    "history coded as current",
    "preventive Z00 on a problem visit",
    "screening Z code for a test not done today",
    "symptom beside its diagnosis",
    "word match without meaning",
    "other unsupported code",
)
FN_CLASSES = (
    "missed: wrong specificity (paired)",
    "missed: status/history/follow-up Z code",
    "missed: screening/preventive Z code",
    "missed: injury",
    "missed: symptom or finding",
    "missed: diagnosis",
)
# The classes the issue counts as never-events: a diagnosis taken from a screening, a vaccine, a
# relative, a history list or a hypothetical.
NEVER_EVENT_CLASSES = ("relative's condition coded", "screening/testing coded as disease",
                       "vaccine coded as disease or as given", "hypothetical coded", "history coded as current")
EM_CLASSES = ("E/M setting wrong", "E/M level wrong", "E/M missing", "E/M suggested where none is due")

_W = r"(?<![a-z])"
FAMILY = re.compile(_W + r"(mother|father|mom|dad|brother|sister|sibling|grand(?:mother|father|ma|pa)|aunt|uncle|"
                    r"cousin|son|daughter|husband|wife|roommate|partner|parents?|fh|fhx|family)(?![a-z])")
SCREEN = re.compile(_W + r"(screen\w*|phq-?\d*|gad-?7|audit(?:-c)?|m-chat\S*|asq|questionnaire|test(?:ing|ed)? for|"
                    r"check(?:ed)? for|instrument)(?![a-z])")
VACCINE = re.compile(_W + r"(vaccin\w*|immuni[sz]\w*|shots?|booster|tdap|dtap|mmr|hep a #|flu shot)(?![a-z])")
HYPOTHETICAL = re.compile(_W + r"(if|should|would|in case|return for|precautions|worr(?:y|ied|ies)|risk of|"
                          r"discussed|ask(?:ed)? about|can discuss|prophylaxis|prevent\w*)(?![a-z])")
UNCERTAIN = re.compile(_W + r"(possible|possibly|probable|probably|likely|suspect\w*|r/o|rule out|ruled out|vs\.?|"
                       r"versus|concern\w* for|appears|consistent with|not excluded|cannot exclude|low suspicion)"
                       r"(?![a-z])|\?")
NEGATED = re.compile(_W + r"(no|not|never|denies|denied|without|negative|neg|normal|nl|ruled out)(?![a-z])")
HISTORY = re.compile(_W + r"(history of|hx|h/o|s/p|status post|pmh|past medical|prior|previous|years ago|"
                     r"in (?:19|20)\d\d|resolved|completed|had)(?![a-z])")
OBJECTS = re.compile(_W + r"(heating pad|ice pack|pad|pack|crutch\w*|brace|splint|boot|wrap|table|couch|boxes|"
                     r"monitor|car seat|seat belt|sunscreen|strainer|curb|church|attack|response|stress)(?![a-z])")


@dataclass(frozen=True)
class Pred:
    """What the evaluation keeps of one diagnosis suggestion."""

    code: str
    confidence: float
    evidence_start: int | None
    evidence_text: str


def _line(text: str, start: int | None) -> str:
    if start is None:
        return ""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return text[a:len(text) if b < 0 else b].lower()


def _clause(text: str, start: int | None, evidence: str) -> str:
    """The sentence around the evidence (dictated notes run many sentences into one line)."""
    line = _line(text, start)
    if start is None:
        return line
    a = text.rfind("\n", 0, start) + 1
    pos = start - a
    left = max(line.rfind(". ", 0, pos), line.rfind("; ", 0, pos), line.rfind(" period", 0, pos))
    right_candidates = [i for i in (line.find(". ", pos + len(evidence)), line.find("; ", pos + len(evidence)),
                                    line.find(" period", pos + len(evidence))) if i >= 0]
    right = min(right_candidates) if right_candidates else len(line)
    return line[left + 1 if left >= 0 else 0:right]


def _stems(s: str) -> set[str]:
    return {w[:4] for w in re.findall(r"[a-z]{4,}", s.lower())}


def classify_fp(code: str, pred: Pred, text: str, gold: frozenset[str], describe: str) -> str:
    """The class of one wrong diagnosis suggestion."""
    if any(g[:3] == code[:3] for g in gold):
        return "wrong specificity"
    clause = _clause(text, pred.evidence_start, pred.evidence_text)
    ev = pred.evidence_text.lower()
    before = clause[:clause.find(ev)] if ev and ev in clause else clause
    is_z = code.startswith("Z")
    if code.startswith("Z00.0") and not any(g.startswith(("Z00.0", "Z00.1")) for g in gold):
        return "preventive Z00 on a problem visit"
    if code.startswith(("Z11", "Z12", "Z13")):
        return "screening Z code for a test not done today"
    if code == "Z23" or (not is_z and VACCINE.search(clause)):
        return "vaccine coded as disease or as given"
    if NEGATED.search(before):
        return "negated coded"
    if OBJECTS.search(ev) or (ev and not (_stems(ev) & _stems(describe)) and len(ev.split()) <= 2):
        return "word match without meaning"
    if not is_z:
        if FAMILY.search(clause):
            return "relative's condition coded"
        if SCREEN.search(clause):
            return "screening/testing coded as disease"
        if HYPOTHETICAL.search(clause):
            return "hypothetical coded"
        if UNCERTAIN.search(clause):
            return "uncertain coded as confirmed"
        if HISTORY.search(clause):
            return "history coded as current"
        if code.startswith(("R", "M25.5", "M54.5", "M79.6")) and any(not g.startswith(("R", "Z")) for g in gold):
            return "symptom beside its diagnosis"
    return "other unsupported code"


def classify_fn(code: str, predicted: set[str]) -> str:
    if any(p[:3] == code[:3] for p in predicted):
        return "missed: wrong specificity (paired)"
    if code.startswith(("Z00", "Z01", "Z11", "Z12", "Z13")):
        return "missed: screening/preventive Z code"
    if code.startswith("Z"):
        return "missed: status/history/follow-up Z code"
    if code[0] in "ST":
        return "missed: injury"
    if code[0] == "R":
        return "missed: symptom or finding"
    return "missed: diagnosis"


def em_family(code: str | None) -> str | None:
    """office / preventive / hospital (inpatient and observation) / ED / critical care, from the CPT code."""
    if not code or not code.isdigit():
        return None
    n = int(code)
    for lo, hi, fam in ((99202, 99215, "office"), (99381, 99397, "preventive"), (99221, 99239, "hospital"),
                        (99281, 99285, "ED"), (99291, 99292, "critical care")):
        if lo <= n <= hi:
            return fam
    return "other"


def classify_em(gold: str | None, pred: str | None) -> str | None:
    if gold == pred:
        return None
    if gold is None:
        return "E/M suggested where none is due"
    if pred is None:
        return "E/M missing"
    return "E/M level wrong" if em_family(gold) == em_family(pred) else "E/M setting wrong"


BUCKETS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))


def calibration(rows: list[tuple[float, bool]]) -> list[dict]:
    """Confidence bucket -> suggestions, mean confidence and share correct (gold or optional)."""
    out = []
    for lo, hi in BUCKETS:
        got = [(c, ok) for c, ok in rows if lo <= c < hi]
        if got:
            out.append({"bucket": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": len(got),
                        "mean_confidence": round(sum(c for c, _ in got) / len(got), 3),
                        "share_correct": round(sum(ok for _, ok in got) / len(got), 3)})
    return out


def calibration_error(table: list[dict]) -> float | None:
    """Expected calibration error: the gap between confidence and share correct, weighted by bucket size."""
    n = sum(row["n"] for row in table)
    if not n:
        return None
    return round(sum(row["n"] * abs(row["mean_confidence"] - row["share_correct"]) for row in table) / n, 3)


def counts(classes: list[str], order: tuple[str, ...]) -> dict[str, int]:
    c = Counter(classes)
    return {k: c[k] for k in order if c[k]}
