"""Scheduled incremental sync against the sandbox EHR's vendor profiles, which offer no Subscription
(issue 17, issue 15 item 11), over real HTTP with the stack's real RQ worker running the scheduler:

- Oracle Health with a Bulk Data group: the EHR finishes three encounters and they are coded without anyone
  starting a sync, read through `Group/$export` with `_since` (polled as Retry-After says);
- Oracle Health without one: its refusal of an Encounter search without a patient turns into one search per
  patient (the schedule's patients); without any patient the schedule says what to configure;
- Epic: the backend app is registered by the connection's JWK Set URL (the epic profile takes no pasted key
  set), and `_lastUpdated` windows of an Encounter search bring the finished encounters in.
The connection's API says which mode is active and why (no Subscription in the CapabilityStatement).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devstack.api_client import ApiUser, new_rsa_jwk
from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running
from sandbox.bulk_export import BULK_GROUP_ID

pytestmark = pytest.mark.integration
EVERY = 0.1   # minutes: a window every 6 s


@pytest.fixture(scope="module")
def oracle(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "oracle", tmp_path_factory.mktemp("oracle")) as proc:
        yield proc


@pytest.fixture(scope="module")
def epic(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "epic", tmp_path_factory.mktemp("epic")) as proc:
        yield proc


def _register(ehr: SandboxProcess, client_id: str, **keys: Any) -> requests.Response:
    return requests.post(f"{ehr.base_url}/_admin/service-clients", timeout=20,
                         json={"client_id": client_id, "auth": "private_key_jwt", "scope": "system/*.rs", **keys})


def _connection(api: ApiUser, ehr: SandboxProcess, client_id: str, **extra: Any) -> dict[str, Any]:
    resp = api.post("/fhir-connections", {"name": f"{client_id}", "base_url": ehr.fhir_base,
                                          "auth_type": "BACKEND_SERVICES", "client_id": client_id,
                                          "scope": "system/*.rs", **extra})
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def _pasted_key_connection(api: ApiUser, ehr: SandboxProcess, client_id: str) -> dict[str, Any]:
    key = new_rsa_jwk()
    assert _register(ehr, client_id, jwks={"keys": [key.as_dict(private=False)]}).status_code == 201
    return _connection(api, ehr, client_id, secret=json.dumps(key.as_dict(private=True)))


def _schedule(api: ApiUser, connection_id: int, **body: Any) -> dict[str, Any]:
    resp = api.http.put(api.url(f"/fhir-connections/{connection_id}/sync-schedule"), json=body, timeout=30)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def _finish(ehr: SandboxProcess, count: int, like: str = "e010") -> list[str]:
    return [requests.post(f"{ehr.base_url}/_admin/encounters/{like}/finish", json={"copy": True},
                          timeout=20).json()["id"] for _ in range(count)]


def _wait_coded(api: ApiUser, fhir_ids: list[str], timeout: float = 90.0) -> dict[str, str]:
    deadline, seen = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        for fid in fhir_ids:
            items = api.get("/encounters", fhir_encounter_id=fid).json()["items"]
            if items:
                seen[fid] = items[0]["status"]
        if len(seen) == len(fhir_ids) and all(s == "READY" for s in seen.values()):
            return seen
        time.sleep(1.0)
    raise AssertionError(f"not all coded within {timeout}s: {seen}")


def test_oracle_finished_encounters_code_themselves_through_bulk_data(api_user: ApiUser,
                                                                     oracle: SandboxProcess) -> None:
    connection = _pasted_key_connection(api_user, oracle, "scheduled-bulk")
    assert api_user.post(f"/fhir-connections/{connection['id']}/test").json()["ok"] is True
    shown = _schedule(api_user, connection["id"], enabled=True, interval_minutes=EVERY, bulk_group_id=BULK_GROUP_ID)
    assert shown["mode"]["mode"] == "scheduled"
    assert "this server's CapabilityStatement offers no Subscription" in shown["mode"]["reason"]
    assert "Group/" + BULK_GROUP_ID + "/$export" in shown["mode"]["reason"]
    finished = _finish(oracle, 3)
    assert _wait_coded(api_user, finished) == dict.fromkeys(finished, "READY")
    after = api_user.get(f"/fhir-connections/{connection['id']}/sync-schedule").json()
    assert after["source"] == "bulk" and after["last_error"] is None
    window = api_user.get(f"/fhir/syncs/{after['last_sync_id']}").json()
    assert window["criteria"]["scheduled"] is True and window["criteria"]["source"] == "bulk"
    assert api_user.get(f"/fhir-connections/{connection['id']}").json()["sync_mode"]["mode"] == "scheduled"
    _schedule(api_user, connection["id"], enabled=False)
    # A manual sync by date, which Oracle refuses as an Encounter search, reads through the group too.
    started = api_user.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                      "date_from": "2000-01-01", "limit": 5})
    assert started.status_code == 202, started.text
    manual = api_user.wait_for_sync(started.json()["id"])
    assert manual["status"] == "COMPLETE" and manual["criteria"]["source"] == "bulk", manual
    assert manual["total_found"] == 5   # (seeded encounters whose only note is a Composition fail coding on Oracle)


def test_oracle_without_a_group_searches_per_patient(api_user: ApiUser, oracle: SandboxProcess) -> None:
    connection = _pasted_key_connection(api_user, oracle, "scheduled-patients")
    _schedule(api_user, connection["id"], enabled=True, interval_minutes=EVERY)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:   # no patient known yet: the schedule says what to configure
        shown = api_user.get(f"/fhir-connections/{connection['id']}/sync-schedule").json()
        if shown["last_error"] or shown["source"] == "patients":
            break
        time.sleep(1)
    assert "Encounter search without a patient" in (shown["last_error"] or "") + (shown["source_reason"] or "")
    encounters = requests.get(f"{oracle.base_url}/_admin/resources/Encounter", timeout=20).json()
    patient = next(e for e in encounters if e["id"] == "e010")["subject"]["reference"].rsplit("/", 1)[-1]
    _schedule(api_user, connection["id"], patient_ids=[patient])
    finished = _finish(oracle, 2)
    assert _wait_coded(api_user, finished) == dict.fromkeys(finished, "READY")
    assert api_user.get(f"/fhir-connections/{connection['id']}/sync-schedule").json()["source"] == "patients"
    _schedule(api_user, connection["id"], enabled=False)


def test_epic_registers_the_jwks_url_and_lastupdated_windows_code_new_encounters(
        api_user: ApiUser, epic: SandboxProcess) -> None:
    connection = _connection(api_user, epic, "scheduled-epic", generate_key=True)
    shown = api_user.get(f"/fhir-connections/{connection['id']}").json()
    jwks_url = shown["jwks_url"]
    assert jwks_url and jwks_url.endswith(".json")
    served = requests.get(jwks_url, timeout=10).json()
    assert served == shown["public_jwks"] and "d" not in served["keys"][0], "public halves only, at a stable URL"
    assert _register(epic, "scheduled-epic", jwks=served).status_code == 400, "Epic takes no pasted key set"
    assert _register(epic, "scheduled-epic", jwks_url=jwks_url).status_code == 201
    assert api_user.post(f"/fhir-connections/{connection['id']}/test").json()["ok"] is True
    _schedule(api_user, connection["id"], enabled=True, interval_minutes=EVERY)
    finished = _finish(epic, 3)
    assert _wait_coded(api_user, finished) == dict.fromkeys(finished, "READY")
    after = api_user.get(f"/fhir-connections/{connection['id']}/sync-schedule").json()
    assert after["mode"]["mode"] == "scheduled" and after["source"] in ("search", "bulk")
    _schedule(api_user, connection["id"], enabled=False)


@pytest.fixture(scope="module")
def api_user(stack: Stack) -> ApiUser:
    return ApiUser(stack)
