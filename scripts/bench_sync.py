"""Benchmark batch sync: sync and code N sandbox encounters with W RQ workers; report encounters per
minute and the time to the last result. With --approve, a coder then selects them all in the work
queue and presses "Approve selected": approvals (accept, Claim built, written back) per minute.

    .venv/bin/python scripts/bench_sync.py [--encounters 1000] [--workers 2] [--approve] [--json out.json]

It starts a private stack (Redis, sandbox EHR, web app, workers) under a temporary directory. The
sandbox seeds 87 encounters; the rest are made in that stack's own sandbox database by POSTing
copies of the seeded Encounters and their notes (DocumentReference / Composition, pointing at the new
Encounter) over FHIR. Then one Backend Services connection syncs them all through the API and every
encounter is coded by its own job with the local engine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.api_client import ApiUser, backend_connection  # noqa: E402
from devstack.processes import GENEROUS_RATE_LIMITS, Stack, start_worker  # noqa: E402
from devstack.sandbox_copies import SandboxWriter  # noqa: E402
from devstack.smart_launcher import Launcher  # noqa: E402


def add_encounters(stack: Stack, wanted: int) -> int:
    """POST copies of seeded encounters (and their notes) until the sandbox holds `wanted`."""
    return SandboxWriter(stack.sandbox_url).grow_to(wanted)


def last_result_times(database_url: str, sync_id: int) -> tuple[float | None, float | None]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT MIN(r.finished_at), MAX(r.finished_at), MIN(s.created_at) FROM sync_items i "
            "JOIN coding_runs r ON r.id = i.coding_run_id JOIN sync_runs s ON s.id = i.sync_run_id "
            "WHERE i.sync_run_id = :id"), {"id": sync_id}).one()
    engine.dispose()
    from datetime import datetime

    def seconds(later: Any) -> float | None:
        if later is None or row[2] is None:
            return None
        parse = datetime.fromisoformat
        return (parse(str(later)).replace(tzinfo=None) - parse(str(row[2])).replace(tzinfo=None)).total_seconds()

    return seconds(row[0]), seconds(row[1])


def approve_all(stack: Stack, api: ApiUser) -> dict[str, Any]:
    """A coder selects every ready encounter, a queue page (200) at a time, and presses "Approve selected";
    timed until the last one is written back."""
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
    started = time.monotonic()
    for chunk in range(0, len(ids), 200):
        launcher.http.post(f"{stack.app_url}/queue/approve", data={"ids": [str(i) for i in ids[chunk:chunk + 200]]},
                           headers={"HX-Request": "true", "X-CSRFToken": csrf}, timeout=120).raise_for_status()
    pressed = time.monotonic() - started
    while api.get("/encounters", status="APPROVING", per_page=1).json()["total"]:
        time.sleep(0.5)
    wall = time.monotonic() - started
    approved = api.get("/encounters", status="APPROVED", per_page=1).json()["total"]
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT error, COUNT(*) FROM claim_submissions WHERE status = 'FAILED' "
                                 "GROUP BY error")).all()
    reasons: dict[str, int] = {str(error): int(count) for error, count in rows}
    engine.dispose()
    return {"selected": len(ids), "approved": approved, "left_ready": len(ids) - approved, "why_not": reasons,
            "requests_s": round(pressed, 1), "time_to_last_write_back_s": round(wall, 1),
            "approvals_per_minute": round(approved / wall * 60, 1) if wall else None}


def run(encounters: int, workers: int, keep: bool, approve: bool = False) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="revrx-bench-sync-"))
    stack = Stack(instance_dir=workdir, encryption_key=Fernet.generate_key().decode(),
                  extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "bench", **GENEROUS_RATE_LIMITS})
    stack.start()
    extra = []
    try:
        for n in range(workers - 1):
            extra.append(start_worker(stack.env, workdir / f"logs-worker-{n + 2}"))
        t0 = time.monotonic()
        added = add_encounters(stack, encounters)
        seeding_s = time.monotonic() - t0
        # The sandbox issuer's organization, so that a coder signed in there can approve what was synced.
        api = ApiUser(stack, issuer=f"{stack.sandbox_url}/fhir")
        connection = backend_connection(api, stack, "Bench", scope="system/*.rs system/Claim.c")
        started = time.monotonic()
        sync = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"], "limit": encounters,
                                                  "page_size": 100}).json()
        summary = api.wait_for_sync(sync["id"], timeout=3600)
        wall = time.monotonic() - started
        first_s, last_s = last_result_times(stack.env["DATABASE_URL"], sync["id"])
        coded = summary["processed"]
        approvals = approve_all(stack, api) if approve else None
        return {
            "encounters_requested": encounters, "workers": workers, "encounters_added_to_sandbox": added,
            "seeding_s": round(seeding_s, 1), "summary": {k: summary[k] for k in (
                "status", "total_found", "new", "queued", "processed", "failed", "pages_fetched")},
            "wall_clock_s": round(wall, 1), "time_to_first_result_s": first_s and round(first_s, 1),
            "time_to_last_result_s": last_s and round(last_s, 1),
            "encounters_per_minute": round(coded / (last_s or wall) * 60, 1),
            "approve_selected": approvals, "workdir": str(workdir) if keep else None,
        }
    finally:
        for proc in extra:
            proc.stop(grace=3.0)
        stack.stop(grace=3.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--keep", action="store_true", help="print the work directory (logs, databases)")
    parser.add_argument("--approve", action="store_true", help="then approve them all from the work queue")
    args = parser.parse_args()
    result = run(args.encounters, args.workers, args.keep, args.approve)
    text_out = json.dumps(result, indent=2)
    print(text_out)
    if args.json:
        args.json.write_text(text_out + "\n")


if __name__ == "__main__":
    main()
