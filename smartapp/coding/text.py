"""Tokenising and sentence splitting with character offsets into the original text."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from .regexes import required_substrings

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:'s)?")
# Sentence/clause boundaries: end punctuation followed by space, newlines, semicolons, list bullets.
_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])|\n+|;\s*")


class Token(NamedTuple):
    """A word of a note. A NamedTuple, not a frozen dataclass: a note has hundreds of words, and a
    frozen dataclass takes about twice as long to build (tokenizing was a tenth of the engine's time)."""

    norm: str   # lowercased, possessive and plural stripped
    start: int
    end: int


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Very light stemming, applied the same way to note text and to dictionary terms (cached:
    the vocabulary is small and the term index stems about 700,000 words at start-up)."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def tokenize(text: str, offset: int = 0) -> list[Token]:
    return [Token(stem(m.group()), m.start() + offset, m.end() + offset) for m in _TOKEN_RE.finditer(text)]


def norm_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _TOKEN_RE.findall(phrase))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences/clauses in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENT_RE.finditer(text, start, end):
        _append(text, pos, m.start(), out)
        pos = m.end()
    _append(text, pos, end, out)
    return out


def _append(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


_ESCAPED_LETTER = re.compile(r"\\[A-Za-z]")


@lru_cache(maxsize=512)
def lowercase_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same pattern without IGNORECASE, to run on ``text.lower()`` (about twice as fast in
    Python's re); None when its source has capital letters of its own (it would then differ)."""
    if not pattern.flags & re.IGNORECASE or re.search("[A-Z]", _ESCAPED_LETTER.sub("", pattern.pattern)):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def finditer_fast(pattern: re.Pattern[str], text: str, lowered: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` through the lowercase twin when it is exact: offsets are the same
    when lowercasing keeps the length (ASCII and nearly all text); callers take matched text from
    ``text[m.start():m.end()]``, never ``m.group()``."""
    twin = lowercase_twin(pattern)
    if twin is None or len(lowered) != len(text):
        return pattern.finditer(text)
    return twin.finditer(lowered)


# Characters IGNORECASE matches to an ASCII letter but str.lower() leaves alone ("ı" matches "i",
# "ſ" matches "s"): in text with them a lowercase twin or a substring test could miss a match.
_FOLD_ONLY = ("\u0131", "\u017f")


def twin_exact(text: str, lowered: str) -> bool:
    """Whether an ASCII pattern's lowercase twin finds in ``lowered`` (``text.lower()``) exactly what
    the IGNORECASE pattern finds in ``text``, at the same offsets (and so whether a substring test
    on ``lowered`` is sound): the length is kept and no character folds without lowering."""
    return len(lowered) == len(text) and (text.isascii() or not any(c in text for c in _FOLD_ONLY))


def can_match(pattern: re.Pattern[str] | str, lowered: str, exact: bool) -> bool:
    """False only when ``pattern`` cannot match the note whose lowercased text is ``lowered``: none of
    the strings its every match contains (:func:`.regexes.required_substrings`) is in it. A substring
    test is much cheaper than a regex that tries every position. ``exact``: :func:`twin_exact` holds."""
    needs = required_substrings(pattern) if exact else None
    return needs is None or any(s in lowered for s in needs)
