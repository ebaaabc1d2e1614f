"""Benchmark batch sync and bulk write-back: N sandbox encounters synced and coded by W RQ workers, then
all approved from the work queue ("Approve selected"); rates per minute, CPU time per encounter, and,
over several fresh runs, the spread.

    .venv/bin/python scripts/bench_sync.py [--encounters 1000] [--workers 2] [--runs 1] [--approve]
                                           [--database sqlite|postgresql|both] [--postgres-url URL]
                                           [--sandbox-processes 2] [--json out.json] [--root DIR]

The quiet-machine measurement behind the README's figures (issue 19's "done when": 2 workers, the
local engine, 1,000 encounters synced and coded at >= 2,000 per minute, write-back >= 1,000 per minute,
five fresh runs within 15 % of each other, on SQLite and on PostgreSQL), plus the 1- and 4-worker
points of the scaling curve, with nothing else running on the machine (once:
`psql -h 127.0.0.1 -U postgres -c 'create database revrx_bench'`):

    .venv/bin/python scripts/bench_sync.py --encounters 1000 --workers 1,2,4 --runs 5 --curve-runs 1 \\
        --approve --database both --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/revrx_bench \\
        --json instance/bench/sync.json

About 2 minutes per run, 24 runs. `make bench` runs the same on SQLite, then on PostgreSQL when
BENCH_POSTGRES_URL names a database of its own. The last lines printed are a Markdown table for the
README; use the figures of a run with nothing else on the machine (`uptime` below 0.5 first).

Every run starts a private stack from nothing (Redis, migrations, a sandbox EHR served by
`--sandbox-processes` gunicorn processes, the web app, W workers) under a temporary directory, so each
of the runs is a fresh start-up of the workers. The sandbox seeds 87 encounters; the rest are POSTed
as copies of them and their notes. One Backend Services connection then syncs them all through the
API; every encounter is coded by its own job with the local engine. With --approve, a coder selects
every encounter that is ready in the work queue and presses "Approve selected" (requests of 200), and
the clock runs until the last is written back. On PostgreSQL the database at --postgres-url is emptied
(its `public` schema dropped) before every run: give it a database of its own.

Printed per run and summarised per (database, workers): encounters per minute (first sync request to
last coded result), approvals per minute, and CPU milliseconds per encounter for the workers, the
sandbox EHR, the web app and Redis (read from /proc: unlike wall-clock rates they barely move when
the machine is busy with other work, so they compare code changes on a shared machine). The summary's
spread is (max - min) / min of the runs' rates. `--root DIR` runs the stack from another checkout
(e.g. a `git worktree` of an older commit) for before/after comparisons; use `--sandbox-processes 1`
for a checkout older than the multi-process sandbox.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.api_client import ApiUser, backend_connection  # noqa: E402
from devstack.cpu import group_cpu_seconds  # noqa: E402
from devstack.processes import GENEROUS_RATE_LIMITS, ManagedProcess, Stack, start_worker  # noqa: E402
from devstack.sandbox_copies import SandboxWriter  # noqa: E402
from devstack.smart_launcher import Launcher  # noqa: E402

TARGETS = {"encounters_per_minute": 2000.0, "approvals_per_minute": 1000.0, "spread_pct": 15.0}


class CpuMeter:
    """CPU seconds used by each role (worker, sandbox, web, redis) between `start()` and `stop()`."""

    def __init__(self, processes: list[ManagedProcess]) -> None:
        self.roles = {p.pid: ("worker" if p.name.startswith("worker") else p.name) for p in processes}
        self._before: dict[int, float] = {}

    def start(self) -> None:
        self._before = group_cpu_seconds(self.roles)

    def stop(self, per: int) -> dict[str, float]:
        """Milliseconds per item (`per` items), by role and in total."""
        after = group_cpu_seconds(self.roles)
        used: dict[str, float] = {}
        for pgid, role in self.roles.items():
            used[role] = used.get(role, 0.0) + after[pgid] - self._before.get(pgid, 0.0)
        used["total"] = sum(used.values())
        return {role: round(seconds * 1000 / max(per, 1), 1) for role, seconds in used.items()}


def result_times(database_url: str, sync_id: int) -> tuple[float | None, float | None]:
    """Seconds from the sync's creation to its first and its last coded result."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT MIN(r.finished_at), MAX(r.finished_at), MIN(s.created_at) FROM sync_items i "
            "JOIN coding_runs r ON r.id = i.coding_run_id JOIN sync_runs s ON s.id = i.sync_run_id "
            "WHERE i.sync_run_id = :id"), {"id": sync_id}).one()
    engine.dispose()

    def seconds(later: Any) -> float | None:
        if later is None or row[2] is None:
            return None
        parse = datetime.fromisoformat
        return (parse(str(later)).replace(tzinfo=None) - parse(str(row[2])).replace(tzinfo=None)).total_seconds()

    return seconds(row[0]), seconds(row[1])


def approve_all(stack: Stack, api: ApiUser, meter: CpuMeter | None = None) -> dict[str, Any]:
    """A coder selects every ready encounter, a queue page (200) at a time, and presses "Approve selected";
    timed until the last one is written back (and, with `meter`, the CPU it took)."""
    meter = meter or CpuMeter(list(stack.processes))
    launcher = Launcher(stack)
    practitioner = SandboxWriter(stack.sandbox_url).create(
        {"resourceType": "Practitioner", "active": True, "name": [{"family": "Bench", "given": ["Coder"]}]})
    launcher.standalone("sandbox", practitioner=practitioner, patient="p001")
    queue = launcher.http.get(f"{stack.app_url}/", timeout=30).text
    csrf = queue.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    ids, page = [], 1
    while True:
        body = api.get("/encounters", status="READY", per_page=100, page=page).json()
        ids += [e["id"] for e in body["items"]]
        if page >= body["pages"]:
            break
        page += 1
    meter.start()
    started = time.monotonic()
    for chunk in range(0, len(ids), 200):
        launcher.http.post(f"{stack.app_url}/queue/approve", data={"ids": [str(i) for i in ids[chunk:chunk + 200]]},
                           headers={"HX-Request": "true", "X-CSRFToken": csrf}, timeout=120).raise_for_status()
    pressed = time.monotonic() - started
    while api.get("/encounters", status="APPROVING", per_page=1).json()["total"]:
        time.sleep(0.25)
    wall = time.monotonic() - started
    approved = api.get("/encounters", status="APPROVED", per_page=1).json()["total"]
    cpu = meter.stop(approved)
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT error, COUNT(*) FROM claim_submissions WHERE status = 'FAILED' "
                                 "GROUP BY error")).all()
    reasons: dict[str, int] = {str(error): int(count) for error, count in rows}
    engine.dispose()
    return {"selected": len(ids), "approved": approved, "left_ready": len(ids) - approved, "why_not": reasons,
            "requests_s": round(pressed, 1), "time_to_last_write_back_s": round(wall, 1),
            "approvals_per_minute": round(approved / wall * 60, 1) if wall else None,
            "cpu_ms_per_approval": cpu}


def reset_postgres(url: str) -> None:
    """An empty database for a fresh run (the benchmark's own database: everything in it goes)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(encounters: int, workers: int, *, approve: bool = False, database_url: str | None = None,
        sandbox_processes: int = 2, root: Path = ROOT, keep: bool = False) -> dict[str, Any]:
    """One fresh run: a new stack, N encounters synced and coded (then approved), the stack stopped."""
    workdir = Path(tempfile.mkdtemp(prefix="revrx-bench-sync-"))
    if database_url:
        reset_postgres(database_url)
    stack = Stack(instance_dir=workdir, encryption_key=Fernet.generate_key().decode(), database_url=database_url,
                  sandbox_processes=sandbox_processes, root=root,
                  extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "bench", **GENEROUS_RATE_LIMITS})
    stack.start()
    extra: list[ManagedProcess] = []
    try:
        for n in range(workers - 1):
            extra.append(start_worker(stack.env, workdir / f"logs-worker-{n + 2}", cwd=root))
        meter = CpuMeter([*stack.processes, *extra])
        t0 = time.monotonic()
        added = SandboxWriter(stack.sandbox_url).grow_to(encounters)
        seeding_s = time.monotonic() - t0
        # The sandbox issuer's organization, so that a coder signed in there can approve what was synced;
        # an administrator, whose connection is the organization's (a coder's would be private to them).
        api = ApiUser(stack, issuer=f"{stack.sandbox_url}/fhir", role="admin")
        connection = backend_connection(api, stack, "Bench", scope="system/*.rs system/Claim.c")
        meter.start()
        started = time.monotonic()
        sync = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"], "limit": encounters,
                                                  "page_size": 100}).json()
        summary = api.wait_for_sync(sync["id"], timeout=3600)
        wall = time.monotonic() - started
        coded = summary["processed"]
        cpu = meter.stop(coded)
        first_s, last_s = result_times(stack.env["DATABASE_URL"], sync["id"])
        approvals = approve_all(stack, api, meter) if approve else None
        return {
            "database": "postgresql" if database_url else "sqlite", "encounters_requested": encounters,
            "workers": workers, "sandbox_processes": sandbox_processes, "encounters_added_to_sandbox": added,
            "seeding_s": round(seeding_s, 1), "summary": {k: summary[k] for k in (
                "status", "total_found", "new", "queued", "processed", "failed", "pages_fetched")},
            "wall_clock_s": round(wall, 1), "time_to_first_result_s": first_s and round(first_s, 1),
            "time_to_last_result_s": last_s and round(last_s, 1),
            "encounters_per_minute": round(coded / (last_s or wall) * 60, 1),
            "cpu_ms_per_encounter": cpu,
            "approve_selected": approvals, "workdir": str(workdir) if keep else None,
        }
    finally:
        for proc in extra:
            proc.stop(grace=3.0)
        stack.stop(grace=3.0)
        if not keep:   # 24 runs of 1,000 encounters leave a few GB of databases and logs otherwise
            shutil.rmtree(workdir, ignore_errors=True)


def _spread(values: list[float]) -> float | None:
    return round((max(values) - min(values)) / min(values) * 100, 1) if values and min(values) > 0 else None


def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per (database, workers): median, min and max of each rate, its spread, median CPU per item, and
    (for 2 workers) whether issue 19's targets were met."""
    rows: list[dict[str, Any]] = []
    for key in sorted({(r["database"], r["workers"]) for r in runs}):
        group = [r for r in runs if (r["database"], r["workers"]) == key]
        row: dict[str, Any] = {"database": key[0], "workers": key[1], "runs": len(group)}
        rates: dict[str, Callable[[dict[str, Any]], Any]] = {
            "encounters_per_minute": lambda r: r["encounters_per_minute"],
            "approvals_per_minute": lambda r: (r["approve_selected"] or {}).get("approvals_per_minute"),
        }
        for name, pick in rates.items():
            values = [float(v) for v in map(pick, group) if v is not None]
            if values:
                row[name] = {"median": round(statistics.median(values), 1), "min": min(values),
                             "max": max(values), "spread_pct": _spread(values)}
        roles = sorted({role for r in group for role in r["cpu_ms_per_encounter"]})
        row["cpu_ms_per_encounter"] = {role: round(statistics.median(r["cpu_ms_per_encounter"].get(role, 0.0)
                                                                     for r in group), 1) for role in roles}
        approvals = [r["approve_selected"]["cpu_ms_per_approval"] for r in group if r["approve_selected"]]
        if approvals:
            row["cpu_ms_per_approval"] = {role: round(statistics.median(a.get(role, 0.0) for a in approvals), 1)
                                          for role in sorted({k for a in approvals for k in a})}
        if key[1] == 2:
            row["targets_met"] = _targets_met(row)
        rows.append(row)
    return rows


def _targets_met(row: dict[str, Any]) -> dict[str, bool]:
    met: dict[str, bool] = {}
    for name in ("encounters_per_minute", "approvals_per_minute"):
        if name in row:
            met[f"{name} >= {TARGETS[name]:.0f}"] = row[name]["min"] >= TARGETS[name]
            if row["runs"] >= 5:
                met[f"{name} spread <= {TARGETS['spread_pct']:.0f} %"] = \
                    (row[name]["spread_pct"] or 0.0) <= TARGETS["spread_pct"]
    return met


def table(rows: list[dict[str, Any]]) -> str:
    """The summary as a Markdown table (for the README)."""
    lines = ["| database | workers | runs | encounters/min median (min-max, spread) | approvals/min median "
             "(min-max, spread) | CPU ms per encounter: workers / sandbox / web / total |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        def rate(name: str, row: dict[str, Any] = row) -> str:
            r = row.get(name)
            return f"{r['median']:,.0f} ({r['min']:,.0f}-{r['max']:,.0f}, {r['spread_pct']} %)" if r else "-"
        cpu = row["cpu_ms_per_encounter"]
        lines.append(f"| {row['database']} | {row['workers']} | {row['runs']} | {rate('encounters_per_minute')} | "
                     f"{rate('approvals_per_minute')} | {cpu.get('worker', 0)} / {cpu.get('sandbox', 0)} / "
                     f"{cpu.get('web', 0)} / {cpu.get('total', 0)} |")
    return "\n".join(lines)


def _ints(raw: str) -> list[int]:
    return [int(x) for x in raw.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encounters", type=int, default=1000)
    parser.add_argument("--workers", type=_ints, default=[2], help="worker processes; a list runs each: 1,2,4")
    parser.add_argument("--runs", type=int, default=1, help="fresh runs per database with 2 workers (the target)")
    parser.add_argument("--curve-runs", type=int, help="fresh runs per database for the other worker counts "
                                                       "(default: --runs)")
    parser.add_argument("--approve", action="store_true", help="then approve them all from the work queue")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--postgres-url", help="PostgreSQL database of the benchmark's own (emptied every run)")
    parser.add_argument("--sandbox-processes", type=int, default=2, help="sandbox EHR server processes")
    parser.add_argument("--json", type=Path, help="also write every run and the summary here")
    parser.add_argument("--root", type=Path, default=ROOT, help="run the stack from this checkout")
    parser.add_argument("--keep", action="store_true", help="keep and print the work directories")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in databases and not args.postgres_url:
        parser.error("--postgres-url is needed for PostgreSQL")
    runs: list[dict[str, Any]] = []
    for database in databases:
        for workers in args.workers:
            count = args.runs if workers == 2 or args.curve_runs is None else args.curve_runs
            for n in range(count):
                result = run(args.encounters, workers, approve=args.approve, keep=args.keep,
                             database_url=args.postgres_url if database == "postgresql" else None,
                             sandbox_processes=args.sandbox_processes, root=args.root.resolve())
                runs.append(result)
                approvals = (result["approve_selected"] or {}).get("approvals_per_minute")
                print(f"{database} {workers} workers run {n + 1}/{count}: {result['encounters_per_minute']:,.0f} "
                      f"encounters/min ({result['summary']['processed']} coded, {result['summary']['failed']} failed), "
                      f"CPU ms/encounter {result['cpu_ms_per_encounter']}"
                      + (f"; {approvals:,.0f} approvals/min" if approvals else ""), file=sys.stderr, flush=True)
    summary = summarise(runs)
    out = {"encounters": args.encounters, "runs": runs, "summary": summary}
    print(json.dumps(summary, indent=2))
    print(table(summary))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
