"""Integration fixtures shared across modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, sandbox_running
from devstack.smart_launcher import Launcher


@pytest.fixture()
def launcher(stack: Stack) -> Iterator[Launcher]:
    """Drives SMART launches against the shared stack; clears any sandbox fault or launch-context
    switch it set."""
    made = Launcher(stack)
    try:
        yield made
    finally:
        made.faults(None)
        made.context(None)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """A private sandbox EHR for one module (FHIR-library tests that switch faults freely)."""
    with sandbox_running(Path(tmp_path_factory.mktemp("sandbox"))) as proc:
        yield proc


@pytest.fixture(scope="module")
def token(sandbox: SandboxProcess) -> str:
    """An access token for the module's sandbox, minted without the browser flow."""
    response = requests.post(f"{sandbox.base_url}/_admin/tokens", json={}, timeout=5)
    response.raise_for_status()
    value: str = response.json()["access_token"]
    return value


@pytest.fixture()
def no_faults(sandbox: SandboxProcess) -> Iterator[None]:
    """No fault switch before the test, and none left after it."""
    requests.delete(f"{sandbox.base_url}/_admin/faults", timeout=5)
    yield
    requests.delete(f"{sandbox.base_url}/_admin/faults", timeout=5)
