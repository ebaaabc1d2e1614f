"""ICD-10-CM code set: lookup, billability, resolution to billable codes, typeahead search.

The code set is loaded lazily on first use and cached for the life of the process (about 0.8 s,
then every call is a dict lookup). Public codes are written with a dot (``E11.9``); internally keys
are dotless, as in the CMS files.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._icd10cm_load import VERSION, Entry, RawCodeSet, load_raw

__all__ = ["VERSION", "describe", "is_billable", "is_valid", "normalize", "search", "resolve_billable",
           "with_side", "with_seventh", "needs_seventh", "excludes1", "children", "parent", "warm"]

_CODE_RE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:[0-9A-Z]{1,4})?$")


@lru_cache(maxsize=1)
def _codeset() -> RawCodeSet:
    return load_raw()


def warm() -> None:
    """Load the code set and the search index now (call at worker or web start-up)."""
    _codeset()
    from . import search_index

    search_index.index()


def _key(code: str) -> str:
    return code.strip().upper().replace(".", "")


def normalize(code: str) -> str:
    """``e119`` / ``E119`` / ``E11.9`` -> ``E11.9``; input that is not code-shaped is returned stripped."""
    key = _key(code)
    if not _CODE_RE.match(key):
        return code.strip()
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"


def entry(code: str) -> Entry | None:
    return _codeset().entries.get(_key(code))


def is_valid(code: str) -> bool:
    """True for any published code, billable or not (categories included)."""
    return _key(code) in _codeset().entries


def is_billable(code: str) -> bool:
    """True when the code can go on a claim (a published code with no children)."""
    e = entry(code)
    return bool(e and e.billable)


def describe(code: str) -> str | None:
    """The official short title, or None for an unknown code."""
    e = entry(code)
    return e.title if e else None


def children(code: str) -> list[str]:
    return [normalize(c) for c in _codeset().children.get(_key(code), [])]


def parent(code: str) -> str | None:
    e = entry(code)
    return normalize(e.parent) if e and e.parent else None


def excludes1(code: str) -> list[str]:
    """Excludes1 notes of the code and its ancestors (text, with code ranges in parentheses)."""
    out: list[str] = []
    e = entry(code)
    while e is not None:
        out.extend(e.excludes1)
        e = _codeset().entries.get(e.parent) if e.parent else None
    return out


def needs_seventh(code: str) -> bool:
    """True when the code's children are 7th-character extensions (injuries, some others)."""
    kids = _codeset().children.get(_key(code), [])
    return bool(kids) and all(len(k) == 7 and k.startswith(_key(code).ljust(6, "X")) for k in kids)


def has_more_specific(code: str) -> bool:
    """True for a billable "unspecified" code that has specified billable siblings (a hint to the user)."""
    e = entry(code)
    if e is None or "unspecified" not in e.title.lower() or e.parent is None:
        return False
    return any(k != e.code for k in _codeset().children.get(e.parent, []))


def with_seventh(code: str, char: str) -> str | None:
    """``S52.501`` + ``A`` -> ``S52.501A`` if published."""
    cand = _key(code).ljust(6, "X") + char.upper()
    return normalize(cand) if cand in _codeset().entries else None


def _default_child_score(title: str, code: str) -> tuple[int, int, str]:
    t = title.lower()
    score = 0
    if "without complication" in t or "uncomplicated" in t:
        score += 4
    elif "without" in t or "not elsewhere" in t:
        score += 2
    if "unspecified" in t and "with unspecified" not in t:
        score += 3
    if code.endswith("9"):
        score += 1
    if code.endswith("0") and "other" not in t:
        score += 1
    # Highest score wins; ties go to the lowest code for determinism.
    return (-score, len(code), code)


def resolve_billable(code: str, seventh: str = "A") -> tuple[str, bool] | None:
    """Map any valid code to a billable one.

    Returns ``(billable_code, more_specific_available)``. A non-billable code goes to its most
    "unspecified"/"without complication" descendant (our reading of the default the Index gives);
    codes needing a 7th character get ``seventh`` (initial encounter unless the caller knows better).
    """
    cs = _codeset()
    key = _key(code)
    if key not in cs.entries:
        return None
    if cs.entries[key].billable:
        return normalize(key), has_more_specific(key)
    while not cs.entries[key].billable:
        if needs_seventh(key):
            ext = with_seventh(key, seventh) or with_seventh(key, "A")
            if ext is None:
                return None
            return ext, True
        kids = cs.children[key]
        key = min(kids, key=lambda k: _default_child_score(cs.entries[k].title, k))
    return normalize(key), True


_SIDE_WORDS = {"right": "right", "left": "left", "bilateral": "bilateral"}


def with_side(code: str, side: str) -> str | None:
    """Swap an unspecified-laterality code for its right/left/bilateral sibling, if one exists.

    Works on titles: ``Pain in unspecified knee`` -> ``Pain in right knee``. Returns None when the
    code set has no such sibling (the caller keeps the original code).
    """
    cs = _codeset()
    key = _key(code)
    e = cs.entries.get(key)
    if e is None or side not in _SIDE_WORDS:
        return None
    title = e.title.lower()
    if side in title:
        return normalize(key)
    # Replace each "unspecified" in turn: "sprain of unspecified ligament of unspecified ankle".
    targets = {title[:m.start()] + side + title[m.end():] for m in re.finditer("unspecified", title)}
    if side == "bilateral":
        targets |= {re.sub(r"unspecified (\w+)", r"bilateral \1s", title, count=1),
                    re.sub(r"unspecified (?:ear|eye|side|limb)", "bilateral", title, count=1)}
    targets.discard(title)      # an unchanged title is the unspecified code itself, not a sided one
    # Siblings first, then cousins one level up (e.g. M17.10 -> M17.11; M25.569 -> M25.561).
    pool: list[str] = []
    for anc in (e.parent, cs.entries[e.parent].parent if e.parent and e.parent in cs.entries else None):
        if anc:
            pool.extend(cs.children.get(anc, []))
            for kid in cs.children.get(anc, []):
                pool.extend(cs.children.get(kid, []))
    for cand in pool:
        ct = cs.entries[cand].title.lower()
        if ct in targets and cs.entries[cand].billable:
            return normalize(cand)
    # Same title minus "unspecified side" wording, with the side word somewhere (e.g. "of right ear").
    base_words = set(re.findall(r"[a-z0-9]+", title)) - {"unspecified", "side"}
    for cand in sorted(pool):
        ce = cs.entries[cand]
        cw = set(re.findall(r"[a-z0-9]+", ce.title.lower()))
        if ce.billable and side in cw and cw - {side} == base_words:
            return normalize(cand)
    return None


@lru_cache(maxsize=1024)
def nondisplaced(code: str) -> str | None:
    """The nondisplaced twin of a displaced fracture code (same site, side and 7th character), found by title:
    fractures default to displaced (I.C.19.c.1), the note may say otherwise."""
    cs = _codeset()
    e = cs.entries.get(_key(code))
    if e is None or not e.title.startswith("Displaced "):
        return None
    target = "Nondisplaced " + e.title[len("Displaced "):]
    key = _key(code)
    for cand, ce in cs.entries.items():
        if cand[:3] == key[:3] and len(cand) == len(key) and ce.title == target:
            return normalize(cand)
    return None


def search(query: str, limit: int = 20) -> list[tuple[str, str]]:
    """Typeahead: billable codes by code prefix (``E11``, ``e11.6``) or title words (``diab``)."""
    from . import search_index

    return search_index.search(query, limit)


def all_entries() -> dict[str, Entry]:
    """Dotless code -> entry (read-only use: the term index builds from it)."""
    return _codeset().entries
