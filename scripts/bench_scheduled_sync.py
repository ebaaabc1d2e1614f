"""Benchmark the scheduled-sync mode (issue 17 item 4): how long after the EHR finishes an encounter its
suggestions are ready in RevRX, with nobody clicking sync, against the sandbox EHR's `epic` and `oracle`
profiles (neither offers Subscription).

    .venv/bin/python scripts/bench_scheduled_sync.py [--encounters 10] [--spacing 2] [--interval-minutes 0.25]
                                                     [--workers 2] [--json instance/bench/scheduled_sync.json]

A private stack (Redis, migrations, the web app, W workers) and one sandbox per profile start under a
temporary directory. Per profile, one Backend Services connection is made and its schedule switched on:
Oracle reads through Bulk Data (`Group/$export` with `_since`, polled as `Retry-After` says); Epic through
`_lastUpdated` Encounter searches, its backend app registered by the connection's JWK Set URL. Then the EHR
finishes N encounters (copies of e010 and its notes), one every `--spacing` seconds, and the clock runs per
encounter from "finished" until the API shows it READY (coded). Expect the delay to be about half the
interval on average plus the scheduler's look-up (at most 5 s) and the read and coding time: the mode
trades latency for not needing anything from the EHR but reads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.api_client import ApiUser, new_rsa_jwk  # noqa: E402
from devstack.processes import GENEROUS_RATE_LIMITS, Stack, start_worker  # noqa: E402
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running  # noqa: E402
from sandbox.bulk_export import BULK_GROUP_ID  # noqa: E402


def _connection(api: ApiUser, ehr: SandboxProcess, profile: str) -> int:
    client_id = f"bench-{profile}"
    body: dict[str, Any] = {"name": client_id, "base_url": ehr.fhir_base, "auth_type": "BACKEND_SERVICES",
                            "client_id": client_id, "scope": "system/*.rs"}
    register: dict[str, Any] = {"client_id": client_id, "auth": "private_key_jwt", "scope": "system/*.rs"}
    if profile == "epic":   # Epic: a JWK Set URL
        body["generate_key"] = True
        created = api.post("/fhir-connections", body).json()
        register["jwks_url"] = api.get(f"/fhir-connections/{created['id']}").json()["jwks_url"]
    else:
        key = new_rsa_jwk()
        body["secret"] = json.dumps(key.as_dict(private=True))
        register["jwks"] = {"keys": [key.as_dict(private=False)]}
        created = api.post("/fhir-connections", body).json()
    resp = requests.post(f"{ehr.base_url}/_admin/service-clients", json=register, timeout=20)
    resp.raise_for_status()
    if not api.post(f"/fhir-connections/{created['id']}/test").json()["ok"]:
        raise SystemExit(f"the {profile} connection does not work")
    return int(created["id"])


def _run_profile(api: ApiUser, ehr: SandboxProcess, profile: str, count: int, spacing: float,
                 interval: float) -> dict[str, Any]:
    connection = _connection(api, ehr, profile)
    schedule: dict[str, Any] = {"enabled": True, "interval_minutes": interval}
    if profile == "oracle":
        schedule["bulk_group_id"] = BULK_GROUP_ID
    api.http.put(api.url(f"/fhir-connections/{connection}/sync-schedule"), json=schedule, timeout=30).raise_for_status()
    time.sleep(6)   # the first window (reading from "now") has started
    finished: dict[str, float] = {}
    for _ in range(count):
        fid = requests.post(f"{ehr.base_url}/_admin/encounters/e010/finish", json={"copy": True},
                            timeout=20).json()["id"]
        finished[fid] = time.time()
        time.sleep(spacing)
    ready: dict[str, float] = {}
    deadline = time.time() + interval * 60 * 4 + 120
    while len(ready) < len(finished) and time.time() < deadline:
        for fid in finished:
            if fid in ready:
                continue
            items = api.get("/encounters", fhir_encounter_id=fid).json()["items"]
            if items and items[0]["status"] in ("READY", "FAILED"):
                ready[fid] = time.time()
        time.sleep(0.5)
    delays = sorted(ready[f] - finished[f] for f in ready)
    shown = api.get(f"/fhir-connections/{connection}/sync-schedule").json()
    api.http.put(api.url(f"/fhir-connections/{connection}/sync-schedule"), json={"enabled": False}, timeout=30)

    def pct(p: float) -> float:
        return round(delays[min(len(delays) - 1, int(round(p * (len(delays) - 1))))], 2) if delays else float("nan")

    return {"profile": profile, "encounters": count, "ready": len(ready), "interval_s": round(interval * 60),
            "source": shown["source"], "mode": shown["mode"]["mode"], "p50_s": pct(0.5), "p95_s": pct(0.95),
            "max_s": round(max(delays), 2) if delays else None, "mean_s": round(statistics.mean(delays), 2)
            if delays else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=10)
    parser.add_argument("--spacing", type=float, default=2.0, help="seconds between finished encounters")
    parser.add_argument("--interval-minutes", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profiles", default="epic,oracle")
    parser.add_argument("--json", type=Path, default=ROOT / "instance" / "bench" / "scheduled_sync.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scheduled-") as tmp:
        stack = Stack(instance_dir=Path(tmp) / "stack", encryption_key=Fernet.generate_key().decode(),
                      extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "bench", **GENEROUS_RATE_LIMITS})
        stack.start()
        try:
            for _ in range(args.workers - 1):
                stack.processes.append(start_worker(stack.env, stack.log_dir or Path(tmp)))
            api = ApiUser(stack)
            for profile in args.profiles.split(","):
                with vendor_sandbox_running(stack, profile, Path(tmp) / profile) as ehr:
                    result = _run_profile(api, ehr, profile, args.encounters, args.spacing, args.interval_minutes)
                print(json.dumps(result))  # noqa: T201 - a benchmark's report
                results.append(result)
        finally:
            stack.stop(grace=3.0)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "args": {k: str(v) for k, v in vars(args).items()}},
                                    indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
