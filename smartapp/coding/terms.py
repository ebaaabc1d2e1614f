"""Dictionary of clinical terms -> ICD-10-CM codes, and matching it against note text.

Two sources: the curated lexicon (exact token sequences: "HTN", "CKD stage 3a"), and the official
titles and inclusion terms of the code set, matched as a bag of content words inside a short window
of one clause (so "right knee osteoarthritis" finds "Osteoarthritis of right knee"). Both are built
once per process.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .codesets import icd10cm
from .codesets.icd10cm import _default_child_score
from .lexicon import ENTRIES, LexEntry
from .stoplist import PHRASES as STOP_PHRASES
from .text import Token, norm_phrase

STOP = frozenset([
    "of", "the", "and", "or", "in", "on", "with", "an", "by", "for", "to", "due", "other",
    "unspecified", "nos", "not", "elsewhere", "classified", "specified", "site", "at", "as", "from", "type",
])
# Single-word titles that are too generic to code from on their own.
GENERIC = frozenset([
    "pain", "disease", "disorder", "syndrome", "injury", "abnormal", "condition", "problem", "finding",
    "history", "encounter", "screening", "examination", "observation", "status", "complication", "care",
    "fracture", "laceration", "contusion", "sprain", "strain", "wound", "burn", "infection", "lesion", "mass",
    "tumor", "growth", "neoplasm", "carcinoma", "malignancy", "cancer", "cyst", "nodule", "polyp", "ulcer",
    # A substance named alone is not a use disorder; "allergies" alone is usually a list heading.
    "caffeine", "alcohol", "tobacco", "nicotine", "cannabis", "marijuana", "opioid", "cocaine", "allergy",
    "allergie", "erythema", "tenderness", "swelling",
    # "axis" is an anatomical axis or an image axis far more often than the C2 vertebra; a fistula
    # named alone has no site (not the joint fistula M25.1-)
    "axis", "fistula",
])
# Words that say "not this": a term may only match across them if the term itself contains them
# ("cystitis without hematuria" must not match "Acute cystitis with hematuria").
NEGATORS = frozenset(["without", "no", "not", "non", "negative", "denie", "absent",
                      "o"])     # "w/o" is tokenized "w", "o"
# A disease word followed by these is not a diagnosis ("tetanus shot", "strep test", "stress test").
BLOCKING_NEXT = frozenset(["shot", "vaccine", "vaccination", "booster", "immunization", "toxoid", "test",
                           "testing", "screen", "swab", "panel", "level", "antibody", "titer", "clinic",
                           "specialist", "vaccinated", "screening", "prophylaxis", "precaution", "prevention",
                           "risk", "exposure", "contact", "series", "questionnaire", "scale", "score",
                           # a laboratory marker named after the disease ("hepatitis B surface antigen")
                           "antigen", "surface", "serology", "naat", "pcr", "culture", "probe",
                           # a programme or a talk about the disease ("weight loss counseling",
                           # "diabetes education")
                           "counseling", "counselling", "education", "program", "goal", "class",
                           # post-exposure prophylaxis and immune globulin ("rabies PEP", "tetanus immune
                           # globulin"), a record of the vaccine ("tetanus UTD", "tetanus status")
                           "pep", "immune", "utd", "status",
                           # a serology result ("hepatitis B nonimmune", "HIV nonreactive")
                           "nonimmune", "nonreactive"])
# "Hepatitis B non-immune", "HIV non-reactive": the tokenizer splits the hyphen.
_NOT_IMMUNE = (("non", "immune"), ("non", "reactive"))
# "Tetanus up to date": the record of a vaccine, not the disease.
_UP_TO_DATE = ("up", "to", "date")
_SIDE_ONLY = frozenset(["right", "left", "bilateral", "rt", "lt", "both", "ear", "eye", "side"])
# Skipped inside curated phrases: "sprain of left ankle" still matches "sprain of ankle".
FILLERS = frozenset(["right", "left", "bilateral", "rt", "lt", "the", "closed", "both", "his", "her"])
# Titles we do not match on free text: external causes, and Z codes other than history, status and
# long-term drug therapy (encounter reasons come from the lexicon; words like "counseling" or
# "examination" are everywhere in notes).
_SKIP_PREFIXES = ("V", "W", "X", "Y", "Z0", "Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z70", "Z71", "Z73", "Z74",
                  "Z75", "Z76", "Z77", "Z78", "Z91")


@dataclass(frozen=True, slots=True)
class Match:
    code: str
    start_tok: int
    end_tok: int            # exclusive
    positions: frozenset[int]
    source: str             # "lexicon" or "title"
    lex: LexEntry | None = None


_SIDES = frozenset(["right", "left", "bilateral", "rt", "lt", "both"])
# Stop-list phrases match like curated terms and yield no code (code ""): see :mod:`.stoplist`.
STOP_ENTRY = LexEntry("", (), STOP_PHRASES)
# First token -> ((length, {token sequence: entry}), ...), longest first.
_LexIndex = dict[str, tuple[tuple[int, dict[tuple[str, ...], LexEntry]], ...]]


@lru_cache(maxsize=1)
def lexicon_index() -> tuple[_LexIndex, _LexIndex]:
    """First token -> its phrases by length, longest first: (exact phrases, filler-free phrases).

    Phrases that name a side themselves ("right upper quadrant pain") are only matched exactly.
    A sequence listed twice keeps its first entry. Grouped by length so that matching looks each
    length up once (a dict lookup) instead of comparing every phrase that starts with the word
    ("pain", "chronic" and "diabetes" start dozens).
    """
    exact: dict[str, dict[int, dict[tuple[str, ...], LexEntry]]] = defaultdict(dict)
    loose: dict[str, dict[int, dict[tuple[str, ...], LexEntry]]] = defaultdict(dict)
    for entry in (*ENTRIES, STOP_ENTRY):
        for phrase in entry.phrases:
            toks = norm_phrase(phrase)
            if not toks:
                continue
            exact[toks[0]].setdefault(len(toks), {}).setdefault(toks, entry)
            if not _SIDES & set(toks):
                stripped = tuple(t for t in toks if t not in FILLERS)
                if stripped:
                    loose[stripped[0]].setdefault(len(stripped), {}).setdefault(stripped, entry)
    return _longest_first(exact), _longest_first(loose)


def _longest_first(idx: dict[str, dict[int, dict[tuple[str, ...], LexEntry]]]) -> _LexIndex:
    return {w: tuple(sorted(by_len.items(), key=lambda kv: -kv[0])) for w, by_len in idx.items()}


def _title_variants(term: str) -> list[tuple[str, ...]]:
    """The term's content words, and a shorter variant without its "without ..." tail."""
    t = term.lower()
    t = re.sub(r"\([^)]*\)", " ", t)             # nonessential modifiers
    t = re.split(r", initial encounter|, subsequent|, sequela", t)[0]
    full = tuple(w for w in norm_phrase(t.replace("not intractable", " ")) if w not in STOP)
    short = tuple(w for w in norm_phrase(re.split(r"\bwithout\b|\bnot intractable\b|, except\b", t)[0])
                  if w not in STOP)
    # "Strain of muscle, fascia and tendon of lower back" is written "strain of (the) muscle of ...".
    plain = re.sub(r"muscles?(?: and tendons?)?, fascia and tendons?", "muscle", t)
    muscle = tuple(w for w in norm_phrase(plain) if w not in STOP) if plain != t else ()
    return [v for v in dict.fromkeys((full, short, muscle)) if v]


@lru_cache(maxsize=1)
def title_index() -> dict[str, list[tuple[frozenset[str], int, str]]]:
    """Anchor token (rarest) -> [(content tokens, length, code)]; one code per distinct token set."""
    best: dict[frozenset[str], tuple[tuple[int, int, str], str, int]] = {}
    for key, entry in icd10cm.all_entries().items():
        if entry.extension or key.startswith(_SKIP_PREFIXES):
            continue
        for term in (entry.title, *entry.includes):
            for toks in _title_variants(term):
                if len(toks) == 1 and (toks[0] in GENERIC or len(toks[0]) < 4):
                    continue
                if len(toks) > 8:
                    continue
                fs = frozenset(toks)
                score = _default_child_score(entry.title, key)
                if fs not in best or score < best[fs][0]:
                    best[fs] = (score, key, len(toks))
    df: dict[str, int] = defaultdict(int)
    for fs in best:
        for w in fs:
            df[w] += 1
    idx: dict[str, list[tuple[frozenset[str], int, str]]] = defaultdict(list)
    for fs, (_, key, n) in best.items():
        anchor = min(fs, key=lambda w: (df[w], w))
        idx[anchor].append((fs, n, key))
    return dict(idx)


# Infections screened or tested together ("HIV and hepatitis C screening", "syphilis, HIV and
# gonorrhea testing"): the test word after the list applies to every item of it.
_SCREENED_INFECTIONS = frozenset(["hiv", "hepatitis", "hep", "syphilis", "gonorrhea", "chlamydia", "trichomona",
                                  "hcv", "hbv", "tb", "tuberculosis", "covid", "covid19", "strep", "flu", "influenza",
                                  "herpe", "hpv", "std", "sti", "gc", "rpr", "a", "b", "c", "19", "and", "or",
                                  # vaccines named together ("influenza and RSV vaccines")
                                  "rsv", "pneumococcal", "zoster", "shingle", "tdap", "mmr", "varicella", "pertussis",
                                  "tetanus", "measle", "mump", "rubella", "polio", "meningococcal", "pneumonia"])


def _blocked(tokens: list[Token], end_tok: int) -> bool:
    """The next word makes the mention a test, vaccine or prevention ("strep test", "DVT
    prophylaxis"), also past a letter or number ("hepatitis B vaccine", "COVID-19 vaccine")."""
    if end_tok < len(tokens) and tokens[end_tok].norm in BLOCKING_NEXT:
        return True
    if tuple(t.norm for t in tokens[end_tok:end_tok + 3]) == _UP_TO_DATE \
            or tuple(t.norm for t in tokens[end_tok:end_tok + 2]) in _NOT_IMMUNE:
        return True
    if 0 < end_tok < len(tokens) and tokens[end_tok - 1].norm in _SCREENED_INFECTIONS:
        j, listed = end_tok, False
        while j < len(tokens) and j < end_tok + 6 and tokens[j].norm in _SCREENED_INFECTIONS:
            listed = listed or tokens[j].norm in ("and", "or")
            j += 1
        if (listed or j > end_tok) and j < len(tokens) and (tokens[j].norm in BLOCKING_NEXT or tuple(
                t.norm for t in tokens[j:j + 2]) in _NOT_IMMUNE):
            return True
    return (end_tok + 1 < len(tokens) and (len(tokens[end_tok].norm) == 1 or tokens[end_tok].norm.isdigit())
            and tokens[end_tok + 1].norm in BLOCKING_NEXT)


def _match_seq(view: tuple[str, ...], where: list[int], tokens: list[Token], idx: _LexIndex) -> list[Match]:
    """The longest phrase at each position of ``view`` (a blocked one stops the search there); a match
    skips the words it covers."""
    out: list[Match] = []
    nxt = 0
    for i, word in enumerate(view):
        if i < nxt:
            continue
        for k, seqs in idx.get(word, ()):
            entry = seqs.get(view[i:i + k])
            if entry is not None:
                lo, hi = where[i], where[i + k - 1] + 1
                if not _blocked(tokens, hi):
                    out.append(Match(entry.code, lo, hi, frozenset(range(lo, hi)), "lexicon", entry))
                    nxt = i + k
                break
    return out


def match_lexicon(tokens: list[Token]) -> list[Match]:
    """Longest curated phrase at each position, exactly, or with filler words (sides, "the") inside."""
    exact, loose = lexicon_index()
    keep = [i for i, t in enumerate(tokens) if t.norm not in FILLERS]
    return (_match_seq(tuple(t.norm for t in tokens), list(range(len(tokens))), tokens, exact)
            + _match_seq(tuple(tokens[i].norm for i in keep), keep, tokens, loose))


# Words that join the items of a list: a bag match across them mixes two items
# ("obstructive pulmonary disease, hypertension" is not pulmonary hypertension).
_LIST_JOINERS = frozenset(["and", "or"])


def list_breaks(tokens: list[Token], text: str, offset: int = 0) -> frozenset[int]:
    """Token indices that start a new list item: "and"/"or", a semicolon, a comma of an "A, B and C" list."""
    out: set[int] = set()
    commas: list[int] = []
    for i in range(1, len(tokens)):
        gap = text[tokens[i - 1].end - offset:tokens[i].start - offset]
        if tokens[i].norm in _LIST_JOINERS or ";" in gap:
            out.add(i)
            out.update(commas)      # "A, B and C": the commas before a joiner separate items too
            commas.clear()
        elif "," in gap:
            commas.append(i)        # alone, a comma may add a qualifier ("depression, recurrent, moderate")
    return frozenset(out)


def match_titles(tokens: list[Token], window_slack: int = 3, breaks: frozenset[int] = frozenset()) -> list[Match]:
    """Bag-of-words matches of official terms within one clause's tokens (not across ``breaks``)."""
    idx = title_index()
    where: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(tokens):
        where[t.norm].append(i)
    out: list[Match] = []
    seen: set[tuple[str, frozenset[int]]] = set()
    words = frozenset(where)        # a frozenset: the subset test below is then one C call
    for anchor, anchor_pos in where.items():
        for fs, n, key in idx.get(anchor, ()):
            if not fs <= words:
                continue
            for a in anchor_pos:
                pos = {a}
                for w in fs:
                    if w != anchor:
                        pos.add(min(where[w], key=lambda p: abs(p - a)))
                lo, hi = min(pos), max(pos)
                if breaks and any(lo < b <= hi for b in breaks):
                    continue
                if hi - lo + 1 <= n + window_slack and not _blocked(tokens, hi + 1) and not any(
                        tokens[p].norm in NEGATORS and tokens[p].norm not in fs for p in range(lo, hi + 1)):
                    sig = (key, frozenset(pos))
                    if sig not in seen:
                        seen.add(sig)
                        out.append(Match(icd10cm.normalize(key), lo, hi + 1, frozenset(pos), "title"))
    return out


def best_matches(tokens: list[Token], breaks: frozenset[int] = frozenset()) -> list[Match]:
    """Lexicon and title matches with the subsumed ones removed (the most specific mention wins)."""
    cands = match_lexicon(tokens) + match_titles(tokens, breaks=breaks)
    # Larger position sets first; lexicon before title at equal size (curated beats generic).
    # Side words ("left ear") do not make a title match more specific than a curated term: the
    # curated term takes the side from the same words.
    cands.sort(key=lambda m: (-sum(tokens[p].norm not in _SIDE_ONLY for p in m.positions), m.source != "lexicon",
                              m.start_tok, m.code))
    kept: list[Match] = []
    for m in cands:
        # A scattered bag match that straddles another concept is a misreading ("viral upper
        # respiratory infection" is not "viral infection").
        # A title (bag) match that only partly overlaps an already kept, at least as large match
        # is a misreading ("Lyme disease (erythema" is not "erythema in diseases ...").
        if m.source == "title" and any(k.positions & m.positions and not m.positions <= k.positions
                                       for k in kept):
            continue
        for i, k in enumerate(kept):
            # Mostly covered by a longer mention: the longer one is more specific ("type 2
            # diabetes" inside "type 2 diabetes with diabetic chronic kidney disease").
            if len(m.positions & k.positions) * 2 > len(m.positions):
                if not m.positions <= k.positions:
                    kept[i] = Match(k.code, min(k.start_tok, m.start_tok), max(k.end_tok, m.end_tok),
                                    k.positions | m.positions, k.source, k.lex)
                break
        else:
            kept.append(m)
    kept.sort(key=lambda m: (m.start_tok, m.code))
    return kept
