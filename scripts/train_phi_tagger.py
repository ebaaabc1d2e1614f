"""Train the names-and-places tagger (smartapp/coding/phi_tagger.py) on the synthetic PHI parts.

Every note of each training part (tests/data/phi, built by scripts/phi_people.py, upload path: the header and
the body) is split into tokens; a token inside an inserted facility is FAC, inside a clinician's or the
patient's name PER, anything else (the base note, the clinical sentences, departments) O. An averaged
perceptron learns from them in a few passes, reading its own earlier labels as it goes (as it will at run
time), and the averaged weights that matter are written to smartapp/coding/phi_data/tagger.json.gz.

    .venv/bin/python scripts/train_phi_tagger.py [--last-part 61] [--epochs 5]

Parts after ``--last-part`` are left out, so that they can score the tagger as text it never saw
(``make eval``, docs/phi-scores.md).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.phi_people import DATA, _fill, build, parts  # noqa: E402
from smartapp.coding import phi_tagger  # noqa: E402
from smartapp.coding.phi_fold import prepare  # noqa: E402

_KIND_LABEL = {"FACILITY": "FAC", "CLINICIAN": "PER", "PATIENT": "PER"}


Example = tuple[list[list[str]], list[int]]


def example(text: str, items: list[tuple[str, int, int]]) -> Example:
    """(features without the label history, gold label index per token) of one text; items are (kind, start, end)."""
    text = prepare(text)
    toks = phi_tagger.tokens(text)
    words = [text[s:e] for s, e in toks]
    gold = [0] * len(toks)
    for kind, start, end in items:
        label = _KIND_LABEL.get(kind)
        if label is None:
            continue
        for j, (s, e) in enumerate(toks):
            if s < end and start < e:
                gold[j] = phi_tagger.LABELS.index(label)
    return phi_tagger.contexts(text, toks, words), gold


def examples(part: str) -> list[Example]:
    """The part's notes as built for scoring (upload path: the EHR path is the same body without the header)."""
    return [example(note.text, [(it.kind, it.start, it.end) for it in note.items])
            for note in build(part) if note.path == "upload"]


def _variant(value: str, rng: random.Random) -> str:
    """How people write a name down: mostly as given, sometimes in lowercase or capitals."""
    roll = rng.random()
    return value.lower() if roll < 0.12 else value.upper() if roll < 0.2 else value


def mixed(names: list[str], seed: int = 20261207) -> list[Example]:
    """Every part's templates filled with the names of every other part: the tagger learns the slot and the name
    apart, not the pairs one writer happened to put together. Pseudo-notes of twelve sentences."""
    rng = random.Random(seed)  # noqa: S311 (training data)
    specs = [json.loads((DATA / f"{name}.json").read_text()) for name in names]
    facilities = [f for spec in specs for f in spec["facilities"]]
    clinicians = [c for spec in specs for c in spec["clinicians"]]
    patients = [p for spec in specs for p in spec["patients"]]
    sentences: list[tuple[str, list[tuple[str, int, int]]]] = []

    def add(template: str, values: dict[str, tuple[str, str]]) -> None:
        text, items = _fill(template, values)
        sentences.append((text, [(it.kind, it.start, it.end) for it in items]))

    for spec in specs:
        for template in spec["facility_templates"]:
            for _ in range(3):
                add(template, {"FAC": (_variant(rng.choice(facilities), rng), "FACILITY")})
        for template in spec["clinician_templates"]:
            for _ in range(2):
                first, last = rng.choice(clinicians)
                add(template, {"F": (first, "CLINICIAN"), "L": (last, "CLINICIAN"),
                               "DEPT": (rng.choice(spec["departments"]), ""),
                               "MI": (rng.choice("ABCDEFGHJKLMNPRSTW"), "")})
        for template in spec["header_templates"] + spec["patient_body_templates"]:
            first, last = rng.choice(patients)
            add(template, {"PF": (first, "PATIENT"), "PL": (last, "PATIENT"), "PFU": (first.upper(), "PATIENT"),
                           "PLU": (last.upper(), "PATIENT"), "MRN": (str(rng.randint(1000000, 9999999)), ""),
                           "DOB": (f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(1935, 2005)}", ""),
                           "SEX": (rng.choice("FM"), ""), "AGE": (str(rng.randint(18, 88)), ""),
                           "MI": (rng.choice("ABCDEFGHJKLMNPRSTW"), "")})
        for sentence in spec["clinical_sentences"]:
            sentences.append((sentence, []))
    rng.shuffle(sentences)
    out = []
    for k in range(0, len(sentences), 12):
        text, items = "", []
        for sentence, found in sentences[k:k + 12]:
            items += [(kind, len(text) + s, len(text) + e) for kind, s, e in found]
            text += sentence + "\n\n"
        out.append(example(text, items))
    return out


class Perceptron:
    """Averaged perceptron over sparse string features, three classes, with lazy averaging."""

    def __init__(self) -> None:
        self.w: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.total: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.stamp: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.clock = 0

    def predict(self, feats: list[str]) -> int:
        sc = [0.0, 0.0, 0.0]
        for f in feats:
            row = self.w.get(f)
            if row is not None:
                sc[0] += row[0]
                sc[1] += row[1]
                sc[2] += row[2]
        return max(range(3), key=lambda k: sc[k])

    def update(self, feats: list[str], gold: int, guess: int) -> None:
        for f in feats:
            row, tot, st = self.w[f], self.total[f], self.stamp[f]
            for c, delta in ((gold, 1.0), (guess, -1.0)):
                tot[c] += (self.clock - st[c]) * row[c]
                st[c] = self.clock
                row[c] += delta

    def averaged(self) -> dict[str, list[float]]:
        out = {}
        for f, row in self.w.items():
            tot, st = self.total[f], self.stamp[f]
            avg = [(tot[c] + (self.clock - st[c]) * row[c]) / max(self.clock, 1) for c in range(3)]
            if max(abs(a) for a in avg) >= 0.001:
                out[f] = [round(a, 3) for a in avg]
        return out


def train(data: list[Example], epochs: int, seed: int = 20261207) -> dict[str, list[float]]:
    model = Perceptron()
    rng = random.Random(seed)  # noqa: S311 (the order of training, not a secret)
    order = list(range(len(data)))
    for epoch in range(epochs):
        rng.shuffle(order)
        wrong = seen = 0
        for k in order:
            feats, gold = data[k]
            prev, prev2 = "<s>", "<s>"
            for i, f in enumerate(feats):
                full = phi_tagger.with_history(f, prev, prev2)
                guess = model.predict(full)
                model.clock += 1
                if guess != gold[i]:
                    model.update(full, gold[i], guess)
                    wrong += 1
                seen += 1
                prev2, prev = prev, phi_tagger.LABELS[guess]
        print(f"  epoch {epoch + 1}: {wrong} of {seen} tokens wrong ({wrong / seen:.3%})", flush=True)
    return model.averaged()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--last-part", type=int, default=61, help="train on tune, heldout and heldout2..N")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "smartapp" / "coding" / "phi_data" / "tagger.json.gz")
    args = ap.parse_args(argv)
    t0 = time.time()
    data = [ex for part in parts(args.last_part) for ex in examples(part)] + mixed(parts(args.last_part))
    print(f"{len(data)} notes, {sum(len(g) for _, g in data)} tokens ({time.time() - t0:.0f} s)", flush=True)
    weights = train(data, args.epochs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:      # mtime 0: the same weights give the same bytes
        fh.write(json.dumps({"trained_on": parts(args.last_part), "epochs": args.epochs, "labels": phi_tagger.LABELS,
                             "weights": dict(sorted(weights.items()))}, separators=(",", ":")).encode())
    print(f"{len(weights)} features written to {args.out} ({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
