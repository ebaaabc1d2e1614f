"""`GET /api/v1/encounters`: each filter narrows the list, pages add up, and another organization's
encounters are never listed or shown."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from smartapp.api.auth import create_token
from smartapp.extensions import db
from smartapp.models import Encounter, EncounterSource, EncounterStatus, Organization, Role, User

pytestmark = pytest.mark.db


def _seed(app: Flask) -> tuple[dict[str, str], dict[str, str], int]:
    with app.app_context():
        mine, other = Organization(name="Mine"), Organization(name="Other")
        db.session.add_all([mine, other])
        db.session.flush()
        rows = [
            Encounter(organization_id=mine.id, source=EncounterSource.FHIR, source_system="https://a/fhir",
                      fhir_encounter_id=f"e{i}", fhir_patient_id=f"p{i % 3}", provider_name=f"Dr. {name}",
                      date_of_service=date(2025, 1, 1 + i), status=status)
            for i, (name, status) in enumerate([("Ada Lane", EncounterStatus.READY),
                                                ("Bo Chen", EncounterStatus.NEW),
                                                ("Ada Lane", EncounterStatus.FAILED),
                                                ("Cy Diaz", EncounterStatus.READY)])
        ]
        rows.append(Encounter(organization_id=mine.id, source=EncounterSource.FILE_UPLOAD, file_sha256="0" * 64,
                              date_of_service=date(2025, 2, 1), provider_name="Dr. 100%_Sure"))
        foreign = Encounter(organization_id=other.id, source=EncounterSource.FHIR, source_system="https://b/fhir",
                            fhir_encounter_id="e1", fhir_patient_id="p1")
        db.session.add_all([*rows, foreign])
        users = [User(organization_id=o.id, issuer="revrx:local", fhir_user=f"local:{o.name}", role=Role.CODER)
                 for o in (mine, other)]
        db.session.add_all(users)
        db.session.commit()
        tokens = [create_token(db.session, u) for u in users]
        return ({"Authorization": f"Bearer {tokens[0]}"}, {"Authorization": f"Bearer {tokens[1]}"}, foreign.id)


def test_filters_sorting_and_pages(app: Flask) -> None:
    me, _, _ = _seed(app)
    client = app.test_client()

    def ids(**params: str | int) -> list[str | None]:
        body = client.get("/api/v1/encounters", headers=me, query_string=params).json
        return [e["fhir_encounter_id"] for e in body["items"]]

    assert len(ids()) == 5
    assert ids(source="FILE_UPLOAD") == [None]
    assert sorted(ids(status="READY")) == ["e0", "e3"]   # type: ignore[type-var]
    assert ids(fhir_encounter_id="e2") == ["e2"]
    assert sorted(ids(fhir_patient_id="p0")) == ["e0", "e3"]   # type: ignore[type-var]
    assert sorted(ids(provider="ada")) == ["e0", "e2"]   # type: ignore[type-var]
    assert ids(provider="100%_") == [None], "LIKE wildcards in the filter are literal"
    assert ids(date_from="2025-01-02", date_to="2025-01-03", sort="date_of_service") == ["e1", "e2"]
    assert ids(sort="-date_of_service")[:2] == [None, "e3"]
    first = client.get("/api/v1/encounters", headers=me, query_string={"per_page": 2, "sort": "id"}).json
    assert first["total"] == 5 and first["pages"] == 3 and first["links"]["prev"] is None
    second = client.get(first["links"]["next"], headers=me).json
    assert {e["id"] for e in first["items"]}.isdisjoint({e["id"] for e in second["items"]})
    bad = client.get("/api/v1/encounters", headers=me, query_string={"status": "DONE", "per_page": 0})
    assert bad.status_code == 422 and {e["field"] for e in bad.json["errors"]} == {"status", "per_page"}


def test_another_organizations_encounter_is_neither_listed_nor_shown(app: Flask) -> None:
    me, them, foreign_id = _seed(app)
    client = app.test_client()
    assert all(e["id"] != foreign_id for e in client.get("/api/v1/encounters", headers=me).json["items"])
    assert client.get(f"/api/v1/encounters/{foreign_id}", headers=me).status_code == 404
    shown = client.get(f"/api/v1/encounters/{foreign_id}", headers=them)
    assert shown.status_code == 200 and shown.json["coding"] is None
    assert "patient_label" not in shown.json


def test_approving_through_the_api_refuses_what_cannot_be_approved(app: Flask) -> None:
    me, them, foreign_id = _seed(app)
    client = app.test_client()
    assert client.post(f"/api/v1/encounters/{foreign_id}/approve", headers=me).status_code == 404
    assert client.post("/api/v1/encounters/999999/approve", headers=me).status_code == 404
    uncoded = client.post(f"/api/v1/encounters/{foreign_id}/approve", headers=them)
    assert uncoded.status_code == 409 and uncoded.mimetype == "application/problem+json"
    assert "no finished coding" in uncoded.json["detail"]
    wrong = client.post(f"/api/v1/encounters/{foreign_id}/approve", headers=them, json={"accept_pending": "maybe"})
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "accept_pending"
    with app.app_context():
        viewer = User(organization_id=db.session.get(Encounter, foreign_id).organization_id,  # type: ignore[union-attr]
                      issuer="revrx:local", fhir_user="local:viewer", role=Role.READ_ONLY)
        db.session.add(viewer)
        db.session.commit()
        token = create_token(db.session, viewer)
    read_only = client.post(f"/api/v1/encounters/{foreign_id}/approve", headers={"Authorization": f"Bearer {token}"})
    assert read_only.status_code == 403 and "view codes" in read_only.json["detail"]
