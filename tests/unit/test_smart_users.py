"""Who a launch signs in (issue 15 item 1): a person is the id_token's (issuer, subject) for a FHIR base,
as Oracle Health's OpenID Connect guide defines a user; the id_token issuer is kept apart from the FHIR
base; a user saved before by fhirUser alone is found once and then holds the identity; a second identity
claiming someone's fhirUser is refused, never merged into their account."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Connection, event, func, select

from smartapp.extensions import db
from smartapp.models import Organization, User
from smartapp.smart.identity import Identity
from smartapp.smart.registry import Registration
from smartapp.smart.users import IdentityConflict, user_for_launch

pytestmark = pytest.mark.db

FHIR = "https://fhir.epic.example/api/FHIR/R4"
OAUTH = "https://fhir.epic.example/oauth2"
REG = Registration(id="epic", name="Epic", vendor="epic", iss=FHIR, client_id="c", client_auth="public",
                   scopes=("openid",), launch_url="x", redirect_uris=("y",))


def who(subject: str, practitioner: str = "pr7", name: str = "Dr. Ada") -> Identity:
    return Identity(subject=subject, fhir_user=f"{FHIR}/Practitioner/{practitioner}", display_name=name, issuer=OAUTH)


def users() -> int:
    return int(db.session.scalar(select(func.count()).select_from(User)) or 0)


def test_the_person_is_issuer_and_subject_kept_apart_from_the_fhir_base(app: Flask) -> None:
    with app.app_context():
        first = user_for_launch(db.session, REG, who("E123"), ehr_launch=True)
        db.session.flush()
        assert (first.issuer, first.oidc_issuer, first.oidc_subject) == (FHIR, OAUTH, "E123")
        # The EHR maps the same account to another Practitioner: still the same person.
        again = user_for_launch(db.session, REG, who("E123", practitioner="pr8", name="Dr. Ada L."), ehr_launch=True)
        assert again.id == first.id and again.fhir_user.endswith("/Practitioner/pr8")
        assert again.display_name == "Dr. Ada L." and users() == 1


def test_a_user_saved_before_is_found_by_fhir_user_and_then_holds_the_identity(app: Flask) -> None:
    with app.app_context():
        org = Organization(name="Epic", issuer=FHIR)
        db.session.add(org)
        db.session.flush()
        old = User(organization_id=org.id, issuer=FHIR, fhir_user=f"{FHIR}/Practitioner/pr7")
        db.session.add(old)
        db.session.flush()
        found = user_for_launch(db.session, REG, who("E123"), ehr_launch=True)
        assert found.id == old.id and (found.oidc_issuer, found.oidc_subject) == (OAUTH, "E123")


def test_another_sign_in_claiming_the_same_fhir_user_is_refused(app: Flask) -> None:
    with app.app_context():
        user_for_launch(db.session, REG, who("E123"), ehr_launch=True)
        db.session.flush()
        with pytest.raises(IdentityConflict):
            user_for_launch(db.session, REG, who("SOMEONE-ELSE"), ehr_launch=True)
        assert users() == 1


def test_two_tabs_signing_in_the_same_person_at_once_are_not_a_conflict(app: Flask) -> None:
    """Seen in a CI run: two tabs' first sign-ins at the same moment; the second read found no user by
    (issuer, subject), the other tab committed the person, and its next read, by fhirUser, found them holding
    that very identity and refused the sign-in as someone else's (409)."""
    with app.app_context():
        org = Organization(name="Epic", issuer=FHIR, oidc_issuer=OAUTH)
        db.session.add(org)
        db.session.commit()
        org_id = org.id

        committed: list[bool] = []

        def other_tab_commits(conn: Connection, cursor: object, statement: str, *args: object) -> None:
            if not committed and "oidc_subject" in statement and statement.lstrip().upper().startswith("SELECT"):
                committed.append(True)      # right after this tab's first read, once
                with db.engine.connect() as other:
                    other.execute(User.__table__.insert().values(
                        organization_id=org_id, issuer=FHIR, fhir_user=f"{FHIR}/Practitioner/pr7",
                        oidc_issuer=OAUTH, oidc_subject="E123", display_name="Dr. Ada", active=True))
                    other.commit()

        event.listen(db.engine, "after_cursor_execute", other_tab_commits)
        try:
            user = user_for_launch(db.session, REG, who("E123"), ehr_launch=True)
        finally:
            event.remove(db.engine, "after_cursor_execute", other_tab_commits)
        assert committed and user.oidc_subject == "E123" and users() == 1
