"""FHIR connections against the sandbox EHR over HTTP: every auth type authenticates and reads the
CapabilityStatement, wrong credentials are reported (and kept as last_error), and an expired Backend
Services token is minted again without a refresh token."""

from __future__ import annotations

import pytest
import requests

from devstack.api_client import ApiUser, backend_connection, clear_faults, register_service_client, sync
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api(stack: Stack) -> ApiUser:
    return ApiUser(stack)


def _checks(result: dict[str, object]) -> dict[str, bool]:
    return {c["name"]: c["ok"] for c in result["checks"]}  # type: ignore[attr-defined,index]


def _connection(api: ApiUser, stack: Stack, auth: str, **extra: str) -> dict[str, object]:
    body = {"name": f"Sandbox {auth}", "base_url": f"{stack.sandbox_url}/fhir", "auth_type": auth, **extra}
    resp = api.post("/fhir-connections", body)
    assert resp.status_code == 201, resp.text
    created: dict[str, object] = resp.json()
    return created


def test_every_auth_type_authenticates_and_reports_what_works(api: ApiUser, stack: Stack) -> None:
    secret_client = register_service_client(stack, "client_secret", secret="cs-123")
    basic_user = register_service_client(stack, "basic", secret="pw-123")
    register_service_client(stack, "api_key", secret="key-123")
    connections = [
        backend_connection(api, stack),
        _connection(api, stack, "CLIENT_CREDENTIALS", client_id=secret_client, secret="cs-123",
                    token_endpoint=f"{stack.sandbox_url}/oauth/service-token", scope="system/*.rs"),
        _connection(api, stack, "BASIC", client_id=basic_user, secret="pw-123"),
        _connection(api, stack, "API_KEY", secret="key-123"),
    ]
    for connection in connections:
        result = api.post(f"/fhir-connections/{connection['id']}/test").json()
        checks = _checks(result)
        assert result["ok"] is True, (connection["auth_type"], result)
        assert checks["Authenticate"] and checks["CapabilityStatement"] and checks["Encounter search (live)"]
        assert checks["Claim create (write-back)"] is True
        assert result["fhir_version"] == "4.0.1"
        assert api.get(f"/fhir-connections/{connection['id']}").json()["last_error"] is None


def test_wrong_credentials_fail_the_test_and_are_kept_as_last_error(api: ApiUser, stack: Stack) -> None:
    wrong_key = _connection(api, stack, "API_KEY", secret="not-registered")
    result = api.post(f"/fhir-connections/{wrong_key['id']}/test").json()
    assert result["ok"] is False and _checks(result)["Encounter search (live)"] is False
    assert _checks(result)["CapabilityStatement"] is True, "metadata is public: the report says what does work"
    assert "Encounter search" in api.get(f"/fhir-connections/{wrong_key['id']}").json()["last_error"]

    unknown_client = _connection(api, stack, "BACKEND_SERVICES", client_id="nobody-registered-this",
                                 generate_key="true", scope="system/*.rs")
    result = api.post(f"/fhir-connections/{unknown_client['id']}/test").json()
    assert result["ok"] is False and _checks(result) == {"Authenticate": False}
    assert "refused the credentials" in result["checks"][0]["detail"]


def test_an_expired_backend_token_is_minted_again(api: ApiUser, stack: Stack) -> None:
    patient, (encounter_id,) = SandboxWriter(stack.sandbox_url).fresh_encounters(1)
    connection = backend_connection(api, stack, "Backend, expiring")
    assert api.post(f"/fhir-connections/{connection['id']}/test").json()["ok"] is True   # a token is cached now
    try:
        requests.post(f"{stack.sandbox_url}/_admin/faults", json={"expire_tokens": True}, timeout=10)
        summary = sync(api, connection["id"], patient_ids=[patient])
    finally:
        clear_faults(stack)
    assert summary["status"] == "COMPLETE", summary
    assert (summary["total_found"], summary["new"], summary["processed"], summary["failed"]) == (1, 1, 1, 0)
    encounter = api.get("/encounters", fhir_encounter_id=encounter_id).json()["items"][0]
    assert encounter["status"] == "READY" and encounter["fhir_patient_id"] == patient
