"""Parse the CMS ICD-10-CM tabular XML into a compact in-memory code set.

We read the XML that ships inside the ``simple-icd-10-cm`` package ourselves instead of importing the
package: the package builds a full object tree (about 2 s and 200 MB), while we only need titles,
inclusion terms, Excludes1 notes, the parent link and 7th-character definitions. The official code
list file decides which codes exist (it drops 7th-character combinations the XML would imply but
CMS does not publish).
"""
from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

_CODE_LIST = "code-list-April-2026.txt"
_TABULAR = "icd10c-tabular-April-1-2026.xml"
VERSION = "ICD-10-CM FY2026 (April 1, 2026 update)"


@dataclass(slots=True)
class Entry:
    """One ICD-10-CM code (category, subcategory or extended code), dotless key."""

    code: str
    title: str
    parent: str | None
    billable: bool = False
    includes: tuple[str, ...] = ()
    excludes1: tuple[str, ...] = ()
    seven: dict[str, str] | None = None  # 7th-character definitions declared at this node
    extension: bool = False              # a generated 7th-character code (title = parent + episode)


@dataclass(slots=True)
class RawCodeSet:
    entries: dict[str, Entry] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)


def _notes(elem: ET.Element, tag: str) -> tuple[str, ...]:
    out: list[str] = []
    for sub in elem.findall(tag):
        out.extend((n.text or "").strip() for n in sub.findall("note") if n.text)
    return tuple(out)


def _walk(diag: ET.Element, parent: str | None, seven: dict[str, str] | None, raw: RawCodeSet,
          valid: set[str]) -> None:
    code = (diag.findtext("name") or "").replace(".", "").strip()
    title = (diag.findtext("desc") or "").strip()
    own_seven: dict[str, str] | None = None
    scd = diag.find("sevenChrDef")
    if scd is not None:
        own_seven = {e.attrib["char"]: (e.text or "").strip() for e in scd.findall("extension")}
    entry = Entry(code, title, parent,
                  includes=_notes(diag, "inclusionTerm") + _notes(diag, "includes"),
                  excludes1=_notes(diag, "excludes1"), seven=own_seven)
    raw.entries[code] = entry
    if parent is not None:
        raw.children.setdefault(parent, []).append(code)
    inherited = own_seven or seven
    subs = diag.findall("diag")
    for sub in subs:
        _walk(sub, code, inherited, raw, valid)
    if not subs and inherited:
        # Leaf needing a 7th character: pad with the placeholder X, as CMS does.
        stem = code.ljust(6, "X")
        for char, meaning in inherited.items():
            ext = stem + char
            if ext in valid:
                raw.entries[ext] = Entry(ext, f"{title}, {meaning}", code, extension=True)
                raw.children.setdefault(code, []).append(ext)


def data_dir() -> Path:
    """The package's data folder, found without importing the package (its import parses it all)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or spec.origin is None:
        raise RuntimeError("simple-icd-10-cm is not installed; it provides the ICD-10-CM files")
    return Path(spec.origin).parent / "data"


def load_raw() -> RawCodeSet:
    """Build the code set; about 0.5 s and a few tens of MB, done once per process."""
    base = data_dir()
    valid = {ln.strip() for ln in (base / _CODE_LIST).read_text("utf-8").splitlines()
             if ln.strip() and "-" not in ln}
    raw = RawCodeSet()
    with (base / _TABULAR).open("rb") as fh:
        # Trusted input: the CMS file inside an installed, pinned package (not user data).
        root = ET.parse(fh).getroot()  # noqa: S314
    for chapter in root.iter("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                _walk(diag, None, None, raw, valid)
    # Keep only published codes; a code is billable when it has no published children.
    raw.entries = {c: e for c, e in raw.entries.items() if c in valid}
    for code, entry in raw.entries.items():
        kids = [k for k in raw.children.get(code, ()) if k in raw.entries]
        raw.children[code] = kids
        entry.billable = not kids
    return raw
