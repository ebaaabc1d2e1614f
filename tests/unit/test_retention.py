"""Retention on a real database and a real storage folder: expired EHR note text is emptied, uploaded
notes only once approved (their originals removed too, unless another upload still needs the same
bytes), each run is audited with counts, and the review page says what happened."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp.extensions import db
from smartapp.models import (
    AuditEvent,
    Encounter,
    EncounterSource,
    EncounterStatus,
    Note,
    Organization,
    UploadedFile,
)
from smartapp.runs.retention import purge_expired
from smartapp.storage import LocalStorage
from tests.support.review_data import Browser, Seeded

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
EXPIRED, FRESH = NOW - timedelta(days=1), NOW + timedelta(days=29)


def _note(encounter: Encounter, text: str, purge_after: datetime) -> Note:
    note = Note(encounter=encounter, resource_type="DocumentReference", resource_id=f"d-{text[:8]}", text=text,
                purge_after=purge_after)
    db.session.add(note)
    return note


def _upload(org: Organization, status: EncounterStatus, storage: LocalStorage, data: bytes, version: int = 1,
            purge_after: datetime = EXPIRED) -> UploadedFile:
    sha = hashlib.sha256(data).hexdigest()
    encounter = Encounter(organization_id=org.id, source=EncounterSource.FILE_UPLOAD, file_sha256=sha, status=status)
    db.session.add(encounter)
    _note(encounter, data.decode(), purge_after)
    db.session.flush()
    upload = UploadedFile(organization_id=org.id, encounter_id=encounter.id, sha256=sha, version=version,
                          filename="note.txt", media_type="text/plain", size_bytes=len(data), storage="local",
                          storage_key=storage.put(sha, data, "text/plain"))
    db.session.add(upload)
    db.session.flush()
    return upload


def test_expired_text_goes_and_everything_else_stays(app: Flask, tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "originals")
    with app.app_context():
        org = Organization(name="Retention clinic")
        db.session.add(org)
        db.session.flush()
        ehr = Encounter(organization_id=org.id, source=EncounterSource.FHIR, fhir_encounter_id="ret-1",
                        status=EncounterStatus.READY)
        db.session.add(ehr)
        old, recent = _note(ehr, "Assessment: hypertension.", EXPIRED), _note(ehr, "Plan: recheck.", FRESH)
        pending = _upload(org, EncounterStatus.READY, storage, b"Uploaded, not yet approved.")
        approved = _upload(org, EncounterStatus.APPROVED, storage, b"Uploaded and approved.")
        shared_kept = _upload(org, EncounterStatus.READY, storage, b"Same bytes twice.", version=1)
        shared_done = _upload(org, EncounterStatus.APPROVED, storage, b"Same bytes twice.", version=2)
        db.session.commit()

        done = purge_expired(db.session, storage, now=NOW)

        assert (done.notes, done.originals) == (3, 2)
        assert (old.text, old.purged_at is not None) == ("", True)
        assert recent.text == "Plan: recheck." and recent.purged_at is None
        assert pending.encounter.notes[0].text == "Uploaded, not yet approved.", "the only copy until approved"
        assert approved.encounter.notes[0].text == "" and approved.purged_at is not None
        assert not (storage.root / approved.storage_key).exists(), "the approved upload's original is gone"
        assert shared_done.purged_at is not None and (storage.root / shared_kept.storage_key).exists(), \
            "bytes another upload still needs stay"
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention-purge")).one()
        assert (event.organization_id, event.detail) == (org.id, "3 note texts, 2 uploaded originals removed")

        again = purge_expired(db.session, storage, now=NOW)
        assert (again.notes, again.originals) == (0, 0), "nothing is purged twice"


def test_the_review_page_says_the_text_was_removed(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        for note in db.session.scalars(select(Note).where(Note.encounter_id == seeded.encounter_id)):
            note.purge_after = EXPIRED
        db.session.commit()
        purge_expired(db.session, LocalStorage(Path(app.instance_path) / "none"), now=NOW)
    html = Browser(app, seeded.users["coder"]).page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="note-purged"' in html and "Re-run coding to read it again from the EHR" in html
    assert 'data-code="E11.9"' in html, "the codes stay"
