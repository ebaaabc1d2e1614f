"""The sandbox EHR served by several processes (`python -m sandbox --processes 2`, as `make run` and the
sync benchmark start it): a backend app registered through one process is known to all, searches and
writes work across them, and switches that would hold in one process only are refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devstack.sandbox_process import SandboxProcess, sandbox_running

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db]


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with sandbox_running(Path(tmp_path_factory.mktemp("sandbox2")), server_processes=2) as proc:
        yield proc


def test_a_client_registered_in_one_process_is_known_to_every_process(two_processes: SandboxProcess) -> None:
    base = two_processes.base_url
    body = {"client_id": "basic-shared", "auth": "basic", "secret": "s3cret", "scope": "system/*.rs system/*.c"}
    assert requests.post(f"{base}/_admin/service-clients", json=body, timeout=10).status_code == 201
    for _ in range(40):   # a new connection each time: gunicorn hands them to either process
        resp = requests.get(f"{two_processes.fhir_base}/Encounter", params={"patient": "p001"},
                            auth=("basic-shared", "s3cret"), timeout=10, headers={"Connection": "close"})
        assert resp.status_code == 200, resp.text
        assert all(e["resource"]["subject"]["reference"] == "Patient/p001" for e in resp.json()["entry"])
    created = requests.post(f"{two_processes.fhir_base}/Encounter", auth=("basic-shared", "s3cret"), timeout=10,
                            json={"resourceType": "Encounter", "status": "planned", "class": {"code": "AMB"},
                                  "subject": {"reference": "Patient/p001"}},
                            headers={"Content-Type": "application/fhir+json"})
    assert created.status_code == 201, created.text
    found = requests.get(f"{two_processes.fhir_base}/Encounter", params={"patient": "p001", "status": "planned"},
                         auth=("basic-shared", "s3cret"), timeout=10).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [created.json()["id"]]


def test_switches_kept_in_one_process_are_refused(two_processes: SandboxProcess) -> None:
    resp = requests.post(f"{two_processes.base_url}/_admin/faults", json={"latency_ms": 100}, timeout=10)
    assert resp.status_code == 409 and "single-process" in resp.json()["error"]
    resp = requests.post(f"{two_processes.base_url}/_admin/oauth/context", json={"encounter": "omit"}, timeout=10)
    assert resp.status_code == 409
