"""A scripted API user of a running stack: makes a user and an API token with the real CLI
(`flask --app wsgi create-user` / `create-api-token`), then calls /api/v1 over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from typing import Any

import requests
from joserfc.jwk import RSAKey

from devstack.processes import ROOT, Stack


def flask_cli(stack: Stack, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=stack.env,
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


class ApiUser:
    def __init__(self, stack: Stack, organization: str | None = None, role: str = "coder",
                 issuer: str | None = None) -> None:
        """`issuer`: join the organisation of that EHR (where its launched users are) instead."""
        self.stack = stack
        org = organization or f"Org {uuid.uuid4().hex[:8]}"
        where = ["--issuer", issuer] if issuer else []
        self.user_id = int(flask_cli(stack, "create-user", "--organization", org, *where, "--role", role))
        self.token = flask_cli(stack, "create-api-token", str(self.user_id))
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def url(self, path: str) -> str:
        return f"{self.stack.app_url}/api/v1{path}"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.url(path), params=params, timeout=30)

    def post(self, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        return self.http.post(self.url(path), json=body if body is not None else {}, timeout=30)

    def patch(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.http.patch(self.url(path), json=body, timeout=30)

    def delete(self, path: str) -> requests.Response:
        return self.http.delete(self.url(path), timeout=30)

    def wait_for_sync(self, sync_id: int, timeout: float = 120.0, until: tuple[str, ...] = ("COMPLETE",
                      "CANCELLED", "FAILED")) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            body = self.get(f"/fhir/syncs/{sync_id}").json()
            if body.get("status") in until:
                return body
            time.sleep(0.3)
        raise AssertionError(f"sync {sync_id} did not finish within {timeout}s: {body}")


def register_service_client(stack: Stack, auth: str, *, secret: str | None = None,
                            jwks: dict[str, Any] | None = None, scope: str = "system/*.rs") -> str:
    """A client registered with the sandbox EHR (sandbox/service_access.py); returns its client id."""
    client_id = f"{auth}-{uuid.uuid4().hex[:8]}"
    body: dict[str, Any] = {"client_id": client_id, "auth": auth, "scope": scope}
    if secret:
        body["secret"] = secret
    if jwks:
        body["jwks"] = jwks
    resp = requests.post(f"{stack.sandbox_url}/_admin/service-clients", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return client_id


def new_rsa_jwk() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"alg": "RS384"}, private=True, auto_kid=True)


def backend_connection(api: ApiUser, stack: Stack, name: str = "Sandbox backend",
                       scope: str = "system/*.rs") -> dict[str, Any]:
    """A SMART Backend Services connection to the sandbox: our key pair, its public half registered
    (allowed `scope`, which the connection also asks for)."""
    key = new_rsa_jwk()
    client_id = register_service_client(stack, "private_key_jwt", jwks={"keys": [key.as_dict(private=False)]},
                                        scope=scope)
    resp = api.post("/fhir-connections", {
        "name": name, "base_url": f"{stack.sandbox_url}/fhir", "auth_type": "BACKEND_SERVICES",
        "client_id": client_id, "secret": json.dumps(key.as_dict(private=True)), "scope": scope})
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


def sync(api: ApiUser, connection_id: int, **criteria: Any) -> dict[str, Any]:
    """Start a sync and wait for it to finish; returns the final summary."""
    started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection_id, **criteria})
    assert started.status_code == 202, started.text
    return api.wait_for_sync(started.json()["id"])


def clear_faults(stack: Stack) -> None:
    requests.delete(f"{stack.sandbox_url}/_admin/faults", timeout=10)
