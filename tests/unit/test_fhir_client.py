"""FhirClient against a real local HTTP server speaking (and sometimes failing at) FHIR JSON."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirAuthError, FhirError
from smartapp.fhir.records import AccessRecord
from smartapp.fhir.retry import parse_retry_after

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"
TOKEN = "secret-token-abc"
Reply = tuple[int, dict[str, str], bytes]


def fhir(status: int, resource: dict[str, Any], **headers: str) -> Reply:
    return status, {"Content-Type": "application/fhir+json", **headers}, json.dumps(resource).encode()


class Stub:
    """A tiny FHIR-ish server: per (method, path) a queue of replies; the last one repeats."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply | Callable[[dict[str, Any]], Reply]]] = {}
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                path, _, query = self.path.partition("?")
                req = {
                    "method": self.command,
                    "path": path,
                    "query": query,
                    "headers": dict(self.headers),
                    "body": self.rfile.read(length) if length else b"",
                }
                stub.requests.append(req)
                queue = stub.routes.get((self.command, path))
                if not queue:
                    reply: Reply = fhir(404, {"resourceType": "OperationOutcome", "issue": []})
                else:
                    item = queue.pop(0) if len(queue) > 1 else queue[0]
                    reply = item(req) if callable(item) else item
                status, headers, body = reply
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def on(self, method: str, path: str, *replies: Reply | Callable[[dict[str, Any]], Reply]) -> None:
        self.routes[(method, path)] = list(replies)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ehr() -> Iterator[Stub]:
    stub = Stub()
    yield stub
    stub.close()


@pytest.fixture
def foreign() -> Iterator[Stub]:
    stub = Stub()  # another port: another origin, must never see our token
    yield stub
    stub.close()


def make_client(stub: Stub, **kwargs: Any) -> FhirClient:
    kwargs.setdefault("backoff_base", 0.01)
    return FhirClient(f"{stub.url}/fhir", TOKEN, **kwargs)


PATIENT = {"resourceType": "Patient", "id": "p1", "name": [{"family": "Quintero"}]}


def test_read_sends_fhir_accept_and_bearer_and_reports_access(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Patient/p1", fhir(200, PATIENT))
    records: list[AccessRecord] = []
    client = make_client(ehr, on_access=records.append)

    assert client.read("Patient", "p1")["name"][0]["family"] == "Quintero"
    headers = ehr.requests[0]["headers"]
    assert headers["Accept"] == "application/fhir+json"
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert records == [AccessRecord("read", "Patient", "p1", 200)]


def test_429_waits_for_retry_after_then_succeeds(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Patient/p1", (429, {"Retry-After": "1"}, b""), fhir(200, PATIENT))
    started = time.monotonic()
    assert make_client(ehr).read("Patient", "p1")["id"] == "p1"
    assert time.monotonic() - started >= 0.95
    assert len(ehr.requests) == 2


def test_retry_after_is_capped(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Patient/p1", (503, {"Retry-After": "3600"}, b""), fhir(200, PATIENT))
    started = time.monotonic()
    make_client(ehr, max_retry_wait=0.2).read("Patient", "p1")
    assert time.monotonic() - started < 2


def test_retry_after_http_date() -> None:
    now = datetime(2024, 3, 5, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=7), usegmt=True), now=now) == 7
    assert parse_retry_after(format_datetime(now - timedelta(seconds=7), usegmt=True), now=now) == 0
    assert parse_retry_after("soon", now=now) is None


def test_503_is_retried_until_success(ehr: Stub) -> None:
    busy = fhir(503, {"resourceType": "OperationOutcome", "issue": []})
    ehr.on("GET", "/fhir/Patient/p1", busy, busy, fhir(200, PATIENT))
    assert make_client(ehr).read("Patient", "p1")["id"] == "p1"
    assert len(ehr.requests) == 3


def test_persistent_503_gives_up_with_actionable_message(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Patient/p1", (503, {"Content-Type": "text/plain"}, b"down"))
    with pytest.raises(FhirError) as info:
        make_client(ehr, max_retries=2).read("Patient", "p1")
    assert info.value.status == 503
    assert "temporarily unavailable" in info.value.user_message
    assert len(ehr.requests) == 3


def test_500_operation_outcome_becomes_readable_error_without_retry(ehr: Stub) -> None:
    outcome = json.loads((DATA / "operation_outcome_500.json").read_text())
    ehr.on("GET", "/fhir/Encounter/e1", fhir(500, outcome))
    with pytest.raises(FhirError) as info:
        make_client(ehr).read("Encounter", "e1")
    err = info.value
    assert err.status == 500
    assert "Database connection pool exhausted" in err.user_message
    assert "Please retry the request later" in err.user_message
    assert err.outcome == outcome
    assert len(ehr.requests) == 1


def test_html_error_page_is_summarised_not_echoed(ehr: Stub) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1><p>nginx/1.25</p></body></html>"
    ehr.on("GET", "/fhir/Encounter/e1", (502, {"Content-Type": "text/html"}, page))
    with pytest.raises(FhirError) as info:
        make_client(ehr, max_retries=1).read("Encounter", "e1")
    assert info.value.status == 502
    assert "web page" in info.value.user_message
    assert "nginx" not in info.value.user_message and "<" not in info.value.user_message


def test_malformed_json_success_body_is_an_error(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Encounter/e1", (200, {"Content-Type": "application/fhir+json"}, b'{"resourceType": "Enc'))
    with pytest.raises(FhirError, match="not valid FHIR JSON"):
        make_client(ehr).read("Encounter", "e1")


def test_401_is_auth_error_telling_user_to_relaunch(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Encounter/e1", fhir(401, {"resourceType": "OperationOutcome", "issue": []}))
    with pytest.raises(FhirAuthError) as info:
        make_client(ehr).read("Encounter", "e1")
    assert "Relaunch" in info.value.user_message


def _page(stub: Stub, n: int, ids: list[str], next_url: str | None) -> Reply:
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": {"resourceType": "DocumentReference", "id": i}, "search": {"mode": "match"}} for i in ids
        ],
        "link": [{"relation": "self", "url": f"{stub.url}/fhir/page{n}"}],
    }
    if next_url:
        bundle["link"].append({"relation": "next", "url": next_url})
    return fhir(200, bundle)


def test_search_follows_next_links_across_three_pages(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/DocumentReference", _page(ehr, 1, ["d1", "d2"], f"{ehr.url}/fhir?_getpages=x&page=2"))
    ehr.on(
        "GET",
        "/fhir",
        lambda req: (
            _page(ehr, 2, ["d3"], f"{ehr.url}/fhir?_getpages=x&page=3")
            if "page=2" in req["query"]
            else _page(ehr, 3, ["d4", "d5"], None)
        ),
    )
    records: list[AccessRecord] = []
    found = make_client(ehr, on_access=records.append).search("DocumentReference", {"encounter": "e1"})

    assert [r["id"] for r in found] == ["d1", "d2", "d3", "d4", "d5"]
    assert ehr.requests[0]["query"] == "encounter=e1"
    assert all(r["headers"].get("Authorization") == f"Bearer {TOKEN}" for r in ehr.requests)
    assert [r.resource_id for r in records] == ["d1", "d2", "d3", "d4", "d5"]
    assert {r.action for r in records} == {"search"}


def test_search_stops_on_a_next_link_loop(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Observation", _page(ehr, 1, ["o1"], f"{ehr.url}/fhir/Observation?page=1"))
    found = make_client(ehr).search("Observation", {})
    assert len(found) == 2  # the first page and its one repeat, then the loop is noticed
    assert len(ehr.requests) == 2


def test_token_never_sent_to_a_foreign_paging_host(ehr: Stub, foreign: Stub) -> None:
    ehr.on("GET", "/fhir/DocumentReference", _page(ehr, 1, ["d1"], f"{foreign.url}/fhir?page=2"))
    foreign.on("GET", "/fhir", _page(foreign, 2, ["d2"], None))
    found = make_client(ehr).search("DocumentReference", {"encounter": "e1"})

    assert [r["id"] for r in found] == ["d1", "d2"]
    assert ehr.requests[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in foreign.requests[0]["headers"]


def test_binary_reference_gets_token_foreign_attachment_url_does_not(ehr: Stub, foreign: Stub) -> None:
    ehr.on("GET", "/fhir/Binary/b1", (200, {"Content-Type": "text/plain; charset=utf-8"}, "Fièvre".encode()))
    foreign.on("GET", "/files/note.pdf", (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"))
    client = make_client(ehr, attachment_origins=[foreign.url])

    local = client.read_binary("Binary/b1", "text/plain")
    remote = client.read_binary(f"{foreign.url}/files/note.pdf", "application/pdf")

    assert (local.content_type, local.data.decode()) == ("text/plain; charset=utf-8", "Fièvre")
    assert ehr.requests[0]["headers"]["Accept"] == "text/plain"
    assert ehr.requests[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert remote.data == b"%PDF-1.4"
    assert "Authorization" not in foreign.requests[0]["headers"]


def test_attachment_on_a_host_not_allow_listed_is_refused_without_a_request(ehr: Stub, foreign: Stub) -> None:
    foreign.on("GET", "/files/note.txt", (200, {"Content-Type": "text/plain"}, b"secret internal page"))
    client = make_client(ehr)
    with pytest.raises(FhirError) as info:
        client.read_binary(f"{foreign.url}/files/note.txt", "text/plain")
    assert "not allowed" in info.value.user_message and "127.0.0.1" in info.value.user_message
    assert foreign.requests == []


def test_redirect_to_a_host_not_allow_listed_is_not_followed(ehr: Stub, foreign: Stub) -> None:
    ehr.on("GET", "/fhir/Binary/b9", (302, {"Location": f"{foreign.url}/metadata-service"}, b""))
    ehr.on("GET", "/fhir/Binary/b10", (302, {"Location": "/fhir/Binary/b11"}, b""))
    ehr.on("GET", "/fhir/Binary/b11", (200, {"Content-Type": "text/plain"}, b"moved note"))
    client = make_client(ehr)
    with pytest.raises(FhirError, match="not allowed"):
        client.read_binary("Binary/b9", "text/plain")
    assert foreign.requests == []
    assert client.read_binary("Binary/b10", "text/plain").data == b"moved note"  # same origin: followed


def test_binary_returned_as_fhir_json_is_decoded(ehr: Stub) -> None:
    binary = {"resourceType": "Binary", "id": "b2", "contentType": "text/html", "data": "PHA+aGk8L3A+"}
    ehr.on("GET", "/fhir/Binary/b2", fhir(200, binary))
    content = make_client(ehr).read_binary("Binary/b2", "text/html")
    assert (content.content_type, content.data) == ("text/html", b"<p>hi</p>")


def test_conditional_create_reports_created_then_existing(ehr: Stub) -> None:
    claim = {"resourceType": "Claim", "status": "draft"}
    stored = {**claim, "id": "c9"}
    ehr.on(
        "POST",
        "/fhir/Claim",
        fhir(201, stored, Location=f"{ehr.url}/fhir/Claim/c9/_history/1"),
        fhir(200, stored),
    )
    records: list[AccessRecord] = []
    client = make_client(ehr, on_access=records.append)

    first = client.create(claim, if_none_exist="identifier=https://revrx.example/claim|abc")
    second = client.create(claim, if_none_exist="identifier=https://revrx.example/claim|abc")

    assert (first.id, first.created, first.status) == ("c9", True, 201)
    assert (second.id, second.created, second.status) == ("c9", False, 200)
    sent = ehr.requests[0]
    assert sent["headers"]["If-None-Exist"] == "identifier=https://revrx.example/claim|abc"
    assert sent["headers"]["Prefer"] == "return=representation"
    assert sent["headers"]["Content-Type"] == "application/fhir+json"
    assert json.loads(sent["body"]) == claim
    assert records[0] == AccessRecord("create", "Claim", "c9", 201)


def test_create_rejected_with_outcome_is_readable(ehr: Stub) -> None:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "required", "diagnostics": "Claim.insurance: minimum required = 1"}],
    }
    ehr.on("POST", "/fhir/Claim", fhir(422, outcome))
    with pytest.raises(FhirError) as info:
        make_client(ehr).create({"resourceType": "Claim"})
    assert "Claim.insurance: minimum required = 1" in info.value.user_message
    assert len(ehr.requests) == 1


def test_capabilities_fetched_once(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/metadata", fhir(200, json.loads((DATA / "capability_plain.json").read_text())))
    client = make_client(ehr)
    assert client.capabilities()["fhirVersion"] == "4.0.1"
    client.capabilities()
    assert len(ehr.requests) == 1


def test_unreachable_server_is_a_clear_error() -> None:
    stub = Stub()
    url = stub.url
    stub.close()
    with pytest.raises(FhirError) as info:
        FhirClient(f"{url}/fhir", TOKEN, max_retries=1, backoff_base=0.01).read("Patient", "p1")
    assert info.value.status is None
    assert "Could not reach the EHR" in info.value.user_message


def test_slow_server_times_out(ehr: Stub) -> None:
    def slow(req: dict[str, Any]) -> Reply:
        time.sleep(1.0)
        return fhir(200, PATIENT)

    ehr.on("GET", "/fhir/Patient/p1", slow)
    with pytest.raises(FhirError, match="did not respond within 0.3 seconds"):
        make_client(ehr, timeout=0.3, max_retries=0).read("Patient", "p1")


def test_oversized_attachment_is_refused(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Binary/big", (200, {"Content-Type": "application/pdf"}, b"%PDF" + b"x" * 200_000))
    with pytest.raises(FhirError, match="larger than"):
        make_client(ehr, max_binary_bytes=100_000).read_binary("Binary/big", "application/pdf")


def test_ids_cannot_smuggle_paths(ehr: Stub) -> None:
    with pytest.raises(ValueError):
        make_client(ehr).read("Patient", "p1/../../admin")
    assert ehr.requests == []


def test_refreshed_token_is_used_for_later_requests(ehr: Stub) -> None:
    ehr.on("GET", "/fhir/Patient/p1", fhir(200, PATIENT))
    client = make_client(ehr)
    client.set_access_token("fresh-token")
    client.read("Patient", "p1")
    assert ehr.requests[0]["headers"]["Authorization"] == "Bearer fresh-token"


def test_search_warnings_are_not_returned_as_resources(ehr: Stub) -> None:
    warning = {"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "not-supported"}]}
    found_bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": {"resourceType": "Coverage", "id": "c1"}, "search": {"mode": "match"}},
            {"resource": warning, "search": {"mode": "outcome"}},
            {"fullUrl": "urn:uuid:junk"},
        ],
    }
    ehr.on("GET", "/fhir/Coverage", fhir(200, found_bundle))
    records: list[AccessRecord] = []
    found = make_client(ehr, on_access=records.append).search("Coverage", {"patient": "p1"})
    assert [r["resourceType"] for r in found] == ["Coverage"]
    assert records == [AccessRecord("search", "Coverage", "c1", 200)]
