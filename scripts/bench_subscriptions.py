"""Benchmark FHIR Subscriptions (issue 17 item 4): how soon an encounter the EHR finishes is coded, and
whether a burst of notifications loses or double-codes anything.

    .venv/bin/python scripts/bench_subscriptions.py [--encounters 100] [--rate 1] [--workers 2]
                                                    [--burst 1000] [--burst-encounters 250] [--json out.json]

A private stack (Redis, migrations, the sandbox EHR, the web app, W RQ workers, local engine) under a
temporary directory; one Backend Services connection subscribed to the sandbox's "encounter finished"
topic through RevRX's own API (rest-hook, id-only; the handshake makes it active).

1. Latency: N encounters (copies of seeded ones, with their notes, created in progress) are finished in
   the sandbox EHR at `rate` per second (`POST /_admin/encounters/<id>/finish`, the EHR's own workflow).
   For each: seconds from the moment the EHR finished it to its coding run's `finished_at` (suggestions
   ready). Prints p50, p95 and max (target: p95 <= 5 s with 2 workers).
2. Burst: `burst` single-event notifications sent back to back to the webhook (the EHR's delivery order,
   as the sandbox sends them), naming `burst-encounters` encounters several times each, with every tenth
   notification sent twice. Checks: every event recorded and handled (none lost), each encounter coded
   exactly once (none coded twice), every re-sent notification answered 409.

Writes JSON to instance/bench/subscriptions-<time>.json (and subscriptions-latest.json). Exits non-zero
when anything was lost or coded twice.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.api_client import ApiUser, backend_connection  # noqa: E402
from devstack.processes import GENEROUS_RATE_LIMITS, ManagedProcess, Stack, start_worker  # noqa: E402
from devstack.sandbox_copies import SandboxWriter  # noqa: E402

SCOPE = "system/*.rs system/Subscription.cruds"
TOPIC_TAIL = "encounter-finished"
LIKE = ("e010", "e002", "e003", "e004", "e005")   # seeded encounters with notes to copy


def in_progress(writer: SandboxWriter, count: int) -> list[str]:
    """`count` new encounters (copies of seeded ones and their notes) created in progress: nothing fires."""
    originals = {e["id"]: e for e in writer.encounters}
    made = []
    for i in range(count):
        original = originals[LIKE[i % len(LIKE)]]
        made.append(writer.copy_encounter({**original, "status": "in-progress"}))
    return made


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def coded_at(database_url: str, connection_id: int) -> dict[str, list[tuple[str, datetime | None]]]:
    """Per FHIR encounter id: (status, finished_at) of each of its coding runs."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT e.fhir_encounter_id, r.status, r.finished_at FROM encounters e "
            "JOIN coding_runs r ON r.encounter_id = e.id WHERE e.fhir_connection_id = :c"), {"c": connection_id}).all()
    engine.dispose()
    found: dict[str, list[tuple[str, datetime | None]]] = {}
    for fhir_id, status, finished in rows:
        moment = datetime.fromisoformat(str(finished)).replace(tzinfo=UTC) if finished else None
        found.setdefault(str(fhir_id), []).append((str(status), moment))
    return found


def wait_coded(database_url: str, connection_id: int, ids: list[str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    runs: dict[str, list[tuple[str, datetime | None]]] = {}
    while time.monotonic() < deadline:
        runs = coded_at(database_url, connection_id)
        if all(any(s in ("COMPLETE", "FAILED") for s, _ in runs.get(i, [])) for i in ids):
            break
        time.sleep(0.5)
    return runs


def latency(stack: Stack, connection_id: int, writer: SandboxWriter, count: int, rate: float) -> dict[str, Any]:
    ids = in_progress(writer, count)
    finished_at: dict[str, datetime] = {}
    start = time.monotonic()
    for n, eid in enumerate(ids):
        time.sleep(max(0.0, start + n / rate - time.monotonic()))
        finished_at[eid] = datetime.now(UTC)
        requests.post(f"{stack.sandbox_url}/_admin/encounters/{eid}/finish", timeout=30).raise_for_status()
    runs = wait_coded(stack.env["DATABASE_URL"], connection_id, ids, timeout=120)
    seconds, missing, failed = [], [], 0
    for eid in ids:
        done = [m for s, m in runs.get(eid, []) if s == "COMPLETE" and m]
        failed += any(s == "FAILED" for s, _ in runs.get(eid, []))
        if not done:
            missing.append(eid)
            continue
        seconds.append((min(done) - finished_at[eid]).total_seconds())
    return {"encounters": count, "rate_per_s": rate, "coded": len(seconds), "failed": failed,
            "not_coded": len(missing),
            "p50_s": round(statistics.median(seconds), 2) if seconds else None,
            "p95_s": round(pct(seconds, 0.95), 2) if seconds else None,
            "max_s": round(max(seconds), 2) if seconds else None, "target_p95_s": 5.0}


def hook_target(stack: Stack, subscription_id: int) -> tuple[str, str, str, str, int]:
    """(webhook URL, header, secret, EHR subscription id, highest event number) from the app's database."""
    from smartapp.security import crypto

    crypto.configure((stack.env["REVRX_ENCRYPTION_KEY"],))
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as conn:
        row = conn.execute(text("SELECT public_id, header_name, secret, fhir_subscription_id, highest_event_number "
                                "FROM ehr_subscriptions WHERE id = :i"), {"i": subscription_id}).one()
    engine.dispose()
    return (f"{stack.app_url}/hooks/fhir-subscriptions/{row[0]}", str(row[1]), crypto.decrypt(str(row[2])),
            str(row[3]), int(row[4]))


def notification(base: str, sub_id: str, topic: str, number: int, encounter: str) -> bytes:
    status = {"resourceType": "Parameters", "parameter": [
        {"name": "subscription", "valueReference": {"reference": f"{base}/Subscription/{sub_id}"}},
        {"name": "topic", "valueCanonical": topic}, {"name": "status", "valueCode": "active"},
        {"name": "type", "valueCode": "event-notification"},
        {"name": "events-since-subscription-start", "valueString": str(number)},
        {"name": "notification-event", "part": [
            {"name": "event-number", "valueString": str(number)},
            {"name": "timestamp", "valueInstant": datetime.now(UTC).isoformat()},
            {"name": "focus", "valueReference": {"reference": f"{base}/Encounter/{encounter}"}}]}]}
    return json.dumps({"resourceType": "Bundle", "type": "history", "entry": [
        {"fullUrl": "urn:uuid:status", "resource": status},
        {"fullUrl": f"{base}/Encounter/{encounter}", "request": {"method": "PUT", "url": f"Encounter/{encounter}"},
         "response": {"status": "200"}}]}).encode()


def burst(stack: Stack, api: ApiUser, connection_id: int, subscription: dict[str, Any], writer: SandboxWriter,
          count: int, encounters: int) -> dict[str, Any]:
    ids = in_progress(writer, encounters)
    url, header, secret, ehr_sub, highest = hook_target(stack, subscription["id"])
    base = f"{stack.sandbox_url}/fhir"
    http = requests.Session()
    http.headers.update({header: secret, "Content-Type": "application/fhir+json"})
    answers: dict[int, int] = {}
    resent: list[int] = []
    answer_s: list[float] = []
    started = time.monotonic()
    for n in range(1, count + 1):
        number = highest + n
        body = notification(base, ehr_sub, subscription["topic"], number, ids[n % len(ids)])
        t = time.monotonic()
        answers[number] = http.post(url, data=body, timeout=30).status_code
        answer_s.append(time.monotonic() - t)
        if n % 10 == 0:
            resent.append(http.post(url, data=body, timeout=30).status_code)
    sent_s = time.monotonic() - started
    runs = wait_coded(stack.env["DATABASE_URL"], connection_id, ids, timeout=240)
    engine = create_engine(stack.env["DATABASE_URL"])
    query = text("SELECT state, COUNT(*) FROM subscription_events WHERE subscription_id = :s AND event_number > :h "
                 "GROUP BY state")
    states: dict[str, int] = {}
    deadline = time.monotonic() + 60
    with engine.connect() as conn:
        while True:   # until no event waits for its job (or a minute)
            states = {str(k): int(v) for k, v in conn.execute(query, {"s": subscription["id"], "h": highest}).all()}
            if not states.get("queued") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    engine.dispose()
    recorded = sum(states.values())
    per_encounter = [len(runs.get(i, [])) for i in ids]
    return {"notifications": count, "encounters": encounters, "sent_in_s": round(sent_s, 1),
            "answer_ms": {"p50": round(statistics.median(answer_s) * 1000, 1),
                          "p95": round(pct(answer_s, 0.95) * 1000, 1), "max": round(max(answer_s) * 1000, 1)},
            "accepted_202": sum(1 for s in answers.values() if s == 202),
            "resent": len(resent), "resent_answered_409": sum(1 for s in resent if s == 409),
            "events_recorded": recorded, "event_states": states,
            "lost": count - recorded, "encounters_coded": sum(1 for c in per_encounter if c >= 1),
            "coded_twice": sum(1 for c in per_encounter if c > 1)}


def run(count: int, rate: float, workers: int, burst_count: int, burst_encounters: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="revrx-bench-subs-"))
    stack = Stack(instance_dir=workdir, encryption_key=Fernet.generate_key().decode(),
                  extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "bench", **GENEROUS_RATE_LIMITS})
    stack.start()
    extra: list[ManagedProcess] = []
    try:
        for n in range(workers - 1):
            extra.append(start_worker(stack.env, workdir / f"logs-worker-{n + 2}"))
        api = ApiUser(stack)
        connection = backend_connection(api, stack, "Bench subscriptions", scope=SCOPE)
        made = api.post(f"/fhir-connections/{connection['id']}/subscriptions", {"notes": False})
        made.raise_for_status()
        subscription = next(s for s in made.json()["items"] if str(s["topic"]).endswith(TOPIC_TAIL))
        deadline = time.monotonic() + 30
        while api.get(f"/subscriptions/{subscription['id']}").json()["status"] != "active":
            if time.monotonic() > deadline:
                raise SystemExit("the subscription never became active (no handshake)")
            time.sleep(0.2)
        writer = SandboxWriter(stack.sandbox_url)
        lat = latency(stack, connection["id"], writer, count, rate) if count else None
        bur = burst(stack, api, connection["id"], subscription, writer, burst_count, burst_encounters) \
            if burst_count else None
        return {"workers": workers, "latency": lat, "burst": bur, "at": datetime.now(UTC).isoformat()}
    finally:
        for proc in extra:
            proc.stop(grace=3.0)
        stack.stop(grace=3.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=100)
    parser.add_argument("--rate", type=float, default=1.0, help="encounters finished per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--burst-encounters", type=int, default=250)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.encounters, args.rate, args.workers, args.burst, args.burst_encounters)
    out = args.json or ROOT / "instance" / "bench" / f"subscriptions-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    (out.parent / "subscriptions-latest.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    lat, bur = result["latency"], result["burst"]
    if lat:
        print(f"finished -> suggestions ready, {lat['coded']} encounters at {lat['rate_per_s']}/s, "
              f"{result['workers']} workers: p50 {lat['p50_s']} s, p95 {lat['p95_s']} s, max {lat['max_s']} s "
              f"(target p95 <= 5 s)")
    if bur:
        print(f"burst of {bur['notifications']} notifications ({bur['encounters']} encounters): lost {bur['lost']}, "
              f"coded twice {bur['coded_twice']}, re-sent answered 409: {bur['resent_answered_409']}/{bur['resent']}")
    if (bur and (bur["lost"] or bur["coded_twice"])) or (lat and lat["not_coded"]):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
