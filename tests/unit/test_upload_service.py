"""One upload, many files: each becomes an encounter or gets its own error; duplicates by content
hash with skip / overwrite / version; no patient identifier stored; coded by the shared pipeline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from smartapp.coding.engines import EngineSettings
from smartapp.extensions import db
from smartapp.models import (
    AuditEvent,
    Encounter,
    EncounterSource,
    EncounterStatus,
    Organization,
    RunStatus,
    UploadedFile,
    User,
)
from smartapp.models.queries import latest_run
from smartapp.models.sync import DuplicatePolicy
from smartapp.runs import coding_job, upload_coding
from smartapp.sources.upload_service import Outcome, UploadContext, accept_file, upload_context
from smartapp.web.runtime import runtime
from tests.support import upload_samples as samples

pytestmark = pytest.mark.db
SKIP, OVERWRITE, VERSION = DuplicatePolicy.SKIP, DuplicatePolicy.OVERWRITE, DuplicatePolicy.VERSION


@pytest.fixture()
def ctx(app: Flask) -> Iterator[UploadContext]:
    with app.app_context():
        org = Organization(name="Clinic", issuer="http://ehr.test/fhir")
        db.session.add(org)
        db.session.flush()
        user = User(organization_id=org.id, issuer="http://ehr.test/fhir", fhir_user="http://ehr.test/fhir/Practitioner/1")
        db.session.add(user)
        db.session.commit()
        yield upload_context(runtime(), user)


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_text_file_becomes_a_file_encounter_without_patient_identifiers(ctx: UploadContext) -> None:
    result = accept_file(db.session, ctx, "wexler visit.txt", samples.note("a").encode(), SKIP)
    assert result.outcome == Outcome.CREATED and result.encoding == "utf-8"
    enc = db.session.get(Encounter, result.encounter_id)
    assert enc is not None
    assert enc.source == EncounterSource.FILE_UPLOAD and enc.status == EncounterStatus.CODING
    assert enc.provider_name == "Dr. Alice Moreno, MD" and str(enc.date_of_service) == "2025-03-14"
    assert enc.fhir_patient_id is None and enc.patient_label is None and enc.fhir_encounter_id is None
    assert enc.file_sha256 == result.sha256
    # Note text and the file name (it names the patient) are encrypted at rest; the original is kept.
    raw_note = db.session.execute(text("SELECT text FROM notes")).scalar_one()
    raw_name = db.session.execute(text("SELECT filename FROM uploaded_files")).scalar_one()
    assert "hypertension" not in raw_note and "wexler" not in raw_name.lower()
    upload = db.session.scalars(select(UploadedFile)).one()
    assert runtime().storage.get(upload.storage_key) == samples.note("a").encode()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "upload")).all()
    assert [e.outcome for e in events] == ["success"]
    assert all("wexler" not in (e.detail or "").lower() for e in events)


def test_coding_an_upload_uses_the_pipeline_and_rerun_goes_the_same_way(ctx: UploadContext) -> None:
    result = accept_file(db.session, ctx, "visit.pdf", samples.pdf(samples.note("b")), SKIP)
    run = latest_run(db.session, result.encounter_id or 0)
    assert run is not None and run.status == RunStatus.PENDING and run.job_id == f"coding-run-{run.id}"
    upload_coding.execute(db.session, run.id, EngineSettings())
    db.session.refresh(run)
    assert run.status == RunStatus.COMPLETE
    codes = {s.code for s in run.suggestions}
    assert {"I10", "E11.9"} <= codes
    enc = db.session.get(Encounter, result.encounter_id)
    assert enc is not None and enc.status == EncounterStatus.READY
    note_id = enc.notes[0].id
    hypertension = next(s for s in run.suggestions if s.code == "I10")
    span = hypertension.evidence[0]
    assert span["note_id"] == note_id
    assert "hypertension" in enc.notes[0].text[span["start"]:span["end"]].lower()

    # "Re-run" on the review page queues the EHR coding job; for an upload it codes the stored text.
    from smartapp.runs.requests import request_coding

    again = request_coding(db.session, enc, user=ctx.user, launch_session_id=None, engine="local", rerun=True)
    db.session.commit()
    coding_job.execute(db.session, runtime(), again.id)
    db.session.refresh(again)
    assert again.status == RunStatus.COMPLETE and {s.code for s in again.suggestions} == codes


def test_duplicates_are_found_by_content_not_by_name(ctx: UploadContext) -> None:
    first = accept_file(db.session, ctx, "visit.txt", samples.note("c").encode(), SKIP)
    same_content = accept_file(db.session, ctx, "renamed copy.txt", samples.note("c").encode(), SKIP)
    same_name = accept_file(db.session, ctx, "visit.txt", samples.note("c-2").encode(), SKIP)
    assert same_content.outcome == Outcome.DUPLICATE and same_content.encounter_id == first.encounter_id
    assert same_name.outcome == Outcome.CREATED and same_name.encounter_id != first.encounter_id
    # The same text as a PDF is different content: a different file, not a duplicate.
    as_pdf = accept_file(db.session, ctx, "visit.pdf", samples.pdf(samples.note("c")), SKIP)
    assert as_pdf.outcome == Outcome.CREATED
    assert _count(Encounter) == 3


def test_overwrite_recodes_the_same_encounter_and_version_keeps_both(ctx: UploadContext) -> None:
    data = samples.docx_file(samples.note("d"))
    first = accept_file(db.session, ctx, "visit.docx", data, SKIP)
    first_run = latest_run(db.session, first.encounter_id or 0)
    replaced = accept_file(db.session, ctx, "visit (1).docx", data, OVERWRITE)
    assert replaced.outcome == Outcome.OVERWRITTEN and replaced.encounter_id == first.encounter_id
    new_run = latest_run(db.session, first.encounter_id or 0)
    assert new_run is not None and first_run is not None and new_run.id != first_run.id
    assert len(db.session.get(Encounter, first.encounter_id).notes) == 1   # type: ignore[union-attr]

    kept = accept_file(db.session, ctx, "visit (2).docx", data, VERSION)
    assert kept.outcome == Outcome.VERSIONED and kept.version == 2 and kept.encounter_id != first.encounter_id
    assert accept_file(db.session, ctx, "visit (3).docx", data, SKIP).encounter_id == kept.encounter_id
    assert [u.version for u in db.session.scalars(select(UploadedFile).order_by(UploadedFile.version))] == [1, 2]


def test_an_approved_upload_is_not_overwritten(ctx: UploadContext) -> None:
    data = samples.note("e").encode()
    first = accept_file(db.session, ctx, "visit.txt", data, SKIP)
    enc = db.session.get(Encounter, first.encounter_id)
    assert enc is not None
    enc.status = EncounterStatus.APPROVED
    db.session.commit()
    refused = accept_file(db.session, ctx, "visit.txt", data, OVERWRITE)
    assert refused.outcome == Outcome.REJECTED and refused.error is not None
    assert refused.error.code == "already_written_back"


def test_bad_files_store_nothing_and_good_ones_still_go_through(ctx: UploadContext) -> None:
    limit = ctx.settings.max_bytes
    batch = [("scan.pdf", samples.scanned_pdf()), ("locked.pdf", samples.encrypted_pdf(samples.note())),
             ("good.txt", samples.note("f").encode()), ("empty.txt", b""), ("x.png", b"\x89PNG"),
             ("huge.txt", samples.too_large(limit)), ("broken.docx", samples.corrupt_docx())]
    results = [accept_file(db.session, ctx, name, data, SKIP) for name, data in batch]
    assert [r.outcome for r in results].count(Outcome.CREATED) == 1
    assert {r.filename: r.error.code for r in results if r.error} == {
        "scan.pdf": "no_text", "locked.pdf": "encrypted", "empty.txt": "empty", "x.png": "unsupported_type",
        "huge.txt": "too_large", "broken.docx": "corrupt"}
    assert "10 MB" in next(r for r in results if r.filename == "huge.txt").error.detail  # type: ignore[union-attr]
    assert _count(Encounter) == 1 and _count(UploadedFile) == 1
    failures = db.session.scalar(select(func.count()).where(AuditEvent.outcome == "failure"))
    assert failures == 6
