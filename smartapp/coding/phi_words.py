"""Word lists that tell a person's name from an ordinary or clinical word (for :mod:`.phi_names`).

Shipped in ``phi_data/`` (rebuilt by scripts/build_phi_lists.py; sources and licences in
phi_data/README.md): given and family names from the 1990 US Census, English words from SCOWL
(wamerican), clinical words from ICD-10-CM titles. Loaded once per process (about 30 ms).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .phi_patterns import NOT_NAMES

_DATA = Path(__file__).with_name("phi_data")

# Words that are never part of a name or a facility's distinctive part: section and service words,
# departments, days, months, sentence starters. Added to NOT_NAMES and the ICD-10-CM words.
STOP_WORDS = frozenset(re.findall(r"\S+", """
review systems physical exam examination chief complaint present illness impression medications
medication allergies allergy vitals vital signs social surgical past medical results result imaging
data labs procedure procedures subjective objective diagnosis diagnoses problem problems instructions
follow-up followup return discharge admission consult consultation referral orders order summary
general constitutional heent neck chest lungs heart abdomen extremities skin neuro psych musculoskeletal
cardiovascular respiratory gastrointestinal genitourinary neurological psychiatric hematologic
endocrine lymphatic integumentary sunday ma'am sir mr mrs ms miss dr md do np pa rn
gi pt ot ent id ortho derm endo renal pulm pulmonary cardiac surgery medicine pediatrics internal
infectious disease diseases wound hospitalist oncologist surgeon neurologist cardiologist nephrologist
psychiatrist dermatologist urologist rheumatologist endocrinologist gastroenterologist pharmacist
positive negative continue start started stop stopped increase decrease check recheck consider
schedule scheduled refer refill prescribe prescribed order ordered patient patients mild moderate
severe acute chronic stable improved improving worse worsening new old left right upper lower
see figure figures table tables appendix caucasian hispanic latino latina asian african american european
dob mrn sex age acct account dos date birth visit encounter dear hi hello thanks thank sincerely regards
""")) | NOT_NAMES

# Given names that are also everyday words ("Will", "May", "Grant"): weak evidence on their own.
COMMON_WORD_GIVEN = frozenset(re.findall(r"\S+", """
will may mark bill art grant hunter faith joy hope rose dawn summer chase amber lily victor ray guy jack
frank gene iris pat sue don rich sunny april june august autumn winter crystal ruby pearl ivy holly
heather daisy violet sky rusty buddy king prince major earl angel precious miracle destiny harmony
patience charity trinity christian page lane dale glen cliff wade drew miles penny candy ginger honey
star misty stormy river reed forrest woody sandy rocky bud chance cash colt gay hardy norm sterling
baby lady love sharon carol carmen mercy joe
"""))


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]
    family: frozenset[str]
    english: frozenset[str]
    clinical: frozenset[str]
    clinical_proper: frozenset[str]     # eponyms and places among the clinical words
    common_family: frozenset[str]       # the 5,000 most frequent family names ("Fox", "Bell", not "Pain")


def _read(name: str) -> frozenset[str]:
    return frozenset((_DATA / name).read_text().split())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    family = (_DATA / "family_names.txt").read_text().split()       # most frequent first
    return Lexicon(_read("given_names.txt"), frozenset(family), _read("english_words.txt"),
                   _read("clinical_words.txt"), _read("clinical_proper_nouns.txt"), frozenset(family[:5000]))
