"""Connections belong to the organisation or to one person (issue 17 item 6): the organisation's are
shared with its coders and changed by its administrators; a private one's encounters belong to the
organisation but only its owner and the administrators see them; the queue filters by connection."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from smartapp.accounts.api_tokens import create_token
from smartapp.extensions import db
from smartapp.models import Encounter, EncounterSource, EncounterStatus, Organization, Role, User
from tests.support.buttons import button_names
from tests.support.review_data import Browser

pytestmark = pytest.mark.db

NEW = {"name": "Sandbox", "base_url": "https://ehr.example.org/fhir", "auth_type": "CLIENT_CREDENTIALS",
       "client_id": "revrx", "secret": "s3cret"}


def _people(app: Flask) -> dict[str, int]:
    with app.app_context():
        org = Organization(name="Clinic North")
        db.session.add(org)
        db.session.flush()
        people = {name: User(organization_id=org.id, issuer="revrx:local", fhir_user=f"local:{name}",
                             display_name=name.title(), role=role)
                  for name, role in (("admin", Role.ADMIN), ("casey", Role.CODER), ("dana", Role.CODER))}
        db.session.add_all(people.values())
        db.session.commit()
        return {"org": org.id, **{name: u.id for name, u in people.items()}}


def _api(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        person = db.session.get(User, user_id)
        assert person is not None
        return {"Authorization": f"Bearer {create_token(db.session, person)}"}


def _arrived_by(app: Flask, org_id: int, connection_id: int, who: str) -> int:
    with app.app_context():
        enc = Encounter(organization_id=org_id, source=EncounterSource.FHIR, source_system="https://ehr.example.org/fhir",
                        fhir_encounter_id=f"enc-{who}", provider_name=f"Dr. {who}", date_of_service=date(2026, 2, 1),
                        status=EncounterStatus.READY, fhir_connection_id=connection_id)
        db.session.add(enc)
        db.session.commit()
        return enc.id


def test_shared_and_private_connections(app: Flask) -> None:
    ids = _people(app)
    client = app.test_client()
    admin, casey, dana = (_api(app, ids[n]) for n in ("admin", "casey", "dana"))
    shared = client.post("/api/v1/fhir-connections", headers=admin, json=NEW).json
    assert shared["sharing"] == "organization" and shared["owner_id"] is None
    mine = client.post("/api/v1/fhir-connections", headers=casey, json={**NEW, "name": "Casey's"}).json
    assert mine["sharing"] == "private" and mine["owner_id"] == ids["casey"] and mine["owner_name"] == "Casey"
    refused = client.post("/api/v1/fhir-connections", headers=casey, json={**NEW, "private": False})
    assert refused.status_code == 403 and "administrators" in refused.json["detail"]

    # The shared one: every coder sees it; only an administrator changes it.
    assert client.get(f"/api/v1/fhir-connections/{shared['id']}", headers=dana).status_code == 200
    changed = client.patch(f"/api/v1/fhir-connections/{shared['id']}", headers=dana, json={"name": "x"})
    assert changed.status_code == 403
    assert client.patch(f"/api/v1/fhir-connections/{shared['id']}", headers=admin,
                        json={"name": "y"}).status_code == 200
    # Casey's private one: Dana does not even see it; Casey and the administrator do.
    assert client.get(f"/api/v1/fhir-connections/{mine['id']}", headers=dana).status_code == 404
    assert {c["id"] for c in client.get("/api/v1/fhir-connections", headers=dana).json["items"]} == {shared["id"]}
    assert client.patch(f"/api/v1/fhir-connections/{mine['id']}", headers=casey, json={"name": "z"}).status_code == 200
    assert client.get(f"/api/v1/fhir-connections/{mine['id']}", headers=admin).status_code == 200

    # What each brought in: the organisation's, but the private one's only for Casey and the administrator.
    from_shared, from_private = (_arrived_by(app, ids["org"], shared["id"], "Shared"),
                                 _arrived_by(app, ids["org"], mine["id"], "Private"))

    def listed(headers: dict[str, str]) -> set[int]:
        return {e["id"] for e in client.get("/api/v1/encounters", headers=headers).json["items"]}

    assert listed(dana) == {from_shared}
    assert listed(casey) == listed(admin) == {from_shared, from_private}
    assert client.get(f"/api/v1/encounters/{from_private}", headers=dana).status_code == 404
    dana_page = Browser(app, ids["dana"])
    assert dana_page.client.get(f"/encounters/{from_private}").status_code == 404
    assert "Dr. Private" not in dana_page.page("/")


def test_a_coder_switches_connection_without_leaving_the_queue(app: Flask) -> None:
    ids = _people(app)
    client = app.test_client()
    admin, casey = _api(app, ids["admin"]), _api(app, ids["casey"])
    shared = client.post("/api/v1/fhir-connections", headers=admin, json=NEW).json
    mine = client.post("/api/v1/fhir-connections", headers=casey, json={**NEW, "name": "Casey's"}).json
    _arrived_by(app, ids["org"], shared["id"], "Shared")
    _arrived_by(app, ids["org"], mine["id"], "Private")
    browser = Browser(app, ids["casey"])
    everything = browser.page("/")
    assert "Dr. Shared" in everything and "Dr. Private" in everything
    assert 'data-testid="filter-connection"' in everything and "Casey&#39;s (private)" in everything
    only_mine = browser.page(f"/?connection_id={mine['id']}")
    assert "Dr. Private" in only_mine and "Dr. Shared" not in only_mine
    only_shared = browser.page(f"/?connection_id={shared['id']}")
    assert "Dr. Shared" in only_shared and "Dr. Private" not in only_shared


def test_the_connection_pages_say_whose_a_connection_is(app: Flask) -> None:
    ids = _people(app)
    client = app.test_client()
    shared = client.post("/api/v1/fhir-connections", headers=_api(app, ids["admin"]), json=NEW).json
    mine = client.post("/api/v1/fhir-connections", headers=_api(app, ids["casey"]), json={**NEW, "name": "C"}).json
    casey = Browser(app, ids["casey"])
    listing = casey.page("/connections")
    assert "shared · Clinic North" in listing and "private · you" in listing
    assert 'data-testid="private-connection-note"' in listing, "a coder adds private connections"
    page = casey.page(f"/connections/{shared['id']}")
    assert 'data-sharing="organization"' in page and "Edit or delete" not in page
    assert "Edit or delete" in casey.page(f"/connections/{mine['id']}")
    assert 'data-testid="connection-sharing-choice"' in Browser(app, ids["admin"]).page("/connections")


def test_whoever_launched_an_encounter_from_the_ehr_sees_it_though_a_private_connection_brought_it(
        app: Flask) -> None:
    """The clinician reached it with their own EHR session: someone's private sync must not hide it
    (seen in the README walkthrough: Dana syncs privately, the sandbox's doctor then launches it)."""
    ids = _people(app)
    client = app.test_client()
    mine = client.post("/api/v1/fhir-connections", headers=_api(app, ids["casey"]), json=NEW).json
    enc_id = _arrived_by(app, ids["org"], mine["id"], "Private")
    with app.app_context():
        doctor = User(organization_id=ids["org"], issuer="revrx:local", fhir_user="local:doctor", role=Role.CLINICIAN)
        db.session.add(doctor)
        db.session.flush()
        enc = db.session.get(Encounter, enc_id)
        assert enc is not None
        enc.launched_by_id = doctor.id
        db.session.commit()
        doctor_id = doctor.id
    assert Browser(app, doctor_id).client.get(f"/encounters/{enc_id}").status_code == 200
    assert Browser(app, ids["dana"]).client.get(f"/encounters/{enc_id}").status_code == 404


def test_a_sync_page_says_whose_connection_it_ran_on(app: Flask) -> None:
    ids = _people(app)
    client = app.test_client()
    mine = client.post("/api/v1/fhir-connections", headers=_api(app, ids["casey"]), json=NEW).json
    with app.app_context():
        from smartapp.models import SyncRun
        run = SyncRun(organization_id=ids["org"], connection_id=mine["id"])
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    page = Browser(app, ids["casey"]).page(f"/syncs/{run_id}")
    assert 'data-sharing="private"' in page and "A private connection of yours" in page
    assert f"/?connection_id={mine['id']}" in page
    assert Browser(app, ids["dana"]).client.get(f"/syncs/{run_id}").status_code == 404


def test_every_button_on_a_connection_page_says_what_it_does(app: Flask) -> None:
    """Each section's form has its own button name (a screen reader lists buttons by name; two "Save"s on
    one page left a user, and the README walkthrough's browser test, unable to tell which saves what)."""
    ids = _people(app)
    shared = app.test_client().post("/api/v1/fhir-connections", headers=_api(app, ids["admin"]), json=NEW).json
    names = button_names(Browser(app, ids["admin"]).page(f"/connections/{shared['id']}"))
    assert "Save connection" in names and "Save auto-coding" in names
    assert len(names) == len(set(names)), names
