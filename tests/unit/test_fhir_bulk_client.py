"""The Bulk Data client (smartapp/fhir/bulk.py) against a local HTTP server playing an EHR: it waits as long
as `Retry-After` says between status polls, keeps only the wanted type from the NDJSON files, reports the
server's error lines, deletes the finished job, and a failed export is a FhirError with the server's words."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from smartapp.fhir.bulk import group_export, offers_bulk_export
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError


class FakeEhr:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.polls: list[float] = []
        self.deleted = False
        self.kickoff_headers: dict[str, str] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                if path.endswith("/$export"):
                    fake.kickoff_headers = dict(self.headers)
                    fake.query = self.path.split("?", 1)[1]
                    self._send(202, b"", {"Content-Location": f"{fake.url}/status/1"})
                elif path == "/status/1":
                    fake.polls.append(time.monotonic())
                    if len(fake.polls) == 1:
                        self._send(202, b"", {"Retry-After": "2", "X-Progress": "50%"})
                    elif fake.fail:
                        issue = {"severity": "error", "code": "exception", "diagnostics": "Export ran out of space"}
                        outcome = {"resourceType": "OperationOutcome", "issue": [issue]}
                        self._send(500, json.dumps(outcome).encode(), {"Content-Type": "application/fhir+json"})
                    else:
                        manifest = {"transactionTime": "2026-12-05T12:00:00Z", "requiresAccessToken": True,
                                    "output": [{"type": "Encounter", "url": f"{fake.url}/files/enc.ndjson"},
                                               {"type": "Patient", "url": f"{fake.url}/files/pat.ndjson"}],
                                    "error": [{"type": "OperationOutcome", "url": f"{fake.url}/files/err.ndjson",
                                               "count": 2}]}
                        self._send(200, json.dumps(manifest).encode(), {"Content-Type": "application/json"})
                elif path == "/files/enc.ndjson":
                    rows = [{"resourceType": "Encounter", "id": "a"}, {"resourceType": "Encounter", "id": "b"}]
                    body = "\n".join(json.dumps(r) for r in rows) + "\nnot json\n"
                    self._send(200, body.encode(), {"Content-Type": "application/fhir+ndjson"})
                else:
                    self._send(404, b"", {})

            def do_DELETE(self) -> None:  # noqa: N802
                fake.deleted = True
                self._send(202, b"", {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.query = ""


@pytest.fixture
def ehr(request: pytest.FixtureRequest) -> Iterator[FakeEhr]:
    fake = FakeEhr(fail=getattr(request, "param", False))
    threading.Thread(target=fake.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    yield fake
    fake.httpd.shutdown()


def test_the_client_polls_as_told_and_keeps_the_wanted_type(ehr: FakeEhr) -> None:
    from datetime import UTC, datetime

    client = FhirClient(ehr.url + "/fhir", "token-1")
    result = group_export(client, "g1", ["Encounter"], datetime(2026, 12, 1, tzinfo=UTC))
    assert [r["id"] for r in result.resources] == ["a", "b"]
    assert result.transaction_time == "2026-12-05T12:00:00Z" and result.errors == 2 and result.polls == 2
    assert ehr.polls[1] - ehr.polls[0] >= 1.9, "waited the Retry-After"
    assert ehr.kickoff_headers["Prefer"] == "respond-async"
    assert "_type=Encounter" in ehr.query and "_since=2026-12-01T00%3A00%3A00Z" in ehr.query
    assert ehr.deleted, "the finished job is deleted on the server"


@pytest.mark.parametrize("ehr", [True], indirect=True)
def test_a_failed_export_says_what_the_server_said(ehr: FakeEhr) -> None:
    with pytest.raises(FhirError) as failed:
        group_export(FhirClient(ehr.url + "/fhir", "token-1", max_retries=0), "g1", ["Encounter"], None)
    assert "Export ran out of space" in failed.value.user_message


def test_bulk_export_is_read_from_the_capability_statement() -> None:
    assert offers_bulk_export({"instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"]})
    assert offers_bulk_export({"rest": [{"resource": [{"type": "Group", "operation": [{"name": "export"}]}]}]})
    assert offers_bulk_export({"rest": [{"operation": [{"name": "export"}]}]})
    assert not offers_bulk_export({"rest": [{"resource": [{"type": "Encounter"}]}]})
