"""Where an approval goes: a launch brings its registration's preferences and the token's scopes; a
FHIR connection (batch-synced encounters) brings its own preferences, defaulting to every strategy
best first, and the scopes it asks for (none for Basic or API key)."""

from __future__ import annotations

from typing import get_args

import pytest
from flask import Flask

from smartapp.ehr_access.destination import CONNECTION_DEFAULT, from_connection, from_launch
from smartapp.ehr_access.routing import Route
from smartapp.extensions import db
from smartapp.inputs import ConnectionUpdate, WritebackStrategy
from smartapp.models import (
    AuthType,
    Encounter,
    EncounterStatus,
    FhirConnection,
    LaunchSession,
    Organization,
    Role,
    User,
)
from smartapp.smart.registry import Registration
from smartapp.web.runtime import RUNTIME_KEY
from smartapp.writeback.approval import approve_queued, failed_writebacks
from smartapp.writeback.plan import choose_for
from smartapp.writeback.strategies import STRATEGIES
from tests.support.review_data import Seeded


def _connection(**fields: object) -> FhirConnection:
    return FhirConnection(name="North backend", base_url="https://ehr.example/fhir", auth_type=AuthType.BASIC,
                          **fields)


def test_a_connection_without_preferences_tries_every_strategy_best_first() -> None:
    destination = from_connection(_connection(scope=None, writeback_preferences={}))
    # Every strategy but the vendor note form (clinical_note), which a registration asks for by name.
    assert destination.preferences == CONNECTION_DEFAULT == tuple(s for s in STRATEGIES if s != "clinical_note")
    assert destination.granted is None and destination.claim_status == "draft" and destination.via == "connection"
    assert destination.name == "North backend"


def test_a_connections_scopes_and_preferences_decide_its_write_back() -> None:
    connection = _connection(scope="system/*.rs system/Condition.c",
                             writeback_preferences={"strategies": ["claim", "encounter_diagnosis"],
                                                    "claim_status": "active"})
    destination = from_connection(connection)
    assert destination.granted == {"system/*.rs", "system/Condition.c"} and destination.claim_status == "active"
    choice = choose_for(destination, None)
    assert choice.strategy is not None and choice.strategy.name == "encounter_diagnosis"
    assert choice.passed_over == ["RevRX was not granted permission to create Claim in this EHR."]


def test_what_the_ehr_granted_wins_over_what_the_connection_asks_for() -> None:
    asked = "system/*.rs system/Claim.c system/DocumentReference.c"
    connection = _connection(scope=asked, granted_scope="system/*.rs system/DocumentReference.c",
                             writeback_preferences={})
    choice = choose_for(from_connection(connection), None)
    assert choice.strategy is not None and choice.strategy.name == "document_reference"
    assert from_connection(_connection(scope=asked, writeback_preferences={})).granted == frozenset(asked.split())


def test_a_launch_brings_its_registration_and_token_scopes() -> None:
    reg = Registration(id="epic", name="Epic", vendor="epic", iss="https://epic.example/fhir", client_id="x",
                       client_auth="none", scopes=(), launch_url="", redirect_uris=(), writeback=("charge_item",),
                       claim_status="active")
    destination = from_launch(LaunchSession(scope="launch user/ChargeItem.c"), reg)
    assert (destination.name, destination.preferences, destination.via) == ("Epic", ("charge_item",), "launch")
    assert choose_for(destination, None).available


def test_a_connection_without_create_scopes_is_told_which_scope_to_add() -> None:
    reason = choose_for(from_connection(_connection(scope="system/*.rs", writeback_preferences={})), None).reason
    assert reason == ("RevRX was not granted permission to create Claim, ChargeItem, Condition or DocumentReference "
                      "in this EHR. Add a create scope (e.g. system/Claim.c) to the connection's scopes and to its "
                      "registration in the EHR.")


def test_nothing_to_write_through_says_how_to_get_a_way_in() -> None:
    reason = choose_for(None, None).reason or ""
    assert "launch this encounter from the EHR" in reason and "FHIR connection" in reason


def test_the_api_accepts_exactly_the_strategies_that_exist() -> None:
    assert set(get_args(WritebackStrategy)) == set(STRATEGIES)
    assert ConnectionUpdate.model_validate({"writeback": ["claim", "document_reference"]}).writeback
    for bad in (["claim", "claim"], [], ["fax"]):
        try:
            ConnectionUpdate.model_validate({"writeback": bad})
        except ValueError:
            continue
        raise AssertionError(f"{bad} was accepted")


@pytest.mark.db
def test_which_way_in_an_approval_takes(app: Flask) -> None:
    """The approver's own launch first; else the encounter's active connection of the same
    organisation; else none (never another person's launch)."""
    with app.app_context():
        access = app.extensions[RUNTIME_KEY].ehr
        registry = access.registry
        reg = registry.by_id("sandbox")
        org = Organization(name="Routing clinic")
        db.session.add(org)
        db.session.flush()
        clinician, coder = (User(organization_id=org.id, issuer=reg.iss, fhir_user=f"Practitioner/{n}", role=r)
                            for n, r in (("route-1", Role.CLINICIAN), ("route-2", Role.CODER)))
        db.session.add_all([clinician, coder])
        db.session.flush()
        launch = LaunchSession(user_id=clinician.id, registration_id="sandbox", issuer=reg.iss, token_endpoint="x",
                               access_token="a", scope="user/Claim.c")
        connection = FhirConnection(organization_id=org.id, name="Routing backend", base_url=reg.iss,
                                    auth_type=AuthType.BASIC, client_id="u", secret="p", writeback_preferences={})
        db.session.add_all([launch, connection])
        db.session.flush()
        encounter = Encounter(organization_id=org.id, fhir_encounter_id="route-e1", source_system=reg.iss,
                              launch_session_id=launch.id,
                              fhir_connection_id=connection.id)
        db.session.add(encounter)
        db.session.flush()

        def via(user: User) -> str | None:
            destination = access.route(db.session, encounter, user).destination
            return destination.via if destination else None

        assert via(clinician) == "launch"
        assert via(coder) == "connection"
        connection.active = False
        assert via(coder) is None, "never through another person's launch"
        assert via(clinician) == "launch"
        encounter.launch_session_id = None
        assert via(clinician) == "launch", "the approver's own newest launch of that EHR"
        assert via(coder) is None
        assert access.route(db.session, encounter, coder).opener is None
        db.session.rollback()


@pytest.mark.db
def test_a_background_approval_with_no_way_in_goes_back_to_the_queue_saying_why(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        encounter, coder = db.session.get(Encounter, seeded.encounter_id), db.session.get(User, seeded.users["coder"])
        assert encounter is not None and coder is not None
        encounter.status = EncounterStatus.APPROVING
        db.session.commit()
        assert approve_queued(db.session, encounter, coder, Route(None)) == EncounterStatus.READY
        assert "launch this encounter from the EHR" in failed_writebacks(db.session, [encounter])[encounter.id]
        assert approve_queued(db.session, encounter, coder, Route(None)) == EncounterStatus.READY, \
            "a repeated job finds nothing to do"


def test_what_a_connection_writes_names_its_system_identity_and_a_launch_the_acting_user() -> None:
    """Issue 15 item 3: the author / enterer / recorder is whoever writes: the connection's configured
    system identity (never a person), or, through a launch, the person whose launch it is."""
    from smartapp.writeback.plan import author_for

    coder = User(fhir_user="https://ehr.example/fhir/Practitioner/c9", display_name="Casey Coder")
    named = from_connection(_connection(writeback_preferences={"author": "Practitioner/svc1",
                                                               "author_name": "RevRX coding service"}))
    author, how = author_for(named, coder)
    assert author is not None and (author.ref, author.name) == ("Practitioner/svc1", "RevRX coding service")
    assert how == "the connection's system identity"
    unnamed, _ = author_for(from_connection(_connection(writeback_preferences={})), coder)
    assert unnamed is not None and unnamed.ref is None and unnamed.name == "North backend (RevRX connection)"
    assert unnamed.reference() == {"display": "North backend (RevRX connection)"}
    reg = Registration(id="r", name="EHR", vendor="oracle", iss="https://ehr.example/fhir", client_id="c",
                       client_auth="public", scopes=("launch",), launch_url="l", redirect_uris=("r",))
    own, how = author_for(from_launch(LaunchSession(scope="launch"), reg), coder)
    assert own is not None and (own.ref, own.name, how) == ("Practitioner/c9", "Casey Coder", "your own EHR sign-in")
