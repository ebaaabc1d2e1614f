"""A person in several organisations (issue 17 items 5 and 8): the header's switcher chooses the one they
act in, and the queue, the encounter pages and the API show only that organisation's work; another
organisation's ids do not exist (404) while it is not the active one."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from smartapp.accounts.api_tokens import create_token
from smartapp.extensions import db
from smartapp.models import Encounter, EncounterSource, EncounterStatus, Membership, Organization, Role, User
from tests.support.review_data import Browser

pytestmark = pytest.mark.db


def _two_organisations(app: Flask) -> dict[str, int]:
    """Clinic North (home of the coder) and Clinic South (the coder invited there), one encounter each."""
    with app.app_context():
        north, south = Organization(name="Clinic North"), Organization(name="Clinic South")
        db.session.add_all([north, south])
        db.session.flush()
        encounters = [Encounter(organization_id=org.id, source=EncounterSource.FHIR, source_system="https://ehr/fhir",
                                fhir_encounter_id="same-visit", fhir_patient_id="p1", provider_name=f"Dr. {who}",
                                date_of_service=date(2026, 1, 5), status=EncounterStatus.READY)
                      for org, who in ((north, "Northman"), (south, "Southey"))]
        coder = User(organization_id=north.id, issuer="revrx:local", fhir_user="local:coder", display_name="Casey",
                     role=Role.CODER)
        db.session.add_all([*encounters, coder])
        db.session.flush()
        coder.memberships.append(Membership(organization_id=south.id))
        coder.act_in(south.id)
        coder.set_roles({Role.CODER}, coder.grants[0].source)
        db.session.commit()
        return {"north": north.id, "south": south.id, "north_enc": encounters[0].id,
                "south_enc": encounters[1].id, "coder": coder.id}


def test_switching_organisation_changes_what_the_queue_shows(app: Flask) -> None:
    ids = _two_organisations(app)
    browser = Browser(app, ids["coder"])
    queue = browser.page("/")
    assert "Dr. Northman" in queue and "Dr. Southey" not in queue
    assert 'name="organization_id"' in queue and "Clinic South" in queue, "the header's switcher"
    assert browser.client.get(f"/encounters/{ids['north_enc']}").status_code == 200
    assert browser.client.get(f"/encounters/{ids['south_enc']}").status_code == 404

    switched = browser.client.post("/organization", data={"organization_id": ids["south"], "csrf_token": browser.csrf})
    assert switched.status_code == 302
    queue = browser.page("/")
    assert "Dr. Southey" in queue and "Dr. Northman" not in queue
    assert browser.client.get(f"/encounters/{ids['north_enc']}").status_code == 404, "North's id while South is active"
    assert browser.client.get(f"/encounters/{ids['south_enc']}").status_code == 200


def test_one_cannot_switch_into_an_organisation_one_does_not_belong_to(app: Flask) -> None:
    ids = _two_organisations(app)
    with app.app_context():
        elsewhere = Organization(name="Elsewhere")
        db.session.add(elsewhere)
        db.session.commit()
        elsewhere_id = elsewhere.id
    browser = Browser(app, ids["coder"])
    browser.page("/")
    refused = browser.client.post("/organization", data={"organization_id": elsewhere_id, "csrf_token": browser.csrf})
    assert refused.status_code == 404
    assert "Dr. Northman" in browser.page("/"), "still acting in the home organisation"


def test_an_api_token_acts_in_the_organisation_it_was_issued_for(app: Flask) -> None:
    ids = _two_organisations(app)
    with app.app_context():
        coder = db.session.get(User, ids["coder"])
        assert coder is not None
        north_token = create_token(db.session, coder, name="north")
        coder.act_in(ids["south"])
        south_token = create_token(db.session, coder, name="south")
    client = app.test_client()

    def listed(token: str) -> set[int]:
        body = client.get("/api/v1/encounters", headers={"Authorization": f"Bearer {token}"}).json
        return {e["id"] for e in body["items"]}

    assert listed(north_token) == {ids["north_enc"]}
    assert listed(south_token) == {ids["south_enc"]}
    south = {"Authorization": f"Bearer {south_token}"}
    assert client.get(f"/api/v1/encounters/{ids['north_enc']}", headers=south).status_code == 404


def test_roles_are_held_per_organisation(app: Flask) -> None:
    ids = _two_organisations(app)
    with app.app_context():
        coder = db.session.get(User, ids["coder"])
        assert coder is not None
        coder.act_in(ids["south"])
        coder.set_roles({Role.READ_ONLY}, coder.grants[0].source)
        db.session.commit()
    browser = Browser(app, ids["coder"])
    assert "coder" in browser.page("/").split('class="who" title="Signed in"')[1][:200]
    browser.client.post("/organization", data={"organization_id": ids["south"], "csrf_token": browser.csrf})
    assert "read only" in browser.page("/").split('class="who" title="Signed in"')[1][:200]
