"""Turn evidence offsets into what the page shows: quotes per suggestion and highlighted note text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartapp.models import Note, Suggestion


@dataclass(frozen=True)
class Segment:
    text: str
    suggestion_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Quote:
    note_id: int
    start: int
    end: int
    text: str


def _spans(suggestion: Suggestion) -> list[dict[str, Any]]:
    return [e for e in suggestion.evidence if isinstance(e, dict)]


def quotes(suggestion: Suggestion, notes_by_id: dict[int, Note]) -> list[Quote]:
    """The suggestion's evidence as quotes, each phrase once: a note that says "hypertension" three
    times shows one quote (the first); every place stays highlighted in the note."""
    found: list[Quote] = []
    seen: set[str] = set()
    for span in _spans(suggestion):
        note = notes_by_id.get(int(span.get("note_id", -1)))
        start, end = int(span.get("start", 0)), int(span.get("end", 0))
        if note is not None and 0 <= start < end <= len(note.text):
            text = note.text[start:end]
            key = " ".join(text.lower().split())
            if key not in seen:
                seen.add(key)
                found.append(Quote(note.id, start, end, text))
    return found


def highlighted(note: Note, suggestions: list[Suggestion]) -> list[Segment]:
    """Split the note into plain and highlighted segments; overlapping spans share one segment."""
    marks: list[tuple[int, int, int]] = []
    for suggestion in suggestions:
        for span in _spans(suggestion):
            if int(span.get("note_id", -1)) == note.id:
                start, end = int(span.get("start", 0)), int(span.get("end", 0))
                if 0 <= start < end <= len(note.text):
                    marks.append((start, end, suggestion.id))
    cuts = sorted({0, len(note.text), *(m[0] for m in marks), *(m[1] for m in marks)})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        owners = tuple(sorted({sid for s, e, sid in marks if s <= start and end <= e}))
        segments.append(Segment(note.text[start:end], owners))
    return segments
