"""Roles after the first sign-in: an administrator changes them on the People page (audited), nobody
else can, the last administrator cannot be demoted, and `flask set-role` makes the first one."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp.extensions import db
from smartapp.models import AuditEvent, Role, User
from tests.support.buttons import button_names
from tests.support.review_data import Browser, Seeded

pytestmark = pytest.mark.db


def _role(app: Flask, user_id: int) -> Role:
    with app.app_context():
        found = db.session.get(User, user_id)
        assert found is not None
        return found.role


def test_an_administrator_changes_a_role_and_it_is_audited(app: Flask, seeded: Seeded) -> None:
    admin, clinician = seeded.users["admin"], seeded.users["clinician"]
    me = Browser(app, admin)
    html = me.page("/people")
    assert f'data-testid="role-{clinician}"' in html and 'name="roles"' in html
    changed = me.client.post(f"/people/{clinician}/role", data={"role": "coder", "csrf_token": me.csrf})
    assert changed.status_code == 302 and _role(app, clinician) == Role.CODER
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "role-change")).one()
        assert (event.actor_id, event.resource_id, event.detail) == (admin, str(clinician), "clinician -> coder")


def test_only_administrators_change_roles(app: Flask, seeded: Seeded) -> None:
    coder = Browser(app, seeded.users["coder"])
    html = coder.page("/people")
    assert 'name="roles"' not in html and "set-role" in html, "others see the roles and how an admin is made"
    refused = coder.client.post(f"/people/{seeded.users['coder']}/role",
                                data={"role": "admin", "csrf_token": coder.csrf})
    assert refused.status_code == 403 and _role(app, seeded.users["coder"]) == Role.CODER


def test_the_last_administrator_stays_one(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["admin"])
    me.page("/people")
    kept = me.client.post(f"/people/{seeded.users['admin']}/role", data={"role": "coder", "csrf_token": me.csrf})
    assert kept.status_code == 409 and "at least one administrator" in kept.get_data(as_text=True)
    assert _role(app, seeded.users["admin"]) == Role.ADMIN
    unknown = me.client.post(f"/people/{seeded.users['coder']}/role", data={"role": "owner", "csrf_token": me.csrf})
    assert unknown.status_code == 422


def test_the_command_line_makes_the_first_administrator(app: Flask, seeded: Seeded) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["set-role", str(seeded.users["coder"]), "admin"])
    assert result.exit_code == 0, result.output
    assert _role(app, seeded.users["coder"]) == Role.ADMIN
    missing = runner.invoke(args=["set-role", "999999", "admin"])
    assert missing.exit_code != 0 and "no user" in missing.output


def test_a_patients_account_stays_read_only(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        admin = db.session.get(User, seeded.users["admin"])
        assert admin is not None
        patient = User(organization_id=admin.organization_id, issuer=admin.issuer,
                       fhir_user=f"{admin.issuer}/Patient/p042", role=Role.READ_ONLY)
        db.session.add(patient)
        db.session.commit()
        patient_id = patient.id
    me = Browser(app, seeded.users["admin"])
    me.page("/people")
    refused = me.client.post(f"/people/{patient_id}/role", data={"role": "coder", "csrf_token": me.csrf})
    assert refused.status_code == 409 and "only be read-only" in refused.get_data(as_text=True)
    assert _role(app, patient_id) == Role.READ_ONLY


def test_each_persons_save_button_names_whose_roles_it_saves(app: Flask, seeded: Seeded) -> None:
    # One "Save" per person: a screen reader listing the page's buttons could not tell them apart.
    names = [n for n in button_names(Browser(app, seeded.users["admin"]).page("/people")) if n.startswith("Save")]
    assert len(names) >= 3 and len(names) == len(set(names)), names
