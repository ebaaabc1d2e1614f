"""Sequencing: which diagnosis is listed first, and the order of the rest.

Rank 1 is the first-listed diagnosis: a preventive/prenatal encounter reason when present, else the
first condition named in the assessment (clinicians list the main reason for the visit first).
Manifestation codes follow their etiology (N18.x after E11.22/I12/I13, I50.x after I11/I13). Then
conditions from other sections, status Z codes, personal history, family history.
"""
from __future__ import annotations

from .guidelines import Item
from .sections import CODING_KINDS

_ENCOUNTER_FIRST = ("Z00", "Z34", "Z01", "Z02", "Z09", "Z51")
_ETIOLOGY_OF = {"N18": ("E11.22", "E10.22", "I12", "I13"), "I50": ("I11", "I13"),
                "L97": ("E11.621", "E10.621", "E11.622", "E10.622"), "L98.4": ("E11.622", "E10.622"),
                "G89.29": ("M54", "M25.5", "M79.6", "M79.1", "R10", "G44", "M53")}


def _group(it: Item) -> int:
    if it.code.startswith(_ENCOUNTER_FIRST):
        return 0
    if it.assertion == "family":
        return 5
    if it.assertion == "historical":
        return 4
    if it.code.startswith("Z"):
        return 3
    return 1 if it.section in CODING_KINDS else 2


def rank(items: list[Item], note_order: dict[str, int]) -> list[Item]:
    def key(it: Item) -> tuple[int, int, int, str]:
        note_id, start = it.order
        return (_group(it), note_order.get(note_id, 99), start, it.code)

    ordered = sorted(items, key=key)
    for manifest_prefix, etiologies in _ETIOLOGY_OF.items():
        for m in [i for i in ordered if i.code.startswith(manifest_prefix)]:
            anchors = [k for k, i in enumerate(ordered) if i.code.startswith(etiologies)]
            if anchors:
                ordered.remove(m)
                pos = max(k for k, i in enumerate(ordered) if i.code.startswith(etiologies))
                ordered.insert(pos + 1, m)
    return ordered
