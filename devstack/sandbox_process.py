"""Run the sandbox EHR as a real subprocess for integration and browser tests.

    with sandbox_running(tmp_path) as sandbox:
        requests.get(sandbox.fhir_base + "/metadata")

`start_sandbox` picks a free port, sets SANDBOX_BASE_URL (so launch.json's sandbox registration and
the sandbox agree on the issuer) and SANDBOX_DB, starts `python -m sandbox`, and waits for
`/_admin/health`. Output goes to files in `tmp_dir` (a pipe nobody reads would block the server);
a failed start raises with the process's stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from devstack.processes import ROOT, free_port

START_TIMEOUT = 20.0


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    db_path: Path
    stdout_path: Path
    stderr_path: Path

    @property
    def fhir_base(self) -> str:
        return f"{self.base_url}/fhir"

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _wait_healthy(proc: SandboxProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process.poll() is not None:
            raise RuntimeError(
                f"sandbox exited with {proc.process.returncode} before it was healthy:\n{proc.stderr()}"
            )
        try:
            if requests.get(f"{proc.base_url}/_admin/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    proc.stop()
    raise RuntimeError(f"sandbox not healthy after {timeout:.0f}s:\n{proc.stderr()}")


def start_sandbox(tmp_dir: Path, port: int | None = None, env: dict[str, str] | None = None,
                  timeout: float = START_TIMEOUT) -> SandboxProcess:
    """Start `python -m sandbox` on a free port with its DB in tmp_dir; return once healthy."""
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Only an explicit env may choose the DB: a developer's SANDBOX_DB must never leak into tests.
    db_path = Path((env or {}).get("SANDBOX_DB") or tmp_dir / "sandbox.db")
    full_env = {**os.environ, **(env or {})}
    full_env["SANDBOX_BASE_URL"] = base_url
    full_env["SANDBOX_DB"] = str(db_path)
    full_env["PYTHONUNBUFFERED"] = "1"
    stdout_path, stderr_path = tmp_dir / "sandbox.stdout.log", tmp_dir / "sandbox.stderr.log"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(port),
             "--db", str(db_path)],
            cwd=ROOT, env=full_env, stdout=out, stderr=err,
        )
    proc = SandboxProcess(process, base_url, db_path, stdout_path, stderr_path)
    _wait_healthy(proc, timeout)
    return proc


@contextmanager
def sandbox_running(tmp_dir: Path, port: int | None = None,
                    env: dict[str, str] | None = None) -> Iterator[SandboxProcess]:
    proc = start_sandbox(tmp_dir, port=port, env=env)
    try:
        yield proc
    finally:
        proc.stop()
