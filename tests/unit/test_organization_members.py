"""Organisation administrators manage members (issue 17 item 5): invite by EHR identity (a member at
once when RevRX knows the person) or by e-mail (a member at the next sign-in whose id_token carries that
address), change roles there, remove; a person's own organisation is never taken from them; each
administrator sees their organisation's audit trail only."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp.accounts import members
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Invitation, Organization, Role, User
from smartapp.smart.identity import Identity
from smartapp.smart.registry import Registration
from smartapp.smart.users import user_for_launch
from tests.support.review_data import Browser

pytestmark = pytest.mark.db

FHIR = "https://ehr.south.example/fhir"
REG = Registration(id="south", name="South EHR", vendor="generic", iss=FHIR, client_id="c", client_auth="public",
                   scopes=("openid",), launch_url="x", redirect_uris=("y",))


def _seed(app: Flask) -> dict[str, int]:
    with app.app_context():
        north, other = Organization(name="Clinic North"), Organization(name="Other Health")
        db.session.add_all([north, other])
        db.session.flush()
        admin = User(organization_id=north.id, issuer="https://ehr.north/fhir", fhir_user="https://ehr.north/fhir/Practitioner/a",
                     display_name="Ann Admin", role=Role.ADMIN)
        outsider = User(organization_id=other.id, issuer="https://ehr.other/fhir",
                        fhir_user="https://ehr.other/fhir/Practitioner/o1", display_name="Oscar Other", role=Role.ADMIN)
        db.session.add_all([admin, outsider])
        db.session.commit()
        return {"north": north.id, "other": other.id, "admin": admin.id, "outsider": outsider.id}


def test_inviting_a_known_person_by_ehr_identity_makes_them_a_member_with_the_roles_chosen(app: Flask) -> None:
    ids = _seed(app)
    browser = Browser(app, ids["admin"])
    browser.page("/people")
    done = browser.client.post("/people/invite", data={"fhir_user": "https://ehr.other/fhir/Practitioner/o1",
                                                       "roles": "read_only", "csrf_token": browser.csrf})
    assert done.status_code == 302
    page = browser.page("/people")
    assert "Oscar Other" in page and f'data-testid="remove-{ids["outsider"]}"' in page
    assert "signs in through Other Health" in page
    with app.app_context():
        oscar = db.session.get(User, ids["outsider"])
        assert oscar is not None and oscar.roles == {Role.ADMIN}, "still an administrator at home"
        assert oscar.act_in(ids["north"]) and oscar.roles == {Role.READ_ONLY}, "read-only in Clinic North"
    again = browser.client.post("/people/invite", data={"fhir_user": "https://ehr.other/fhir/Practitioner/o1",
                                                        "roles": "coder", "csrf_token": browser.csrf})
    assert again.status_code == 409 and "already belongs" in again.get_data(as_text=True)


def test_an_invitation_by_email_waits_for_the_next_sign_in(app: Flask) -> None:
    ids = _seed(app)
    with app.app_context():
        admin = db.session.get(User, ids["admin"])
        assert admin is not None
        pending = members.invite(db.session, admin, {Role.CODER}, email="Sam.Coder@South.example")
        assert isinstance(pending, Invitation)
        db.session.commit()
        sam = user_for_launch(db.session, REG, Identity(subject="s1", fhir_user=f"{FHIR}/Practitioner/s1",
                                                        display_name="Sam", issuer=FHIR,
                                                        claims={"email": "sam.coder@south.example"}),
                              ehr_launch=False)
        db.session.commit()
        assert sam.is_member_of(ids["north"]) and sam.act_in(ids["north"]) and sam.roles == {Role.CODER}
        row = db.session.scalar(select(Invitation))
        assert row is not None and row.accepted_by_id == sam.id
        assert members.pending_invitations(db.session, ids["north"]) == []


def test_removing_a_member_and_never_their_own_organisation(app: Flask) -> None:
    ids = _seed(app)
    with app.app_context():
        admin, oscar = db.session.get(User, ids["admin"]), db.session.get(User, ids["outsider"])
        assert admin is not None and oscar is not None
        members.invite(db.session, admin, {Role.CODER}, fhir_user=oscar.fhir_user)
        db.session.commit()
    browser = Browser(app, ids["admin"])
    browser.page("/people")
    removed = browser.client.post(f"/people/{ids['outsider']}/remove", data={"csrf_token": browser.csrf})
    assert removed.status_code == 302
    assert "Oscar Other" not in browser.page("/people")
    assert browser.client.post(f"/people/{ids['outsider']}/remove",
                               data={"csrf_token": browser.csrf}).status_code == 404, "no longer in Clinic North"
    with app.app_context():
        oscar = db.session.get(User, ids["outsider"])
        assert oscar is not None and not oscar.is_member_of(ids["north"]) and oscar.is_member_of(ids["other"])
        admin = db.session.get(User, ids["admin"])
        assert admin is not None
        with pytest.raises(UserFacingError) as refused:
            members.remove(db.session, admin, admin)
        assert refused.value.status == 409 and "deactivate" in refused.value.message


def test_an_administrator_sees_their_organisations_audit_trail_only(app: Flask) -> None:
    ids = _seed(app)
    with app.app_context():
        admin, oscar = db.session.get(User, ids["admin"]), db.session.get(User, ids["outsider"])
        assert admin is not None and oscar is not None
        members.invite(db.session, admin, {Role.CODER}, email="north-only@example.org")
        members.invite(db.session, oscar, {Role.CODER}, email="other-only@example.org")
        db.session.commit()
    page = Browser(app, ids["admin"]).page("/audit")
    assert "north-only@example.org" in page and "other-only@example.org" not in page
    with app.app_context():
        coder = User(organization_id=ids["north"], issuer="x", fhir_user="x/Practitioner/c", role=Role.CODER)
        db.session.add(coder)
        db.session.commit()
        coder_id = coder.id
    assert Browser(app, coder_id).client.get("/audit").status_code == 403
