"""The sandbox EHR alone as a real process, for integration tests of the FHIR library and the sandbox.

    with sandbox_running(tmp_path) as sandbox:
        requests.get(sandbox.fhir_base + "/metadata")

A thin layer over ``devstack.processes.start_sandbox`` (the starter ``Stack`` uses too): it picks a free
port, sets SANDBOX_BASE_URL (so launch.json's sandbox registration and the sandbox agree on the issuer)
and SANDBOX_DB, and returns once ``/_admin/health`` answers. Output goes to ``tmp_dir/sandbox.log`` (a
pipe nobody reads would block the server); a failed start raises StackError with the log's last lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devstack import processes
from devstack.processes import HOST, ManagedProcess, free_port

START_TIMEOUT = 20.0


@dataclass
class SandboxProcess:
    """A running sandbox EHR: its process, base URL and SQLite file."""

    managed: ManagedProcess
    base_url: str
    db_path: Path

    @property
    def fhir_base(self) -> str:
        return f"{self.base_url}/fhir"

    def log(self, lines: int = 200) -> str:
        """The last lines of its output (stdout and stderr)."""
        return self.managed.tail(lines)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL for its whole process group after 5 s. Safe to call twice."""
        self.managed.stop(grace=5.0)


def start_sandbox(tmp_dir: Path, port: int | None = None, env: dict[str, str] | None = None,
                  timeout: float = START_TIMEOUT, server_processes: int = 1) -> SandboxProcess:
    """Start `python -m sandbox` on a free port with its DB in tmp_dir; return once healthy.
    `server_processes` > 1 serves it with that many gunicorn processes (no fault switches then)."""
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    base_url = f"http://{HOST}:{port}"
    # Only an explicit env may choose the DB: a developer's SANDBOX_DB must never leak into tests.
    db_path = Path((env or {}).get("SANDBOX_DB") or tmp_dir / "sandbox.db")
    full_env = {**os.environ, **(env or {})}
    full_env["SANDBOX_BASE_URL"] = base_url
    full_env["SANDBOX_DB"] = str(db_path)
    full_env["PYTHONUNBUFFERED"] = "1"
    managed = processes.start_sandbox(full_env, port, tmp_dir, timeout, processes=server_processes)
    return SandboxProcess(managed, base_url, db_path)


@contextmanager
def sandbox_running(tmp_dir: Path, port: int | None = None, env: dict[str, str] | None = None,
                    server_processes: int = 1) -> Iterator[SandboxProcess]:
    """``start_sandbox`` as a context manager: stopped on exit."""
    proc = start_sandbox(tmp_dir, port=port, env=env, server_processes=server_processes)
    try:
        yield proc
    finally:
        proc.stop()


@contextmanager
def vendor_sandbox_running(stack: processes.Stack, profile: str, tmp_dir: Path) -> Iterator[SandboxProcess]:
    """The `profile` sandbox (epic, oracle) on the port `stack` reserved for it, with the stack's env (so
    launch.json expands the same way in the app and here): launches of sandbox-<profile> reach it."""
    port = stack.release_vendor_port(profile)
    env = {**stack.env, "SANDBOX_PROFILE": profile, "SANDBOX_DB": str(Path(tmp_dir) / f"sandbox-{profile}.db")}
    try:
        # The previous module's sandbox on this port may still be letting go of it.
        processes.wait_port_free(port)
        proc = start_sandbox(Path(tmp_dir), port=port, env=env)
        try:
            yield proc
        finally:
            proc.stop()
    finally:
        stack.hold_vendor_port(profile)
