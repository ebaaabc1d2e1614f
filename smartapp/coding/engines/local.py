"""The default engine: offline, deterministic dictionary matching with context rules.

For every clause of the sections codes come from, it finds curated lexicon phrases and official
ICD-10-CM terms (see :mod:`..terms`), decides the assertion with ConText-style rules, and reads
laterality and the injury encounter (initial/subsequent/sequela) from the surrounding words. It
works on the original text: nothing leaves the process.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .. import casereport, docstyle, drug_status, screening, terms, tobacco
from ..assertions import classify
from ..codesets import icd10cm
from ..em_rules import AGE_RE
from ..sections import SKIP_KINDS, Section
from ..text import Token, can_match, sentences, tokenize, twin_exact
from ..types import ICD10CM, Candidate, EvidenceSpan
from .base import EngineOutput, PreparedNote

VERSION = "local-1.0"
_SIDE_WORDS = {"right": "right", "rt": "right", "left": "left", "lt": "left", "bilateral": "bilateral",
               "both": "bilateral", "bilaterally": "bilateral"}
_SUBSEQUENT_RE = re.compile(r"subsequent (?:encounter|visit)|routine healing|healing (?:well|routinely)|cast check|"
                            r"suture removal(?! in \d)|"
                            r"follow[- ]?up (?:visit )?(?:for|of|on) (?:the |his |her |a |known )?(?:\w+ ){0,3}"
                            r"(?:fracture|sprain|strain|injury|laceration|concussion)", re.IGNORECASE)
_SEQUELA_RE = re.compile(r"\bsequela|\blate effect", re.IGNORECASE)
_BMI_PERCENTILE_RE = re.compile(r"\b(?:BMI|body mass index)\b[^\n]{0,40}?\b(?P<p>\d{1,2})(?:st|nd|rd|th)?\s*"
                                r"(?:percentile|%ile|centile)", re.IGNORECASE)
_BMI_RE = re.compile(r"\b(?:BMI|body mass index)\b[^0-9\n]{0,15}(\d{2}(?:\.\d+)?)", re.IGNORECASE)


def bmi_code(value: float) -> str:
    """Adult BMI (Z68.1-Z68.45); pediatric BMI needs a percentile and is not coded from a number."""
    if value < 20:
        return "Z68.1"
    if value < 40:
        return f"Z68.{int(value)}"
    return "Z68.41" if value < 45 else "Z68.42" if value < 50 else "Z68.43" if value < 60 else \
        "Z68.44" if value < 70 else "Z68.45"


def _bmi(prepared: PreparedNote) -> Candidate | None:
    """BMI is usually in vitals/exam, which we otherwise skip; the rules keep it only next to a
    weight diagnosis (obesity, overweight, underweight)."""
    text = prepared.note.text
    pct = list(_BMI_PERCENTILE_RE.finditer(text))
    if pct:
        # A child's or teen's BMI is coded by percentile (Z68.5-), with the share of the 95th where given.
        m = pct[-1]
        value = int(m.group("p"))
        share = re.search(r"(\d{3})\s*%\s*of the 95th", text[m.end():m.end() + 80])
        code = ("Z68.51" if value < 5 else "Z68.52" if value < 85 else "Z68.53" if value < 95 else
                "Z68.56" if share and int(share.group(1)) >= 140 else
                "Z68.55" if share and int(share.group(1)) >= 120 else "Z68.54")
        kind = next((s.kind for s in prepared.sections if s.start <= m.start() < s.end), "preamble")
        return Candidate(ICD10CM, code, (EvidenceSpan(prepared.note.note_id, m.start(), m.end(), m.group()),),
                         "present", 0.8, f"BMI {value}th percentile documented", kind)
    age = AGE_RE.search(text)
    if age and int(next(g for g in age.groups() if g)) < 20:
        return None
    hits = list(_BMI_RE.finditer(text))
    if not hits:
        return None
    m = hits[-1]
    code = bmi_code(float(m.group(1)))
    kind = next((s.kind for s in prepared.sections if s.start <= m.start() < s.end), "preamble")
    return Candidate(ICD10CM, code, (EvidenceSpan(prepared.note.note_id, m.start(), m.end(), m.group()),),
                     "present", 0.8, f"BMI {m.group(1)} documented", kind)


def _appositive(text: str, start: int, end: int, prev_end: int | None) -> bool:
    """True for "(erythema migrans)" right after another diagnosis: an explanation, not a new code."""
    return prev_end is not None and text[prev_end:start].strip() == "(" and text[end:end + 1] == ")"


def _side(tokens: list[Token], m: terms.Match, text: str = "") -> str | None:
    best: tuple[int, str] | None = None
    lo, hi = max(0, m.start_tok - 4), min(len(tokens), m.end_tok + 3)
    for i in range(lo, hi):
        side = _SIDE_WORDS.get(tokens[i].norm)
        if not side and text[tokens[i].start:tokens[i].end] in ("L", "R") \
                and text[tokens[i].end:tokens[i].end + 1] in (" ", "\t") \
                and re.match(r"[ \t]+[a-z]{3,}", text[tokens[i].end:tokens[i].end + 6]):
            # "s/p L total hip", "osteoarthritis, R knee", "fracture of the R lateral malleolus"
            side = "left" if tokens[i].norm == "l" else "right"
        if side:
            dist = 0 if m.start_tok <= i < m.end_tok else min(abs(i - m.start_tok), abs(i - m.end_tok + 1))
            if best is None or dist < best[0]:
                best = (dist, side)
    return best[1] if best else None


def _encounter(text: str) -> str | None:
    """7th-character episode named in the text: S (sequela), D (subsequent), else None."""
    lowered = text.lower()
    exact = twin_exact(text, lowered)       # then the substring tests below skip the regexes on most notes
    if can_match(_SEQUELA_RE, lowered, exact) and _SEQUELA_RE.search(text):
        return "S"
    if can_match(_SUBSEQUENT_RE, lowered, exact) and _SUBSEQUENT_RE.search(text):
        return "D"
    return None


def _code_for(m: terms.Match, side: str | None) -> str:
    if m.lex is not None:
        return m.lex.code_for(side)
    if side:
        sided = icd10cm.with_side(m.code, side)
        if sided:
            return sided
    return m.code


def _clauses(text: str, sections: list[Section]) -> list[tuple[str, int, int]]:
    if not sections:
        return [("preamble", s, e) for s, e in sentences(text)]
    return [(sec.kind, s, e) for sec in sections if sec.kind not in SKIP_KINDS
            for s, e in sentences(text, sec.start, sec.end)]


# Findings named by one general word, coded to the Index's NOS entry ("Pain R52", "Infection
# B99.9", "Erythema L53.9", "Hemorrhage R58") only in narrative notes (no headings at all: case
# reports, dictations), where no assessment says which findings are the diagnoses. The guideline
# rules drop them beside anything more specific (guidelines._COVERED_BY).
_NOS_WORDS: dict[str, str] = {"pain": "R52", "painful": "R52", "infection": "B99.9", "erythema": "R52x",
                              "erythematous": "R52x", "bleeding": "R58", "hemorrhage": "R58",
                              "haemorrhage": "R58"}
_NOS_CODES = {"R52x": "L53.9"}


def _narrative(sections: list[Section]) -> bool:
    return all(sec.kind == "preamble" for sec in sections)


_CASE_REPORT_NOS_WORDS = {**_NOS_WORDS, **casereport.NOS_WORDS}


def _nos_matches(tokens: list[Token], matches: list[terms.Match],
                 words: dict[str, str] = _NOS_WORDS) -> list[terms.Match]:
    """The general finding words of a clause that no other match has used."""
    used = set().union(*(m.positions for m in matches)) if matches else set()
    out = []
    for i, t in enumerate(tokens):
        code = words.get(t.norm)
        if code and i not in used and not terms._blocked(tokens, i + 1):
            out.append(terms.Match(_NOS_CODES.get(code, code), i, i + 1, frozenset({i}), "title"))
    return out


def _immunization_sections(note_id: str, text: str, sections: list[Section]) -> list[Candidate]:
    """An immunizations section ("Vaccines today: MMR, varicella") names vaccines by their products:
    a Z23 candidate for its first line, heading included, so that "given today" in the heading counts.
    Whether it was given today is decided like any encounter reason (:func:`..relevance.encounter_today`)."""
    out = []
    for sec in sections:
        if sec.kind != "immunizations":
            continue
        start = text.rfind("\n", 0, sec.start) + 1
        body = next((ln for ln in text[sec.start:sec.end].splitlines() if ln.strip()), "")
        end = text.find(body, sec.start) + len(body) if body else sec.start
        line = text[start:end]
        lead = len(line) - len(line.lstrip())
        line = line.strip()
        if line:
            out.append(Candidate(ICD10CM, "Z23", (EvidenceSpan(note_id, start + lead, start + lead + len(line), line),),
                                 "present", 0.9, "vaccines listed in an immunizations section", "immunizations"))
    return out


class LocalEngine:
    name = "local"
    version = VERSION

    def extract(self, notes: Sequence[PreparedNote]) -> EngineOutput:
        out = EngineOutput(candidates=[])
        for prepared in notes:
            note = prepared.note
            text = note.text
            note_episode = _encounter(text) or "A"     # initial encounter unless the note says otherwise
            narrative = _narrative(prepared.sections)
            nos_words = _CASE_REPORT_NOS_WORDS if narrative and docstyle.is_case_report(text, prepared.sections) \
                else _NOS_WORDS
            for kind, s, e in _clauses(text, prepared.sections):
                clause_episode: str | None = None
                tokens = tokenize(text[s:e], s)
                prev_end: int | None = None
                matches = terms.best_matches(tokens, terms.list_breaks(tokens, text[s:e], s))
                if narrative:
                    matches = matches + _nos_matches(tokens, matches, nos_words)
                for m in matches:
                    if not m.code or kind == "immunizations" and m.code != "Z23":
                        continue        # a stop-list phrase, or a vaccine named after its disease
                    start, end = tokens[m.start_tok].start, tokens[m.end_tok - 1].end
                    if _appositive(text, start, end, prev_end):
                        continue
                    prev_end = end
                    assertion, trigger = classify(text, s, e, start, end, kind)
                    if assertion == "uncertain":
                        out.uncertain += 1
                    side = _side(tokens, m, text)
                    code = _code_for(m, side)
                    if code[0] in "ST" and clause_episode is None:
                        clause_episode = _encounter(text[s:e]) or note_episode
                    exact = m.source == "lexicon" or len(m.positions) == m.end_tok - m.start_tok
                    conf = 0.9 if m.source == "lexicon" else (0.7 if exact else 0.55)
                    why = ("curated term" if m.source == "lexicon" else "ICD-10-CM index/title term") + \
                        f" in {kind.replace('_', ' ')}" + (f"; '{trigger}'" if trigger else "")
                    out.candidates.append(Candidate(
                        ICD10CM, code, (EvidenceSpan(note.note_id, start, end, text[start:end]),),
                        assertion, conf, why, kind, side, clause_episode))
            out.candidates.extend(_immunization_sections(note.note_id, text, prepared.sections))
            out.candidates.extend(drug_status.find(note.note_id, text, prepared.sections))
            out.candidates.extend(tobacco.find(note.note_id, text, prepared.sections))
            out.candidates.extend(screening.find(note.note_id, text, prepared.sections))
            bmi = _bmi(prepared)
            if bmi:
                out.candidates.append(bmi)
        return out
