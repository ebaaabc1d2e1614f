"""Measure what learning from decisions does, on decisions derived from gold labels (issue 18 item 2).

The 87 ACI-BENCH notes (data/aci-bench) have ICD-10-CM labels made blind to the engine
(data/labels/aci-bench.first.jsonl). The local engine codes every note; a simulated coder then decides
on each suggested diagnosis as the labels say:
  * a code in the labels: accepted;
  * a code whose 3-character category holds a labelled code the engine did not suggest: changed to
    that code (an edit A -> B, reason-free, as the review page records it);
  * any other code: rejected, with the reason a coder would pick: negated or ruled-out mentions
    "Condition ruled out or negated", history/family mentions "Not addressed at this visit",
    status and encounter Z-codes "Not addressed at this visit", the rest "Not supported by the
    documentation".
The notes are split in two halves by a hash of their id. Rules are learned (smartapp.insights.learning,
exactly as the app does) from one half's decisions and applied to the other half's fresh suggestions;
then the halves swap. Scored on the held-out half only:
  * precision / recall of the codes a coder would keep by following the marks (drop "usually
    rejected", take "coders here usually choose B"), before and after learning;
  * first-listed accuracy (the top suggestion is the labels' first code) before and after;
  * how often a mark or an offer was right.

    .venv/bin/python scripts/replay_learning.py [--min-decisions 5 3 2] [--out tests/output/learning_replay.json]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartapp.coding.codesets import icd10cm  # noqa: E402
from smartapp.coding.pipeline import run  # noqa: E402
from smartapp.coding.types import ICD10CM, CodeSuggestion, NoteInput  # noqa: E402
from smartapp.insights.learning import Decided, adjustments, learn  # noqa: E402

NEGATED, ELSEWHERE = "Condition ruled out or negated", "Not addressed at this visit"
UNSUPPORTED = "Not supported by the documentation"


@dataclass
class Note:
    id: str
    gold: list[str]
    suggested: list[CodeSuggestion]


def _coded(note_id: str, text: str, gold: list[str]) -> Note:
    result = run([NoteInput(note_id, text)])
    return Note(note_id, gold, [s for s in result.suggestions if s.system == ICD10CM])


def load_codiesp(part: str) -> list[Note]:
    """CodiEsp case reports (English) with their gold codes; gold that predates a FY2026 split (R51 →
    R51.9) is read as the billable code the engine can suggest."""
    folder = ROOT / "data/codiesp" / part
    gold: dict[str, list[str]] = {}
    for line in (folder / f"{part}D.tsv").read_text().splitlines():
        doc, code = line.split("\t")[:2]
        code = code.strip().upper()
        if code not in gold.setdefault(doc, []):
            gold[doc].append(code)
    notes = []
    for doc in sorted(gold):
        path = folder / "text_files_en" / f"{doc}.txt"
        if path.exists():
            notes.append(_coded(doc, path.read_text(), gold[doc]))
    for note in notes:
        for s in note.suggested:
            parent = icd10cm.parent(s.code)
            if parent and parent in note.gold and not icd10cm.is_billable(parent):
                note.gold[note.gold.index(parent)] = s.code
    return notes


def load_notes() -> list[Note]:
    csv.field_size_limit(10**9)
    gold = {}
    for line in (ROOT / "data/labels/aci-bench.first.jsonl").read_text().splitlines():
        row = json.loads(line)
        gold[row["encounter_id"]] = row["codes"]
    notes = []
    for name in ("train.csv", "valid.csv"):
        with (ROOT / "data/aci-bench" / name).open() as handle:
            for row in csv.DictReader(handle):
                if row["encounter_id"] in gold:
                    notes.append(_coded(row["encounter_id"], row["note"], gold[row["encounter_id"]]))
    return notes


def coder_choice(code: str, assertion: str, gold: list[str], suggested: set[str]) -> Decided:
    """What a coder following the labels does with one suggested diagnosis."""
    if code in gold:
        return Decided(code, assertion, True)
    sibling = next((g for g in gold if g[:3] == code[:3] and g not in suggested), None)
    if sibling is not None:
        return Decided(code, assertion, True, chosen=sibling)
    if assertion in ("negated", "hypothetical"):
        return Decided(code, assertion, False, NEGATED)
    if assertion in ("historical", "family") or code.startswith("Z"):
        return Decided(code, assertion, False, ELSEWHERE)
    return Decided(code, assertion, False, UNSUPPORTED)


def decide(note: Note) -> list[Decided]:
    suggested = {s.code for s in note.suggested}
    return [coder_choice(s.code, s.assertion, note.gold, suggested) for s in note.suggested]


def half(note_id: str) -> int:
    return hashlib.sha256(note_id.encode()).digest()[0] % 2


def score(notes: list[Note], train: list[Note], min_decisions: int) -> dict[str, int]:
    model = learn([d for n in train for d in decide(n)], min_decisions)
    c = {"tp_before": 0, "fp_before": 0, "tp_after": 0, "fp_after": 0, "gold": 0, "first_before": 0,
         "first_after": 0, "marked": 0, "marked_right": 0, "offered": 0, "offered_right": 0}
    for note in notes:
        gold = set(note.gold)
        c["gold"] += len(gold)
        before = {s.code for s in note.suggested}
        changes = adjustments(note.suggested, model)   # type: ignore[arg-type]
        after: set[str] = set()
        ranked = []
        for i, s in enumerate(note.suggested):
            change = changes.get(i)
            learned = change["learned"] if change else None
            if learned and learned["kind"] == "usually_rejected":
                c["marked"] += 1
                c["marked_right"] += s.code not in gold
                ranked.append(replace(s, rank=change["rank"]))   # type: ignore[index]
                continue
            code = s.code
            if learned and learned["kind"] == "usually_chosen":
                c["offered"] += 1
                c["offered_right"] += learned["code"] in gold
                code = learned["code"]
            after.add(code)
            ranked.append(s)
        c["tp_before"] += len(before & gold)
        c["fp_before"] += len(before - gold)
        c["tp_after"] += len(after & gold)
        c["fp_after"] += len(after - gold)
        first_gold = note.gold[0] if note.gold else None
        top_before = min(note.suggested, key=lambda s: s.rank).code if note.suggested else None
        top_after = min(ranked, key=lambda s: s.rank).code if ranked else None
        c["first_before"] += top_before == first_gold
        c["first_after"] += top_after == first_gold
    return c


def summary(c: dict[str, int], notes: int, rules: int) -> dict[str, float | int]:
    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0
    return {
        "notes_scored": notes, "rules_learned": rules,
        "precision_before": ratio(c["tp_before"], c["tp_before"] + c["fp_before"]),
        "precision_after": ratio(c["tp_after"], c["tp_after"] + c["fp_after"]),
        "recall_before": ratio(c["tp_before"], c["gold"]), "recall_after": ratio(c["tp_after"], c["gold"]),
        "first_listed_before": ratio(c["first_before"], notes), "first_listed_after": ratio(c["first_after"], notes),
        "marked_usually_rejected": c["marked"], "marks_right": c["marked_right"],
        "offers": c["offered"], "offers_right": c["offered_right"], **c,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-decisions", type=int, nargs="+", default=[5, 3, 2])
    parser.add_argument("--out", default=str(ROOT / "tests/output/learning_replay.json"))
    args = parser.parse_args()
    sets = {"aci_bench": load_notes, "codiesp": lambda: load_codiesp("dev") + load_codiesp("train")}
    everything = {name: replay(load(), args.min_decisions) for name, load in sets.items()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(everything, indent=2) + "\n")
    for name, report in everything.items():
        print(f"{name}: {report['decisions']} decisions ({report['accepted']} accepted, {report['edited']} edited, "
              f"{report['rejected']} rejected) on {report['notes']} notes, halves {report['halves']}")
        print("N | rules | precision before -> after | recall before -> after | first-listed before -> after "
              "| marks right | offers right")
        for n, r in report["results"].items():   # type: ignore[attr-defined]
            print(f"{n} | {r['rules_learned']} | {r['precision_before']:.3f} -> {r['precision_after']:.3f} | "
                  f"{r['recall_before']:.3f} -> {r['recall_after']:.3f} | {r['first_listed_before']:.3f} -> "
                  f"{r['first_listed_after']:.3f} | {r['marks_right']}/{r['marked_usually_rejected']} | "
                  f"{r['offers_right']}/{r['offers']}")
    return 0


def replay(notes: list[Note], thresholds: list[int]) -> dict[str, object]:
    halves = [[n for n in notes if half(n.id) == h] for h in (0, 1)]
    decisions = [d for n in notes for d in decide(n)]
    report: dict[str, object] = {
        "notes": len(notes), "halves": [len(h) for h in halves], "decisions": len(decisions),
        "accepted": sum(d.accepted and not d.chosen for d in decisions),
        "edited": sum(bool(d.chosen) for d in decisions), "rejected": sum(not d.accepted for d in decisions),
        "results": {},
    }
    for n in thresholds:
        total: dict[str, int] = {}
        rules = 0
        for held_out, train in ((halves[0], halves[1]), (halves[1], halves[0])):
            counts = score(held_out, train, n)
            model = learn([d for t in train for d in decide(t)], n)
            rules += len(model.rejected) + len(model.chosen)
            for k, v in counts.items():
                total[k] = total.get(k, 0) + int(v)
        report["results"][str(n)] = summary(total, len(notes), rules)   # type: ignore[index]
    return report


if __name__ == "__main__":
    raise SystemExit(main())
