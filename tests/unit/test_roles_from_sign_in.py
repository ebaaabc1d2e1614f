"""Where roles come from (issue 16 item 3): the EHR's PractitionerRole codes or id_token claims as the
registration maps them, else the registration's default; recomputed at every sign-in, so the first one
no longer decides forever; a person may hold several; an administrator's decision overrides until it
is withdrawn; and access is decided on the whole set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp import access
from smartapp.accounts.roles import change_roles
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Encounter, Organization, Role, RoleSource, User
from smartapp.smart.identity import Identity
from smartapp.smart.registry import RegistryError, load_registry
from smartapp.smart.roles import RolePolicyError, derive, parse_policy
from smartapp.smart.users import user_for_launch
from tests.support.review_data import Browser, Seeded

ROLE_SYS = "http://terminology.hl7.org/CodeSystem/practitioner-role"
STAFF = "http://revrx.example.org/fhir/CodeSystem/sandbox-staff-role"
POLICY = parse_policy({"practitioner_role": {"clinician": [f"{ROLE_SYS}|doctor"], "coder": [f"{STAFF}|coder"]},
                       "claim": "revrx_roles"}, "test")


def _derive(codes: list[str], *, ehr_launch: bool, person: str = "Practitioner",
            claims: dict[str, object] | None = None) -> set[Role]:
    return set(derive(POLICY, person_type=person, claims=claims or {}, role_codes=codes,
                      ehr_launch=ehr_launch).roles)


def test_the_ehr_decides_whatever_the_kind_of_launch() -> None:
    assert _derive([f"{STAFF}|coder"], ehr_launch=True) == {Role.CODER}
    assert _derive([f"{ROLE_SYS}|doctor"], ehr_launch=False) == {Role.CLINICIAN}
    assert _derive([f"{ROLE_SYS}|doctor", f"{STAFF}|coder"], ehr_launch=False) == {Role.CLINICIAN, Role.CODER}
    assert _derive(["other|thing"], ehr_launch=False) == {Role.CODER}, "unknown codes: the default policy"
    assert _derive([], ehr_launch=True, claims={"revrx_roles": "coder admin"}) == {Role.CODER, Role.ADMIN}
    assert _derive([], ehr_launch=True, claims={"revrx_roles": [f"{STAFF}|coder"]}) == {Role.CODER}
    assert _derive([f"{STAFF}|coder"], ehr_launch=False, person="Patient") == {Role.READ_ONLY}
    fixed = parse_policy({"otherwise": ["read_only"]}, "test")
    assert derive(fixed, person_type="Practitioner", claims={}, role_codes=[], ehr_launch=True).roles == \
        {Role.READ_ONLY}


@pytest.mark.parametrize("raw", [{"practitioner_role": {"owner": ["x"]}}, {"otherwise": []},
                                 {"otherwise": "sometimes"}, {"practitioner_role": {"coder": "x"}}, ["coder"]])
def test_a_policy_that_cannot_work_is_refused_with_its_fix(raw: object) -> None:
    with pytest.raises(RolePolicyError, match="test: roles"):
        parse_policy(raw, "test")


def test_launch_json_policies_load_and_a_bad_one_names_the_registration(tmp_path: Path) -> None:
    sandbox = load_registry().by_id("sandbox")
    assert sandbox is not None
    assert sandbox.roles.codes[f"{STAFF}|coder"] == {Role.CODER}
    raw = json.loads(Path(__file__).parents[2].joinpath("launch.json").read_text())
    raw["registrations"][0]["roles"] = {"otherwise": ["chief"]}
    bad = tmp_path / "launch.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(RegistryError, match="'sandbox': roles names an unknown role 'chief'"):
        load_registry(bad)


def _sign_in(app: Flask, codes: list[str] | None, *, ehr_launch: bool, who: str = "Practitioner/pr900") -> User:
    reg = load_registry().by_id("sandbox")
    assert reg is not None
    identity = Identity(subject="s", fhir_user=f"{reg.iss}/{who}", display_name="Pat Smith")
    with app.app_context():
        user = user_for_launch(db.session, reg, identity, ehr_launch=ehr_launch, role_codes=codes)
        db.session.commit()
        db.session.expunge(user)
        return user


@pytest.mark.db
def test_the_first_sign_in_no_longer_decides_forever(app: Flask) -> None:
    assert _sign_in(app, [], ehr_launch=True).roles == {Role.CLINICIAN}
    assert _sign_in(app, [], ehr_launch=False).roles == {Role.CODER}, "the same person signing in standalone"
    assert _sign_in(app, [f"{STAFF}|coder"], ehr_launch=True).roles == {Role.CODER}, "the EHR says coder"
    both = _sign_in(app, [f"{STAFF}|coder", f"{ROLE_SYS}|doctor"], ehr_launch=True)
    assert both.roles == {Role.CODER, Role.CLINICIAN}
    assert {g.source for g in both.grants} == {RoleSource.EHR}


@pytest.mark.db
def test_when_the_ehr_does_not_answer_the_roles_it_gave_last_time_stand(app: Flask) -> None:
    assert _sign_in(app, [f"{ROLE_SYS}|doctor"], ehr_launch=True).roles == {Role.CLINICIAN}
    outage = _sign_in(app, None, ehr_launch=False)   # standalone: the default would be coder
    assert outage.roles == {Role.CLINICIAN}, "an outage does not make a clinician a coder"
    first = _sign_in(app, None, ehr_launch=True, who="Practitioner/pr901")
    assert first.roles == {Role.CLINICIAN}, "a first sign-in gets the registration's default"


@pytest.mark.db
def test_an_administrators_decision_stands_across_sign_ins_until_withdrawn(app: Flask) -> None:
    user_id = _sign_in(app, [f"{ROLE_SYS}|doctor"], ehr_launch=True).id
    with app.app_context():
        target = db.session.get(User, user_id)
        assert target is not None
        change_roles(db.session, None, target, {Role.CODER, Role.READ_ONLY})
        db.session.commit()
    again = _sign_in(app, [f"{ROLE_SYS}|doctor"], ehr_launch=True)
    assert again.roles == {Role.CODER, Role.READ_ONLY} and again.roles_set_by_admin
    with app.app_context():
        target = db.session.get(User, user_id)
        assert target is not None
        with pytest.raises(UserFacingError) as refused:
            change_roles(db.session, None, target, set())
        assert "at least one role" in refused.value.message
        change_roles(db.session, None, target, None)
        db.session.commit()
        assert target.roles == {Role.CLINICIAN} and not target.roles_set_by_admin


@pytest.mark.db
def test_access_is_decided_on_the_whole_set(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        encounter = db.session.scalars(select(Encounter)).first()
        assert encounter is not None
        clinician = db.session.get(User, seeded.users["clinician"])
        assert clinician is not None
        org = db.session.get(Organization, clinician.organization_id)
        assert org is not None
        other = User(organization_id=org.id, issuer=clinician.issuer, fhir_user=f"{clinician.issuer}/Practitioner/zz",
                     display_name="Dr Both")
        other.set_roles({Role.CLINICIAN, Role.READ_ONLY}, RoleSource.EHR)
        db.session.add(other)
        db.session.flush()
        assert access.why_not_see(other, encounter) is None, "read-only lets them see the organisation's"
        assert "clinician" in (access.why_not_decide(other, encounter) or ""), "but decide only on their own"
        assert access.why_not_manage_connections(other) is not None
        other.set_roles({Role.CLINICIAN, Role.CODER}, RoleSource.EHR)
        assert access.why_not_decide(other, encounter) is None
        assert access.why_not_manage_connections(other) is None
        nobody = User(organization_id=org.id, issuer=clinician.issuer, fhir_user=f"{clinician.issuer}/Practitioner/z0")
        db.session.add(nobody)
        db.session.flush()
        assert "no role" in (access.why_not_see(nobody, encounter) or "")
        assert db.session.scalars(select(Encounter).where(access.visible(nobody))).all() == []
        db.session.rollback()


@pytest.mark.db
def test_a_page_a_role_cannot_use_says_why_and_whom_to_ask(app: Flask, seeded: Seeded) -> None:
    clinician = Browser(app, seeded.users["clinician"])
    page = clinician.page("/connections")
    assert 'data-testid="role-needed"' in page and "signed in as clinician" in page
    assert 'data-testid="add-connection"' not in page
    assert "Dr Admin" in page, "the administrator to ask, by name"
    read_only = Browser(app, seeded.users["read_only"])
    upload = read_only.page("/uploads")
    assert 'data-testid="role-needed"' in upload and 'data-testid="upload-form"' not in upload
    coder = Browser(app, seeded.users["coder"])
    assert 'data-testid="role-needed"' not in coder.page("/connections")
    assert 'data-testid="role-needed"' not in coder.page("/")
    queue = clinician.page("/")
    assert 'data-testid="role-needed"' in queue and "launched or are the practitioner of" in queue


@pytest.mark.db
def test_an_administrator_gives_several_roles_on_the_people_page(app: Flask, seeded: Seeded) -> None:
    admin, clinician = Browser(app, seeded.users["admin"]), seeded.users["clinician"]
    admin.page("/people")
    done = admin.client.post(f"/people/{clinician}/role", data={"roles": ["clinician", "coder"],
                                                                 "csrf_token": admin.csrf})
    assert done.status_code == 302
    page = admin.page("/people")
    assert f'data-testid="role-{clinician}">coder, clinician<' in page
    assert f'data-testid="follow-ehr-{clinician}"' in page
    with app.app_context():
        found = db.session.get(User, clinician)
        assert found is not None and found.roles == {Role.CLINICIAN, Role.CODER}
