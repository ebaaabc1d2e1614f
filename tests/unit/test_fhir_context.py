"""fetch_encounter_context against an in-process fake EHR (a requests transport adapter).

The real FhirClient runs end to end (URLs, headers, paging, errors); only the socket is replaced, so
round trips and concurrency can be counted exactly.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter

from smartapp.fhir.client import FhirClient
from smartapp.fhir.context import fetch_encounter_context
from smartapp.fhir.coverage import choose_coverage
from smartapp.fhir.errors import FhirAuthError, FhirError, FhirNotFound
from smartapp.fhir.records import AccessRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"
BASE = "https://ehr.test/fhir"
Handler = Callable[[dict[str, list[str]]], tuple[int, Any]]


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text())


class FakeEhr(BaseAdapter):
    """Routes "METHOD /path" to handlers; records every request; tracks peak concurrency."""

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[str, Handler] = {}
        self.calls: list[tuple[str, dict[str, list[str]]]] = []
        self.latency = 0.0
        self._active = 0
        self.peak = 0
        self._lock = threading.Lock()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        query: dict[str, list[str]] = {}
        for key, value in parse_qsl(parts.query):
            query.setdefault(key, []).append(value)
        key = f"{request.method} {parts.path}"
        with self._lock:
            self.calls.append((key, query))
            self._active += 1
            self.peak = max(self.peak, self._active)
        try:
            time.sleep(self.latency)
            handler = self.routes.get(key)
            status, body = handler(query) if handler else (404, {"resourceType": "OperationOutcome", "issue": []})
        finally:
            with self._lock:
                self._active -= 1
        resp = requests.Response()
        resp.status_code = status
        resp.url = request.url or ""
        resp.request = request
        if isinstance(body, bytes):
            resp.raw = io.BytesIO(body)
            resp.headers["Content-Type"] = "text/html"
        else:
            resp.raw = io.BytesIO(json.dumps(body).encode())
            resp.headers["Content-Type"] = "application/fhir+json"
        return resp

    def close(self) -> None:
        pass


class Recorder(list[AccessRecord]):
    """An on_access callback that also notes which threads called it."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def append(self, record: AccessRecord) -> None:
        self.threads.add(threading.get_ident())
        super().append(record)


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def make_client(ehr: FakeEhr, records: list[AccessRecord] | None = None) -> FhirClient:
    session = requests.Session()
    session.mount("https://ehr.test", ehr)
    return FhirClient(
        BASE, "tok", session=session, backoff_base=0.01, on_access=records.append if records is not None else None
    )


def encounter() -> dict[str, Any]:
    enc = load("encounter_epic")
    enc["id"] = "enc-1"
    enc["subject"] = {"reference": "Patient/p-100"}
    enc["participant"][1]["individual"]["reference"] = "Practitioner/pr-1"
    return enc


def documents() -> list[dict[str, Any]]:
    return [
        load("docref_base64_text"),
        load("docref_multi"),
        load("docref_entered_in_error"),
        load("docref_malformed"),
    ]


def revinclude_ehr() -> FakeEhr:
    ehr = FakeEhr()
    practitioner = {**load("practitioner"), "id": "pr-1"}
    everything = bundle(encounter(), load("patient"), practitioner, *documents(), load("composition_nested"))
    ehr.routes = {
        "GET /fhir/metadata": lambda q: (200, load("capability_revinclude")),
        "GET /fhir/Encounter": lambda q: (200, everything),
        "GET /fhir/Coverage": lambda q: (200, bundle(load("coverage"))),
        "GET /fhir/Binary/html-1": lambda q: (200, b"<p>Acute sinusitis</p>"),
    }
    return ehr


def test_one_search_brings_encounter_people_and_notes() -> None:
    ehr = revinclude_ehr()
    records = Recorder()
    ctx = fetch_encounter_context(make_client(ehr, records), "enc-1")

    search = dict(ehr.calls)["GET /fhir/Encounter"]
    assert search["_id"] == ["enc-1"]
    assert set(search["_revinclude"]) == {"DocumentReference:encounter", "Composition:encounter"}
    assert set(search["_include"]) == {"Encounter:patient", "Encounter:participant"}
    # metadata, the combined search, Coverage, one Binary: no per-resource reads
    assert ctx.requests_made == 4
    assert [c[0] for c in ehr.calls].count("GET /fhir/Patient") == 0

    assert ctx.encounter.id == "enc-1" and ctx.patient is not None and ctx.patient.family == "Quintero"
    assert ctx.practitioner is not None and ctx.practitioner.npi == "1234567893"
    assert ctx.coverage is not None and ctx.coverage["id"] == "cov-1"

    texts = {n.resource_id: n.text for n in ctx.notes}
    assert set(texts) == {"comp-1", "dr-text", "dr-multi"}
    assert texts["dr-multi"] == "Acute sinusitis"
    skipped = {s.resource_id: s.reason for s in ctx.skipped}
    assert set(skipped) == {"dr-eie", "dr-bad"}  # the bad ones are reported, the good ones kept
    assert "entered-in-error" in skipped["dr-eie"]

    audited = {(r.resource_type, r.resource_id) for r in records}
    assert records.threads == {threading.get_ident()}  # the audit callback's DB session is thread-bound
    assert {
        ("Patient", "p-100"),
        ("DocumentReference", "dr-eie"),
        ("Binary", "html-1"),
        ("Coverage", "cov-1"),
    } <= audited


def test_without_revinclude_support_pieces_are_fetched_separately() -> None:
    ehr = FakeEhr()
    enc = {**load("encounter_r5"), "id": "enc-5", "subject": {"reference": "Patient/p-100"}}
    ehr.routes = {
        "GET /fhir/metadata": lambda q: (200, load("capability_plain")),
        "GET /fhir/Encounter/enc-5": lambda q: (200, enc),
        "GET /fhir/DocumentReference": lambda q: (200, bundle(load("docref_rtf"))),
        "GET /fhir/Composition": lambda q: (404, {"resourceType": "OperationOutcome", "issue": []}),
        "GET /fhir/Patient/p-100": lambda q: (200, load("patient")),
        "GET /fhir/PractitionerRole/role-7": lambda q: (200, load("practitioner_role")),
        "GET /fhir/Practitioner/pr-7": lambda q: (200, {**load("practitioner"), "id": "pr-7"}),
        "GET /fhir/Coverage": lambda q: (200, bundle()),
    }
    ctx = fetch_encounter_context(make_client(ehr), "enc-5")

    assert dict(ehr.calls)["GET /fhir/DocumentReference"] == {"encounter": ["enc-5"], "patient": ["p-100"]}
    assert [n.resource_id for n in ctx.notes] == ["dr-rtf"]
    # Composition is not declared: not searched, so no "could not search Composition" on every launch.
    assert "GET /fhir/Composition" not in dict(ehr.calls) and ctx.skipped == []
    assert ctx.practitioner is not None and ctx.practitioner.id == "pr-7"
    assert ctx.encounter.provider_id == "pr-7"  # the person behind the PractitionerRole
    assert ctx.coverage is None


def test_coverage_must_be_active_on_the_date_of_service() -> None:
    ehr = revinclude_ehr()
    lapsed = {**load("coverage"), "id": "old", "order": 1, "period": {"start": "2010-01-01", "end": "2015-12-31"}}
    cancelled = {**load("coverage"), "id": "gone", "status": "cancelled"}
    secondary = {**load("coverage"), "id": "second", "order": 2, "period": {"start": "2020-01-01"}}
    ehr.routes["GET /fhir/Coverage"] = lambda q: (200, bundle(lapsed, cancelled, secondary))
    ctx = fetch_encounter_context(make_client(ehr), "enc-1")
    assert ctx.coverage is not None and ctx.coverage["id"] == "second"


def test_binaries_are_fetched_concurrently_but_bounded() -> None:
    ehr = revinclude_ehr()
    docs = [
        {
            "resourceType": "DocumentReference",
            "id": f"d{i}",
            "status": "current",
            "content": [{"attachment": {"contentType": "text/html", "url": f"Binary/b{i}"}}],
        }
        for i in range(8)
    ]
    ehr.routes["GET /fhir/Encounter"] = lambda q: (200, bundle(encounter(), *docs))

    def binary(number: int) -> Handler:
        return lambda q: (200, f"<p>note {number}</p>".encode())

    for i in range(8):
        ehr.routes[f"GET /fhir/Binary/b{i}"] = binary(i)
    ehr.latency = 0.05
    ctx = fetch_encounter_context(make_client(ehr), "enc-1")
    assert sorted(n.text for n in ctx.notes) == [f"note {i}" for i in range(8)]
    assert 2 <= ehr.peak <= 4


def test_unknown_encounter_is_not_found() -> None:
    ehr = revinclude_ehr()
    ehr.routes["GET /fhir/Encounter"] = lambda q: (200, bundle())
    with pytest.raises(FhirNotFound):
        fetch_encounter_context(make_client(ehr), "nope")


def test_expired_token_during_binary_fetch_fails_the_whole_fetch() -> None:
    ehr = revinclude_ehr()
    ehr.routes["GET /fhir/Binary/html-1"] = lambda q: (401, {"resourceType": "OperationOutcome", "issue": []})
    with pytest.raises(FhirAuthError):
        fetch_encounter_context(make_client(ehr), "enc-1")


def test_server_refusing_declared_revinclude_falls_back_to_separate_searches() -> None:
    ehr = revinclude_ehr()
    ehr.routes["GET /fhir/Encounter"] = lambda q: (400, {"resourceType": "OperationOutcome", "issue": []})
    ehr.routes["GET /fhir/Encounter/enc-1"] = lambda q: (200, encounter())
    ehr.routes["GET /fhir/DocumentReference"] = lambda q: (200, bundle(load("docref_base64_text")))
    ehr.routes["GET /fhir/Composition"] = lambda q: (200, bundle())
    ehr.routes["GET /fhir/Patient/p-100"] = lambda q: (200, load("patient"))
    ehr.routes["GET /fhir/Practitioner/pr-1"] = lambda q: (200, {**load("practitioner"), "id": "pr-1"})
    ctx = fetch_encounter_context(make_client(ehr), "enc-1")
    assert [n.resource_id for n in ctx.notes] == ["dr-text"]
    assert ctx.patient is not None and ctx.practitioner is not None


def test_inline_binary_json_attachment_round_trip() -> None:
    ehr = revinclude_ehr()
    html = base64.b64encode(b"<p>Otitis externa</p>").decode()
    ehr.routes["GET /fhir/Binary/html-1"] = lambda q: (
        200,
        {"resourceType": "Binary", "contentType": "text/html", "data": html},
    )
    ctx = fetch_encounter_context(make_client(ehr), "enc-1")
    assert "Otitis externa" in {n.text for n in ctx.notes}


def test_choose_coverage_without_a_date_or_period_takes_the_primary() -> None:
    primary = {"resourceType": "Coverage", "id": "a", "order": 1}
    secondary = {"resourceType": "Coverage", "id": "b", "order": 2, "status": "active"}
    assert choose_coverage([secondary, primary], None) == primary
    assert choose_coverage([{"resourceType": "Coverage", "id": "x", "status": "draft"}], date(2024, 1, 1)) is None


def test_refused_note_searches_are_an_error_not_an_encounter_without_codes() -> None:
    """Issue 15 item 6: an EHR that refuses the note search (Oracle without `patient`, a missing scope)
    must not look like an encounter with nothing to code."""
    ehr = FakeEhr()
    enc = {**load("encounter_r5"), "id": "enc-5", "subject": {"reference": "Patient/p-100"}}
    refused = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "forbidden"}]}
    ehr.routes = {
        "GET /fhir/metadata": lambda q: (200, load("capability_plain")),
        "GET /fhir/Encounter/enc-5": lambda q: (200, enc),
        "GET /fhir/DocumentReference": lambda q: (403, refused),
        "GET /fhir/Patient/p-100": lambda q: (200, load("patient")),
        "GET /fhir/Coverage": lambda q: (200, bundle()),
    }
    with pytest.raises(FhirError, match="refused to list this encounter's notes"):
        fetch_encounter_context(make_client(ehr), "enc-5")


def test_a_batch_sends_the_patient_with_every_note_search() -> None:
    """Issue 15 item 6: Oracle requires `patient` on DocumentReference searches without `_id`; a batch is
    used only when the patient is known beforehand, and then every note search carries it."""
    ehr = FakeEhr()
    statement = load("capability_plain")
    statement["rest"][0]["interaction"] = [{"code": "batch"}]
    ehr.routes = {"GET /fhir/metadata": lambda q: (200, statement)}
    seen: list[str] = []

    def batch(_q: dict[str, list[str]]) -> tuple[int, Any]:
        return (200, {"resourceType": "Bundle", "type": "batch-response", "entry": []})

    ehr.routes["POST /fhir"] = batch
    ehr.routes["POST /fhir/"] = batch
    client = make_client(ehr)
    original = client.batch

    def spy(urls: list[str]) -> Any:
        seen.extend(urls)
        return original(urls)

    client.batch = spy  # type: ignore[method-assign]
    with pytest.raises(Exception):  # noqa: B017 - the empty batch answer is not the point here
        fetch_encounter_context(client, "enc-5", patient_id="p-100")
    assert seen and all("patient=p-100" in u for u in seen if "?" in u)
    seen.clear()
    ehr.calls.clear()
    with pytest.raises(Exception):  # noqa: B017
        fetch_encounter_context(make_client(ehr), "enc-5")
    assert not any(c[0].startswith("POST") for c in ehr.calls), "no batch without a known patient"



@pytest.mark.parametrize("declared", [True, False])
def test_the_encounter_picker_sends_sort_only_where_declared(declared: bool) -> None:
    """Issue 15 item 7: search parameters the server does not declare (`_sort`) are not sent."""
    from smartapp.sources.encounter_choice import patient_encounters

    statement = {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": [
        {"type": "Encounter", "interaction": [{"code": "search-type"}],
         "searchParam": [{"name": "patient", "type": "reference"}] + ([{"name": "_sort", "type": "string"}]
                                                                       if declared else [])}]}]}
    ehr = FakeEhr()
    ehr.routes = {"GET /fhir/metadata": lambda q: (200, statement),
                  "GET /fhir/Encounter": lambda q: (200, bundle())}
    patient_encounters(make_client(ehr), "p-100")
    sent = dict(ehr.calls)["GET /fhir/Encounter"]
    assert ("_sort" in sent) is declared and sent["patient"] == ["p-100"]


def test_a_search_whose_paging_session_expired_is_searched_again() -> None:
    """Issue 15 item 7: Epic's next-page links expire with their search session. The next page answering
    400 is not an error the user sees: the search runs again from its first page, and every result comes
    back once."""
    ehr = FakeEhr()
    page1 = bundle({"resourceType": "DocumentReference", "id": "d1"})
    page1["link"] = [{"relation": "next", "url": f"{BASE}/DocumentReference?sessionID=s1&page=2"}]
    refused = {"count": 0}

    def search(q: dict[str, list[str]]) -> tuple[int, Any]:
        if "page" not in q:
            return 200, page1
        if refused["count"] == 0:
            refused["count"] += 1
            return 400, {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "processing"}]}
        return 200, bundle({"resourceType": "DocumentReference", "id": "d2"})

    ehr.routes = {"GET /fhir/DocumentReference": search}
    found = make_client(ehr).search("DocumentReference", {"patient": "p-100", "encounter": "enc-1"})
    assert [r["id"] for r in found] == ["d1", "d2"]
    firsts = [q for key, q in ehr.calls if key == "GET /fhir/DocumentReference" and "page" not in q]
    assert len(firsts) == 2, "searched again from the first page"


def test_a_next_page_that_stays_gone_is_an_error() -> None:
    ehr = FakeEhr()
    page1 = bundle({"resourceType": "DocumentReference", "id": "d1"})
    page1["link"] = [{"relation": "next", "url": f"{BASE}/DocumentReference?page=2"}]
    ehr.routes = {"GET /fhir/DocumentReference": lambda q: (200, page1) if "page" not in q else
                  (410, {"resourceType": "OperationOutcome", "issue": []})}
    with pytest.raises(FhirError):
        make_client(ehr).search("DocumentReference", {"patient": "p-100"})


def test_a_registration_that_turns_batch_reads_off_never_posts_a_batch() -> None:
    """Issue 15 item 6: a server that declares `batch` is still read with separate requests when the
    registration says batching is not proven there; the note search carries the patient."""
    ehr = FakeEhr()
    statement = load("capability_plain")
    statement["rest"][0]["interaction"] = [{"code": "batch"}]
    enc = {**load("encounter_r5"), "id": "enc-5", "subject": {"reference": "Patient/p-100"}}
    ehr.routes = {
        "GET /fhir/metadata": lambda q: (200, statement),
        "GET /fhir/Encounter/enc-5": lambda q: (200, enc),
        "GET /fhir/DocumentReference": lambda q: (200, bundle(load("docref_rtf"))),
        "GET /fhir/Patient/p-100": lambda q: (200, load("patient")),
        "GET /fhir/Coverage": lambda q: (200, bundle()),
    }
    session = requests.Session()
    session.mount("https://ehr.test", ehr)
    client = FhirClient(BASE, "tok", session=session, backoff_base=0.01, batch_reads=False)
    ctx = fetch_encounter_context(client, "enc-5", patient_id="p-100")
    assert ctx.strategy == "separate" and not any(c[0].startswith("POST") for c in ehr.calls)
    assert dict(ehr.calls)["GET /fhir/DocumentReference"]["patient"] == ["p-100"]


def test_coverage_is_searched_only_where_declared_and_granted() -> None:
    """Issue 15 item 7: the CapabilityStatement decides for every type; a server that offers no Coverage
    search (or a token without it) gets no Coverage request on every launch."""
    ehr = revinclude_ehr()
    fetch_encounter_context(make_client(ehr), "enc-1")
    assert "GET /fhir/Coverage" in dict(ehr.calls)

    statement = load("capability_revinclude")
    statement["rest"][0]["resource"] = [r for r in statement["rest"][0]["resource"] if r["type"] != "Coverage"]
    ehr = revinclude_ehr()
    ehr.routes["GET /fhir/metadata"] = lambda q: (200, statement)
    ctx = fetch_encounter_context(make_client(ehr), "enc-1")
    assert "GET /fhir/Coverage" not in dict(ehr.calls) and ctx.coverage is None

    ehr = revinclude_ehr()
    session = requests.Session()
    session.mount("https://ehr.test", ehr)
    ungranted = FhirClient(BASE, "tok", session=session, may_search=lambda t: t != "Coverage")
    fetch_encounter_context(ungranted, "enc-1")
    assert "GET /fhir/Coverage" not in dict(ehr.calls)
