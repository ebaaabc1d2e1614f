"""Fit the confidence calibration table (smartapp/coding/calibration.json) on the ACI-BENCH labels.

The engine runs with its raw confidence on the 87 ACI-BENCH notes; every diagnosis suggestion is
counted under its feature keys (see smartapp/coding/calibration.py) as right (in the first
labeller's codes) or not. The table is checked on the other sets by `make eval` (calibration table
and expected calibration error): fit here, check there.

    .venv/bin/python scripts/calibrate.py [--out smartapp/coding/calibration.json]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartapp.coding import calibration  # noqa: E402
from smartapp.coding.pipeline import run, warm  # noqa: E402
from smartapp.coding.types import ICD10CM, NoteInput  # noqa: E402

LABELS = ROOT / "data" / "labels" / "aci-bench.first.jsonl"
NOTES = [ROOT / "data" / "aci-bench" / "train.csv", ROOT / "data" / "aci-bench" / "valid.csv"]


def fit() -> dict:
    notes = {r["encounter_id"]: r["note"] for path in NOTES for r in csv.DictReader(path.open())}
    gold = {d["encounter_id"]: set(d["codes"]) for d in map(json.loads, LABELS.read_text().splitlines())}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    warm()
    for doc_id in sorted(gold):
        text = notes[doc_id]
        result = run([NoteInput(doc_id, text)], calibrated=False)
        for s in result.suggestions:
            if s.system != ICD10CM or s.category != "diagnosis":
                continue
            right = int(s.code in gold[doc_id])
            for key in ("*", *calibration.keys(s, {doc_id: text})):
                counts[key][0] += right
                counts[key][1] += 1
    return {"fitted_on": "ACI-BENCH train+valid notes, first labeller's codes (data/labels/aci-bench.first.jsonl)",
            "notes": len(gold), "shrink": calibration.SHRINK,
            "counts": {k: v for k, v in sorted(counts.items())}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(calibration.TABLE_PATH))
    args = ap.parse_args()
    data = fit()
    counts = data.pop("counts")
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in counts.items())
    head = json.dumps(data, indent=1)[:-2]
    Path(args.out).write_text(f'{head},\n "counts": {{\n{body}\n }}\n}}\n')
    data["counts"] = counts
    total = data["counts"]["*"]
    print(f"{len(data['counts'])} keys from {total[1]} suggestions ({total[0]} right) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
