"""Split redacted text into pieces an external service accepts, and map quotes back to the note.

Chunks end on line breaks where possible (then sentence ends, then a hard cut) and are measured in
UTF-8 bytes because that is how Comprehend Medical counts its limits. Evidence coming back from a
service is located in the redacted text it saw and then mapped to offsets in the ORIGINAL note.
"""
from __future__ import annotations

import re

from ..types import EvidenceSpan
from .base import PreparedNote


def chunks(text: str, max_bytes: int) -> list[tuple[int, str]]:
    """``[(offset, chunk)]`` covering ``text``, each chunk at most ``max_bytes`` UTF-8 bytes."""
    out: list[tuple[int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = pos
        size = 0
        while end < n and size + len(text[end].encode("utf-8")) <= max_bytes:
            size += len(text[end].encode("utf-8"))
            end += 1
        if end < n:
            window = text[pos:end]
            cut = max(window.rfind("\n"), -1)
            if cut < len(window) // 2:
                m = list(re.finditer(r"[.!?]\s", window))
                cut = m[-1].end() - 1 if m and m[-1].end() > len(window) // 2 else cut
            if cut > 0:
                end = pos + cut + 1
        out.append((pos, text[pos:end]))
        pos = end
    return [(o, c) for o, c in out if c.strip()]


def locate(quote: str, prepared: PreparedNote, red_start: int = 0, red_end: int | None = None
           ) -> EvidenceSpan | None:
    """Find a quote in the redacted text (exactly, then ignoring case and spacing) and return the
    matching slice of the original note; None when the quote is not verbatim in the note."""
    red = prepared.redaction.text
    red_end = len(red) if red_end is None else red_end
    quote = quote.strip()
    if not quote:
        return None
    i = red.find(quote, red_start, red_end)
    length = len(quote)
    if i < 0:
        pattern = r"\s+".join(re.escape(w) for w in quote.split())
        m = re.compile(pattern, re.IGNORECASE).search(red, red_start, red_end)
        if m is None:
            return None
        i, length = m.start(), m.end() - m.start()
    start = prepared.redaction.to_original(i)
    end = prepared.redaction.to_original(i + length - 1) + 1
    # A quote ending in a placeholder maps to the end of the redacted original span.
    for s in prepared.redaction.spans:
        if s.start <= end - 1 < s.end:
            end = s.end
    text = prepared.note.text
    return EvidenceSpan(prepared.note.note_id, start, end, text[start:end])
