"""E/M level: office/outpatient (99202-99205, 99212-99215) by the 2021+ rules, preventive by age, and
hospital, observation and ED families by the encounter's setting (:mod:`.em_hospital`).

Level = the higher of (a) medical decision making, where two of the three elements (problems,
data, risk) must meet a level, and (b) documented total time on the date of the encounter. New vs
established comes from the note (default: established). Labels are our own words, never the AMA
descriptors. G2211 (HCPCS add-on for longitudinal care) is offered as an optional suggestion.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
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
    span: EvidenceSpan | None = None     # the phrase that names it (shown as the element's evidence)


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
        if kinds is _DECISION_KINDS:
            out.extend(_decision_lines(note))
            if not any(s.kind == "assessment_plan" for s in secs):
                # Only a "Dx:" list: the plan was written above it, in the opening lines.
                out.extend((note, s.start, s.end) for s in secs if s.kind in ("preamble", "cc"))
    return out


def _decision_lines(note: NoteInput) -> list[tuple[NoteInput, int, int]]:
    """Decision text under labels the section splitter does not know ("Tx:", "ED course:", "Dispo:"):
    from the label to the next heading-like line; and lines recording a drug given today."""
    out = []
    for m in R.DECISION_LINE_RE.finditer(note.text):
        nxt = R.HEADING_LINE_RE.search(note.text, note.text.find("\n", m.end()) + 1 or len(note.text))
        out.append((note, m.end(), nxt.start() if nxt else len(note.text)))
    out.extend((note, m.start(), m.end()) for m in R.ADMINISTERED_LINE_RE.finditer(note.text))
    return out


def _span(note: NoteInput, m: re.Match[str]) -> EvidenceSpan:
    # From the note itself: the match may come from its lowercased copy (text.finditer_fast).
    return EvidenceSpan(note.note_id, m.start(), m.end(), note.text[m.start():m.end()])


def _quote(spans: Sequence[EvidenceSpan], limit: int = 3) -> str:
    """The evidence phrases of one element, quoted, for the rationale the coder reads."""
    seen: list[str] = []
    for sp in spans:
        words = " ".join(sp.text.split())
        if words and words.lower() not in (w.lower() for w in seen):
            seen.append(words)
    return ", ".join(f"“{w}”" for w in seen[:limit])


def _finditer(pattern: re.Pattern[str], note: NoteInput, lowered: str, s: int, e: int) -> Iterator[re.Match[str]]:
    twin = lowercase_twin(pattern)
    if twin is None or len(lowered) != len(note.text):
        return pattern.finditer(note.text, s, e)
    return twin.finditer(lowered, s, e)


_CLAUSE_END_RE = re.compile(r"[.;:!?](?:\s|$)|\n| - | -- |, (?:and |but )?(?=[a-z])", re.IGNORECASE)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a match: from the last break before it to the first break after it
    (sentence ends, semicolons, dashes between items, line ends), so "without complication -
    valacyclovir" does not carry the negation of one item to the next."""
    lo = max(0, start - 160)
    s = lo
    for brk in _CLAUSE_END_RE.finditer(text, lo, start):
        s = brk.end()
    after = _CLAUSE_END_RE.search(text, end)
    return s, after.start() if after else len(text)


def _is_done(text: str, start: int, end: int) -> bool:
    """The matched test, drug or decision is present in the note, not negated ("no CT"), not
    hypothetical ("if she develops diabetes we can discuss GLP-1"), not planned-but-not-done
    ("silver sulfadiazine not used") and not only asked about."""
    cs, ce = _clause(text, start, end)
    if classify(text, cs, ce, start, end)[0] != "present":
        return False
    return not (R.NOT_DONE_AFTER_RE.match(text, end, ce) or R.ASKED_BEFORE_RE.search(text, cs, start))


def _test_not_done(text: str, start: int, end: int) -> bool:
    cs, ce = _clause(text, start, end)
    return bool(R.TEST_NOT_DONE_BEFORE_RE.search(text, cs, start) or R.TEST_NOT_DONE_AFTER_RE.match(text, end, ce))


def _decided(text: str, start: int, end: int) -> bool:
    """A management option decided today, or weighed with the patient and not chosen (shared
    decision making counts for risk): not "no antibiotics", not "if she develops diabetes ..."."""
    if _is_done(text, start, end):
        return True
    cs, ce = _clause(text, start, end)
    if classify(text, cs, ce, start, end)[0] == "negated" or R.ASKED_BEFORE_RE.search(text, cs, start):
        return False
    line_start = max(text.rfind("\n", 0, start) + 1, start - 200)
    return bool(R.SHARED_DECISION_RE.search(text, line_start, start))


def _systemic(text: str) -> bool:
    """Fever, chills, ... documented as present (not "no fever", not "afebrile"), or a measured
    temperature of 38.0 C / 100.4 F or more."""
    for m in R.FEVER_READING_RE.finditer(text):
        v = float(m.group("v"))
        if 38.0 <= v < 43 or 100.4 <= v < 110:
            return True
    for s, e in sentences(text):
        for m in R.SYSTEMIC_RE.finditer(text, s, e):
            if classify(text, s, e, m.start(), m.end())[0] == "present":
                return True
    return False


def _is_chronic(code: str) -> bool:
    return code[:3] in R.CHRONIC and not code.startswith("Z") and not code.startswith(R.ACUTE_IN_CHRONIC)


def _threat_named(parts: list[tuple[NoteInput, int, int]], ruled_out: bool = False) -> EvidenceSpan | None:
    """A condition that threatens life or bodily function, named as today's diagnosis in the
    assessment (present: not "no anaphylaxis", not "ruled out"); with ``ruled_out``, one the
    assessment says was excluded ("no anaphylaxis", "heart attack ruled out")."""
    for note, s, e in parts:
        for m in R.THREAT_WORDS.finditer(note.text, s, e):
            if ruled_out:
                cs, ce = _clause(note.text, m.start(), m.end())
                if classify(note.text, cs, ce, m.start(), m.end())[0] == "negated":
                    return _span(note, m)
            elif _is_done(note.text, m.start(), m.end()):
                return _span(note, m)
    return None


def problem_level(problems: Sequence[Problem], uncertain_count: int, note_text: str,
                  decision: list[tuple[NoteInput, int, int]] | None = None) -> _Found:
    """Number and complexity of problems addressed (2021+ rules), with the diagnoses that set it."""
    def ev(ps: Sequence[Problem]) -> list[EvidenceSpan]:
        return [p.span for p in ps if p.span is not None]

    real = [p for p in problems if not p.code.startswith("Z")]
    chronic = [p for p in real if _is_chronic(p.code)]
    acute = [p for p in real if p not in chronic]
    threat = [p for p in real if p.code.startswith(R.THREAT_CODES)] or \
        [p for p in real if R.SEVERE_RE.search(p.line)]
    if threat:
        return _Found(3, "illness with severe exacerbation or threat to life or bodily function", ev(threat[:2]))
    named = _threat_named(decision or [])
    if named:
        return _Found(3, "illness posing a threat to life or bodily function (named in the assessment)", [named])
    worse = [p for p in chronic if R.WORSE_RE.search(p.line)]
    if worse:
        return _Found(2, f"{len(worse)} chronic illness(es) with exacerbation, progression or not at goal", ev(worse))
    if len(chronic) >= 2:
        return _Found(2, f"{len(chronic)} stable chronic illnesses", ev(chronic))
    if uncertain_count:
        return _Found(2, "undiagnosed new problem with uncertain prognosis", [])
    excluded = _threat_named(decision or [], ruled_out=True) if real else None
    if excluded:
        # AMA: the final diagnosis alone does not set the complexity when the evaluation had to
        # exclude a highly morbid condition (hives with "no anaphylaxis", "heart attack ruled out").
        return _Found(2, "new problem evaluated for a threat to life that was ruled out", ev(real[:1]) + [excluded])
    complicated = [p for p in real if p.code.startswith(R.COMPLICATED)]
    if complicated:
        return _Found(2, "acute complicated injury or illness", ev(complicated))
    non_minor = [p for p in acute if p.code[:3] not in R.SELF_LIMITED]
    systemic = [p for p in non_minor if p.code.startswith(R.SYSTEMIC_CAPABLE)]
    if systemic and _systemic(note_text):
        return _Found(2, "acute illness with systemic symptoms", ev(systemic))
    if chronic:
        return _Found(1, "1 stable chronic illness", ev(chronic))
    if non_minor:
        return _Found(1, "acute uncomplicated illness or injury", ev(non_minor[:2]))
    if len(acute) >= 2:
        return _Found(1, "2 or more self-limited problems", ev(acute[:2]))
    if acute:
        return _Found(0, "minimal problem", ev(acute))
    assessed = _assessed_line(decision or [])
    if assessed:
        return _Found(1, "a problem assessed in the note (its diagnosis code was not found)", [assessed])
    return _Found(0, "no problem addressed documented", [])


def _assessed_line(parts: list[tuple[NoteInput, int, int]]) -> EvidenceSpan | None:
    """The first words of an assessment or diagnosis section that has content of its own."""
    for note, s, e in parts:
        body = note.text[s:e]
        m = re.search(r"[A-Za-z][^\n]{3,}", body)
        if m and s > 0:
            end = s + m.start() + min(len(m.group()), 80)
            return EvidenceSpan(note.note_id, s + m.start(), end, note.text[s + m.start():end])
    return None


def data_level(parts: list[tuple[NoteInput, int, int]]) -> _Found:
    """Amount and complexity of data: unique tests and documents, independent historian,
    independent interpretation, discussion with another clinician (2021+ categories)."""
    tests: dict[str, EvidenceSpan] = {}
    cat1_extra: list[EvidenceSpan] = []
    interp: list[EvidenceSpan] = []
    disc: list[EvidenceSpan] = []
    historian = False
    lowered = {note.note_id: note.text.lower() for note, _, _ in parts}
    for note, s, e in parts:
        low = lowered[note.note_id]
        found_tests = R.TESTS_LOWER_RE.finditer(low, s, e) if len(low) == len(note.text) else \
            R.TESTS_RE.finditer(note.text, s, e)
        for t in found_tests:
            name = R.test_name(t)
            if name not in tests and not _test_not_done(note.text, t.start(), t.end()):
                tests[name] = _span(note, t)     # "no CT" is not a test ordered; "UA neg" is
        for pat, bucket in ((R.EXTERNAL_NOTES, cat1_extra), (R.INTERPRETATION, interp), (R.DISCUSSION, disc),
                            (R.HISTORIAN, cat1_extra)):
            found = next(_finditer(pat, note, low, s, e), None)
            if found:
                bucket.append(_span(note, found))
                historian = historian or pat is R.HISTORIAN
    cat1 = len(tests) + len(cat1_extra)
    cats = (cat1 >= 3) + bool(interp) + bool(disc)
    spans = list(tests.values()) + cat1_extra + interp + disc
    detail = f"{len(tests)} unique test(s)" + (", external records/historian" if cat1_extra else "") + \
        (", independent interpretation" if interp else "") + (", discussion with another clinician" if disc else "")
    if spans:
        detail += ": " + _quote(spans, 5)
    if cats >= 2:
        return _Found(3, f"extensive ({detail})", spans)
    if cats == 1:
        return _Found(2, f"moderate ({detail})", spans)
    if cat1 >= 2 or historian:
        return _Found(1, f"limited ({detail})", spans)
    return _Found(0, f"minimal or none ({detail})", spans)


_RISK = ((3, R.HIGH_RISK, "decision regarding hospitalization or escalation of care"),
         (2, R.RX_RE, "prescription drug management"),
         (2, R.MODERATE_PROCEDURE, "fracture reduction or minor surgery with risk factors"),
         (1, R.OTC_RE, "over-the-counter drugs, minor surgery or therapy"))


def risk_level(parts: list[tuple[NoteInput, int, int]]) -> _Found:
    """Risk of complications of patient management: the highest decision documented (done or
    decided today: not negated, not hypothetical, not only asked about)."""
    lowered = {note.note_id: note.text.lower() for note, _, _ in parts}
    for level, pat, why in _RISK:
        for note, s, e in parts:
            for m in _finditer(pat, note, lowered[note.note_id], s, e):
                if _decided(note.text, m.start(), m.end()):
                    return _Found(level, why, [_span(note, m)])
    return _Found(0, "minimal", [])


def _time(notes: Sequence[NoteInput]) -> tuple[int, EvidenceSpan] | None:
    """The longest total time on the date documented ("total time 45 minutes", "spent 35 min")."""
    return _most_minutes(notes, R.TIME_RE)


def _most_minutes(notes: Sequence[NoteInput], pattern: re.Pattern[str]) -> tuple[int, EvidenceSpan] | None:
    """The largest number of minutes ``pattern`` finds (its first group that matched), with its mention."""
    best = None
    for note in notes:
        for m in pattern.finditer(note.text):
            minutes = int(next(g for g in m.groups() if g))
            if best is None or minutes > best[0]:
                best = (minutes, _span(note, m))
    return best


def age_from_text(notes: Sequence[NoteInput]) -> int | None:
    """The patient's age in whole years from the note ("68M", "15 yo", "18 months" -> 1), or None."""
    for note in notes:
        title = R.TITLE_AGE_RE.match(note.text)
        if title:
            n = int(title.group("n"))
            return n // 12 if title.group("unit").lower().startswith("mo") else n
        m = R.PATIENT_AGE_RE.search(note.text)
        if m:
            if m.group("mo"):
                return int(m.group("mo")) // 12
            return int(next(g for g in (m.group("y"), m.group("y2"), m.group("y3"), m.group("y4"), m.group("y5"))
                            if g))
    return None


_PAST_VISIT_BEFORE = re.compile(r"\b(?:from|at|since|after|during|of)\s+(?:(?:his|her|their|the|a|an)\s+)?"
                                r"(?:last\s+|recent\s+|prior\s+)?$", re.IGNORECASE)
_PAST_VISIT_AFTER = re.compile(r"[^.;\n]{0,25}?\b(?:ago|last (?:week|month|year))\b", re.IGNORECASE)


def _preventive_named(notes: Sequence[NoteInput], sections: dict[str, list[Section]]) -> EvidenceSpan | None:
    """A wellness visit named in the note's opening lines or chief complaint ("WELL ADOLESCENT
    VISIT", "annual physical"), for when no Z00.0-/Z00.12- code was found."""
    for note in notes:
        spans = [(0, min(len(note.text), 200))] + [(x.start, x.end) for x in sections.get(note.note_id, [])
                                                     if x.kind == "cc"]
        for s, e in spans:
            for m in R.PREVENTIVE_RE.finditer(note.text, s, e):
                if _PAST_VISIT_BEFORE.search(note.text[max(0, m.start() - 25):m.start()]) \
                        or _PAST_VISIT_AFTER.match(note.text, m.end()):
                    continue        # "labs from his annual exam 2 weeks ago": another, earlier visit
                if _is_done(note.text, m.start(), m.end()):
                    return _span(note, m)
    return None


def _preventive(is_new: bool, age: int | None, evidence: list[EvidenceSpan], why: str) -> CodeSuggestion:
    table = _PREVENTIVE_NEW if is_new else _PREVENTIVE_EST
    band = next(i for i, (limit, _) in enumerate(table) if age < limit) if age is not None else 5
    code = table[band][1]
    who = "new" if is_new else "established"
    return CodeSuggestion(
        CPT, code, f"Preventive visit, {who} patient, age {_AGE_BANDS[band]}", "em", tuple(evidence), "present",
        0.7 if age is not None else 0.4,
        f"Preventive (wellness) encounter documented ({why}); {who} patient; age "
        f"{age if age is not None else 'not found, 40-64 assumed'}.", 0,
        "If a significant problem was also addressed, an office visit with modifier 25 may be added")


def left_out(setting: str | None) -> str | None:
    """Why no E/M is suggested for this setting, or None when one is."""
    if setting == HOME:
        return ("No E/M suggested: home or residence visits (99341-99350) are not coded automatically; "
                "choose the visit code by hand.")
    return None


@dataclass
class _MDM:
    problems: _Found
    data: _Found
    risk: _Found

    @property
    def level(self) -> int:
        # Two of three elements must meet or exceed a level: the second highest of the three.
        return sorted((self.problems.level, self.data.level, self.risk.level), reverse=True)[1]

    def rationale(self) -> str:
        p, d, r = self.problems, self.data, self.risk
        risk_ev = f": {_quote(r.spans)}" if r.spans else ""
        prob_ev = f": {_quote(p.spans)}" if p.spans else ""
        return (f"Problems: {LEVELS[p.level]} ({p.why}{prob_ev}); data: {LEVELS[d.level]} — {d.why}; "
                f"risk: {LEVELS[r.level]} ({r.why}{risk_ev}); MDM (2 of 3): {LEVELS[self.level]}")

    def evidence(self) -> list[EvidenceSpan]:
        return self.problems.spans[:2] + self.data.spans[:3] + self.risk.spans


def _mdm(notes: Sequence[NoteInput], sections: dict[str, list[Section]], problems: Sequence[Problem],
         uncertain_count: int, outpatient: bool = False) -> _MDM:
    decision = _texts(notes, sections, _DECISION_KINDS)
    full = "\n".join(n.text for n in notes)
    prob = problem_level(problems, uncertain_count, full, decision)
    risk = risk_level(decision)
    if outpatient and risk.level == 3 and prob.level < 3 and any(not p.code.startswith("Z") for p in problems):
        # In the office, sending the patient to the ED or weighing admission says the problem poses
        # a threat in the near term without that care (a hospital note's admission says nothing more).
        prob = _Found(3, "illness posing a threat to life or bodily function in the near term "
                         "(escalation of care decided or weighed)", prob.spans + risk.spans)
    return _MDM(prob, data_level(_texts(notes, sections, _DATA_KINDS)), risk)


def suggest(notes: Sequence[NoteInput], sections: dict[str, list[Section]], problems: Sequence[Problem],
            uncertain_count: int = 0, age: int | None = None, setting: str | None = None) -> list[CodeSuggestion]:
    """The E/M suggestion (and optional G2211) for the encounter's setting, or [] without note text.

    ``setting`` (see :mod:`.setting`): office (or unknown) -> office codes; a preventive encounter
    (Z00.0-, Z00.12-, or a wellness visit named at the top of the note) gets the preventive medicine
    code for the age band instead; inpatient and observation -> hospital care codes for each note's
    day; ED -> 99282-99285; home -> none (:func:`left_out` says why); telehealth -> office codes
    with a hint.
    """
    if not any(n.text.strip() for n in notes) or left_out(setting):
        return []
    if setting in em_hospital.HOSPITAL_SETTINGS:
        return [_hospital(note, sections, problems, uncertain_count, setting) for note in notes
                if note.text.strip()] + _critical_care(notes)
    new_m = next(((n, m) for n in notes for m in [R.NEW_PATIENT_RE.search(n.text)] if m), None)
    is_new = new_m is not None
    new_ev = [_span(new_m[0], new_m[1])] if new_m else []
    wellness = [p for p in problems if p.code.startswith(("Z00.0", "Z00.12"))]
    named = None if wellness else _preventive_named(notes, sections)
    if wellness or named:
        age = age if age is not None else age_from_text(notes)
        why = f"{wellness[0].code}" if wellness else f"“{named.text}”" if named else ""
        ev = new_ev + ([wellness[0].span] if wellness and wellness[0].span else [named] if named else [])
        return [_preventive(is_new, age, ev, why)]
    mdm = _mdm(notes, sections, problems, uncertain_count, outpatient=True)
    level, basis = mdm.level, f"{LEVELS[mdm.level]} MDM"
    timed = _time(notes)
    table = _TIME_NEW if is_new else _TIME_EST
    evidence = mdm.evidence()
    if timed:
        t_level = next((lvl for minutes, lvl in table if timed[0] >= minutes), None)
        if t_level is not None and t_level > level:
            level, basis = t_level, f"total time {timed[0]} min"
        evidence.append(timed[1])
    evidence = new_ev + evidence
    code = (_NEW if is_new else _EST)[level]
    who = "new" if is_new else "established"
    rationale = (mdm.rationale()
                 + (f"; documented total time {timed[0]} min (“{timed[1].text}”)" if timed else "")
                 + f"; {who} patient" + ("" if is_new else " (no new-patient wording found)") + f"; level by {basis}.")
    out = [CodeSuggestion(CPT, code, f"Office visit, {who} patient, {basis}", "em", tuple(evidence),
                          "present", 0.7 if timed or mdm.level >= 1 else 0.5, rationale, 0, None)]
    if setting == TELEHEALTH:
        out[0] = replace(out[0], hint="Telehealth: office codes with the payer's telehealth modifier (95) "
                                      "and place of service")
    out += _prolonged(code, is_new, timed) + _critical_care(notes)
    chronic = [p for p in problems if _is_chronic(p.code)]
    if chronic and not is_new:
        out.append(CodeSuggestion(
            HCPCS, "G2211", "Visit complexity add-on for ongoing longitudinal care", "em", (), "present", 0.4,
            f"Established patient with {len(chronic)} chronic condition(s) managed over time.", 0,
            "Optional: add only if you are the continuing focal point for this patient's care"))
    return out


# "Critical care time: 50 minutes", "I provided 80 minutes of critical care".
_CRITICAL_CARE_RE = re.compile(r"\bcritical care(?: time)?\b[^.\n\d]{0,40}?(\d{2,3})\s*(?:min|minutes)\b|"
                               r"\b(\d{2,3})\s*(?:min|minutes)\s+of\s+(?:\w+\s+)?critical care\b", re.IGNORECASE)


def _critical_care(notes: Sequence[NoteInput]) -> list[CodeSuggestion]:
    """99291 for 30-74 minutes of documented critical care, 99292 for each further 30 minutes (optional: the
    payer decides whether it goes with or instead of the visit code)."""
    best = _most_minutes(notes, _CRITICAL_CARE_RE)
    if best is None or best[0] < 30:
        return []
    minutes, ev = best
    hint = ("Optional: critical care time excludes separately billed procedures; report it with or instead of the "
            "visit code as the payer requires")
    out = [CodeSuggestion(CPT, "99291", "Critical care, first 30 to 74 minutes", "em", (ev,), "present", 0.6,
                          f"Critical care time {minutes} min documented (“{ev.text}”).", 0, hint)]
    extra = (minutes - 74) // 30
    if extra >= 1:
        out.append(CodeSuggestion(CPT, "99292", f"Critical care, each further 30 minutes (quantity {extra})", "em",
                                  (ev,), "present", 0.55,
                                  f"{minutes} min of critical care: {extra} unit(s) beyond the first 74 minutes.", 0,
                                  f"Optional: quantity {extra}", quantity=extra))
    return out


def _prolonged(code: str, is_new: bool, timed: tuple[int, EvidenceSpan] | None) -> list[CodeSuggestion]:
    """99417 for each full 15 minutes beyond the time of a level-5 office visit chosen by time (CPT: 60 minutes
    new, 40 established); Medicare uses G2212 with other thresholds, so it stays optional."""
    if timed is None or code not in ("99205", "99215"):
        return []
    base = 60 if is_new else 40
    units = (timed[0] - base) // 15
    if units < 1:
        return []
    return [CodeSuggestion(CPT, "99417", f"Prolonged office visit time, each 15 minutes (quantity {units})", "em",
                           (timed[1],), "present", 0.5,
                           f"Total time {timed[0]} min: {units} full 15-minute unit(s) beyond {base} minutes.", 0,
                           "Optional: Medicare pays G2212 instead (from 89 minutes new, 69 established)",
                           quantity=units)]


def _hospital(note: NoteInput, sections: dict[str, list[Section]], problems: Sequence[Problem],
              uncertain_count: int, setting: str) -> CodeSuggestion:
    """One hospital, observation or ED E/M for one note (one day of the stay), by MDM or, for
    hospital and observation days, by documented total time when that gives the higher level."""
    mdm = _mdm([note], sections, problems, uncertain_count)
    timed = _time([note]) if setting != em_hospital.ED else None
    code, label = em_hospital.code_for(setting, mdm.level, note.text, timed[0] if timed else None)
    evidence = mdm.evidence() + ([timed[1]] if timed else [])
    elements = mdm.rationale()
    rationale = (f"Setting: {setting} (from the encounter's class); " + elements[0].lower() + elements[1:]
                 + (f"; documented total time {timed[0]} min (“{timed[1].text}”)" if timed else "")
                 + f"; {label}.")
    return CodeSuggestion(CPT, code, label, "em", tuple(evidence), "present",
                          0.6 if mdm.level >= 1 else 0.45, rationale, 0, None)
