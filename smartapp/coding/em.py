"""E/M level: office/outpatient (99202-99205, 99212-99215) by the 2021+ rules, preventive by age, and
hospital, observation and ED families by the encounter's setting (:mod:`.em_hospital`).

Level = the higher of (a) medical decision making, where two of the three elements (problems,
data, risk) must meet a level, and (b) documented total time on the date of the encounter. New vs
established comes from the note (default: established). Labels are our own words, never the AMA
descriptors. G2211 (HCPCS add-on for longitudinal care) is offered as an optional suggestion.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import em_hospital
from . import em_rules as R
from .assertions import classify
from .sections import Section
from .setting import HOME, TELEHEALTH
from .text import lowercase_twin, sentences
from .types import CPT, HCPCS, CodeSuggestion, EvidenceSpan, NoteInput

LEVELS = ("straightforward", "low", "moderate", "high")
_NEW = {0: "99202", 1: "99203", 2: "99204", 3: "99205"}
_EST = {0: "99212", 1: "99213", 2: "99214", 3: "99215"}
_TIME_NEW = ((60, 3), (45, 2), (30, 1), (15, 0))
_TIME_EST = ((40, 3), (30, 2), (20, 1), (10, 0))
_DECISION_KINDS = {"assessment_plan", "diagnoses", "procedures"}
# Tests are ordered, reviewed or interpreted anywhere but in the ROS and the history lists.
_DATA_KINDS = _DECISION_KINDS | {"results", "hpi", "preamble", "cc", "exam", "vitals"}
_PREVENTIVE_NEW = ((1, "99381"), (5, "99382"), (12, "99383"), (18, "99384"), (40, "99385"), (65, "99386"),
                   (200, "99387"))
_PREVENTIVE_EST = ((1, "99391"), (5, "99392"), (12, "99393"), (18, "99394"), (40, "99395"), (65, "99396"),
                   (200, "99397"))
_AGE_BANDS = ("under 1", "1-4", "5-11", "12-17", "18-39", "40-64", "65 and over")


@dataclass(frozen=True)
class Problem:
    """A diagnosis as the E/M problem element sees it."""

    code: str
    line: str        # the note text around the diagnosis (for stable/worse words)


@dataclass
class _Found:
    level: int
    why: str
    spans: list[EvidenceSpan]


def _texts(notes: Sequence[NoteInput], sections: dict[str, list[Section]], kinds: set[str]
           ) -> list[tuple[NoteInput, int, int]]:
    out = []
    for note in notes:
        secs = sections.get(note.note_id, [])
        if not any(s.kind in _DECISION_KINDS for s in secs):
            out.append((note, 0, len(note.text)))      # no structure: the whole note
            continue
        out.extend((note, s.start, s.end) for s in secs if s.kind in kinds)
    return out


def _span(note: NoteInput, m: re.Match[str]) -> EvidenceSpan:
    # From the note itself: the match may come from its lowercased copy (text.finditer_fast).
    return EvidenceSpan(note.note_id, m.start(), m.end(), note.text[m.start():m.end()])


def _search(pattern: re.Pattern[str], note: NoteInput, lowered: str, s: int, e: int) -> re.Match[str] | None:
    twin = lowercase_twin(pattern)
    if twin is None or len(lowered) != len(note.text):
        return pattern.search(note.text, s, e)
    return twin.search(lowered, s, e)


def _systemic(text: str) -> bool:
    """Fever, chills, ... documented as present (not "no fever", not "afebrile")."""
    for s, e in sentences(text):
        for m in R.SYSTEMIC_RE.finditer(text, s, e):
            if classify(text, s, e, m.start(), m.end())[0] == "present":
                return True
    return False


def problem_level(problems: Sequence[Problem], uncertain_count: int, note_text: str) -> tuple[int, str]:
    chronic = [p for p in problems if p.code[:3] in R.CHRONIC and not p.code.startswith("Z")]
    acute = [p for p in problems if p not in chronic and not p.code.startswith("Z")]
    worse = [p for p in chronic if R.WORSE_RE.search(p.line)]
    if any(R.SEVERE_RE.search(p.line) for p in problems) or R.HIGH_RISK.search(note_text) and acute:
        return 3, "illness with severe exacerbation or threat to life or bodily function"
    if worse:
        return 2, f"{len(worse)} chronic illness(es) with exacerbation or progression"
    if len(chronic) >= 2:
        return 2, f"{len(chronic)} stable chronic illnesses"
    if uncertain_count:
        return 2, "undiagnosed new problem with uncertain prognosis"
    if any(p.code.startswith(R.INJURY_COMPLICATED) for p in acute):
        return 2, "acute complicated injury"
    non_minor = [p for p in acute if p.code[:3] not in R.SELF_LIMITED]
    if any(p.code.startswith(R.SYSTEMIC_CAPABLE) for p in non_minor) and _systemic(note_text):
        return 2, "acute illness with systemic symptoms"
    if chronic:
        return 1, "1 stable chronic illness"
    if non_minor:
        return 1, "acute uncomplicated illness or injury"
    if len(acute) >= 2:
        return 1, "2 or more self-limited problems"
    return 0, "minimal problem" if acute else "no problem addressed documented"


def data_level(parts: list[tuple[NoteInput, int, int]]) -> _Found:
    tests: dict[str, EvidenceSpan] = {}
    cat1_extra: list[EvidenceSpan] = []
    interp: list[EvidenceSpan] = []
    disc: list[EvidenceSpan] = []
    historian = False
    lowered = {note.note_id: note.text.lower() for note, _, _ in parts}
    tests_twin = lowercase_twin(R.TESTS_RE)
    for note, s, e in parts:
        low = lowered[note.note_id]
        found_tests = tests_twin.finditer(low, s, e) if tests_twin and len(low) == len(note.text) else \
            R.TESTS_RE.finditer(note.text, s, e)
        for t in found_tests:
            tests.setdefault(R.test_name(t), _span(note, t))
        for pat, bucket in ((R.EXTERNAL_NOTES, cat1_extra), (R.INTERPRETATION, interp), (R.DISCUSSION, disc),
                            (R.HISTORIAN, cat1_extra)):
            found = _search(pat, note, low, s, e)
            if found:
                bucket.append(_span(note, found))
                historian = historian or pat is R.HISTORIAN
    cat1 = len(tests) + len(cat1_extra)
    cats = (cat1 >= 3) + bool(interp) + bool(disc)
    spans = list(tests.values()) + cat1_extra + interp + disc
    detail = f"{len(tests)} unique test(s)" + (", external records/historian" if cat1_extra else "") + \
        (", independent interpretation" if interp else "") + (", discussion with another clinician" if disc else "")
    if cats >= 2:
        return _Found(3, f"extensive ({detail})", spans)
    if cats == 1:
        return _Found(2, f"moderate ({detail})", spans)
    if cat1 >= 2 or historian:
        return _Found(1, f"limited ({detail})", spans)
    return _Found(0, f"minimal or none ({detail})", spans)


def risk_level(parts: list[tuple[NoteInput, int, int]]) -> _Found:
    for level, pat, why in ((3, R.HIGH_RISK, "decision regarding hospitalization or escalation of care"),
                            (2, R.RX_RE, "prescription drug management"),
                            (1, R.OTC_RE, "over-the-counter drugs or low-risk treatment")):
        for note, s, e in parts:
            m = _search(pat, note, note.text.lower(), s, e)
            if m:
                return _Found(level, why, [_span(note, m)])
    return _Found(0, "minimal", [])


def _time(notes: Sequence[NoteInput]) -> tuple[int, EvidenceSpan] | None:
    best = None
    for note in notes:
        for m in R.TIME_RE.finditer(note.text):
            minutes = int(next(g for g in m.groups() if g))
            if best is None or minutes > best[0]:
                best = (minutes, _span(note, m))
    return best


def age_from_text(notes: Sequence[NoteInput]) -> int | None:
    for note in notes:
        m = R.AGE_RE.search(note.text)
        if m:
            return int(next(g for g in m.groups() if g))
    return None


def _preventive(is_new: bool, age: int | None, new_span: list[EvidenceSpan]) -> CodeSuggestion:
    table = _PREVENTIVE_NEW if is_new else _PREVENTIVE_EST
    band = next(i for i, (limit, _) in enumerate(table) if age is None or age < limit) if age is not None else 5
    code = table[band][1]
    who = "new" if is_new else "established"
    return CodeSuggestion(
        CPT, code, f"Preventive visit, {who} patient, age {_AGE_BANDS[band]}", "em", tuple(new_span), "present",
        0.7 if age is not None else 0.4,
        f"Preventive (wellness) encounter documented; {who} patient; age "
        f"{age if age is not None else 'not found, 40-64 assumed'}.", 0,
        "If a significant problem was also addressed, an office visit with modifier 25 may be added")


def left_out(setting: str | None) -> str | None:
    """Why no E/M is suggested for this setting, or None when one is."""
    if setting == HOME:
        return ("No E/M suggested: home or residence visits (99341-99350) are not coded automatically; "
                "choose the visit code by hand.")
    return None


def suggest(notes: Sequence[NoteInput], sections: dict[str, list[Section]], problems: Sequence[Problem],
            uncertain_count: int = 0, age: int | None = None, setting: str | None = None) -> list[CodeSuggestion]:
    """The E/M suggestion (and optional G2211) for the encounter's setting, or [] without note text.

    ``setting`` (see :mod:`.setting`): office (or unknown) -> office codes; a preventive encounter
    (Z00.0-, Z00.12-) gets the preventive medicine code for the age band instead; inpatient and
    observation -> hospital care codes for each note's day; ED -> 99282-99285; home -> none
    (:func:`left_out` says why); telehealth -> office codes with a hint.
    """
    if not any(n.text.strip() for n in notes) or left_out(setting):
        return []
    if setting in em_hospital.HOSPITAL_SETTINGS:
        return [_hospital(note, sections, problems, uncertain_count, setting) for note in notes if note.text.strip()]
    full = "\n".join(n.text for n in notes)
    new_m = next(((n, m) for n in notes for m in [R.NEW_PATIENT_RE.search(n.text)] if m), None)
    is_new = new_m is not None
    if any(p.code.startswith(("Z00.0", "Z00.12")) for p in problems):
        age = age if age is not None else age_from_text(notes)
        return [_preventive(is_new, age, [_span(new_m[0], new_m[1])] if new_m else [])]
    p_level, p_why = problem_level(problems, uncertain_count, full)
    data = data_level(_texts(notes, sections, _DATA_KINDS))
    risk = risk_level(_texts(notes, sections, _DECISION_KINDS))
    levels = sorted((p_level, data.level, risk.level), reverse=True)
    mdm = levels[1]                        # two of three elements must meet or exceed the level
    level, basis = mdm, f"{LEVELS[mdm]} MDM"
    timed = _time(notes)
    table = _TIME_NEW if is_new else _TIME_EST
    evidence = data.spans[:3] + risk.spans
    if timed:
        t_level = next((lvl for minutes, lvl in table if timed[0] >= minutes), None)
        if t_level is not None and t_level > level:
            level, basis = t_level, f"total time {timed[0]} min"
        evidence.append(timed[1])
    if new_m:
        evidence.insert(0, _span(new_m[0], new_m[1]))
    code = (_NEW if is_new else _EST)[level]
    who = "new" if is_new else "established"
    rationale = (f"Problems: {LEVELS[p_level]} ({p_why}); data: {LEVELS[data.level]} — {data.why}; "
                 f"risk: {LEVELS[risk.level]} ({risk.why}); MDM (2 of 3): {LEVELS[mdm]}"
                 + (f"; documented total time {timed[0]} min" if timed else "")
                 + f"; {who} patient" + ("" if is_new else " (no new-patient wording found)") + f"; level by {basis}.")
    out = [CodeSuggestion(CPT, code, f"Office visit, {who} patient, {basis}", "em", tuple(evidence),
                          "present", 0.7 if timed or mdm >= 1 else 0.5, rationale, 0, None)]
    if setting == TELEHEALTH:
        out[0] = replace(out[0], hint="Telehealth: office codes with the payer's telehealth modifier (95) "
                                      "and place of service")
    chronic = [p for p in problems if p.code[:3] in R.CHRONIC and not p.code.startswith("Z")]
    if chronic and not is_new:
        out.append(CodeSuggestion(
            HCPCS, "G2211", "Visit complexity add-on for ongoing longitudinal care", "em", (), "present", 0.4,
            f"Established patient with {len(chronic)} chronic condition(s) managed over time.", 0,
            "Optional: add only if you are the continuing focal point for this patient's care"))
    return out


def _hospital(note: NoteInput, sections: dict[str, list[Section]], problems: Sequence[Problem],
              uncertain_count: int, setting: str) -> CodeSuggestion:
    """One hospital, observation or ED E/M for one note (one day of the stay), by MDM."""
    one = [note]
    p_level, p_why = problem_level(problems, uncertain_count, note.text)
    data = data_level(_texts(one, sections, _DATA_KINDS))
    risk = risk_level(_texts(one, sections, _DECISION_KINDS))
    mdm = sorted((p_level, data.level, risk.level), reverse=True)[1]
    code, label = em_hospital.code_for(setting, mdm, note.text)
    rationale = (f"Setting: {setting} (from the encounter's class); problems: {LEVELS[p_level]} ({p_why}); "
                 f"data: {LEVELS[data.level]} — {data.why}; risk: {LEVELS[risk.level]} ({risk.why}); "
                 f"MDM (2 of 3): {LEVELS[mdm]}; {label}.")
    return CodeSuggestion(CPT, code, label, "em", tuple(data.spans[:3] + risk.spans), "present",
                          0.6 if mdm >= 1 else 0.45, rationale, 0, None)
