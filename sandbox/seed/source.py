"""Locate and read the ACI-BENCH notes and their metadata (CSV files in the repository's data/aci-bench).

The data ships with the repository (CC BY 4.0, attribution in data/README.md), so a clone with nothing
beside it seeds the sandbox. `$REVRX_SHARED_DATA` may name another folder holding `aci-bench/` (or the
CSVs themselves); nothing outside the repository is read otherwise.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from sandbox.config import REPO_ROOT

NOTE_FILES = ("train.csv", "valid.csv")
METADATA_FILES = ("train_metadata.csv", "valid_metadata.csv")


class SeedDataError(RuntimeError):
    """The ACI-BENCH files are missing or unreadable."""


@dataclass(frozen=True)
class NoteRecord:
    source_id: str  # ACI-BENCH encounter_id, e.g. D2N001
    dataset: str
    note: str
    gender: str
    age: str
    first_name: str
    family_name: str
    chief_complaint: str
    secondary: tuple[str, ...]


def data_dir() -> Path:
    override = os.environ.get("REVRX_SHARED_DATA")
    candidates = []
    if override:
        candidates += [Path(override) / "aci-bench", Path(override)]
    candidates.append(REPO_ROOT / "data" / "aci-bench")
    for folder in candidates:
        if (folder / NOTE_FILES[0]).is_file():
            return folder
    tried = ", ".join(str(c) for c in candidates)
    raise SeedDataError(f"ACI-BENCH data not found (looked in {tried}); it ships in the repository's data/aci-bench")


def _read(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as err:
        raise SeedDataError(f"cannot read {path}: {err}") from err


def load_notes(folder: Path | None = None) -> list[NoteRecord]:
    """Every note with its metadata, ordered by ACI-BENCH encounter id (so seeding is deterministic)."""
    folder = folder or data_dir()
    metadata: dict[str, dict[str, str]] = {}
    for name in METADATA_FILES:
        if (folder / name).is_file():
            metadata.update({row["encounter_id"]: row for row in _read(folder / name)})
    records = []
    for name in NOTE_FILES:
        if not (folder / name).is_file():
            continue
        for row in _read(folder / name):
            meta = metadata.get(row["encounter_id"], {})
            records.append(NoteRecord(
                source_id=row["encounter_id"].strip(),
                dataset=row.get("dataset", "").strip(),
                note=row["note"].strip(),
                gender=meta.get("patient_gender", "").strip().lower(),
                age=meta.get("patient_age", "").strip(),
                first_name=meta.get("patient_firstname", "").strip(),
                family_name=meta.get("patient_familyname", "").strip(),
                chief_complaint=meta.get("cc", "").strip(),
                secondary=tuple(s.strip() for s in meta.get("2nd_complaints", "").split(";") if s.strip()),
            ))
    if not records:
        raise SeedDataError(f"no notes in {folder}")
    return sorted(records, key=lambda r: r.source_id)
