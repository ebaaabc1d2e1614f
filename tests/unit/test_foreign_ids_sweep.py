"""Every route, page and API, given another organisation's ids answers 404 — as an unknown id does,
so it tells nothing about what exists (issue 17 item 8). The sweep walks the app's url_map, so a route
added later is swept too (a new kind of id in a path fails the test until it is given a foreign object).

The person sweeping is an administrator in both organisations, acting in their own: the strongest case
(being a member of the other organisation must not open its objects while it is not the active one)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from smartapp.accounts import members
from smartapp.accounts.api_tokens import create_token
from smartapp.extensions import db
from smartapp.models import (
    AuthType,
    EhrSubscription,
    Encounter,
    EncounterSource,
    FhirConnection,
    Membership,
    Organization,
    Role,
    SyncRun,
    UploadedFile,
    User,
)
from tests.support.review_data import Browser, seed

pytestmark = pytest.mark.db

# Path arguments that are not ids: valid values, so the route gets as far as looking the id up (an invalid
# one would answer 404 before the id is ever read, and the sweep would prove nothing). Each value is swept.
VALUES: dict[str, tuple[str, ...]] = {"category": ("diagnosis",), "fmt": ("pdf",), "chart": ("acceptance",),
                                      "action": ("pause",), "kind": ("claim.json", "bar-p12.hl7")}
# Routes with no id of an organisation's object in their path: public keys by an unguessable token, and
# the EHR's subscription notifications, authenticated by each subscription's own secret (the
# subscription tests send them).
NOT_OWNED = {"static", "web.connection_jwks", "api.insights_chart", "web.insights_csv", "web.subscription_hook"}


def _foreign(app: Flask) -> tuple[dict[str, int], int, str]:
    """The other organisation's objects (by path argument name), the sweeper's id and their API token."""
    theirs = seed(app)   # "Clinic": an encounter coded with suggestions, people in each role
    with app.app_context():
        their_admin = db.session.get(User, theirs.users["admin"])
        assert their_admin is not None
        other_org = their_admin.home_organization_id
        connection = FhirConnection(organization_id=other_org, name="Theirs", base_url="https://ehr.example.org/fhir",
                                    auth_type=AuthType.CLIENT_CREDENTIALS, client_id="c", secret="s")
        db.session.add(connection)
        db.session.flush()
        sync = SyncRun(organization_id=other_org, connection_id=connection.id)
        upload_enc = Encounter(organization_id=other_org, source=EncounterSource.FILE_UPLOAD, file_sha256="1" * 64)
        db.session.add_all([sync, upload_enc])
        db.session.flush()
        db.session.add(UploadedFile(organization_id=other_org, encounter_id=upload_enc.id, sha256="1" * 64,
                                    filename="note.txt", media_type="text/plain", size_bytes=5, storage="local",
                                    storage_key="nowhere"))
        invitation = members.invite(db.session, their_admin, {Role.CODER}, email="someone@example.org")
        subscription = EhrSubscription(organization_id=other_org, connection_id=connection.id, public_id="theirs",
                                       secret="s", header_name="X-Secret", criteria="Encounter?status=finished")
        db.session.add(subscription)
        db.session.commit()
        token_id = _token_id(their_admin)

        mine = Organization(name="My Clinic")
        db.session.add(mine)
        db.session.flush()
        me = User(organization_id=mine.id, issuer="revrx:local", fhir_user="local:sweeper", display_name="Sweeper",
                  role=Role.ADMIN)
        db.session.add(me)
        db.session.flush()
        me.memberships.append(Membership(organization_id=other_org))   # a member there too, as an admin
        me.act_in(other_org)
        me.set_roles({Role.ADMIN}, me.grants[0].source)
        me.act_in(mine.id)
        db.session.commit()
        my_token = create_token(db.session, me)   # issued for my own organisation
        ids = {"encounter_id": theirs.encounter_id, "suggestion_id": next(iter(theirs.suggestions.values())),
               "connection_id": connection.id, "sync_id": sync.id, "user_id": theirs.users["coder"],
               "token_id": token_id, "invitation_id": invitation.id, "upload_encounter_id": upload_enc.id,
               "subscription_id": subscription.id}
        return ids, me.id, my_token


def _token_id(person: User) -> int:
    create_token(db.session, person, name="theirs")
    from smartapp.models import ApiToken
    row = db.session.query(ApiToken).filter_by(user_id=person.id).one()
    return row.id


def _calls(app: Flask, ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(method, path, endpoint) for every route whose path names an object by id."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_OWNED or not rule.arguments:
            continue
        variants: list[dict[str, Any]] = [{}]
        for name in rule.arguments:
            if name in VALUES:
                variants = [{**args, name: value} for args in variants for value in VALUES[name]]
            elif name in ids:
                variants = [{**args, name: ids[name]} for args in variants]
            else:
                pytest.fail(f"{rule.rule}: give the sweep a foreign object for <{name}>")
        for args in variants:
            if rule.endpoint in ("web.upload_original", "api.get_upload"):
                args["encounter_id"] = ids["upload_encounter_id"]
            path = _build(app, rule.endpoint, args)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                out.append((method, path, rule.endpoint))
    return out


def _build(app: Flask, endpoint: str, args: dict[str, Any]) -> str:
    from flask import url_for
    with app.test_request_context():
        return url_for(endpoint, **args)


def test_every_route_answers_404_for_another_organisations_ids(app: Flask) -> None:
    ids, me, token = _foreign(app)
    browser = Browser(app, me)
    browser.page("/")
    api = {"Authorization": f"Bearer {token}"}
    calls = _calls(app, ids)
    assert len(calls) >= 40, "the sweep found the routes"
    wrong = []
    for method, path, endpoint in calls:
        if path.startswith("/api/"):
            response = browser.client.open(path, method=method, headers=api, json={})
        else:
            response = browser.client.open(path, method=method, data={"csrf_token": browser.csrf},
                                           headers={"X-CSRFToken": browser.csrf})
        if response.status_code != 404:
            wrong.append(f"{method} {path} ({endpoint}): {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    # The control: the ids are real, and open once the other organisation is the active one.
    browser.client.post("/organization", data={"organization_id": _org_of(app, ids["encounter_id"]),
                                               "csrf_token": browser.csrf})
    assert browser.client.get(f"/encounters/{ids['encounter_id']}").status_code == 200
    assert browser.client.get(f"/connections/{ids['connection_id']}").status_code == 200
    assert browser.client.get(f"/syncs/{ids['sync_id']}").status_code == 200


def _org_of(app: Flask, encounter_id: int) -> int:
    with app.app_context():
        enc = db.session.get(Encounter, encounter_id)
        assert enc is not None
        return enc.organization_id


def test_ids_in_forms_and_bodies_answer_404_too(app: Flask) -> None:
    ids, me, token = _foreign(app)
    browser = Browser(app, me)
    browser.page("/")
    api = {"Authorization": f"Bearer {token}"}
    for path in ("/queue/code", "/queue/approve"):
        response = browser.client.post(path, data={"ids": str(ids["encounter_id"]), "csrf_token": browser.csrf})
        assert response.status_code == 404, path
    for path, body in (("/api/v1/fhir/sync-encounters", {"fhir_connection_id": ids["connection_id"]}),
                       ("/api/v1/fhir/ingest-encounter", {"fhir_connection_id": ids["connection_id"],
                                                          "fhir_encounter_id": "e1"})):
        assert browser.client.post(path, headers=api, json=body).status_code == 404, path
    listed = browser.client.get("/api/v1/encounters", headers=api).json["items"]
    assert ids["encounter_id"] not in {e["id"] for e in listed}
    assert browser.client.get(f"/api/v1/encounters?connection_id={ids['connection_id']}", headers=api).json[
        "items"] == []
