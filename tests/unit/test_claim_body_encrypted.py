"""The stored copy of what was sent to the EHR (a Claim: the patient and their diagnoses) is encrypted at
rest like note text (issue 13 item 8), including copies written before the change (the migration)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import select, text

from smartapp.extensions import db
from smartapp.migrate import alembic_config
from smartapp.models import ClaimSubmission
from tests.support.review_data import Seeded

pytestmark = pytest.mark.db

CLAIM = {"resourceType": "Claim", "patient": {"reference": "Patient/p1"},
         "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"code": "E11.9"}]}}]}


def test_a_stored_claim_is_ciphertext_in_the_database(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        db.session.add(ClaimSubmission(encounter_id=seeded.encounter_id, run_id=seeded.run_id,
                                       idempotency_key="k-1", request_body=CLAIM))
        db.session.commit()
        raw = db.session.execute(text("SELECT request_body FROM claim_submissions")).scalar_one()
        assert "E11.9" not in raw and "Patient/p1" not in raw
        db.session.expire_all()
        assert db.session.scalars(select(ClaimSubmission)).one().request_body == CLAIM


def test_the_migration_encrypts_claims_stored_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("REVRX_ENCRYPTION_KEY", key)
    path = tmp_path / "old.db"
    cfg = alembic_config(f"sqlite:///{path}")
    command.upgrade(cfg, "c2f8a4e6d910")   # the schema before request_body was encrypted
    conn = sqlite3.connect(path)
    now = ("2026-12-01 10:00:00", "2026-12-01 10:00:00")
    conn.execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES (1, 'Clinic', ?, ?)", now)
    conn.execute("INSERT INTO encounters (id, organization_id, source, status, version, created_at, updated_at) "
                 "VALUES (1, 1, 'FHIR', 'APPROVED', 1, ?, ?)", now)
    conn.execute("INSERT INTO coding_runs (id, encounter_id, status, engine, attempts, timings, warnings, created_at, "
                 "updated_at) VALUES (1, 1, 'COMPLETE', 'local', 1, '{}', '[]', ?, ?)", now)
    conn.execute("INSERT INTO claim_submissions (id, encounter_id, run_id, idempotency_key, strategy, status, "
                 "request_body, results, created_at, updated_at) VALUES (1, 1, 1, 'k', 'claim', 'CREATED', ?, '[]', "
                 "'2026-12-01 10:00:00', '2026-12-01 10:00:00')", (json.dumps(CLAIM),))
    conn.commit()
    conn.close()

    command.upgrade(cfg, "head")
    conn = sqlite3.connect(path)
    (stored,) = conn.execute("SELECT request_body FROM claim_submissions").fetchone()
    conn.close()
    assert "E11.9" not in stored
    assert json.loads(Fernet(key.encode()).decrypt(stored.encode())) == CLAIM
