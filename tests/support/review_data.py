"""Rows for review-page tests: an organization, people in each role, and one coded encounter with a
note whose evidence offsets point at real text (diagnoses E11.9 and I10, E/M 99213)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient

from smartapp.extensions import db
from smartapp.models import (
    CodingRun,
    Encounter,
    EncounterSource,
    Note,
    Organization,
    Role,
    RunStatus,
    Suggestion,
    User,
)

ISS = "http://ehr.test/fhir"
NOTE = ("Assessment: Type 2 diabetes mellitus without complications, stable on metformin. "
        "Essential hypertension, controlled. Denies chest pain.")


@dataclass
class Seeded:
    encounter_id: int
    run_id: int
    users: dict[str, int]           # role name -> user id
    suggestions: dict[str, int]     # code -> suggestion id


def _span(phrase: str) -> dict[str, int]:
    start = NOTE.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def seed(app: Flask) -> Seeded:
    with app.app_context():
        org = Organization(name="Clinic", issuer=ISS)
        db.session.add(org)
        db.session.flush()
        users = {}
        for role in (Role.CLINICIAN, Role.CODER, Role.ADMIN, Role.READ_ONLY):
            u = User(organization_id=org.id, issuer=ISS, fhir_user=f"{ISS}/Practitioner/{role.value}",
                     display_name=f"Dr {role.value.title()}", role=role)
            db.session.add(u)
            db.session.flush()
            users[role.value] = u.id
        other = User(organization_id=org.id, issuer=ISS, fhir_user=f"{ISS}/Practitioner/other",
                     display_name="Dr Other", role=Role.CLINICIAN)
        db.session.add(other)
        db.session.flush()
        users["other_clinician"] = other.id
        enc = Encounter(organization_id=org.id, source=EncounterSource.FHIR, source_system=ISS,
                        fhir_encounter_id="e900", fhir_patient_id="p900", fhir_provider_id="pr1",
                        provider_name="Dr Clinician", encounter_type="Office Visit",
                        date_of_service=date(2026, 2, 3), launched_by_id=users["clinician"])
        db.session.add(enc)
        db.session.flush()
        note = Note(encounter_id=enc.id, resource_type="DocumentReference", resource_id="dr900", text=NOTE,
                    title="Progress note")
        run = CodingRun(encounter_id=enc.id, status=RunStatus.COMPLETE, engine="local",
                        finished_at=datetime.now(UTC))
        db.session.add_all([note, run])
        db.session.flush()
        rows = [
            Suggestion(run_id=run.id, system="http://hl7.org/fhir/sid/icd-10-cm", code="E11.9",
                       display="Type 2 diabetes mellitus without complications", category="diagnosis", rank=1,
                       confidence=0.9, rationale="documented in the assessment",
                       evidence=[{"note_id": note.id, **_span("Type 2 diabetes mellitus without complications")}]),
            Suggestion(run_id=run.id, system="http://hl7.org/fhir/sid/icd-10-cm", code="I10",
                       display="Essential (primary) hypertension", category="diagnosis", rank=2, confidence=0.85,
                       rationale="documented in the assessment",
                       evidence=[{"note_id": note.id, **_span("Essential hypertension")}]),
            Suggestion(run_id=run.id, system="http://www.ama-assn.org/go/cpt", code="99213",
                       display="Office visit, established patient, low MDM", category="em", rank=3,
                       confidence=0.6, rationale="two stable chronic illnesses"),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return Seeded(enc.id, run.id, users, {s.code: s.id for s in rows})


class Browser:
    """A signed-in Flask test client that sends htmx's headers and the CSRF token like the page does."""

    def __init__(self, app: Flask, user_id: int) -> None:
        from smartapp.accounts import sessions
        from smartapp.models import User
        from smartapp.web.sessions import SID_KEY

        self.app = app
        self.client: FlaskClient = app.test_client()
        with app.app_context():   # a real server-side session, as a sign-in makes
            sid = sessions.start(db.session, db.session.get(User, user_id))  # type: ignore[arg-type]
            db.session.commit()
        with self.client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
            session[SID_KEY] = sid
        self.csrf = ""

    def page(self, path: str) -> str:
        response = self.client.get(path)
        text = response.get_data(as_text=True)
        marker = '"X-CSRFToken": "'
        if marker in text:
            self.csrf = text.split(marker, 1)[1].split('"', 1)[0]
        return text

    def get(self, path: str, **params: str):  # type: ignore[no-untyped-def]
        return self.client.get(path, query_string=params, headers={"HX-Request": "true"})

    def post(self, path: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(path, data=data or {}, headers={"HX-Request": "true", "X-CSRFToken": self.csrf})

    def approve(self, encounter_id: int, data: dict[str, str] | None = None) -> str:
        """Press "Approve & write back" (or its confirm), let the write-back job run, and return the
        panel the page's polling then shows."""
        first = self.post(f"/encounters/{encounter_id}/approve", data).get_data(as_text=True)
        if 'data-testid="writeback-progress"' not in first:
            return str(first)
        run_write_back_jobs(self.app)
        return str(self.get(f"/encounters/{encounter_id}/writeback").get_data(as_text=True))


def run_write_back_jobs(app: Flask) -> int:
    """Do what a worker would with the write-back jobs the app queued (the in-process tests have no
    worker): the same service call as `workers.jobs.write_back`, with the app's runtime. Returns how many."""
    from rq.job import Job

    from smartapp.extensions import jobs
    from smartapp.models import Encounter, User
    from smartapp.web.runtime import RUNTIME_KEY
    from smartapp.writeback.approval import approve_reviewed

    done = 0
    with app.app_context():
        assert jobs.queue is not None
        for job_id in jobs.queue.get_job_ids():
            job = Job.fetch(job_id, connection=jobs.queue.connection)
            if job.func_name != "workers.jobs.write_back":
                continue
            jobs.queue.remove(job)
            encounter_id, user_id, digest = job.args
            encounter, user = db.session.get(Encounter, encounter_id), db.session.get(User, user_id)
            if encounter is None or user is None:   # left by an earlier test: gone, as the job says
                job.delete()
                continue
            route = app.extensions[RUNTIME_KEY].ehr.route(db.session, encounter, user)
            approve_reviewed(db.session, encounter, user, route, digest or None)
            job.delete()
            done += 1
        db.remove()
    return done
