"""Status Z codes a coder adds from what the patient is on or has: long-term drug therapy (Z79.-),
grafts and stents (Z95.-), transplants (Z94.-).

Guideline I.C.21.c.3: status codes say a patient carries a drug, device or organ that affects care.
Z79 codes are assigned for continuing use of a drug (not for a one-off prescription such as an
antibiotic course), including a newly started drug meant to continue (metformin started today);
a patient on insulin *and* an oral hypoglycemic gets both Z79.4 and Z79.84 (I.C.4.a.3).

A mention counts unless it is stopped, refused, negated, hypothetical or historical in its clause
("we will stop metformin", "not on insulin", "may need insulin", "previously on Plavix").
Mentions in the review of systems, exam, family history or allergies do not count.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .assertions import classify
from .sections import Section, kind_at
from .types import ICD10CM, Candidate, EvidenceSpan

# Drug (generic and common brand names) -> status code. Our own grouping by drug class.
_DRUGS: dict[str, tuple[str, ...]] = {
    "Z79.84": ("metformin", "glucophage", "glipizide", "glucotrol", "glyburide", "glimepiride", "amaryl",
               "sitagliptin", "januvia", "janumet", "linagliptin", "tradjenta", "saxagliptin", "empagliflozin",
               "jardiance", "dapagliflozin", "farxiga", "canagliflozin", "invokana", "pioglitazone", "actos",
               "oral hypoglycemic", "oral hypoglycemics", "rybelsus"),
    "Z79.4": ("insulin", "lantus", "levemir", "tresiba", "humalog", "novolog", "basaglar", "toujeo",
              "glargine", "lispro", "aspart", "detemir", "degludec"),
    "Z79.85": ("ozempic", "semaglutide injection", "trulicity", "dulaglutide", "victoza", "liraglutide",
               "mounjaro", "tirzepatide", "byetta", "exenatide"),
    "Z79.82": ("aspirin", "asa 81", "baby aspirin"),
    "Z79.02": ("clopidogrel", "plavix", "ticagrelor", "brilinta", "prasugrel", "effient"),
    "Z79.01": ("warfarin", "coumadin", "apixaban", "eliquis", "rivaroxaban", "xarelto", "dabigatran",
               "pradaxa", "edoxaban", "savaysa", "anticoagulant", "anticoagulation", "blood thinner"),
    "Z79.621": ("tacrolimus", "prograf", "cyclosporine", "neoral"),
    "Z79.624": ("mycophenolate", "cellcept", "azathioprine", "imuran"),
    "Z79.60": ("immunosuppressant", "immunosuppressants", "immunosuppressive medication",
               "immunosuppressive medications", "anti-rejection medication", "anti-rejection medications"),
    "Z79.83": ("alendronate", "fosamax", "risedronate", "actonel", "ibandronate", "boniva", "zoledronic acid",
               "reclast", "bisphosphonate", "bisphosphonates"),
    "Z79.810": ("tamoxifen", "raloxifene", "evista"),
    "Z79.811": ("anastrozole", "arimidex", "letrozole", "femara", "exemestane", "aromasin", "aromatase inhibitor"),
    "Z79.631": ("methotrexate",),
    # Systemic steroids only with long-term wording ("chronic prednisone"), like opioids below.
    "Z79.52": ("prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "hydrocortisone tablets"),
    "Z79.891": ("oxycodone", "hydrocodone", "percocet", "norco", "vicodin", "morphine", "methadone",
                "tramadol", "ultram", "fentanyl", "hydromorphone", "dilaudid", "oxycontin"),
}
# Devices, grafts and transplants (I.C.21.c.3). "stent" only with a coronary context.
_STATUS: dict[str, tuple[str, ...]] = {
    "Z95.1": ("cabg", "coronary artery bypass", "coronary bypass", "bypass graft", "bypass surgery",
              "triple bypass", "quadruple bypass", "double bypass"),
    "Z95.5": ("coronary stent", "cardiac stent", "stent placement", "stent placed", "stents placed",
              "stented", "drug eluting stent", "drug-eluting stent", "bare metal stent", "bare-metal stent",
              "pci", "stent in", "stent to", "stent at"),
    # Joint replacements (Z96.6-, the side read from the clause) and a lobe of lung removed (Z90.2).
    # (no three-letter abbreviations: "tha" and "thr" are inside "that" and "three", which would defeat
    # the substring test that lets most notes skip the scan)
    "Z96.659": ("knee arthroplasty", "knee replacement", "total knee"),
    "Z96.649": ("hip arthroplasty", "hip replacement", "total hip"),
    "Z90.2": ("lobectomy", "pneumonectomy"),
    "Z95.0": ("pacemaker",),
    "Z95.810": ("defibrillator", "aicd", "icd in place"),
    "Z94.0": ("kidney transplant", "renal transplant"),
    "Z94.1": ("heart transplant",),
    "Z94.4": ("liver transplant",),
    "Z94.2": ("lung transplant",),
    # Dependence on dialysis or home oxygen, devices and stomas (I.C.21.c.3, "use additional code").
    "Z99.2": ("hemodialysis", "haemodialysis", "peritoneal dialysis", "on dialysis", "dialysis dependent",
              "dialysis-dependent", "dialysis three times", "dialysis 3 times"),
    "Z99.81": ("home oxygen", "home o2", "oxygen at home", "supplemental oxygen at home", "nocturnal oxygen"),
    "Z96.41": ("insulin pump",),
    "Z93.3": ("colostomy",),
    "Z93.2": ("ileostomy",),
    "Z93.1": ("gastrostomy", "peg tube", "g-tube", "g tube"),
    "Z93.0": ("tracheostomy",),
}
# Status codes that stop with the treatment ("was on dialysis before the transplant").
_ENDS = frozenset({"Z99.2", "Z99.81", "Z96.41", "Z93.3", "Z93.2", "Z93.1", "Z93.0"})
_ALL = {**_DRUGS, **_STATUS}
_SKIP = frozenset({"ros", "exam", "vitals", "family", "allergies", "results", "instructions"})
_WORD_CODE = {w.lower(): code for code, words in _ALL.items() for w in words}
# One alternation over every name, longest first: one scan of the note finds all mentions.
_ANY = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, _WORD_CODE), key=len, reverse=True))
                  + r")(?![\w-])", re.IGNORECASE)
# The alternation is tried only where a word starts one of its phrases: much cheaper than letting
# the regex engine try every position of the note.
_ANY_LOWER = re.compile(_ANY.pattern)
_WORD_RE = re.compile(r"[a-z0-9]+")
_FIRST_WORDS = frozenset(_WORD_RE.findall(w)[0] for w in _WORD_CODE)
_CLAUSE_END_RE = re.compile(r"[.;!?](?:\s|$)|\n")
# Verbs and words that end or refuse a drug: not a current long-term use.
_STOPPED_RE = re.compile(r"\b(?:stop|stopped|stopping|discontinue|discontinued|d/c|held|hold|holding|off|"
                         r"quit|switch(?:ed)? from|instead of|allergic|allergy|intoleran\w*|declin\w*|refus\w*|"
                         r"avoid|consider|considering|may need|might need|would need|could|candidate for|"
                         r"in the future|if needed|eventually|no longer|ran out|completed|finished|"
                         r"sliding scale|temporar\w*|used to|formerly|"
                         r"while (?:inpatient|hospitalized|admitted|in (?:the )?hospital)|"
                         r"will need|possible|possibly|recommend\w* against|not (?:taking|on|using))\b",
                         re.IGNORECASE)
# A brief course or a single dose is not long-term use (I.C.21.c.3: "not for medication being
# administered for a brief period of time"): "ticagrelor load", "aspirin 325 mg now", "aspirin + clopidogrel x 21 days",
# and a drug the patient only asked about is not one she takes.
_BRIEF_RE = re.compile(r"\d\s*(?:mg|mcg|g)\s+(?:now|x\s*1|once(?!\s+(?:daily|a day|weekly|a week|nightly|monthly)))\b|"
                       r"\b(?:load|loaded|loading(?: dose)?|bolus|one[- ]time|single dose|stat|"
                       r"(?:x|for)\s*\d+\s*(?:d|days?|wks?|weeks?)|"
                       r"asked about|asks about|asking about|inquired about|interested in|wonder\w* about)\b",
                       re.IGNORECASE)
# A drug stopped anywhere in the note ("stopped metformin last yr") is not current where it is
# merely listed beside others ("insulin detemir + metformin").
_STOPPED_DRUG_RE = r"\b(?:stopped|discontinued|d/c'?d|quit|no longer (?:on|taking))\s+" \
                   r"(?:the\s+|his\s+|her\s+)?{drug}\b|" \
                   r"\b{drug}\s+(?:was\s+|has been\s+)?(?:stopped|discontinued)\b"
_ANY_STOP_RE = re.compile(r"stopped|discontinued|d/c|quit|no longer", re.IGNORECASE)
_REVERSED_RE = re.compile(r"\b(?:revers\w*|takedown|closed|closure|removed|removal)\b", re.IGNORECASE)
_LONG_TERM_RE = re.compile(r"chronic|long[- ]term|pain (?:management|contract|agreement)|maintenance",
                           re.IGNORECASE)
# Surgery that may be needed is not surgery done ("may require stent placement or bypass surgery").
_PROCEDURE_FUTURE_RE = re.compile(r"\b(?:may|might|would|could|will|need|needs|require|requires|required|"
                                  r"consider|candidate|evaluate|evaluation|discuss\w*|scheduled|plan\w*|"
                                  r"refer\w*|possible|risk|going to|upcoming|prior to|before|pre-?op\w*|"
                                  r"undergo|awaiting|waiting for|wants?)\b", re.IGNORECASE)
_STATUS_PREFIXES = ("Z90", "Z94", "Z95", "Z96", "Z97", "Z98", "Z99")


def future_procedure(code: str, text: str, start: int) -> bool:
    """A device or transplant status named as surgery still to come ("she is going to be having a
    right knee replacement", "scheduled for CABG"): the patient does not have it yet."""
    if not code.startswith(_STATUS_PREFIXES):
        return False
    line_start = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, 0)
    return bool(_PROCEDURE_FUTURE_RE.search(text[max(line_start, start - 60):start]))
# Coronary context for a bare "stent": a stent in a ureter or an artery of the leg is not Z95.5.
_CORONARY_RE = re.compile(r"coronary|cardiac|heart|\blad\b|\brca\b|circumflex|myocardial|\bmi\b|cardiolog|"
                          r"heart attack|angioplasty|cath", re.IGNORECASE)


def find(note_id: str, text: str, sections: list[Section]) -> list[Candidate]:
    """Status candidates for one note: at most one per code (the first mention that counts)."""
    out: dict[str, Candidate] = {}
    lowered = text.lower()
    if not any(word in lowered for word in _WORD_CODE):
        return []       # a substring test is much cheaper than the alternation on most notes
    exact = len(lowered) == len(text)
    starts = (w for w in _WORD_RE.finditer(lowered) if w.group() in _FIRST_WORDS) if exact else ()
    found = (m for w in starts for m in [_ANY_LOWER.match(lowered, w.start())] if m) if exact else _ANY.finditer(text)
    last_end = -1
    for m in found:
        if m.start() < last_end:
            continue        # inside the previous phrase
        last_end = m.end()
        code = _WORD_CODE[m.group().lower()]
        if code in out:
            continue
        kind = kind_at(sections, m.start()) if sections else "preamble"
        if kind in _SKIP:
            continue
        cs = max(text.rfind("\n", 0, m.start()), text.rfind(". ", 0, m.start()) + 1, text.rfind(";", 0, m.start())) + 1
        end = _CLAUSE_END_RE.search(text, m.end())
        ce = end.start() if end else len(text)
        if not _counts(code, text, cs, ce, m.start(), m.end(), kind):
            continue
        words = text[m.start():m.end()]      # the note's own spelling (the match may be on its lowercase copy)
        why = ("long-term drug therapy" if code.startswith("Z79") else "status") + \
            f": '{words}' in {kind.replace('_', ' ')}"
        side = _joint_side(text[cs:m.end()]) if code in _JOINTS else None
        out[code] = Candidate(ICD10CM, code, (EvidenceSpan(note_id, m.start(), m.end(), words),),
                              "present", 0.75, why, kind, side)
    if "Z79.621" in out or "Z79.624" in out:
        out.pop("Z79.60", None)     # the specific class wins over "immunosuppressant"
    return list(out.values())


_JOINTS = frozenset({"Z96.659", "Z96.649"})
# "s/p L total hip": a capital L or R right before the joint's words is its side.
_SIDE_RE = re.compile(r"\b(right|left|bilateral|both|rt|lt|(?-i:[LR])(?= ))\b", re.IGNORECASE)
_SIDE_NAMES = {"rt": "right", "lt": "left", "both": "bilateral", "l": "left", "r": "right"}


def _joint_side(clause: str) -> str | None:
    """The side written before a joint replacement in its clause ("right knee arthroplasty")."""
    sides = {_SIDE_NAMES.get(m.group(1).lower(), m.group(1).lower()) for m in _SIDE_RE.finditer(clause[-40:])}
    return "bilateral" if {"right", "left"} <= sides else (sides.pop() if len(sides) == 1 else None)


# Held around a procedure is still long-term use ("discontinue clopidogrel for one week prior to
# knee replacement surgery"): the drug resumes after it.
_PERIPROCEDURAL_HOLD_RE = re.compile(
    r"\b(?:hold|holding|held|stop|stopping|discontinue|discontinuing)\b[^.;\n]{0,50}\b(?:prior to|before)\b"
    r"[^.;\n]{0,40}\b(?:surgery|procedure|colonoscopy|endoscopy|operation|replacement|biopsy|extraction)\b",
    re.IGNORECASE)


@lru_cache(maxsize=4)
def _mentions_stopping(text: str) -> bool:
    """Whether the note stops any drug anywhere (cached: asked once per drug mention of the same note)."""
    return _ANY_STOP_RE.search(text) is not None


def _counts(code: str, text: str, cs: int, ce: int, start: int, end: int, kind: str) -> bool:
    assertion, _ = classify(text, cs, ce, start, end, kind)
    if assertion in ("negated", "hypothetical", "uncertain", "family"):
        return False
    near = text[max(cs, start - 60):min(ce, end + 40)]
    if code.startswith("Z79"):
        if code in ("Z79.01", "Z79.02", "Z79.82") and assertion != "historical" and \
                _PERIPROCEDURAL_HOLD_RE.search(text[cs:ce]):
            return True
        if assertion == "historical" or _STOPPED_RE.search(near) or _BRIEF_RE.search(text[cs:ce]):
            return False
        if _mentions_stopping(text) and re.search(
                _STOPPED_DRUG_RE.format(drug=re.escape(text[start:end])), text, re.IGNORECASE):
            return False
        # An opioid for acute pain is a short course; long-term use needs the note to say so.
        return code not in ("Z79.891", "Z79.52") or bool(_LONG_TERM_RE.search(text[cs:ce]))
    if code in _ENDS and (assertion == "historical" or _STOPPED_RE.search(near) or _REVERSED_RE.search(near)):
        return False
    # Devices and transplants: history wording ("s/p CABG", "had a stent in 2018") is the status.
    if _PROCEDURE_FUTURE_RE.search(text[max(cs, start - 60):start]):
        return False
    return code != "Z95.5" or bool(_CORONARY_RE.search(text[max(cs, start - 120):min(ce, end + 120)]))
