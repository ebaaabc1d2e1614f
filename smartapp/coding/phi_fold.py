"""Letters outside ASCII folded to ASCII, one character for one, before PHI redaction looks at a note.

The name and facility rules are written for A–Z; names come in every script ("Şule Doğan", "Łukasz",
"Ngọc Anh Đoàn", "王伟"). Redaction runs on a folded copy of the same length, so the spans it finds
are the spans of the original text: accented letters lose their marks ("Ş" → "S"), letters with no
decomposition take their usual ASCII spelling ("Ł" → "L", "ß" → "s"), and any other letter becomes
"X" or "x" by its case. A word of an uncased script (Chinese, Japanese, Korean, Arabic, ...) opens
with "X", so it reads as a capitalised word that no English or clinical list knows: a name. Dot leaders
after a form's label ("PATIENT......LUU, KHANH") become a colon and spaces, so the label rules read them.

Round 50: scanned and dictated documents spell names the rules cannot read, so the copy is mended the same way,
one character for one: digits that OCR reads for letters inside a word ("Wi1son", "0akhaven"), the underscores of
a signature line ("Signed: ____Deborah Moore____") and the punctuation a speech recogniser writes out ("attending
of record colon Price comma Tamara").
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


def prepare(text: str) -> str:
    """The copy that redaction reads: folded, dot leaders, OCR digits, signature lines and spoken punctuation."""
    return spoken_punctuation(ocr_letters(dot_leaders(fold(text))))


def dot_leaders(text: str) -> str:
    """``text`` with each field's dot leader written as a colon and spaces; same length."""
    if "..." not in text:
        return text
    return _DOT_LEADER.sub(lambda m: m.group(0)[:m.start(2) - m.start()] + ":" + " " * (len(m.group(2)) - 1), text)


# A "1" between small letters or ending a word of them is an "l" ("Wil1iam", "Springfie1d"); a "0" opening a
# capitalised word's place or between small letters is an "O"/"o" ("0akhaven", "Harb0r"). Codes keep their digits:
# a digit next to a capital or another digit ("H1N1", "A1c", "B12", "627O1") is left alone.
_OCR_ONE = re.compile(r"(?<=[A-Za-z][a-z])1(?=[a-z])|(?<=[a-z]{3})1(?![\w])")
_OCR_ZERO_OPENING = re.compile(r"(?<![\w])0(?=[a-z]{3})")
_OCR_ZERO_SMALL = re.compile(r"(?<=[A-Za-z][a-z])0(?=[a-z])")
_OCR_ZERO_CAPITAL = re.compile(r"(?<=[A-Z]{2})0(?=[A-Z])")
# A signature or form line drawn with underscores ("____Deborah Moore____").
_RULE_LINE = re.compile(r"_{2,}")


def ocr_letters(text: str) -> str:
    """``text`` with OCR's digits read back as the letters they stand for, and underscore lines as spaces."""
    if "_" not in text and not any(c in text for c in "01"):
        return text
    text = _OCR_ONE.sub("l", text)
    text = _OCR_ZERO_OPENING.sub("O", _OCR_ZERO_CAPITAL.sub("O", text))
    text = _OCR_ZERO_SMALL.sub("o", text)
    return _RULE_LINE.sub(lambda m: " " * len(m.group()), text)


# Punctuation a speech recogniser wrote out: "comma" is never a clinical word; "colon" is one ("sigmoid colon"),
# so only after a field's label ("attending of record colon", "discharge disposition colon").
_SPOKEN_COMMA = re.compile(r"[ \t]comma(?=[ \t])")
_SPOKEN_COLON = re.compile(r"\b(?:record|name|disposition|physician|attending|surgeon|provider|dictator|facility|"
                           r"hospital|pcp|to|by|birth|number|date|referring|copy|cc)([ \t]colon)(?=[ \t])",
                           re.IGNORECASE)


def spoken_punctuation(text: str) -> str:
    """``text`` with a dictated "comma" and a label's "colon" written as the marks (and spaces); same length."""
    if "comma" not in text and "colon" not in text.lower():
        return text
    text = _SPOKEN_COMMA.sub(lambda m: "," + " " * (len(m.group()) - 1), text)
    return _SPOKEN_COLON.sub(lambda m: m.group()[:m.start(1) - m.start()] + ":" + " " * (len(m.group(1)) - 1), text)
