"""Current tobacco use read from anywhere in the note (social history, HPI), as a status.

Chapters 9 and 10 of ICD-10-CM ask for tobacco use or dependence as an additional code, and a
smoker is coded to nicotine dependence (Index: "Smoker - see Dependence, drug, nicotine"): F17.210
for cigarettes, F17.290 for cigars or pipes, F17.200 when the product is not said. Unlike a
diagnosis it is not restricted to the assessment: "she continues to smoke a couple of cigarettes
daily" in the HPI is the patient's tobacco status today. Former, quit, never and denied use is not.
"""
from __future__ import annotations

import re

from .assertions import classify
from .sections import Section, kind_at
from .types import ICD10CM, Candidate, EvidenceSpan

_NUM = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|ten|twenty|half|a half|a|a couple(?: of)?|a few|several)"
_CURRENT_RE = re.compile(
    r"\b(?:currently|continues to|continue to|still|actively|presently)\s+(?:smokes?|smoking|uses? tobacco)\b"
    r"|\b(?:current|active|daily|every ?day|heavy|light)\s+(?:cigarette\s+|tobacco\s+)?smoker\b"
    rf"|\bsmok(?:es|ing)\s+(?:about |approximately |around |roughly |up to )?{_NUM}\b[^.;\n]{{0,30}}?"
    r"\b(?:cigarettes?|cigs?|packs?|ppd|cigars?|a day|per day|daily|a week|per week)\b"
    rf"|\b{_NUM}\s*(?:ppd|packs? (?:per|a) day|cigarettes? (?:per|a) day)\b"
    r"|\bsmok(?:es|ing)\s+(?:daily|occasionally|socially|every day|once|twice|on weekends)\b",
    re.IGNORECASE)
# The same clause saying the use is over, never was, or is someone else's.
_NOT_CURRENT_RE = re.compile(r"\b(?:quit|quitting|former|ex-?smoker|used to|stopped|never|denies|denied|no longer|"
                             r"prior|previously|in the past|years ago|husband|wife|partner|mother|father|"
                             r"parents?|roommate|secondhand|second-hand|exposure)\b", re.IGNORECASE)
_SKIP = frozenset({"ros", "exam", "family"})
_CIGARETTE_RE = re.compile(r"cigarette|\bcigs?\b|\bpacks?\b|\bppd\b", re.IGNORECASE)
_CIGAR_RE = re.compile(r"\bcigars?\b|\bpipe\b|\bchew|\bsnuff|\bdip\b|vape|vaping|e-cig", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[.;!?](?:\s|$)|\n")
WHY = "current tobacco use"


def find(note_id: str, text: str, sections: list[Section]) -> list[Candidate]:
    """At most one F17.2- candidate: the first current-use statement that is not negated or past."""
    if "smok" not in text.lower() and "ppd" not in text.lower():
        return []
    for m in _CURRENT_RE.finditer(text):
        kind = kind_at(sections, m.start()) if sections else "preamble"
        if kind in _SKIP:
            continue
        cs = max(text.rfind("\n", 0, m.start()), text.rfind(". ", 0, m.start()) + 1) + 1
        end = _CLAUSE_END_RE.search(text, m.end())
        ce = end.start() if end else len(text)
        clause = text[cs:ce]
        if _NOT_CURRENT_RE.search(clause.replace(m.group(), " ")):
            continue
        if classify(text, cs, ce, m.start(), m.end(), kind)[0] in ("negated", "hypothetical", "family",
                                                                   "other_person", "historical"):
            continue
        code = "F17.210" if _CIGARETTE_RE.search(clause) else "F17.290" if _CIGAR_RE.search(clause) else "F17.200"
        return [Candidate(ICD10CM, code, (EvidenceSpan(note_id, m.start(), m.end(), m.group()),), "present",
                          0.8, f"{WHY}: '{m.group()}' in {kind.replace('_', ' ')}", kind)]
    return []
