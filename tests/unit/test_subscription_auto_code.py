"""Auto-processing rules (issue 17 item 3) on the real database: a later note re-codes an encounter
nobody has decided on; while a run waits, further notes add nothing (debounced); after a person's
decision the note waits for their consent (the queue says "new note") and nothing is re-coded; the
per-connection switch and encounter classes are kept and checked."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from smartapp.extensions import db
from smartapp.models import CodingRun, Decision, Encounter, FhirConnection, Suggestion
from smartapp.subscriptions import auto_code
from tests.support.review_data import Seeded

pytestmark = pytest.mark.db


def _runs(encounter_id: int) -> int:
    return int(db.session.scalar(select(func.count(CodingRun.id)).where(CodingRun.encounter_id == encounter_id)) or 0)


def test_a_note_recodes_once_then_waits_for_consent_after_a_decision(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        enc = db.session.get(Encounter, seeded.encounter_id)
        assert enc is not None
        before = _runs(enc.id)
        assert auto_code.recode_for_note(db.session, enc, "local") == "recoded"
        assert auto_code.recode_for_note(db.session, enc, "local") == "pending", "the waiting run reads it"
        db.session.commit()
        assert _runs(enc.id) == before + 1

        new_run = db.session.scalar(select(CodingRun).where(CodingRun.encounter_id == enc.id)
                                    .order_by(CodingRun.id.desc()).limit(1))
        assert new_run is not None
        new_run.status = new_run.status.__class__.COMPLETE
        db.session.add(Suggestion(run_id=new_run.id, system="http://hl7.org/fhir/sid/icd-10-cm", code="I10",
                                  display="Essential hypertension", rank=1, confidence=0.9,
                                  decision=Decision.ACCEPTED))
        db.session.commit()
        assert auto_code.recode_for_note(db.session, enc, "local") == "waiting"
        db.session.commit()
        assert _runs(enc.id) == before + 1, "never re-coded over a person's decision"
        assert auto_code.badges(db.session, [enc.id]) == {enc.id: "new note"}
        auto_code.clear_note_waiting(db.session, enc.id)   # the coder pressed "Re-run coding"
        assert auto_code.badges(db.session, [enc.id]) == {}


def test_arrivals_are_new_until_opened(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        enc = db.session.get(Encounter, seeded.encounter_id)
        assert enc is not None
        auto_code.mark_arrival(db.session, enc)
        db.session.commit()
        assert auto_code.badges(db.session, [enc.id]) == {enc.id: "new"}
        auto_code.mark_seen(db.session, enc.id)
        assert auto_code.badges(db.session, [enc.id]) == {}


def test_switch_and_classes_are_per_connection(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        enc = db.session.get(Encounter, seeded.encounter_id)
        assert enc is not None
        conn = FhirConnection(organization_id=enc.organization_id, name="EHR", base_url="https://ehr.example/fhir")
        db.session.add(conn)
        db.session.flush()
        assert auto_code.describe_settings(auto_code.settings_for(db.session, conn)) == {
            "auto_code": True, "encounter_classes": []}
        saved = auto_code.save_settings(db.session, conn, False, ["amb", "EMER"])
        db.session.commit()
        assert auto_code.describe_settings(saved) == {"auto_code": False, "encounter_classes": ["AMB", "EMER"]}
        assert auto_code.class_allowed(saved, "AMB") and not auto_code.class_allowed(saved, "IMP")
        with pytest.raises(ValueError, match="unknown encounter class"):
            auto_code.save_settings(db.session, conn, True, ["NOPE"])
