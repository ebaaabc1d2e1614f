"""Typeahead index over billable ICD-10-CM codes: code prefix and title-word prefix search.

Built once per process (about 0.3 s). Codes are pre-sorted by a static relevance order (common
outpatient codes first, then shorter titles), so a query is a set intersection plus a slice: a few
milliseconds even for one-word prefixes.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import icd10cm

_WORD_RE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Index:
    codes: list[str]                    # dotted, in static relevance order
    titles: list[str]
    by_code: list[tuple[str, int]]      # (dotless code, order) sorted by code, for prefix search
    vocab: list[str]                    # sorted words
    postings: dict[str, frozenset[int]]


@lru_cache(maxsize=1)
def index() -> _Index:
    from ..lexicon import COMMON_CODES, ENTRIES

    # Curated abbreviations ("htn", "t2dm") are searchable too.
    extra: dict[str, list[str]] = {}
    for lex in ENTRIES:
        for code in (lex.code, *(c for _, c in lex.sides)):
            extra.setdefault(code.replace(".", ""), []).extend(lex.phrases)

    entries = [e for e in icd10cm.all_entries().values() if e.billable]
    entries.sort(key=lambda e: (icd10cm.normalize(e.code) not in COMMON_CODES, len(e.title), e.code))
    codes = [icd10cm.normalize(e.code) for e in entries]
    titles = [e.title for e in entries]
    postings: dict[str, set[int]] = {}
    for i, e in enumerate(entries):
        for w in set(_WORD_RE.findall(" ".join((e.title, *e.includes, *extra.get(e.code, ()))).lower())):
            postings.setdefault(w, set()).add(i)
    by_code = sorted((e.code, i) for i, e in enumerate(entries))
    return _Index(codes, titles, by_code, sorted(postings), {w: frozenset(p) for w, p in postings.items()})


def _prefix_postings(ix: _Index, prefix: str) -> set[int]:
    lo = bisect.bisect_left(ix.vocab, prefix)
    hi = bisect.bisect_left(ix.vocab, prefix + "\uffff")
    out: set[int] = set()
    for w in ix.vocab[lo:hi]:
        out |= ix.postings[w]
    return out


@lru_cache(maxsize=512)
def _search(query: str, limit: int) -> tuple[tuple[str, str], ...]:
    ix = index()
    q = query.strip().lower()
    if not q:
        return ()
    key = q.upper().replace(".", "")
    if re.fullmatch(r"[A-Z]\d[0-9A-Z]{0,5}", key):
        lo = bisect.bisect_left(ix.by_code, (key, -1))
        hits = []
        for code, i in ix.by_code[lo:]:
            if not code.startswith(key):
                break
            hits.append(i)
            if len(hits) >= limit * 50:
                break
        # Code search: in code order, which is what a coder typing a code expects.
        hits.sort(key=lambda i: ix.codes[i])
        if hits:
            return tuple((ix.codes[i], ix.titles[i]) for i in hits[:limit])
        # Code-shaped but no such code ("t2dm"): fall through to word search.
    words = _WORD_RE.findall(q)
    if not words:
        return ()
    result: set[int] | None = None
    # Rarest (longest) words first keeps the intersections small.
    for w in sorted(words, key=len, reverse=True):
        hits_w = _prefix_postings(ix, w)
        result = hits_w if result is None else result & hits_w
        if not result:
            return ()
    return tuple((ix.codes[i], ix.titles[i]) for i in sorted(result or ())[:limit])


def search(query: str, limit: int = 20) -> list[tuple[str, str]]:
    return list(_search(query, max(1, min(limit, 200))))
