"""`make bench`: from the click on "Launch RevRX" in the EHR to the suggested codes on screen, in Chromium.

Starts a private stack (sandbox EHR, web app, one worker, the local engine), then for 20 encounters
opens the EHR's launch link in Debian's Chromium (Playwright) and times until the first suggestion is
visible: the SMART redirects, the FHIR reads and coding on the worker, and the page's first look.
Targets: p50 ≤ 0.8 s, p95 ≤ 1.2 s. Prints the figures and writes JSON to
instance/bench/first-look-latest.json.

    .venv/bin/python scripts/bench_first_look.py [--launches 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from devstack.processes import Stack  # noqa: E402

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Visit notes of every length the sandbox seeds (each launched once: a first look, not a cached one).
ENCOUNTERS = [f"e{n:03d}" for n in range(1, 60)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=20)
    args = parser.parse_args()
    seconds: list[float] = []
    redirects: list[float] = []   # click -> the review page's address (SMART redirects, token, user, job queued)
    with Stack(instance_dir=Path(tempfile.mkdtemp(prefix="revrx-bench-")),
               extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "bench"}) as stack, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                     args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{stack.sandbox_url}/ehr/launch/e087", wait_until="load")   # warm-up: browser, app, worker
        for encounter in ENCOUNTERS[: args.launches]:
            started = time.perf_counter()
            page.goto(f"{stack.sandbox_url}/ehr/launch/{encounter}", wait_until="commit")
            page.wait_for_url("**/encounters/*", wait_until="commit")
            redirects.append(time.perf_counter() - started)
            page.locator(".suggestion, [data-testid=coding-failed]").first.wait_for(state="visible", timeout=30_000)
            seconds.append(time.perf_counter() - started)
        browser.close()
    report = {"launches": len(seconds), "p50_s": round(statistics.median(seconds), 3),
              "p95_s": round(percentile(seconds, 0.95), 3), "max_s": round(max(seconds), 3),
              "redirects_p50_s": round(statistics.median(redirects), 3),
              "after_redirects_p50_s": round(statistics.median(
                  s - r for s, r in zip(seconds, redirects, strict=True)), 3),
              "load_average_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
              "each_s": [round(s, 3) for s in seconds], "targets": {"p50_s": 0.8, "p95_s": 1.2}}
    print(f"click → suggestions in Chromium, {report['launches']} launches: p50 {report['p50_s']} s, "
          f"p95 {report['p95_s']} s, max {report['max_s']} s (targets 0.8 / 1.2 s); redirects p50 "
          f"{report['redirects_p50_s']} s, then coding and the first look p50 {report['after_redirects_p50_s']} s; "
          f"load average {report['load_average_1m']} on {report['cpus']} CPUs")
    out = ROOT / "instance" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "first-look-latest.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
