"""The data layer: migrations, encryption at rest, and the keys that prevent duplicates."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from smartapp.extensions import db
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Encounter,
    EncounterSource,
    LaunchSession,
    Note,
    Organization,
    User,
)

pytestmark = pytest.mark.db


def _org_user() -> tuple[Organization, User]:
    org = Organization(name="Clinic", issuer="http://ehr.test/fhir")
    db.session.add(org)
    db.session.flush()
    user = User(organization_id=org.id, issuer=org.issuer or "", fhir_user="http://ehr.test/fhir/Practitioner/1")
    db.session.add(user)
    db.session.flush()
    return org, user


def test_tokens_and_note_text_are_encrypted_at_rest(app: Flask) -> None:
    with app.app_context():
        org, user = _org_user()
        launch = LaunchSession(
            user_id=user.id,
            registration_id="sandbox",
            issuer=org.issuer or "",
            token_endpoint="http://ehr.test/token",
            access_token="secret-access-token",
            refresh_token="secret-refresh-token",
        )
        enc = Encounter(organization_id=org.id, source_system=org.issuer, fhir_encounter_id="e1")
        db.session.add_all([launch, enc])
        db.session.flush()
        db.session.add(
            Note(
                encounter_id=enc.id,
                resource_type="DocumentReference",
                resource_id="d1",
                text="Martha Collins has hypertension.",
            )
        )
        db.session.commit()

        raw_tokens = db.session.execute(text("SELECT access_token, refresh_token FROM launch_sessions")).one()
        raw_note = db.session.execute(text("SELECT text FROM notes")).scalar_one()
        assert "secret-access-token" not in raw_tokens[0] and "secret-refresh-token" not in raw_tokens[1]
        assert "Martha" not in raw_note and "hypertension" not in raw_note

        db.session.expire_all()
        assert db.session.scalars(select(LaunchSession)).one().access_token == "secret-access-token"
        assert db.session.scalars(select(Note)).one().text == "Martha Collins has hypertension."


def test_one_row_per_ehr_encounter(app: Flask) -> None:
    with app.app_context():
        org, _ = _org_user()
        db.session.add(
            Encounter(
                organization_id=org.id, source=EncounterSource.FHIR, source_system=org.issuer, fhir_encounter_id="e7"
            )
        )
        db.session.commit()
        db.session.add(
            Encounter(
                organization_id=org.id, source=EncounterSource.FHIR, source_system=org.issuer, fhir_encounter_id="e7"
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # The same Encounter id on another EHR is another encounter.
        db.session.add(
            Encounter(organization_id=org.id, source_system="http://other.test/fhir", fhir_encounter_id="e7")
        )
        db.session.commit()


def test_one_claim_submission_per_idempotency_key(app: Flask) -> None:
    with app.app_context():
        org, _ = _org_user()
        enc = Encounter(organization_id=org.id, source_system=org.issuer, fhir_encounter_id="e9")
        db.session.add(enc)
        db.session.flush()
        run = CodingRun(encounter_id=enc.id)
        db.session.add(run)
        db.session.flush()
        db.session.add(ClaimSubmission(encounter_id=enc.id, run_id=run.id, idempotency_key="k-1"))
        db.session.commit()
        db.session.add(ClaimSubmission(encounter_id=enc.id, run_id=run.id, idempotency_key="k-1"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_migrations_match_the_models(database_url: str) -> None:
    """Alembic's autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from smartapp.models import Base

    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
