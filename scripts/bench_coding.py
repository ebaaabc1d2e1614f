"""Benchmark the coding engine: throughput on ~3 KB notes on one core after start-up, and memory.

Runs the local engine (the default) in this one process: start-up (code set and indexes) is timed
separately, then N notes of about 3 KB (slices of the project's visit notes and ACI-BENCH notes) are
coded one encounter at a time. Reports notes per wall second and per CPU second (on a busy machine
the CPU figure is the one to compare with the target), the resident memory after warm-up and its
peak. Also times PHI redaction alone (what the external engines add) and the review page's code
typeahead (ICD-10-CM search as the coder types). Targets (issue 14): at least 120 notes per CPU-second
and at most 300 MB; the typeahead answers in under 20 ms (median).

    .venv/bin/python scripts/bench_coding.py [--notes 300] [--out tests/output/coding_bench.json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.phi_corpus import load_aci  # noqa: E402
from smartapp.coding.codesets import icd10cm  # noqa: E402
from smartapp.coding.phi import redact  # noqa: E402
from smartapp.coding.pipeline import run, warm  # noqa: E402
from smartapp.coding.types import NoteInput  # noqa: E402

NOTE_BYTES = 3072
# What coders type into the code field: words, word starts, code prefixes, abbreviations.
TYPEAHEAD_QUERIES = ("diab", "hypert", "asth", "knee pa", "fractu", "E11.6", "chronic kid", "htn", "I1", "copd")


def _rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6      # KiB on Linux


def corpus(n: int) -> list[str]:
    """``n`` deterministic ~3 KB slices starting at line breaks."""
    texts = [p.read_text() for p in sorted((ROOT / "tests" / "data" / "visit_notes").rglob("*.txt"))]
    texts += [a.text for a in load_aci()]
    blob = "\n\n".join(texts)
    out = []
    for i in range(n):
        start = (i * 7919) % max(1, len(blob) - NOTE_BYTES - 200)
        start = blob.find("\n", start) + 1
        out.append(blob[start:start + NOTE_BYTES])
    return out


def bench(n: int) -> dict[str, Any]:
    # One core: the pipeline is single-threaded; pin to one CPU where the OS allows it.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rss_start = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    warm()
    startup = {"wall_s": round(time.perf_counter() - t0, 2), "cpu_s": round(time.process_time() - c0, 2)}
    notes = corpus(n)
    for i, text in enumerate(notes[:10]):            # warm-up: first-call caches
        run([NoteInput(f"w{i}", text)])
    rss_warm = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    suggestions = 0
    for i, text in enumerate(notes):
        suggestions += len(run([NoteInput(f"n{i}", text)]).suggestions)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    t1, c1 = time.perf_counter(), time.process_time()
    for text in notes:
        redact(text)
    red_wall, red_cpu = time.perf_counter() - t1, time.process_time() - c1
    icd10cm.warm()
    typeahead_ms = []
    for query in TYPEAHEAD_QUERIES:
        t2 = time.perf_counter()
        icd10cm.search(query)
        typeahead_ms.append((time.perf_counter() - t2) * 1000)
    return {
        "engine": "local", "notes": n, "avg_bytes": sum(len(t.encode()) for t in notes) // n,
        "startup": startup, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
        "notes_per_second": round(n / wall, 1), "notes_per_cpu_second": round(n / cpu, 1),
        "ms_per_note_cpu": round(cpu / n * 1000, 2), "suggestions_per_note": round(suggestions / n, 1),
        "redaction_ms_per_note_cpu": round(red_cpu / n * 1000, 2),
        "redaction_notes_per_second": round(n / red_wall, 1),
        "typeahead_ms": {"median": round(sorted(typeahead_ms)[len(typeahead_ms) // 2], 2),
                         "max": round(max(typeahead_ms), 2)},
        "rss_mb": {"start": round(rss_start, 1), "after_warm_up": round(rss_warm, 1),
                   "after_run": round(_rss_mb(), 1), "peak": round(_peak_mb(), 1)},
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=300)
    ap.add_argument("--out", default=str(ROOT / "tests" / "output" / "coding_bench.json"))
    args = ap.parse_args(argv)
    r = bench(args.notes)
    mem = r["rss_mb"]
    print(f"Coding engine (local), {r['notes']} notes of ~{r['avg_bytes']} bytes, one core:")
    print(f"  start-up (code set + indexes, once per process): {r['startup']['wall_s']} s wall, "
          f"{r['startup']['cpu_s']} s CPU")
    print(f"  throughput: {r['notes_per_second']} notes/s wall, {r['notes_per_cpu_second']} notes per CPU-second "
          f"({r['ms_per_note_cpu']} ms CPU per note; target >= 120 per CPU-second)   "
          f"load average {r['load_average'][0]}")
    print(f"  PHI redaction alone (external engines only): {r['redaction_ms_per_note_cpu']} ms CPU per note")
    print(f"  code typeahead: {r['typeahead_ms']['median']} ms median, {r['typeahead_ms']['max']} ms slowest "
          f"of {len(TYPEAHEAD_QUERIES)} searches (target: median < 20 ms)")
    print(f"  memory: RSS {mem['after_warm_up']} MB after warm-up, peak {mem['peak']} MB (target <= 300 MB)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=2))
    print(f"  written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
