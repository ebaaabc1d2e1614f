"""Issue 13 item 13: when the EHR's token endpoint is slow or down, the person is told that — not "ask
your administrator to check the app registration" (a timed-out token request said so) or "your
session has expired" (a refresh the EHR failed to answer said so). A refusal still says what it did."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smartapp.smart import oauth_client
from smartapp.smart.registry import Registration, load_registry


@pytest.fixture()
def registration(tmp_path: Path) -> Registration:
    path = tmp_path / "launch.json"
    path.write_text(json.dumps({"app": {"base_url": "http://app"}, "registrations": [{
        "id": "ehr", "name": "EHR", "iss": "http://ehr.test/fhir", "client_id": "revrx", "client_auth": "public",
        "scopes": ["launch"], "launch_url": "http://app/launch", "redirect_uris": ["http://app/callback"]}]}))
    registry = load_registry(path, env={})
    found = registry.by_id("ehr")
    assert found is not None
    return found


@pytest.fixture()
def silent_port() -> Iterator[int]:
    """A server that accepts the connection and never answers (a hung token endpoint)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield int(listener.getsockname()[1])
    listener.close()


def _answering(status: int, body: dict[str, str]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:   # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/token"


def test_a_token_request_that_times_out_says_the_ehr_is_slow(registration: Registration, silent_port: int) -> None:
    with pytest.raises(oauth_client.TokenRequestError) as caught:
        oauth_client.exchange_code(registration, f"http://127.0.0.1:{silent_port}/token", code="c",
                                   code_verifier="v" * 43, timeout=0.5)
    message = caught.value.user_message
    assert caught.value.unavailable and "did not answer in time" in message
    assert "registration" not in message


def test_a_token_endpoint_error_is_not_blamed_on_the_registration(registration: Registration) -> None:
    server, url = _answering(503, {"error": "temporarily_unavailable"})
    try:
        with pytest.raises(oauth_client.TokenRequestError) as caught:
            oauth_client.exchange_code(registration, url, code="c", code_verifier="v" * 43)
    finally:
        server.shutdown()
    assert caught.value.unavailable and "HTTP 503" in caught.value.user_message
    assert "registration" not in caught.value.user_message


def test_a_refused_code_still_points_at_the_registration(registration: Registration) -> None:
    server, url = _answering(400, {"error": "invalid_client"})
    try:
        with pytest.raises(oauth_client.TokenRequestError) as caught:
            oauth_client.exchange_code(registration, url, code="c", code_verifier="v" * 43)
    finally:
        server.shutdown()
    assert not caught.value.unavailable and "registration" in caught.value.user_message


def test_a_refresh_the_ehr_failed_to_answer_is_not_called_an_expired_session(registration: Registration,
                                                                            ) -> None:
    server, url = _answering(500, {"error": "server_error"})
    try:
        with pytest.raises(oauth_client.TokenRequestError) as caught:
            oauth_client.refresh(registration, url, "refresh-token")
    finally:
        server.shutdown()
    assert caught.value.unavailable and "expired" not in caught.value.user_message
