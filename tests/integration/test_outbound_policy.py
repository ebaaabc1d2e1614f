"""SSRF through FHIR connections (issue 13, item 6), against the running stack: a connection to Redis,
the app itself, a closed port, the cloud metadata address or a private network is refused when saved,
with one message that says nothing about what listens there; a connection stored before the policy
existed is never contacted (the web process checks the address when the socket connects), so neither
its API key nor a signed client assertion leaves RevRX. The sandbox EHR on 127.0.0.1 is reachable
only because the stack allow-lists its host and port (OUTBOUND_ALLOWED_HOSTS)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text

from devstack.api_client import ApiUser, backend_connection
from devstack.processes import Stack, free_port
from smartapp.fhir.outbound import REFUSED_MESSAGE

pytestmark = pytest.mark.integration


class Listener:
    """A TCP server on 127.0.0.1 that records what it is sent and answers like a FHIR server would."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(65536))
                    body = b'{"resourceType": "CapabilityStatement", "fhirVersion": "4.0.1"}'
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    made = Listener()
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def api(stack: Stack) -> ApiUser:
    return ApiUser(stack, role="admin")


def _internal_urls(stack: Stack) -> list[str]:
    redis_port = urlsplit(stack.env["REDIS_URL"]).port
    return [
        f"http://127.0.0.1:{redis_port}/",            # Redis (the job queue, cached tokens)
        f"https://127.0.0.1:{redis_port}/fhir",
        f"{stack.app_url}/api/v1",                    # the app itself
        f"http://127.0.0.1:{free_port()}/fhir",       # a closed port
        "http://169.254.169.254/latest/meta-data",   # cloud metadata
        "https://169.254.169.254/fhir",
        "https://10.20.30.40/fhir",                   # a private network
        "https://[::1]/fhir",
        "https://localhost/fhir",                     # a name that resolves to loopback
        "http://ehr.example.com/fhir",                # plain http outside the allow-list
    ]


def _messages(resp: object) -> set[str]:
    """What a 422 says, from the field errors of the schema check (or the service's detail)."""
    body = resp.json()  # type: ignore[attr-defined]
    errors = body.get("errors") or [{"message": body["detail"]}]
    return {str(e["message"]).removeprefix("Value error, ") for e in errors}


def test_connections_to_internal_addresses_are_refused_when_saved_with_one_message(
        api: ApiUser, stack: Stack) -> None:
    answers: set[str] = set()
    for url in _internal_urls(stack):
        resp = api.post("/fhir-connections", {"name": "probe", "base_url": url, "auth_type": "API_KEY",
                                              "secret": "k"})
        assert resp.status_code == 422, (url, resp.status_code, resp.text)
        answers |= _messages(resp)
        resp = api.post("/fhir-connections", {
            "name": "probe", "base_url": "https://ehr.example.com/fhir", "auth_type": "CLIENT_CREDENTIALS",
            "client_id": "c", "secret": "s", "token_endpoint": url})
        assert resp.status_code == 422, (url, resp.status_code, resp.text)
        answers |= _messages(resp)
    assert answers == {REFUSED_MESSAGE}, "one message for every refused address: it tells nothing about the port"

    sandbox = api.post("/fhir-connections", {"name": "Sandbox", "base_url": f"{stack.sandbox_url}/fhir",
                                             "auth_type": "API_KEY", "secret": "k"})
    assert sandbox.status_code == 201, "the allow-listed sandbox EHR stays reachable over http"
    moved = api.patch(f"/fhir-connections/{sandbox.json()['id']}",
                      {"base_url": f"http://127.0.0.1:{urlsplit(stack.env['REDIS_URL']).port}/"})
    assert moved.status_code == 422 and _messages(moved) == {REFUSED_MESSAGE}


def _store_unchecked(stack: Stack, connection_id: int, **columns: str) -> None:
    """What a connection saved before this policy (or a name that resolves elsewhere now) looks like."""
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.begin() as conn:
        for column, value in columns.items():
            conn.execute(text(f"UPDATE fhir_connections SET {column} = :v WHERE id = :id"),  # noqa: S608
                         {"v": value, "id": connection_id})
    engine.dispose()


def test_a_stored_connection_to_an_internal_address_is_never_contacted(
        api: ApiUser, stack: Stack, listener: Listener) -> None:
    created = api.post("/fhir-connections", {"name": "Legacy", "base_url": f"{stack.sandbox_url}/fhir",
                                             "auth_type": "API_KEY", "secret": "key-never-leaves"})
    assert created.status_code == 201, created.text
    connection_id = created.json()["id"]
    details = set()
    redis_port = urlsplit(stack.env["REDIS_URL"]).port
    for base in (f"http://127.0.0.1:{listener.port}/fhir", f"http://127.0.0.1:{redis_port}/fhir",
                 f"http://127.0.0.1:{free_port()}/fhir"):
        _store_unchecked(stack, connection_id, base_url=base)
        result = api.post(f"/fhir-connections/{connection_id}/test").json()
        assert result["ok"] is False
        details.update(c["detail"] for c in result["checks"] if not c["ok"])
    assert listener.received == [], "the API key was sent to an internal address"
    assert details == {REFUSED_MESSAGE}, "listening HTTP service, Redis and a closed port must look the same"


def test_a_signed_client_assertion_is_never_sent_to_an_internal_token_endpoint(
        api: ApiUser, stack: Stack, listener: Listener) -> None:
    connection = backend_connection(api, stack, "Backend, moved token endpoint")
    _store_unchecked(stack, int(str(connection["id"])),
                     token_endpoint=f"http://127.0.0.1:{listener.port}/token")
    result = api.post(f"/fhir-connections/{connection['id']}/test").json()
    assert result["ok"] is False
    assert result["checks"][0] == {"name": "Authenticate", "ok": False, "detail": REFUSED_MESSAGE}
    assert listener.received == [], "the client assertion was sent to an internal address"
