"""Realistic record shapes (issue 15 item 8): a Synthea-generated patient as the SMART reference launcher
serves it. Every note but the newest is `superseded` with nothing replacing it, the same note comes as a
DocumentReference and a DiagnosticReport, participants are conditional references, and the encounter
carries `class`, `reasonCode` and a multi-day `period`.

fetch_encounter_context runs end to end against the in-process fake EHR of test_fhir_context.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from smartapp.extensions import db
from smartapp.fhir.client import FhirClient
from smartapp.fhir.context import fetch_encounter_context
from smartapp.fhir.encounters import parse_encounter
from smartapp.models import Encounter
from smartapp.runs import coding_job
from tests.support.review_data import Browser, Seeded
from tests.unit.test_fhir_context import BASE, FakeEhr, bundle

SYNTHEA = Path(__file__).resolve().parents[1] / "data" / "fhir" / "synthea"
ALL_TYPES = {"Composition", "DocumentReference", "DiagnosticReport", "Practitioner"}


def shape(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SYNTHEA / f"{name}.json").read_text())
    return loaded


def statement() -> dict[str, Any]:
    searchable = [{"type": t, "interaction": [{"code": "read"}, {"code": "search-type"}]}
                  for t in ("Encounter", "DocumentReference", "DiagnosticReport", "Practitioner", "Patient")]
    return {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": searchable}]}


def synthea_ehr(*, doc: dict[str, Any] | None = None, report: dict[str, Any] | None = None,
                practitioners: list[dict[str, Any]] | None = None) -> FakeEhr:
    ehr = FakeEhr()
    docs = [doc or shape("documentreference")]
    reports = [report or shape("diagnosticreport")]
    found = [shape("practitioner")] if practitioners is None else practitioners
    ehr.routes = {
        "GET /fhir/metadata": lambda q: (200, statement()),
        "GET /fhir/Encounter/syn-enc-1": lambda q: (200, shape("encounter")),
        "GET /fhir/DocumentReference": lambda q: (200, bundle(*docs)),
        "GET /fhir/DiagnosticReport": lambda q: (200, bundle(*reports)),
        "GET /fhir/Practitioner": lambda q: (200, bundle(*found)),
        "GET /fhir/Patient/syn-pat-1": lambda q: (200, {"resourceType": "Patient", "id": "syn-pat-1"}),
        "GET /fhir/Coverage": lambda q: (200, bundle()),
    }
    return ehr


def client(ehr: FakeEhr, may_search: set[str] | None = None) -> FhirClient:
    session = requests.Session()
    session.mount("https://ehr.test", ehr)
    allowed = ALL_TYPES if may_search is None else may_search
    return FhirClient(BASE, "tok", session=session, backoff_base=0.01, may_search=lambda t: t in allowed)


def test_a_superseded_note_that_nothing_replaces_is_coded_once_not_twice() -> None:
    """Synthea marks the note superseded though nothing replaces it, and serves it again as a
    DiagnosticReport whose id the DocumentReference's identifier carries: one note, read once."""
    ctx = fetch_encounter_context(client(synthea_ehr()), "syn-enc-1")
    assert [(n.resource_type, n.resource_id) for n in ctx.notes] == [("DocumentReference", "syn-doc-1")]
    assert "Essential hypertension" in ctx.notes[0].text and ctx.skipped == []


def test_the_same_text_as_a_report_without_an_identifier_link_is_read_once() -> None:
    doc = shape("documentreference")
    del doc["identifier"]
    ctx = fetch_encounter_context(client(synthea_ehr(doc=doc)), "syn-enc-1")
    assert [n.resource_type for n in ctx.notes] == ["DocumentReference"]


def test_a_superseded_note_that_a_newer_one_replaces_is_left_out() -> None:
    old = shape("documentreference")
    new = copy.deepcopy(old)
    new.update(id="syn-doc-2", status="current", identifier=[],
               relatesTo=[{"code": "replaces", "target": {"reference": "DocumentReference/syn-doc-1"}}])
    ehr = synthea_ehr()
    ehr.routes["GET /fhir/DocumentReference"] = lambda q: (200, bundle(old, new))
    ctx = fetch_encounter_context(client(ehr, {"DocumentReference", "Practitioner"}), "syn-enc-1")
    assert [n.resource_id for n in ctx.notes] == ["syn-doc-2"]
    assert [(s.resource_id, s.reason) for s in ctx.skipped] == [("syn-doc-1", "replaced by a newer version")]


def test_a_type_the_registration_did_not_request_is_never_searched() -> None:
    """The server offers DiagnosticReport but the token was not granted it: no search (a refusal there
    used to fail every older encounter), and the DocumentReference alone is coded."""
    ehr = synthea_ehr()
    ehr.routes["GET /fhir/DiagnosticReport"] = lambda q: (403, {"resourceType": "OperationOutcome", "issue": []})
    ctx = fetch_encounter_context(client(ehr, {"DocumentReference", "Practitioner"}), "syn-enc-1")
    assert "GET /fhir/DiagnosticReport" not in dict(ehr.calls)
    assert [n.resource_id for n in ctx.notes] == ["syn-doc-1"] and ctx.skipped == []


def test_a_conditional_participant_reference_is_resolved_by_identifier() -> None:
    ehr = synthea_ehr()
    ctx = fetch_encounter_context(client(ehr), "syn-enc-1")
    assert dict(ehr.calls)["GET /fhir/Practitioner"] == {"identifier": ["http://hl7.org/fhir/sid/us-npi|9999994392"]}
    assert ctx.practitioner is not None and ctx.practitioner.npi == "9999994392"
    assert ctx.practitioner.name == "Dr. Aaron697 Brekke496"
    assert ctx.encounter.provider_id == "syn-prac-1" and ctx.encounter.provider_ref == "Practitioner/syn-prac-1"


def test_an_unresolvable_conditional_reference_keeps_its_display_and_names_nobody_else() -> None:
    for found, may in (([], ALL_TYPES), ([shape("practitioner")] * 2, ALL_TYPES),
                       ([shape("practitioner")], ALL_TYPES - {"Practitioner"})):
        ctx = fetch_encounter_context(client(synthea_ehr(practitioners=found), may), "syn-enc-1")
        assert ctx.practitioner is None and ctx.encounter.provider_id is None
        assert ctx.encounter.provider_ref is None
        assert ctx.encounter.provider_display == "Dr. Aaron697 Brekke496"
        assert "provider" not in ctx.encounter.missing


def test_class_reason_and_a_multi_day_period_are_read() -> None:
    info = parse_encounter(shape("encounter"))
    assert info.class_code == "IMP"
    assert info.reasons == ["Chest pain (finding)"]
    assert info.date_of_service is not None and info.date_of_service.isoformat() == "2024-03-04"
    assert info.period_end_date is not None and info.period_end_date.isoformat() == "2024-03-07"
    assert info.days == 4


@pytest.mark.db
def test_the_page_header_shows_the_setting_the_reason_and_every_day_of_a_stay(app: Flask, seeded: Seeded) -> None:
    """What the job stores from a Synthea inpatient encounter reaches the review page's header: its class,
    its reason and both ends of a multi-day stay (the header read only the first day and the type)."""
    ctx = fetch_encounter_context(client(synthea_ehr()), "syn-enc-1")
    with app.app_context():
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None
        coding_job._store_header(encounter, ctx)
        db.session.commit()
    html = Browser(app, seeded.users["coder"]).page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="encounter-class">Inpatient (IMP)<' in html
    assert 'data-testid="visit-reason">Chest pain (finding)<' in html
    assert 'data-testid="date-of-service">2024-03-04<' in html
    assert 'data-testid="service-end-date">to 2024-03-07<' in html
    assert 'data-testid="provider">Dr. Aaron697 Brekke496<' in html


def test_a_server_that_searches_practitioners_by_id_only_is_not_sent_an_identifier_search() -> None:
    """Oracle Health declares Practitioner search by `_id` alone: the conditional reference is not sent
    (it would be refused), and the display is what the page shows."""
    ehr = synthea_ehr()
    declared = statement()
    for resource in declared["rest"][0]["resource"]:
        if resource["type"] == "Practitioner":
            resource["searchParam"] = [{"name": "_id", "type": "token"}]
    ehr.routes["GET /fhir/metadata"] = lambda q: (200, declared)
    ctx = fetch_encounter_context(client(ehr), "syn-enc-1")
    assert "GET /fhir/Practitioner" not in dict(ehr.calls)
    assert ctx.practitioner is None and ctx.encounter.provider_display == "Dr. Aaron697 Brekke496"
