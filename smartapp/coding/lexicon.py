"""Curated synonyms and abbreviations for common outpatient problems.

The official titles and inclusion terms cover textbook wording; visit notes say "HTN", "T2DM" and
"CKD 3a". Each line is ``CODE [R=.. L=.. B=..] | phrase; phrase``: the code is billable (a unit test
checks), side codes are used when the mention says right/left/bilateral, and ``{T2DM}``-style
macros expand to their variants. Phrases are matched as whole-token sequences, case-insensitively.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon_terms import RAW

MACROS: dict[str, tuple[str, ...]] = {
    "T2DM": ("type 2 diabetes", "type 2 diabetes mellitus", "type ii diabetes", "type ii diabetes mellitus",
             "t2dm", "t2 dm", "dm2", "dm 2", "dm ii", "dm type 2", "dm type ii", "diabetes mellitus type 2",
             "diabetes mellitus type ii", "diabetes type 2", "niddm", "type 2 dm", "diabetes mellitus",
             "diabetes", "dm", "type 2 diabetic"),
    "T1DM": ("type 1 diabetes", "type 1 diabetes mellitus", "type i diabetes", "t1dm", "dm1", "dm 1",
             "dm type 1", "diabetes mellitus type 1", "diabetes type 1", "iddm", "type 1 dm"),
    "CKD": ("ckd", "chronic kidney disease", "chronic renal insufficiency", "chronic renal disease",
            "chronic renal failure"),
    "HTN": ("hypertension", "htn", "essential hypertension", "high blood pressure", "hbp"),
    # Neoplasm by site: the ICD-10-CM Neoplasm Table is not in the tabular file, so common sites
    # are named here ("carcinoma of the kidney", "renal cancer").
    "CA": ("cancer", "carcinoma", "adenocarcinoma", "malignancy", "malignant tumor", "malignant neoplasm"),
}

_SIDE_KEYS = {"R": "right", "L": "left", "B": "bilateral"}


@dataclass(frozen=True)
class LexEntry:
    """A curated concept: default code, optional per-side codes, and the phrases that name it."""

    code: str
    sides: tuple[tuple[str, str], ...]
    phrases: tuple[str, ...]

    def code_for(self, side: str | None) -> str:
        return dict(self.sides).get(side or "", self.code)


def _expand(phrase: str) -> list[str]:
    m = re.search(r"\{(\w+)\}", phrase)
    if not m:
        return [phrase]
    out: list[str] = []
    for variant in MACROS[m.group(1).upper()]:
        out.extend(_expand(phrase[: m.start()] + variant + phrase[m.end():]))
    return out


def _parse(raw: str) -> tuple[LexEntry, ...]:
    entries = []
    for line in raw.strip().splitlines():
        head, _, body = line.partition("|")
        parts = head.split()
        sides = tuple((_SIDE_KEYS[p[0]], p[2:]) for p in parts[1:])
        phrases = tuple(p for ph in body.split(";") if ph.strip() for p in _expand(ph.strip().lower()))
        entries.append(LexEntry(parts[0], sides, phrases))
    return tuple(entries)


ENTRIES: tuple[LexEntry, ...] = _parse(RAW)
COMMON_CODES: frozenset[str] = frozenset(
    c for e in ENTRIES for c in (e.code, *(code for _, code in e.sides)))
