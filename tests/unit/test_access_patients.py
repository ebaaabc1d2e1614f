"""A signed-in patient (a patient-facing launch, fhirUser Patient/...) sees only their own encounters:
not the organisation's queue, not another patient's page, report or API record (trust boundary, item 2)."""

from __future__ import annotations

import pytest
from flask import Flask

from smartapp.extensions import db
from smartapp.models import Encounter, EncounterSource, Role, User
from tests.support.review_data import ISS, Browser, Seeded

pytestmark = pytest.mark.db


def _patient(app: Flask, seeded: Seeded, patient_id: str) -> tuple[int, int]:
    """A patient user for `patient_id`, and an encounter of theirs; the seeded one is p900's."""
    with app.app_context():
        clinic = db.session.get(User, seeded.users["admin"])
        assert clinic is not None
        me = User(organization_id=clinic.organization_id, issuer=ISS, fhir_user=f"{ISS}/Patient/{patient_id}",
                  display_name="A patient", role=Role.READ_ONLY)
        own = Encounter(organization_id=clinic.organization_id, source=EncounterSource.FHIR, source_system=ISS,
                        fhir_encounter_id=f"e-{patient_id}", fhir_patient_id=patient_id)
        db.session.add_all([me, own])
        db.session.commit()
        return me.id, own.id


def test_a_patient_sees_only_their_own_encounters(app: Flask, seeded: Seeded) -> None:
    user_id, own = _patient(app, seeded, "p-self")
    me = Browser(app, user_id)
    queue = me.page("/")
    assert f'id="pick-{own}"' in queue and f'id="pick-{seeded.encounter_id}"' not in queue
    assert me.client.get(f"/encounters/{own}").status_code == 200
    other = me.client.get(f"/encounters/{seeded.encounter_id}")
    assert other.status_code == 403 and "only their own" in other.get_data(as_text=True)
    assert me.client.get(f"/encounters/{seeded.encounter_id}/report.json").status_code == 403
    assert me.client.get(f"/encounters/{seeded.encounter_id}/coding", headers={"HX-Request": "true"}).status_code == 403


def test_a_related_person_sees_nothing(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        clinic = db.session.get(User, seeded.users["admin"])
        assert clinic is not None
        related = User(organization_id=clinic.organization_id, issuer=ISS, fhir_user=f"{ISS}/RelatedPerson/r1",
                       display_name="A relative", role=Role.READ_ONLY)
        db.session.add(related)
        db.session.commit()
        related_id = related.id
    me = Browser(app, related_id)
    assert f'id="pick-{seeded.encounter_id}"' not in me.page("/")
    assert me.client.get(f"/encounters/{seeded.encounter_id}").status_code == 403


def test_the_approval_job_asks_the_rule_again(app: Flask, seeded: Seeded) -> None:
    """"Approve selected" queues a job; if the person may no longer decide when it runs (a read-only
    account, a colleague's encounter), nothing is sent and the encounter goes back to ready."""
    from sqlalchemy import func, select

    from smartapp.ehr_access.routing import Route
    from smartapp.models import ClaimSubmission, EncounterStatus
    from smartapp.writeback.approval import approve_queued

    with app.app_context():
        encounter = db.session.get(Encounter, seeded.encounter_id)
        reader = db.session.get(User, seeded.users["read_only"])
        assert encounter is not None and reader is not None
        encounter.status = EncounterStatus.APPROVING
        db.session.commit()
        assert approve_queued(db.session, encounter, reader, Route(None)) == EncounterStatus.READY
        assert db.session.scalar(select(func.count()).select_from(ClaimSubmission)) == 0
