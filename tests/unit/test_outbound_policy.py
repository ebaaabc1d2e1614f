"""The outbound address policy for FHIR connections (smartapp/fhir/outbound.py) on real sockets: which
addresses are refused, an allow-list entry that opens one host and port only, a name that resolves to
loopback only when the socket connects (DNS rebinding), and a redirect from an allowed server to an
internal one. A refused address is never connected to; the connections page says why beside the form."""

from __future__ import annotations

import html
import http.server
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from smartapp.extensions import db
from smartapp.fhir.outbound import (
    REFUSED_MESSAGE,
    AddressPolicy,
    AddressRefused,
    RefusedAddressError,
    guarded_session,
)
from smartapp.models import FhirConnection
from tests.support.review_data import Browser, Seeded


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str]
    redirect_to: str | None = None

    def do_GET(self) -> None:   # noqa: N802 - http.server's name
        self.hits.append(self.path)
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


def _serve(redirect_to: str | None = None) -> tuple[http.server.HTTPServer, list[str]]:
    hits: list[str] = []
    handler = type("H", (_Handler,), {"hits": hits, "redirect_to": redirect_to})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


@pytest.fixture()
def internal() -> Iterator[tuple[int, list[str]]]:
    server, hits = _serve()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/fhir", "https://127.8.9.10:6379/", "https://[::1]/fhir", "https://[::ffff:127.0.0.1]/",
    "https://169.254.169.254/latest/meta-data", "https://[fd00:ec2::254]/", "https://100.100.100.200/",
    "https://10.0.0.5/fhir", "https://172.16.0.1/", "https://192.168.1.1/", "https://0.0.0.0/",
    "https://localhost/fhir", "http://93.184.216.34/fhir",
])
def test_internal_addresses_and_plain_http_are_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        AddressPolicy().check_url(url)


def test_public_https_passes_and_an_allow_list_entry_opens_one_host_and_port() -> None:
    AddressPolicy().check_url("https://93.184.216.34/fhir")
    policy = AddressPolicy.from_setting("127.0.0.1:5055, ehr.internal.example")
    policy.check_url("http://127.0.0.1:5055/fhir")
    policy.check_url("http://ehr.internal.example:8080/fhir")
    with pytest.raises(AddressRefused):
        policy.check_url("http://127.0.0.1:6379/")


def test_a_name_that_resolves_to_loopback_at_connect_time_is_never_connected_to(
        internal: tuple[int, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, hits = internal
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "ehr.rebind.example":   # public when saved, loopback when connecting
            return real(next(answers), *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    policy = AddressPolicy()
    policy.check_url(f"https://ehr.rebind.example:{port}/fhir")   # what saving a connection checks
    with pytest.raises(RefusedAddressError):
        guarded_session(policy).get(f"https://ehr.rebind.example:{port}/fhir/metadata", timeout=2)
    assert hits == [], "the socket connected to the rebound address"


def test_a_redirect_from_an_allowed_server_to_an_internal_one_is_refused(internal: tuple[int, list[str]]) -> None:
    port, hits = internal
    allowed, allowed_hits = _serve(redirect_to=f"http://127.0.0.1:{port}/secret")
    try:
        policy = AddressPolicy.from_setting(f"127.0.0.1:{allowed.server_address[1]}")
        session = guarded_session(policy)
        with pytest.raises(RefusedAddressError):
            session.get(f"http://127.0.0.1:{allowed.server_address[1]}/fhir/metadata", timeout=2)
        assert allowed_hits == ["/fhir/metadata"] and hits == []
        assert isinstance(RefusedAddressError(), requests.ConnectionError)
    finally:
        allowed.shutdown()
        allowed.server_close()


@pytest.mark.db
def test_the_connections_page_refuses_an_internal_address_with_the_message_beside_the_form(
        app: Flask, seeded: Seeded) -> None:
    browser = Browser(app, seeded.users["admin"])
    browser.page("/connections")
    for url in ("http://127.0.0.1:6379", "https://169.254.169.254/latest"):
        resp = browser.post("/connections", {"name": "Probe", "base_url": url, "auth_type": "API_KEY",
                                             "secret": "k"})
        assert resp.status_code == 422
        assert html.escape(REFUSED_MESSAGE, quote=True) in resp.get_data(as_text=True) \
            or REFUSED_MESSAGE in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FhirConnection)) == 0
