"""Letters outside ASCII folded to ASCII, one character for one, before PHI redaction looks at a note.

The name and facility rules are written for A–Z; names come in every script ("Şule Doğan", "Łukasz",
"Ngọc Anh Đoàn", "王伟"). Redaction runs on a folded copy of the same length, so the spans it finds
are the spans of the original text: accented letters lose their marks ("Ş" → "S"), letters with no
decomposition take their usual ASCII spelling ("Ł" → "L", "ß" → "s"), and any other letter becomes
"X" or "x" by its case. A word of an uncased script (Chinese, Japanese, Korean, Arabic, ...) opens
with "X", so it reads as a capitalised word that no English or clinical list knows: a name. Dot leaders
after a form's label ("PATIENT......LUU, KHANH") become a colon and spaces, so the label rules read them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters whose decomposition has no ASCII base.
_PLAIN = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "ß": "s",
          "Æ": "A", "æ": "a", "Œ": "O", "œ": "o", "Þ": "T", "þ": "t", "ı": "i", "Ħ": "H", "ħ": "h",
          "Ŧ": "T", "ŧ": "t", "Ŋ": "N", "ŋ": "n", "ĸ": "k", "Ɖ": "D", "ɖ": "d", "Ɛ": "E", "ɛ": "e"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str, after_letter: bool) -> str:
    if ch in _PLAIN:
        return _PLAIN[ch]
    if unicodedata.category(ch) in ("Mn", "Mc"):     # a combining mark: still inside the word
        return "x"
    if not ch.isalpha():
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    if base.isascii() and base.isalpha():
        return base
    if ch.isupper():
        return "X"
    if ch.islower():
        return "x"
    return "x" if after_letter else "X"      # uncased scripts: the first letter of a word is its capital


def fold(text: str) -> str:
    """``text`` with every letter in ASCII; same length, so offsets carry over to the original."""
    if text.isascii():
        return text
    out: list[str] = []
    prev = ""
    for ch in text:
        out.append(ch if ch.isascii() else _fold_char(ch, prev.isalpha()))
        prev = out[-1]
    return "".join(out)


# A label at a line's start in capitals or title case ("PATIENT", "Date of Service"), then dots to the value.
_DOT_LEADER = re.compile(r"^([ \t]*[A-Z][A-Za-z#&'()-]*(?:[ \t/]+(?:[A-Z#&(][A-Za-z#&'()-]*|of|the|and|for|to|in))"
                         r"{0,4})[ \t]*(\.{3,})(?=[ \t]*\S)", re.MULTILINE)


def dot_leaders(text: str) -> str:
    """``text`` with each field's dot leader written as a colon and spaces; same length."""
    if "..." not in text:
        return text
    return _DOT_LEADER.sub(lambda m: m.group(0)[:m.start(2) - m.start()] + ":" + " " * (len(m.group(2)) - 1), text)
