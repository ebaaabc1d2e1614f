"""Issue 15 item 10, at the HTTP level against a local stub server: a plain create is resent only when
the server said it did not process it (429/503 with Retry-After), and a lost answer is followed by a
search that finds the resource even where the server dropped our identifier (Oracle ignores fields it
does not support)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from smartapp.fhir.errors import FhirError
from smartapp.review.approved import ApprovedCode, ApprovedCodes
from smartapp.writeback import sending
from smartapp.writeback.resource_builders import Author, Target, encounter_conditions
from tests.unit.test_fhir_client import Stub, ehr, fhir, make_client  # noqa: F401 (fixture)

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
TARGET = Target(key="revrx-e1-1-2-x", patient_id="p1", encounter_id="e1", provider_ref="Practitioner/pr2",
                service_date=date(2026, 3, 1), now=NOW, author=Author("Practitioner/pr3", "Priya Raman"))
[DX] = encounter_conditions(ApprovedCodes([ApprovedCode(ICD, "E03.9", "Hypothyroidism", "diagnosis", True)], [], []),
                            TARGET)
OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "transient"}]}


def _stored(**extra: object) -> dict[str, object]:
    """The Condition as a server that keeps only what it supports returns it: no identifier."""
    body = {k: v for k, v in DX.resource.items() if k != "identifier"}
    return {**body, "id": "c42", **extra}


def test_a_plain_create_is_resent_only_on_429_or_503_with_retry_after(ehr: Stub) -> None:  # noqa: F811
    ehr.on("POST", "/fhir/Condition", fhir(503, OUTCOME, **{"Retry-After": "0"}), fhir(201, _stored()))
    marks: list[dict[str, str]] = []
    done = sending.create_once(make_client(ehr), DX, None, marks.append)
    assert done["id"] == "c42" and len([r for r in ehr.requests if r["method"] == "POST"]) == 2
    assert [m["status"] for m in marks] == ["SENT"], "the marker was handed over before the POST"
    assert "If-None-Exist" not in ehr.requests[0]["headers"]


def test_a_503_without_retry_after_is_not_resent_and_nothing_found_fails(ehr: Stub) -> None:  # noqa: F811
    ehr.on("POST", "/fhir/Condition", fhir(503, OUTCOME), fhir(201, _stored()))
    ehr.on("GET", "/fhir/Condition", fhir(200, {"resourceType": "Bundle", "type": "searchset", "entry": []}))
    with pytest.raises(FhirError):
        sending.create_once(make_client(ehr), DX, None, lambda _m: None)
    assert len([r for r in ehr.requests if r["method"] == "POST"]) == 1, "it may have been processed"


def test_a_lost_answer_is_found_by_content_when_the_server_dropped_our_identifier(ehr: Stub) -> None:  # noqa: F811
    ehr.on("POST", "/fhir/Condition", fhir(504, OUTCOME))
    recorded = (NOW + timedelta(seconds=1)).isoformat()
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": _stored(id="old", recordedDate=(NOW - timedelta(days=30)).isoformat())},   # before our send
        {"resource": _stored(code={"coding": [{"system": ICD, "code": "I10"}]})},               # another code
        {"resource": _stored(recordedDate=recorded)}]}
    ehr.on("GET", "/fhir/Condition", fhir(200, bundle))
    done = sending.create_once(make_client(ehr), DX, None, lambda _m: None, now=lambda: NOW)
    assert (done["id"], done["status"]) == ("c42", "CREATED")
    search = next(r for r in ehr.requests if r["method"] == "GET")
    assert "patient=p1" in search["query"] and "encounter=e1" in search["query"]
    assert "category=encounter-diagnosis" in search["query"]


def test_a_marker_left_by_a_dead_worker_is_searched_for_before_sending(ehr: Stub) -> None:  # noqa: F811
    ours = {**_stored(), "identifier": DX.resource["identifier"]}
    ehr.on("GET", "/fhir/Condition", fhir(200, {"resourceType": "Bundle", "type": "searchset",
                                                "entry": [{"resource": ours}]}))
    marker = sending.entry(DX, "SENT", sent_at=NOW.isoformat())
    done = sending.create_once(make_client(ehr), DX, marker, lambda _m: pytest.fail("no second send"))
    assert (done["id"], done["status"]) == ("c42", "EXISTING")
    assert not [r for r in ehr.requests if r["method"] == "POST"]
    assert json.loads(json.dumps(done)) == done
