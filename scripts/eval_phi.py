"""Measure PHI redaction (smartapp.coding.phi) on ACI-BENCH notes.

1. Patient names: with the patient's first and family name from the ACI-BENCH metadata as the
   demographics deny list (as the app does with the FHIR Patient), every occurrence of either name
   must be redacted.
2. Injected identifiers: the same notes with synthetic identifiers inserted (scripts/phi_corpus.py);
   an identifier counts as redacted only when every letter and digit of it is inside a redacted span.
   Target: at least 99% overall.
3. Clinical content: occurrences of common clinical terms, drug names and measurements (murmur
   grades, strength, pain scores, blood pressure) that must survive redaction, and whether the local
   coding engine still finds the same ICD-10-CM codes in the redacted text.

    .venv/bin/python scripts/eval_phi.py [--out tests/output/phi_eval.json] [--no-coding]

ACI-BENCH: Yim W. et al., Scientific Data 2023, CC BY 4.0 (the repository's data/aci-bench; see data/README.md).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.phi_corpus import AciNote, covered, inject, load_aci, name_occurrences  # noqa: E402
from smartapp.coding.phi import redact  # noqa: E402
from smartapp.coding.types import Demographics  # noqa: E402

# Clinical words and measurements that redaction must leave alone (a fixed list, chosen before
# measuring, plus eponyms: the conditions, drugs and exam findings that recur in outpatient notes).
CLINICAL_TERMS = (
    "hypertension", "diabetes", "heart failure", "atrial fibrillation", "depression", "anxiety", "asthma",
    "copd", "arthritis", "osteoarthritis", "gout", "migraine", "hypothyroidism", "kidney", "reflux",
    "murmur", "edema", "fracture", "sprain", "pneumonia", "infection", "cancer", "stroke", "anemia",
    "obesity", "pain", "cough", "fever", "shortness of breath", "chest pain", "nausea", "dizziness",
    "lisinopril", "metformin", "atorvastatin", "lasix", "furosemide", "insulin", "prednisone", "ibuprofen",
    "tylenol", "aspirin", "albuterol", "omeprazole", "gabapentin", "amoxicillin", "levothyroxine",
    "meloxicam", "flexeril", "carvedilol", "losartan", "norvasc", "amlodipine", "protonix", "zoloft",
    "white blood cell", "blood pressure", "hemoglobin a1c", "a1c", "x-ray", "mri", "ct scan", "echocardiogram",
    "ekg", "ultrasound", "physical therapy", "right knee", "left shoulder", "lower extremities",
    # Eponyms, added after "Cushing's Syndrome" was once taken for a name:
    "cushing's syndrome", "cushing’s syndrome", "parkinson's", "alzheimer's", "crohn's", "hashimoto's",
    "bell's palsy", "raynaud's", "graves' disease", "sjogren's", "addison's", "osgood-schlatter",
)
CLINICAL_PATTERNS = (
    ("murmur/strength grade", re.compile(r"\b[0-6]/[456]\b")),
    ("pain score", re.compile(r"(?<!on )\b\d{1,2}(?:-\d{1,2})?/10\b(?!/)")),
    ("blood pressure", re.compile(r"\b\d{2,3}/\d{2,3}\b(?=\s*(?:mm|,|\.|$))", re.MULTILINE)),
    ("dose", re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|units?|ml)\b", re.IGNORECASE)),
    ("age under 90", re.compile(r"\b[1-8]?\d-year-old\b")),
)


def demographics(note: AciNote) -> Demographics:
    return Demographics(names=(" ".join(note.names),) if note.names else ())


def spans_of(text: str, demo: Demographics | None) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in redact(text, demo).spans]


def measure_names(notes: Sequence[AciNote]) -> dict[str, Any]:
    found = redacted = 0
    missed: list[dict[str, Any]] = []
    for note in notes:
        spans = spans_of(note.text, demographics(note))
        for start, end, _name in name_occurrences(note):
            found += 1
            if covered(spans, start, end, note.text):
                redacted += 1
            else:
                missed.append({"note": note.encounter_id, "offset": start})
    return {"notes": len(notes), "notes_without_names": sum(not n.names for n in notes), "occurrences": found,
            "redacted": redacted, "rate": round(redacted / found, 4) if found else 1.0, "missed": missed}


def measure_injected(notes: Sequence[AciNote], per_note: int = 6, heldout: bool = False) -> dict[str, Any]:
    by_kind: dict[str, list[int]] = {}
    missed: list[dict[str, str]] = []
    for i, note in enumerate(notes):
        inj = inject(note, i, per_note, heldout)
        spans = spans_of(inj.text, demographics(note))
        for ident in inj.identifiers:
            ok = covered(spans, ident.start, ident.end, inj.text)
            row = by_kind.setdefault(ident.kind, [0, 0])
            row[0] += 1
            row[1] += ok
            if not ok:
                line_start = inj.text.rfind("\n", 0, ident.start) + 1
                line_end = inj.text.find("\n", ident.end)
                missed.append({"note": note.encounter_id, "kind": ident.kind, "value": ident.value,
                               "sentence": inj.text[line_start:line_end]})
    total = sum(r[0] for r in by_kind.values())
    done = sum(r[1] for r in by_kind.values())
    kinds = {k: {"injected": n, "redacted": r, "rate": round(r / n, 4)} for k, (n, r) in sorted(by_kind.items())}
    return {"identifiers": total, "redacted": done, "rate": round(done / total, 4) if total else 1.0,
            "by_kind": kinds,
            "missed": missed}


def measure_clinical(notes: Sequence[AciNote], coding: bool = True) -> dict[str, Any]:
    seen = kept = 0
    lost: Counter[str] = Counter()
    by_label: Counter[str] = Counter()
    same_codes = coded = 0
    code_diffs: list[dict[str, Any]] = []
    for note in notes:
        demo = demographics(note)
        red = redact(note.text, demo)
        spans = [(s.start, s.end) for s in red.spans]
        by_label.update(s.label for s in red.spans)
        hits: list[tuple[str, int, int]] = []
        for term in CLINICAL_TERMS:
            hits += [(term, m.start(), m.end()) for m in
                     re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", note.text, re.IGNORECASE)]
        for label, pat in CLINICAL_PATTERNS:
            hits += [(label, m.start(), m.end()) for m in pat.finditer(note.text)]
        for label, start, end in hits:
            seen += 1
            if any(s < end and start < e for s, e in spans):
                lost[f"{label}: {note.text[start:end]}"] += 1
            else:
                kept += 1
        if coding:
            from smartapp.coding.pipeline import run
            from smartapp.coding.types import ICD10CM, NoteInput

            before = {s.code for s in run([NoteInput("n", note.text)]).suggestions if s.system == ICD10CM}
            after = {s.code for s in run([NoteInput("n", red.text)]).suggestions if s.system == ICD10CM}
            coded += 1
            same_codes += before == after
            if before != after:
                code_diffs.append({"note": note.encounter_id, "lost": sorted(before - after),
                                   "gained": sorted(after - before)})
    out: dict[str, Any] = {"occurrences": seen, "kept": kept, "rate": round(kept / seen, 4) if seen else 1.0,
                           "lost": dict(lost.most_common()), "redacted_spans_by_label": dict(by_label)}
    if coding:
        out["coding_same_icd10cm"] = {"notes": coded, "same": same_codes, "differences": code_diffs}
    return out


def measure_people(part: str, one_path_per_note: bool = False) -> dict[str, Any]:
    """Facility names, clinicians in running text and the patient's name (deny list on the EHR path,
    header line on the upload path) in the tests/data/phi part; clinical words that were redacted.
    ``one_path_per_note`` takes the EHR path of every other base note and the upload path of the rest (half the
    work, both paths still scored): the regression floors of parts already tuned on."""
    from scripts.phi_people import build

    notes = build(part)
    if one_path_per_note:       # build() gives each base note's two paths in turn
        notes = [note for i, note in enumerate(notes) if (note.path == "upload") == (i // 2 % 2 == 1)]
    rows: dict[str, list[int]] = {}
    missed: list[dict[str, str]] = []
    clinical_seen = clinical_lost = 0
    lost_terms: Counter[str] = Counter()
    elapsed = 0.0
    for note in notes:
        demo = Demographics(names=(" ".join(note.patient),)) if note.path == "ehr" else None
        t0 = time.process_time()       # CPU time: other processes on the machine do not count
        spans = spans_of(note.text, demo)
        elapsed += time.process_time() - t0
        injected = [(it.start, it.end) for it in note.items if it.kind != "CLINICAL"]
        for it in note.items:
            if it.kind == "CLINICAL":
                for w in re.finditer(r"[A-Za-z][\w'\u2019-]+", it.value):
                    start, end = it.start + w.start(), it.start + w.end()
                    clinical_seen += 1
                    if any(s < end and start < e for s, e in spans):
                        clinical_lost += 1
                        lost_terms[w.group()] += 1
                continue
            row = rows.setdefault(f"{note.path} {it.kind}", [0, 0])
            ok = covered(spans, it.start, it.end, note.text)
            row[0] += 1
            row[1] += ok
            if not ok:
                line_start = note.text.rfind("\n", 0, it.start) + 1
                line_end = note.text.find("\n", it.end)
                missed.append({"note": note.note_id, "path": note.path, "kind": it.kind, "value": it.value,
                               "sentence": note.text[line_start:line_end if line_end >= 0 else None]})
        for term in CLINICAL_TERMS:
            for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", note.text, re.IGNORECASE):
                if any(s < m.end() and m.start() < e for s, e in injected):
                    continue
                clinical_seen += 1
                if any(s < m.end() and m.start() < e for s, e in spans):
                    clinical_lost += 1
                    lost_terms[m.group()] += 1
    kinds = {k: {"items": n, "redacted": r, "rate": round(r / n, 4)} for k, (n, r) in sorted(rows.items())}
    return {"part": part, "notes": len(notes), "by_kind": kinds, "missed": missed,
            "clinical": {"words": clinical_seen, "wrongly_redacted": clinical_lost, "lost": dict(lost_terms)},
            "ms_per_note": round(1000 * elapsed / len(notes), 2)}


def print_people(res: dict[str, Any], verbose: bool = False) -> None:
    print(f"  names and places, {res['part']} part ({res['notes']} notes over both paths; "
          f"{res['ms_per_note']} ms/note):")
    print(f"    {'path and kind':20s} {'items':>6s} {'redacted':>8s} {'rate':>8s}")
    for kind, row in res["by_kind"].items():
        print(f"    {kind:20s} {row['items']:6d} {row['redacted']:8d} {row['rate']:8.2%}")
    cl = res["clinical"]
    print(f"    clinical words wrongly redacted: {cl['wrongly_redacted']} of {cl['words']}"
          + (f" ({', '.join(list(cl['lost'])[:8])})" if cl["lost"] else ""))
    for miss in res["missed"] if verbose else res["missed"][:5]:
        print(f"    missed {miss['path']} {miss['kind']}: {miss['value']!r} in {miss['sentence']!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "tests" / "output" / "phi_eval.json"))
    ap.add_argument("--no-coding", action="store_true", help="skip the coding-engine comparison (3 s start-up)")
    ap.add_argument("--verbose", action="store_true", help="print every missed identifier")
    args = ap.parse_args(argv)
    notes = load_aci()
    t0 = time.perf_counter()
    report: dict[str, Any] = {"names": measure_names(notes), "injected": measure_injected(notes),
                              "injected_heldout_templates": measure_injected(notes, heldout=True),
                              "clinical": measure_clinical(notes, coding=not args.no_coding)}
    report["seconds"] = round(time.perf_counter() - t0, 2)
    n, inj, cl = report["names"], report["injected"], report["clinical"]
    print(f"PHI redaction on ACI-BENCH ({n['notes']} notes, {n['notes_without_names']} without a patient name "
          "in the metadata; CC BY 4.0, Yim et al. 2023)")
    print(f"  patient first/family name occurrences redacted: {n['redacted']}/{n['occurrences']} ({n['rate']:.2%})")
    print(f"  injected synthetic identifiers redacted: {inj['redacted']}/{inj['identifiers']} ({inj['rate']:.2%})")
    print(f"    {'type':12s} {'injected':>8s} {'redacted':>8s} {'rate':>8s}")
    for kind, row in inj["by_kind"].items():
        print(f"    {kind:12s} {row['injected']:8d} {row['redacted']:8d} {row['rate']:8.2%}")
    for miss in inj["missed"] if args.verbose else inj["missed"][:10]:
        print(f"    missed {miss['kind']}: {miss['value']!r} in {miss['sentence']!r}")
    h = report["injected_heldout_templates"]
    print(f"  held-out templates (written after tuning): {h['redacted']}/{h['identifiers']} ({h['rate']:.2%}); "
          + (", ".join(f"{k} {r['rate']:.0%}" for k, r in h["by_kind"].items() if r["rate"] < 1) or "all types 100%"))
    for miss in h["missed"][:5]:
        print(f"    missed {miss['kind']}: {miss['value']!r} in {miss['sentence']!r}")
    print(f"  clinical terms and measurements kept: {cl['kept']}/{cl['occurrences']} ({cl['rate']:.2%})"
          + (f"; lost: {', '.join(list(cl['lost'])[:8])}" if cl["lost"] else ""))
    if "coding_same_icd10cm" in cl:
        c = cl["coding_same_icd10cm"]
        print(f"  local engine finds the same ICD-10-CM codes in redacted text: {c['same']}/{c['notes']} notes")
    from scripts.phi_people import parts

    for part in parts():
        report[f"people_{part}"] = res = measure_people(part)
        print_people(res, args.verbose)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"PHI results written to {out} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
