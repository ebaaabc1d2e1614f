"""Screening done at this encounter, read from what was screened for (I.C.21.c.12).

"We will screen for HIV and hepatitis C today; drawn", "lipid panel drawn for screening",
"PHQ-2 depression screen": each item of the list gets its screening code (Z11.4 HIV, Z11.59 other
viral such as hepatitis, Z11.3 sexually transmitted infections, Z11.1 tuberculosis, Z13.220 lipids,
Z13.1 diabetes, Z13.31 depression, Z13.39 other mental health such as alcohol misuse). Whether it
happened today (not ordered, due or done elsewhere) is decided by the pipeline's encounter rule
(:func:`.relevance.encounter_today`), like any other encounter reason.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .sections import Section, kind_at
from .types import ICD10CM, Candidate, EvidenceSpan

_ITEMS: tuple[tuple[str, str], ...] = (
    (r"\bhiv\b", "Z11.4"),
    (r"\bhepatitis [bc]\b|\bhep [bc]\b|\bhcv\b|\bhbv\b", "Z11.59"),
    (r"\bsyphilis\b|\bgonorrh?oea\b|\bgonorrhea\b|\bchlamydia\b|\btrichomon\w*|\bst[di]s?\b|"
     r"sexually transmitted (?:infections?|diseases?)", "Z11.3"),
    (r"\btuberculosis\b|\btb\b", "Z11.1"),
    (r"\blipids?\b|\blipid panel\b|\bcholesterol\b", "Z13.220"),
    (r"\bdiabetes\b|\bblood sugar\b|\ba1c\b", "Z13.1"),
    (r"\bdepression\b", "Z13.31"),
    (r"\balcohol (?:use|misuse)\b|\bunhealthy alcohol\b|\balcohol\b|\banxiety\b", "Z13.39"),
    (r"\babdominal aortic aneurysm\b|\baaa\b|\bcardiovascular\b", "Z13.6"),
    (r"\bosteoporosis\b|\bbone density\b", "Z13.820"),
)
_ITEM_RE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_ITEMS)), re.IGNORECASE)
# The screening words and the list they govern: "screen(ing) for A, B and C" or "A and B screening".
_FOR_RE = re.compile(r"\bscreen(?:ing|ed)?\s+(?:test(?:s|ing)?\s+)?for\s+([^.;:\n]{1,80})", re.IGNORECASE)
_BEFORE_RE = re.compile(r"([^.;:\n]{1,80}?)\s+(?:screening|screen)\b", re.IGNORECASE)
# How every _BEFORE_RE match ends: the whitespace and the screening word.
_TAIL_RE = re.compile(r"\s+(?:screening|screen)\b", re.IGNORECASE)
_LIST_END_RE = re.compile(r"\b(?:today|per|was|were|is|are|in|at|with|given|drawn|done|sent|ordered|and then|"
                          r"which|because|due)\b|,\s*(?:drawn|done|sent|ordered|today)", re.IGNORECASE)
_SKIP = frozenset({"ros", "exam", "family", "meds", "allergies"})


def _items(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    out = []
    for m in _ITEM_RE.finditer(text, start, end):
        i = next(int(k[1:]) for k, v in m.groupdict().items() if v)
        out.append((_ITEMS[i][1], m.start(), m.end()))
    return out


def _before_screen(text: str) -> Iterator[re.Match[str]]:
    """``_BEFORE_RE.finditer(text)``, searched only near each screening word.

    Why: at every position of the note the lazy 80-character group tries each length, which made
    this scan most of screening's time. A match ends with a ``_TAIL_RE`` match and starts at most 80
    characters before that tail's whitespace, so only those windows are searched; ``endpos`` one
    past the tail still lets its closing ``\\b`` see the next character, and no later tail fits."""
    pos = 0
    for tail in _TAIL_RE.finditer(text):
        lo, endpos = max(pos, tail.start() - 80), min(len(text), tail.end() + 1)
        while m := _BEFORE_RE.search(text, lo, endpos):
            yield m
            lo = pos = m.end()


def find(note_id: str, text: str, sections: list[Section]) -> list[Candidate]:
    """Screening encounter candidates, one per code with every mention as its evidence."""
    if "screen" not in text.lower():
        return []
    found: dict[str, Candidate] = {}
    spans: list[tuple[int, int]] = []
    for m in _FOR_RE.finditer(text):
        stop = _LIST_END_RE.search(text, m.start(1), m.end(1))
        spans.append((m.start(1), stop.start() if stop else m.end(1)))
    for m in _before_screen(text):
        spans.append((m.start(1), m.end(1)))
    for start, end in spans:
        kind = kind_at(sections, start) if sections else "preamble"
        if kind in _SKIP:
            continue
        for code, s, e in _items(text, start, end):
            ev = EvidenceSpan(note_id, s, e, text[s:e])
            if code not in found:
                found[code] = Candidate(ICD10CM, code, (ev,), "present", 0.8,
                                        f"screening for '{text[s:e]}' in {kind.replace('_', ' ')}", kind)
            elif ev not in found[code].evidence:
                # Every mention: the one that says it was done today may be the second ("PHQ-9: 3,
                # negative depression screen" ... "1. Encounter for depression screening - negative").
                found[code] = replace(found[code], evidence=(*found[code].evidence, ev))
    return list(found.values())
