"""Which Z codes belong on today's claim: encounter reasons done today, and history that bears on
today's care.

- Encounter-reason codes (general exam Z00, screening Z11-Z13, vaccination Z23) describe what was
  done at this encounter (guideline I.C.21.c.5 and .13): a screening ordered, due, recommended or
  done last year, vaccines the patient "has had", a "return in 1 year for a wellness visit" and a
  test done "as part of a routine physical" elsewhere are not today's reason.
- Family history (Z80-Z84) and personal history (Z85-Z87) are coded when they bear on the visit
  (I.C.21.c.4): named in the chief complaint, HPI or assessment, or about the organ or condition
  being assessed. A history list read out in the past-history, social or family sections alone does
  not make a code.
- A family history of a condition the patient has himself (Z81-Z84 beside the condition) adds no risk
  the claim does not already carry and is not coded ("asthma exacerbation; her sister also has
  asthma"). A family history of cancer (Z80) stays: it changes surveillance of a patient who has
  had the cancer too.
"""
from __future__ import annotations

import re

from . import apstructure
from .text import norm_phrase
from .types import EvidenceSpan

ENCOUNTER_PREFIXES = ("Z00.0", "Z00.1", "Z11", "Z12", "Z13", "Z23")
_REASON_KINDS = frozenset({"cc", "hpi", "assessment_plan", "diagnoses", "preamble", "procedures", "immunizations"})
# Not done today: planned, due, recommended, done before, or part of a past encounter.
_NOT_TODAY_RE = re.compile(
    r"\b(?:due|overdue|recommend\w*|schedul\w*|will|would|order\w*|refer\w*|next|return|plan\w*|consider\w*|"
    r"discuss\w*|declin\w*|defer\w*|had|has had|have had|underwent|received|receiving|last|previous\w*|prior|"
    r"fully vaccinated|up to date|was sent|as part of|in (?:19|20)\d\d|\d{1,2}/(?:19|20)?\d\d|ago|"
    r"should|needs?|want\w*|interested|encourag\w*|counsel\w*|remind\w*|elsewhere|outside|"
    r"at (?:cvs|walgreens|rite aid|the pharmacy|a pharmacy|pharmacy|work|school)|rec'?d|offered|after recovery|"
    r"in (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*|"
    # a newborn's birth-hospital doses ("hepatitis B vaccine and vitamin K given in hospital")
    r"in (?:the )?(?:hospital|nursery)|at birth|at delivery|before discharge)\b", re.IGNORECASE)
# Done at this encounter.
_TODAY_RE = re.compile(r"\b(?:today|given|administered|performed|obtained|done|collected|drawn|completed "
                       r"today|here for|presents? for|comes? in for|in (?:the )?office)\b", re.IGNORECASE)
_DONE_TODAY_RE = re.compile(r"\b(?:done|performed|drawn|collected|given|administered|obtained)\b[^.;\n]{0,20}"
                            r"\b(?:today|in (?:the )?(?:clinic|office))\b|\btoday\b[^.;\n]{0,30}"
                            r"\b(?:done|performed|drawn|collected|given|administered|obtained)\b", re.IGNORECASE)
_HISTORY_LIST_KINDS = frozenset({"family", "pmh", "psh", "social", "meds", "allergies"})
# Words too general to tie a history to today's problem ("disease", "cancer", "high").
_GENERIC = frozenset(norm_phrase(
    "disease disorder cancer carcinoma malignancy tumor neoplasm history high low blood pressure chronic acute "
    "problem problems condition conditions issue issues type stage with without of the and in on left right "
    "bilateral mother father sister brother family patient"))


def _sentence(text: str, ev: EvidenceSpan) -> str:
    start = max(text.rfind("\n", 0, ev.start), text.rfind(". ", 0, ev.start)) + 1
    ends = [i for i in (text.find("\n", ev.end), text.find(". ", ev.end)) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def encounter_today(code: str, ev: EvidenceSpan, section: str, text: str) -> bool:
    """True when an encounter-reason mention says the exam, screening or vaccine happened today.

    A problem heading of the assessment ("2. Colon cancer screening - referral for colonoscopy")
    states the reason itself; only the heading is read then.
    """
    if section not in _REASON_KINDS:
        return False
    head = apstructure.head_span(text, ev.start) if section in ("assessment_plan", "diagnoses") else None
    if head and head[0] <= ev.start and ev.end <= head[1] + 1:
        # A vaccine is given or not: "Flu vaccine: had it at CVS" reads the whole line.
        read = _sentence(text, ev) if code == "Z23" else text[head[0]:head[1]]
        return not _NOT_TODAY_RE.search(read)
    sentence = _sentence(text, ev)
    # "Last tetanus >10 yr: Tdap given today": what precedes a colon labels what follows it.
    colon = sentence.rfind(": ", 0, sentence.find(ev.text) if ev.text in sentence else 0)
    if colon >= 0:
        sentence = sentence[colon + 2:]
    # "We will screen for HIV today": "will" with "today" is this visit's plan, not a later one.
    blockers = [m.group().lower() for m in _NOT_TODAY_RE.finditer(sentence)]
    # "Drawn today as part of cardiovascular risk screening", "ordered and done in clinic": said done
    # today, the order or the programme it belongs to does not move it to another day.
    done_today = _DONE_TODAY_RE.search(sentence)
    if blockers and not (re.search(r"\btoday\b", sentence, re.IGNORECASE) and set(blockers) <= {"will"}) and not (
            done_today and all(b == "will" or b == "as part of" or b.startswith("order") for b in blockers)):
        return False
    if code.startswith("Z00"):
        return True     # "annual exam" as the chief complaint or assessment heading
    if section == "assessment_plan" and _statement(sentence):
        return True     # "Assessment: ... Influenza vaccination. Lipid and hepatitis C screening."
    return section in ("cc", "diagnoses") or bool(_TODAY_RE.search(sentence))


def _statement(sentence: str) -> bool:
    """A short verbless sentence of the assessment names the encounter reason itself, like a heading."""
    words = sentence.split()
    return 0 < len(words) <= 8 and not apstructure.SENTENCE_RE.search(sentence)


def family_of_own_condition(code: str, condition_code: str | None, present_codes: set[str]) -> bool:
    """A non-cancer family history Z code whose condition the patient has today (same category)."""
    return (code.startswith(("Z81", "Z82", "Z83", "Z84")) and condition_code is not None
            and condition_code[:3] in {c[:3] for c in present_codes})


_FAMILY_WORDS_RE = re.compile(r"\bfamily (?:history|hx)\b|\bfhx?\b", re.IGNORECASE)


def family_bears_on_visit(evidence: list[EvidenceSpan], texts: dict[str, str], assessed_text: str,
                          assessed_codes: set[str], condition_code: str | None) -> bool:
    """A non-cancer family history (Z81-Z84) counts when it is an assessed problem itself ("3. Family
    history of diabetes - diet discussed") or names what was assessed today ("father has
    hypertension" beside an elevated reading). A relative's condition said in passing, even in the
    plan ("Sister has asthma" after otitis media), is not a reason for this visit."""
    if any(e.note_id in texts and apstructure.in_head(texts[e.note_id], e.start, e.end) for e in evidence):
        return True
    # The assessment itself reasons with it ("A1c today given her family history of diabetes").
    if any(_FAMILY_WORDS_RE.search(_sentence(texts.get(e.note_id, ""), e)) and
           _sentence(texts.get(e.note_id, ""), e) in assessed_text for e in evidence):
        return True
    if condition_code and condition_code[:3] in {c[:3] for c in assessed_codes}:
        return True
    # The relative's own sentence is not what was assessed: read the assessment without it.
    for e in evidence:
        sentence = _sentence(texts.get(e.note_id, ""), e)
        if sentence:
            assessed_text = assessed_text.replace(sentence, " ")
    words = {w for ev in evidence for w in norm_phrase(ev.text) if w not in _GENERIC and len(w) > 3}
    return bool(words & set(norm_phrase(assessed_text)))


# In the history of present illness a past condition is part of the story; it is coded when it bears
# on what was assessed (a DVT history with leg swelling), not when it is told in passing ("she has a
# history of gallstones" in an arm-fracture visit). Cancer, stroke and thrombosis, tobacco and status
# history always count (they change how today's care is given).
_NARRATIVE_KINDS = frozenset({"hpi", "preamble"})
_ALWAYS_IN_NARRATIVE = ("Z80", "Z85", "Z86.0", "Z86.7", "Z87.891", "Z9")


def bears_on_visit(code: str, evidence: list[EvidenceSpan], sections: list[str], assessed_text: str,
                   assessed_codes: set[str], condition_code: str | None) -> bool:
    """True when a history item is named outside the history lists, or its condition or organ is
    part of what was assessed today.

    Chapters 9 and 10 (circulatory, respiratory) instruct "use additional code to identify ...
    history of tobacco dependence (Z87.891)": with such a condition, tobacco history is relevant.
    """
    if any(kind not in _HISTORY_LIST_KINDS and (kind not in _NARRATIVE_KINDS or code.startswith(_ALWAYS_IN_NARRATIVE))
           for kind in sections):
        return True
    if code == "Z87.891" and any(c.startswith(("I", "J")) for c in assessed_codes):
        return True
    if condition_code and condition_code[:3] in {c[:3] for c in assessed_codes}:
        return True
    if code[:3] in {c[:3] for c in assessed_codes}:
        return True     # an old MI (I25.2) beside the coronary disease assessed today (I25.10)
    words = {w for ev in evidence for w in norm_phrase(ev.text) if w not in _GENERIC and len(w) > 3}
    assessed = set(norm_phrase(assessed_text))
    return bool(words & assessed)
