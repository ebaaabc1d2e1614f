"""Encounter, Patient, Practitioner parsing and references, across R4 (Epic-like) and R5 shapes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smartapp.fhir.encounters import parse_encounter
from smartapp.fhir.people import parse_patient, parse_practitioner, practitioner_id_from_role
from smartapp.fhir.references import parse_reference, reference_id, same_origin

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text())


def test_epic_encounter_with_extensions_and_absolute_subject() -> None:
    info = parse_encounter(load("encounter_epic"))
    assert info.patient_id == "erXuFYUfucBZaryVksYEcMg3"  # from an absolute reference
    # the attending, not the referrer listed first
    assert info.provider_ref == "Practitioner/eM5CWtq15N0WJeuCet5bJlQ3"
    assert info.provider_id == "eM5CWtq15N0WJeuCet5bJlQ3"
    assert info.provider_display == "Physician Family Medicine, MD"
    # the local calendar date as charted, not shifted to UTC
    assert info.date_of_service == date(2023, 6, 2)
    assert (info.class_code, info.type_text, info.status) == ("AMB", "Office Visit", "finished")
    assert info.service_provider == "Example Medical Hospital"
    assert info.missing == []


def test_r5_encounter_actor_actual_period_and_class_list() -> None:
    info = parse_encounter(load("encounter_r5"))
    assert info.provider_ref == "PractitionerRole/role-7"
    assert info.provider_is_role and info.provider_id is None  # resolved later via the role
    assert info.date_of_service == date(2024, 2, 29)
    assert (info.period_start, info.period_end) == ("2024-02-29", "2024-03-09")
    assert info.class_code == "IMP"


def test_sparse_encounter_lists_what_is_missing_instead_of_raising() -> None:
    info = parse_encounter(load("encounter_sparse"))
    assert set(info.missing) == {"patient", "provider", "date_of_service", "class", "status"}
    assert info.id == "sparse-1"


def test_date_of_service_falls_back_to_period_end() -> None:
    info = parse_encounter({"resourceType": "Encounter", "id": "x", "period": {"end": "2024-05-01T23:59:00+10:00"}})
    assert info.date_of_service == date(2024, 5, 1)


def test_patient_keeps_every_identifying_detail_for_redaction() -> None:
    p = parse_patient(load("patient"))
    assert (p.given, p.family) == (("Maria", "Elena"), "Quintero")  # the official name, not the old one
    assert {"Maria Elena Quintero", "Lena", "Jane Doe", "Doe"} <= set(p.names)
    assert p.birth_date == date(1961, 7, 4)
    assert p.identifiers == ("123-45-6789", "MRN00042")
    assert p.phones == ("(555) 010-4477", "555-010-9999")
    assert p.emails == ("maria.q@example.com",)
    assert p.addresses == ("12 Orchard Lane, Apt 3, Springfield, IL 62704", "PO Box 9, Springfield IL")


def test_practitioner_name_and_npi() -> None:
    doc = parse_practitioner(load("practitioner"))
    assert (doc.name, doc.npi) == ("Dr. Ana Ruiz, MD", "1234567893")
    assert practitioner_id_from_role(load("practitioner_role")) == "pr-7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Patient/123", ("Patient", "123", None)),
        ("https://ehr.example/fhir/R4/Patient/a.b-c/_history/3", ("Patient", "a.b-c", "https://ehr.example/fhir/R4")),
        ({"reference": "Practitioner/9", "display": "Dr X"}, ("Practitioner", "9", None)),
        ("#contained-1", (None, None, None)),
        ("urn:uuid:0f8f-1", (None, None, None)),
    ],
)
def test_reference_forms(raw: Any, expected: tuple[str | None, str | None, str | None]) -> None:
    ref = parse_reference(raw)
    assert ref is not None
    assert (ref.resource_type, ref.id, ref.base_url) == expected


def test_reference_id_checks_type() -> None:
    assert reference_id({"reference": "Group/1"}, "Patient") is None
    assert reference_id({"reference": "Patient/1"}, "Patient") == "1"
    assert parse_reference({"display": "only a name"}) is not None
    assert parse_reference(None) is None


def test_same_origin_includes_scheme_and_port() -> None:
    assert same_origin("https://ehr.example/fhir/Binary/1", "https://ehr.example:443/fhir/")
    assert not same_origin("http://ehr.example/fhir/Binary/1", "https://ehr.example/fhir/")
    assert not same_origin("https://ehr.example:8443/x", "https://ehr.example/fhir/")
    assert not same_origin("https://ehr.example.evil.com/x", "https://ehr.example/fhir/")
