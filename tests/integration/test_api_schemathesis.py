"""Schemathesis against the OpenAPI document of a live app: generated (valid and invalid) requests to
every operation, and not one answer is a 500.

The app under test is a web process of its own (its own SQLite database, Redis database and queue,
no worker), started from the shared stack's environment: fuzzed connections and syncs never reach
the shared worker or the data other tests look at.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devstack.api_client import flask_cli
from devstack.processes import GENEROUS_RATE_LIMITS, Stack, free_port, run_migrations, start_web

# no_app_db: the fuzzed web process has a SQLite file of its own in every pass, so the PostgreSQL pass
# of make test would only repeat it.
pytestmark = [pytest.mark.integration, pytest.mark.no_app_db]
BUDGET_S = 50


def test_schemathesis_finds_no_server_errors(stack: Stack, tmp_path: Path, output_dir: Path) -> None:
    env = dict(stack.env, DATABASE_URL=f"sqlite:///{tmp_path / 'fuzz.db'}", RQ_QUEUE="schemathesis",
               REDIS_URL=stack.env["REDIS_URL"].rsplit("/", 1)[0] + "/3", **GENEROUS_RATE_LIMITS)
    run_migrations(env, tmp_path / "logs")
    port = free_port()
    web = start_web(env, port, tmp_path / "logs")
    try:
        isolated = Stack(instance_dir=tmp_path, web_port=port)
        isolated.env = env
        user_id = flask_cli(isolated, "create-user", "--organization", "Fuzz", "--role", "admin")
        token = flask_cli(isolated, "create-api-token", user_id)
        st = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 - fixed argv
            [st, "run", f"http://127.0.0.1:{port}/api/v1/openapi.json", "--header", f"Authorization: Bearer {token}",
             "--checks", "not_a_server_error", "--max-examples", "10", "--phases", "examples,coverage,fuzzing",
             "--workers", "1", "--request-timeout", "15", "--generation-database", "none", "--seed", "7",
             "--max-time", str(BUDGET_S - 10), "--no-color", "--warnings", "off"],
            cwd=tmp_path, capture_output=True, text=True, timeout=BUDGET_S + 60, check=False)
        elapsed = time.monotonic() - started
    finally:
        web.stop(grace=3.0)
    (output_dir / "schemathesis.txt").write_text(result.stdout + result.stderr)
    output = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, output
    assert "No issues found" in result.stdout and " generated, " in result.stdout, output
    assert elapsed < BUDGET_S + 15, f"schemathesis took {elapsed:.0f}s"
