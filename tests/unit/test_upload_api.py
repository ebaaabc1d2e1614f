"""`POST /api/v1/uploads` and `GET /api/v1/uploads/<id>` through Flask's test client: token auth,
several files with per-file results, the duplicate policy, and problem details for request errors."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartapp.api.auth import create_token
from smartapp.coding.engines import EngineSettings
from smartapp.extensions import db
from smartapp.models import Organization, Role, User
from smartapp.runs import upload_coding
from tests.support import upload_samples as samples

pytestmark = pytest.mark.db


@pytest.fixture()
def api(app: Flask) -> Iterator[tuple[FlaskClient, dict[str, str]]]:
    with app.app_context():
        org = Organization(name="Clinic", issuer="http://ehr.test/fhir")
        db.session.add(org)
        db.session.flush()
        user = User(organization_id=org.id, issuer="http://ehr.test/fhir", role=Role.CODER,
                    fhir_user="http://ehr.test/fhir/Practitioner/9")
        db.session.add(user)
        db.session.commit()
        token = create_token(db.session, user)
    yield app.test_client(), {"Authorization": f"Bearer {token}"}


def _post(client: FlaskClient, headers: dict[str, str], files: list[tuple[str, bytes]], **form: str) -> Any:
    data: dict[str, Any] = {"files": [(io.BytesIO(content), name) for name, content in files], **form}
    return client.post("/api/v1/uploads", data=data, headers=headers, content_type="multipart/form-data")


def test_upload_several_files_and_read_the_coding(app: Flask, api: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = api
    response = _post(client, headers, [
        ("visit.txt", (samples.note("api-1") + "Temp 38.5 °C\n").encode("cp1252")),
        ("visit.pdf", samples.pdf(samples.note("api-2"))),
        ("visit.docx", samples.docx_file(samples.note("api-3"))), ("scan.pdf", samples.scanned_pdf("api")),
        ("locked.pdf", samples.encrypted_pdf(samples.note("api-4"))), ("broken.pdf", samples.corrupt_pdf()),
        ("empty.txt", b""), ("notes.xlsx", b"PK\x03\x04xl/"), ("big.txt", samples.too_large(10 * 1024 * 1024)),
    ])
    assert response.status_code == 201
    uploads = response.get_json()["uploads"]
    assert [u["status"] for u in uploads] == ["created"] * 3 + ["rejected"] * 6
    assert [u["error"]["code"] for u in uploads[3:]] == [
        "no_text", "encrypted", "corrupt", "empty", "unsupported_type", "too_large"]
    assert all(u["error"]["detail"] for u in uploads[3:])
    assert uploads[0]["encoding"] == "cp1252" and uploads[0]["provider"] == "Dr. Alice Moreno, MD"
    assert uploads[1]["date_of_service"] == "2025-03-14"

    first = uploads[1]
    status = client.get(first["url"], headers=headers).get_json()
    assert status["source"] == "FILE_UPLOAD" and status["coding"]["status"] == "PENDING"
    with app.app_context():
        run_id = int(client.get(first["url"], headers=headers).get_json()["encounter_id"])
        from smartapp.models.queries import latest_run

        run = latest_run(db.session, run_id)
        assert run is not None
        upload_coding.execute(db.session, run.id, EngineSettings())
    coded = client.get(first["url"], headers=headers).get_json()
    assert coded["status"] == "READY" and coded["coding"]["status"] == "COMPLETE"
    assert {"I10", "E11.9"} <= {s["code"] for s in coded["coding"]["suggestions"]}


def test_duplicates_follow_the_policy(api: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = api
    data = samples.pdf(samples.note("api-dup"))
    created = _post(client, headers, [("a.pdf", data)]).get_json()["uploads"][0]
    skipped = _post(client, headers, [("b.pdf", data)])
    assert skipped.status_code == 200
    assert skipped.get_json()["uploads"][0]["status"] == "duplicate"
    assert skipped.get_json()["uploads"][0]["encounter_id"] == created["encounter_id"]
    versioned = _post(client, headers, [("c.pdf", data)], on_duplicate="version").get_json()["uploads"][0]
    assert versioned["status"] == "versioned" and versioned["version"] == 2
    overwritten = _post(client, headers, [("d.pdf", data)], on_duplicate="overwrite").get_json()["uploads"][0]
    assert overwritten["status"] == "overwritten" and overwritten["encounter_id"] == versioned["encounter_id"]


def test_request_errors_are_problem_details(api: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = api
    no_token = _post(client, {}, [("a.txt", b"x")])
    assert no_token.status_code == 401 and no_token.mimetype == "application/problem+json"
    no_files = client.post("/api/v1/uploads", data={}, headers=headers, content_type="multipart/form-data")
    assert no_files.status_code == 400 and "files" in no_files.get_json()["detail"]
    bad_policy = _post(client, headers, [("a.txt", b"x")], on_duplicate="merge")
    assert bad_policy.status_code == 400 and "on_duplicate" in bad_policy.get_json()["detail"]
    assert client.get("/api/v1/uploads/999999", headers=headers).status_code == 404
    assert client.get(f"/api/v1/uploads/{2**64}", headers=headers).status_code == 404, "not a database overflow"
