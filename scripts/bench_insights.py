"""The insights page on bench data: sync N sandbox encounters (as scripts/bench_sync.py does), let a
coder decide on every suggested diagnosis as the ACI-BENCH labels say (through the review page's own
endpoints: accept, change to the labelled code, or reject with a reason; see
scripts/replay_learning.py), approve them all, then open the insights page in Chromium: its render
time over HTTP and a screenshot (docs/images/insights-bench.png with --screenshot).

Then, live, what learning does: a second batch of copies is synced and coded after those decisions,
and its marks ("usually rejected here", "coders here usually choose") are checked against the labels.

    .venv/bin/python scripts/bench_insights.py [--encounters 300] [--second 100] [--workers 2] [--screenshot]
"""

from __future__ import annotations

import argparse
import json
import shutil
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

from devstack.api_client import ApiUser, backend_connection  # noqa: E402
from devstack.processes import GENEROUS_RATE_LIMITS, Stack, start_worker  # noqa: E402
from devstack.sandbox_copies import SandboxWriter  # noqa: E402
from devstack.smart_launcher import Launcher  # noqa: E402
from scripts.bench_sync import approve_all  # noqa: E402
from scripts.replay_learning import coder_choice  # noqa: E402

LABELS = ROOT / "data/labels/aci-bench.first.jsonl"
SOURCE_SYSTEM_HINT = "aci"   # the seed's identifier system for the ACI-BENCH encounter id


def labels() -> dict[str, list[str]]:
    return {row["encounter_id"]: row["codes"] for row in map(json.loads, LABELS.read_text().splitlines())}


def aci_ids(stack: Stack) -> dict[str, str]:
    """Sandbox Encounter id → ACI-BENCH encounter id (copies keep the seed's identifier)."""
    found = {}
    for enc in requests.get(f"{stack.sandbox_url}/_admin/resources/Encounter", timeout=60).json():
        for ident in enc.get("identifier", []):
            if str(ident.get("value", "")).startswith("D2N") or SOURCE_SYSTEM_HINT in str(ident.get("system", "")):
                found[enc["id"]] = ident["value"]
    return found


def sync_all(api: ApiUser, connection_id: int, limit: int) -> dict[str, Any]:
    sync = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id, "limit": limit,
                                              "page_size": 100}).json()
    return api.wait_for_sync(sync["id"], timeout=3600)


def ready_encounters(api: ApiUser) -> list[dict[str, Any]]:
    items, page = [], 1
    while True:
        body = api.get("/encounters", status="READY", per_page=100, page=page).json()
        items += body["items"]
        if page >= body["pages"]:
            return items
        page += 1


def decide_all(stack: Stack, api: ApiUser, coder: Launcher, csrf: str, gold: dict[str, list[str]],
               aci: dict[str, str]) -> dict[str, int]:
    counts = {"accepted": 0, "edited": 0, "rejected": 0, "no_label": 0}
    headers = {"HX-Request": "true", "X-CSRFToken": csrf}
    for enc in ready_encounters(api):
        codes = gold.get(aci.get(enc["fhir_encounter_id"] or "", ""))
        if codes is None:
            counts["no_label"] += 1
            continue
        coding = api.get(f"/encounters/{enc['id']}").json()["coding"]
        suggestions = coding["suggestions"] if coding else []
        diagnoses = [s for s in suggestions if s["category"] == "diagnosis"]
        suggested = {s["code"] for s in diagnoses}
        for s in suggestions:
            url = f"{stack.app_url}/suggestions/{s['id']}"
            if s["category"] != "diagnosis":
                coder.http.post(f"{url}/decision", data={"decision": "accept"}, headers=headers, timeout=30)
                continue
            choice = coder_choice(s["code"], s["assertion"], codes, suggested)
            if choice.chosen:
                coder.http.post(f"{url}/code", data={"code": choice.chosen}, headers=headers,
                                timeout=30).raise_for_status()
                counts["edited"] += 1
            elif choice.accepted:
                coder.http.post(f"{url}/decision", data={"decision": "accept"}, headers=headers,
                                timeout=30).raise_for_status()
                counts["accepted"] += 1
            else:
                coder.http.post(f"{url}/decision", data={"decision": "reject", "reason": choice.reason or ""},
                                headers=headers, timeout=30).raise_for_status()
                counts["rejected"] += 1
    return counts


def marks_checked(api: ApiUser, gold: dict[str, list[str]], aci: dict[str, str], before: set[int]) -> dict[str, int]:
    """On encounters coded after the decisions: how many marks learning made, and how many were right."""
    c = {"encounters": 0, "usually_rejected": 0, "usually_rejected_right": 0, "offers": 0, "offers_right": 0}
    for enc in ready_encounters(api):
        if enc["id"] in before:
            continue
        codes = gold.get(aci.get(enc["fhir_encounter_id"] or "", ""))
        coding = api.get(f"/encounters/{enc['id']}").json()["coding"]
        if codes is None or not coding:
            continue
        c["encounters"] += 1
        for s in coding["suggestions"]:
            learned = s.get("learned") or {}
            if learned.get("kind") == "usually_rejected":
                c["usually_rejected"] += 1
                c["usually_rejected_right"] += s["code"] not in codes
            elif learned.get("kind") == "usually_chosen":
                c["offers"] += 1
                c["offers_right"] += learned["code"] in codes
    return c


def page_times(coder: Launcher, stack: Stack, n: int = 10) -> dict[str, float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        coder.http.get(f"{stack.app_url}/insights", timeout=60).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def screenshot(stack: Stack, practitioner: str, path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=["--headless=new", "--no-sandbox", "--disable-gpu"], headless=True)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{stack.app_url}/launch?registration=sandbox")
        page.get_by_test_id("pick-practitioner").select_option(practitioner)
        page.get_by_test_id("approve").click()
        page.wait_for_url(f"{stack.app_url}/**")
        page.goto(f"{stack.app_url}/insights")
        page.screenshot(path=str(path), full_page=True)
        browser.close()


def run(encounters: int, second: int, workers: int, shot: bool) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="revrx-bench-insights-"))
    stack = Stack(instance_dir=workdir, encryption_key=Fernet.generate_key().decode(),
                  extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "bench", **GENEROUS_RATE_LIMITS})
    stack.start()
    extra = [start_worker(stack.env, workdir / f"logs-worker-{n + 2}") for n in range(workers - 1)]
    try:
        sandbox = SandboxWriter(stack.sandbox_url)
        sandbox.grow_to(encounters)
        api = ApiUser(stack, issuer=f"{stack.sandbox_url}/fhir", role="admin")   # its connection: the organization's
        connection = backend_connection(api, stack, "Bench", scope="system/*.rs system/Claim.c")
        first = sync_all(api, connection["id"], encounters)
        gold, aci = labels(), aci_ids(stack)
        practitioner = sandbox.create({"resourceType": "Practitioner", "active": True,
                                       "name": [{"family": "Insights", "given": ["Bench"]}]})
        coder = Launcher(stack)
        coder.standalone("sandbox", practitioner=practitioner, patient="p001")
        queue = coder.http.get(f"{stack.app_url}/", timeout=30).text
        csrf = queue.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
        started = time.monotonic()
        decided = decide_all(stack, api, coder, csrf, gold, aci)
        deciding_s = time.monotonic() - started
        approvals = approve_all(stack, api)
        learned = None
        if second:
            before = {e["id"] for e in ready_encounters(api)}   # left ready (no diagnosis): coded before
            sandbox.grow_to(encounters + second)
            sync_all(api, connection["id"], encounters + second)   # the first batch is skipped as duplicates
            learned = marks_checked(api, gold, aci_ids(stack), before)
        timing = page_times(coder, stack)
        if shot:
            screenshot(stack, practitioner, ROOT / "docs/images/insights-bench.png")
        rules = api.get("/insights").json()["learning"]
        return {"encounters": encounters, "synced": first["processed"], "decisions": decided,
                "deciding_s": round(deciding_s, 1), "approve_selected": approvals,
                "second_batch": second, "learned_marks_on_second_batch": learned,
                "rules": {"usually_rejected": len(rules["usually_rejected"]),
                          "usually_chosen": len(rules["usually_chosen"])},
                "insights_page": timing}
    finally:
        for proc in extra:
            proc.stop(grace=3.0)
        stack.stop(grace=3.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=300)
    parser.add_argument("--second", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--screenshot", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.encounters, args.second, args.workers, args.screenshot)
    out = json.dumps(result, indent=2)
    print(out)
    if args.json:
        args.json.write_text(out + "\n")


if __name__ == "__main__":
    main()
