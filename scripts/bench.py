"""`make bench`: how many requests and how much wall time one launch's FHIR reads take.

Starts a private sandbox EHR with 50 ms injected latency per request, then reads several encounters
(every note shape that costs extra requests) four ways:

- `revinclude`: `fetch_encounter_context` on a server declaring `_revinclude` (the sandbox as is);
- `batch`: the same on a server without `_revinclude` but with `batch` (sandbox switch `no_revinclude`);
- `separate`: the same on a server with neither (`no_revinclude` + `no_batch`);
- `naive`: a baseline that asks for one resource per request, one after the other.

"Rounds" is the number of sequential round trips: the longest chain of requests in which each one
starts after the previous one ended (overlapping requests count once). With 50 ms latency, wall
time is roughly rounds × 50 ms. Each cell is the repeat with the median wall time. Prints a table
and writes JSON to instance/bench/fhir-<time>.json (and instance/bench/fhir-latest.json). Exits
non-zero if a `_revinclude` launch needs more than 3 rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.processes import free_port, start_sandbox  # noqa: E402
from smartapp.fhir.client import FhirClient  # noqa: E402
from smartapp.fhir.context import fetch_encounter_context  # noqa: E402
from smartapp.fhir.references import reference_id  # noqa: E402

LATENCY_MS = 50
REPEATS = 5
MAX_REVINCLUDE_ROUNDS = 3
# (encounter, what it holds)
ENCOUNTERS = [
    ("e001", "Composition"),
    ("e002", "inline text"),
    ("e060", "Binary text"),
    ("e066", "2 attachments"),
    ("e075", "5 documents"),
    ("e078", "note + Binary"),
]
MODES: dict[str, dict[str, Any]] = {
    "revinclude": {},
    "batch": {"no_revinclude": True},
    "separate": {"no_revinclude": True, "no_batch": True},
    "naive": {},
}


class TimingAdapter(HTTPAdapter):
    """Records (start, end) of every HTTP exchange, from any thread."""

    def __init__(self) -> None:
        super().__init__(pool_maxsize=16)
        self.spans: list[tuple[float, float]] = []
        self._lock = threading.Lock()

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        start = time.perf_counter()
        try:
            return super().send(request, *args, **kwargs)
        finally:
            with self._lock:
                self.spans.append((start, time.perf_counter()))


def sequential_rounds(spans: list[tuple[float, float]]) -> int:
    """Length of the longest chain of non-overlapping requests (the critical path)."""
    ordered = sorted(spans, key=lambda s: s[1])
    depth: list[int] = []
    for i, (start, _end) in enumerate(ordered):
        before = [depth[j] for j in range(i) if ordered[j][1] <= start]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


def naive_fetch(client: FhirClient, encounter_id: str) -> int:
    """One request per resource, each after the previous: what a straightforward client does."""
    encounter = client.read("Encounter", encounter_id)
    patient_id = reference_id(encounter.get("subject"), "Patient")
    if patient_id:
        client.read("Patient", patient_id)
        client.search("Coverage", {"patient": patient_id})
    for participant in encounter.get("participant") or []:
        practitioner_id = reference_id(participant.get("individual"), "Practitioner")
        if practitioner_id:
            client.read("Practitioner", practitioner_id)
    notes = 0
    for note_type in ("DocumentReference", "Composition", "DiagnosticReport"):
        for listed in client.search(note_type, {"encounter": encounter_id, "_elements": "id"}):
            document = client.read(note_type, str(listed["id"]))
            notes += 1
            forms = [c.get("attachment") or {} for c in document.get("content") or []]
            for attachment in forms + list(document.get("presentedForm") or []):
                if attachment.get("url"):
                    client.read_binary(attachment["url"], attachment.get("contentType") or "*/*")
    return notes


@dataclass
class Measurement:
    mode: str
    encounter: str
    shape: str
    notes: int
    requests: int
    rounds: int
    wall_ms: float
    max_rounds: int = 0  # the worst of the repeats (thread scheduling can stretch a chain)


def measure(fhir_base: str, token: str, mode: str, encounter: str, shape: str) -> Measurement:
    runs = []
    for _ in range(REPEATS):
        adapter = TimingAdapter()
        session = requests.Session()
        session.mount("http://", adapter)
        client = FhirClient(fhir_base, token, session=session)
        started = time.perf_counter()
        if mode == "naive":
            notes = naive_fetch(client, encounter)
        else:
            ctx = fetch_encounter_context(client, encounter)
            notes = len(ctx.notes) + len(ctx.skipped)
        wall = (time.perf_counter() - started) * 1000
        runs.append(Measurement(mode, encounter, shape, notes, client.requests_made,
                                sequential_rounds(adapter.spans), round(wall, 1)))
        session.close()
    typical = sorted(runs, key=lambda r: r.wall_ms)[len(runs) // 2]
    typical.max_rounds = max(r.rounds for r in runs)
    return typical


def switch(base_url: str, body: dict[str, Any] | None) -> None:
    requests.delete(f"{base_url}/_admin/faults", timeout=10).raise_for_status()
    if body:
        requests.post(f"{base_url}/_admin/faults", json=body, timeout=10).raise_for_status()


def run_all(base_url: str) -> list[Measurement]:
    token = requests.post(f"{base_url}/_admin/tokens", json={}, timeout=10).json()["access_token"]
    results = []
    for mode, switches in MODES.items():
        switch(base_url, {**switches, "latency_ms": LATENCY_MS})
        for encounter, shape in ENCOUNTERS:
            results.append(measure(f"{base_url}/fhir", token, mode, encounter, shape))
    switch(base_url, None)
    return results


def table(results: list[Measurement]) -> str:
    lines = [f"FHIR reads per launch, {LATENCY_MS} ms injected latency per request (median of {REPEATS})", "",
             f"{'encounter':<10}{'holds':<15}" + "".join(f"{m:>24}" for m in MODES),
             f"{'':<25}" + "".join(f"{'req / rounds / ms':>24}" for _ in MODES)]
    for encounter, shape in ENCOUNTERS:
        cells = []
        for mode in MODES:
            m = next(r for r in results if r.mode == mode and r.encounter == encounter)
            cells.append(f"{m.requests:>10} / {m.rounds:>2} / {m.wall_ms:>6.0f}")
        lines.append(f"{encounter:<10}{shape:<15}" + "".join(f"{c:>24}" for c in cells))
    lines.append("")
    for mode in MODES:
        mine = [r for r in results if r.mode == mode]
        requests_mean = statistics.mean(r.requests for r in mine)
        wall_mean = statistics.mean(r.wall_ms for r in mine)
        lines.append(f"{mode:<11} mean {requests_mean:5.1f} requests, max {max(r.rounds for r in mine)} rounds, "
                     f"mean {wall_mean:6.0f} ms")
    return "\n".join(lines)


def main() -> int:
    out_dir = Path(os.environ.get("REVRX_INSTANCE_DIR") or ROOT / "instance") / "bench"
    with tempfile.TemporaryDirectory(prefix="revrx-bench-") as tmp:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "SANDBOX_BASE_URL": base_url, "SANDBOX_DB": str(Path(tmp) / "sandbox.db"),
               "PYTHONPATH": str(ROOT)}
        sandbox = start_sandbox(env, port, Path(tmp) / "logs")
        try:
            results = run_all(base_url)
        finally:
            sandbox.stop(grace=3.0)
    print(table(results))
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {"latency_ms": LATENCY_MS, "repeats": REPEATS, "measured_at": stamp,
              "results": [asdict(r) for r in results]}
    for name in (f"fhir-{stamp}.json", "fhir-latest.json"):
        (out_dir / name).write_text(json.dumps(report, indent=2))
    print(f"\nwrote {out_dir / f'fhir-{stamp}.json'}")
    worst = max(r.max_rounds for r in results if r.mode == "revinclude")
    if worst > MAX_REVINCLUDE_ROUNDS:
        print(f"FAIL: a _revinclude launch took {worst} sequential round trips (limit {MAX_REVINCLUDE_ROUNDS})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
