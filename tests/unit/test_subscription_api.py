"""The subscription API's boundaries and upkeep (issue 17 items 2 and 8) on the real database and Redis:
another organisation's subscription or connection answers 404 on every route, page or API; the auto-code
settings round-trip and refuse unknown classes; a subscription silent for two heartbeat periods says so
and queues a catch-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from rq import Queue

from devstack.processes import GENEROUS_RATE_LIMITS
from smartapp.api.auth import create_token
from smartapp.extensions import db, jobs
from smartapp.models import EhrSubscription, FhirConnection, Organization, Role, User
from smartapp.subscriptions.manage import HEADER
from smartapp.subscriptions.processing import check_heartbeats
from tests.support.json_server import JsonServer, json_server

pytestmark = pytest.mark.db


def _org_with_subscription(app: Flask, name: str) -> dict[str, Any]:
    with app.app_context():
        org = Organization(name=name)
        db.session.add(org)
        db.session.flush()
        user = User(organization_id=org.id, issuer="revrx:local", fhir_user=f"local:{name}", role=Role.ADMIN)
        conn = FhirConnection(organization_id=org.id, name="EHR", base_url="https://ehr.example.org/fhir")
        db.session.add_all([user, conn])
        db.session.flush()
        sub = EhrSubscription(organization_id=org.id, connection_id=conn.id, public_id=f"pub-{name}", secret="s",
                              header_name=HEADER, topic="t/encounter-finished", criteria="t/encounter-finished",
                              status="active", heartbeat_seconds=30, created_at=datetime.now(UTC) - timedelta(hours=1),
                              last_heartbeat_at=datetime.now(UTC) - timedelta(minutes=5))
        db.session.add(sub)
        db.session.commit()
        return {"token": create_token(db.session, user), "connection": conn.id, "subscription": sub.id}


def test_another_organisations_subscriptions_answer_404(app: Flask) -> None:
    mine, theirs = _org_with_subscription(app, "mine"), _org_with_subscription(app, "theirs")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {mine['token']}"}
    sub, conn = theirs["subscription"], theirs["connection"]
    answers = [
        client.get(f"/api/v1/subscriptions/{sub}", headers=headers),
        client.post(f"/api/v1/subscriptions/{sub}/pause", headers=headers),
        client.post(f"/api/v1/subscriptions/{sub}/resume", headers=headers),
        client.delete(f"/api/v1/subscriptions/{sub}", headers=headers),
        client.get(f"/api/v1/fhir-connections/{conn}/subscriptions", headers=headers),
        client.post(f"/api/v1/fhir-connections/{conn}/subscriptions", headers=headers, json={}),
        client.get(f"/api/v1/fhir-connections/{conn}/auto-code", headers=headers),
        client.put(f"/api/v1/fhir-connections/{conn}/auto-code", headers=headers,
                   json={"auto_code": False, "encounter_classes": []}),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    own = client.get(f"/api/v1/subscriptions/{mine['subscription']}", headers=headers)
    assert own.status_code == 200 and "secret" not in own.get_json()


def test_a_coder_cannot_change_the_subscriptions_of_the_organisations_shared_connection(app: Flask) -> None:
    # Shared connections are managed by administrators (issue 17 item 6); their subscriptions too.
    mine = _org_with_subscription(app, "shared")
    with app.app_context():
        conn = db.session.get(FhirConnection, mine["connection"])
        assert conn is not None and conn.owner_id is None
        coder = User(organization_id=conn.organization_id, issuer="revrx:local", fhir_user="local:coder",
                     role=Role.CODER)
        db.session.add(coder)
        db.session.commit()
        token = create_token(db.session, coder)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    sub, conn_id = mine["subscription"], mine["connection"]
    answers = [
        client.post(f"/api/v1/subscriptions/{sub}/pause", headers=headers),
        client.delete(f"/api/v1/subscriptions/{sub}", headers=headers),
        client.post(f"/api/v1/fhir-connections/{conn_id}/subscriptions", headers=headers, json={}),
        client.put(f"/api/v1/fhir-connections/{conn_id}/auto-code", headers=headers,
                   json={"auto_code": False, "encounter_classes": []}),
    ]
    assert [a.status_code for a in answers] == [403] * len(answers)
    assert client.get(f"/api/v1/subscriptions/{sub}", headers=headers).status_code == 200   # seeing is allowed
    with app.app_context():
        still = db.session.get(EhrSubscription, sub)
        assert still is not None and still.status == "active"


def test_auto_code_settings_round_trip(app: Flask) -> None:
    mine = _org_with_subscription(app, "settings")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {mine['token']}"}
    url = f"/api/v1/fhir-connections/{mine['connection']}/auto-code"
    assert client.get(url, headers=headers).get_json() == {"auto_code": True, "encounter_classes": []}
    saved = client.put(url, headers=headers, json={"auto_code": False, "encounter_classes": ["emer", "AMB"]})
    assert saved.status_code == 200 and saved.get_json() == {"auto_code": False, "encounter_classes": ["AMB", "EMER"]}
    assert client.put(url, headers=headers, json={"auto_code": True, "encounter_classes": ["XYZ"]}).status_code == 422


def test_a_silent_subscription_is_flagged_and_caught_up(app: Flask) -> None:
    mine = _org_with_subscription(app, "silent")
    with app.app_context():
        assert jobs.queue is not None
        jobs.queue.empty()
        assert check_heartbeats(db.session) == 1
        sub = db.session.get(EhrSubscription, mine["subscription"])
        assert sub is not None and (sub.last_error or "").startswith("No heartbeat since")
        assert Queue(jobs.queue.name, connection=jobs.queue.connection).job_ids == [
            f"subscription-catch-up-{mine['subscription']}"]


def test_an_event_whose_job_was_lost_is_queued_again(app: Flask) -> None:
    from smartapp.models import SubscriptionEvent

    mine = _org_with_subscription(app, "stranded")
    with app.app_context():
        old = SubscriptionEvent(subscription_id=mine["subscription"], event_number=1, focus="Encounter/x",
                                encounter_ref="Encounter/x", received_at=datetime.now(UTC) - timedelta(minutes=3))
        fresh = SubscriptionEvent(subscription_id=mine["subscription"], event_number=2, focus="Encounter/y",
                                  encounter_ref="Encounter/y")
        db.session.add_all([old, fresh])
        db.session.commit()
        assert jobs.queue is not None
        jobs.queue.empty()   # Redis lost every job
        check_heartbeats(db.session)
        queued = Queue(jobs.queue.name, connection=jobs.queue.connection).job_ids
        assert f"subscription-event-{old.id}" in queued and f"subscription-event-{fresh.id}" not in queued


@pytest.fixture()
def app_reaching(database_url: str, redis_server: str, encryption_key: str, tmp_path: Path) -> Iterator[
        tuple[Flask, JsonServer]]:
    """The app allowed to reach a local HTTP server playing the EHR (tables emptied afterwards)."""
    from smartapp import create_app
    from smartapp.config import Settings
    from smartapp.models import Base

    with json_server() as ehr:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis_server, "REVRX_ENCRYPTION_KEY": encryption_key,
               "REVRX_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "t", "APP_BASE_URL": "http://127.0.0.1:5000",
               "OUTBOUND_ALLOWED_HOSTS": ehr.url.removeprefix("http://"), **GENEROUS_RATE_LIMITS}
        flask_app = create_app(Settings.from_env(env, testing=True))
        yield flask_app, ehr
        with flask_app.app_context():
            db.session.rollback()
            with db.session.begin():
                for table in reversed(Base.metadata.sorted_tables):
                    db.session.execute(table.delete())
            db.remove()


def test_what_the_ehr_says_about_a_silent_subscription_is_shown(app_reaching: tuple[Flask, JsonServer]) -> None:
    from smartapp.models import AuthType
    from smartapp.subscriptions.processing import refresh_from_ehr
    from smartapp.web.runtime import RUNTIME_KEY

    app, ehr = app_reaching
    ehr.routes["/fhir/Subscription/s9"] = (200, {"resourceType": "Subscription", "id": "s9", "status": "requested",
                                                 "error": "handshake to the endpoint failed: ConnectTimeout"})
    with app.app_context():
        org = Organization(name="Unreachable")
        db.session.add(org)
        db.session.flush()
        conn = FhirConnection(organization_id=org.id, name="EHR", base_url=f"{ehr.url}/fhir",
                              auth_type=AuthType.API_KEY, secret="key")
        db.session.add(conn)
        db.session.flush()
        sub = EhrSubscription(organization_id=org.id, connection_id=conn.id, public_id="pub-s9", secret="s",
                              header_name=HEADER, topic="t/encounter-finished", criteria="t/encounter-finished",
                              status="requested", fhir_subscription_id="s9",
                              created_at=datetime.now(UTC) - timedelta(minutes=2))
        db.session.add(sub)
        db.session.commit()
        assert refresh_from_ehr(db.session, app.extensions[RUNTIME_KEY]) == 1
        db.session.refresh(sub)
        assert sub.status == "requested"
        assert sub.last_error == "The EHR says: handshake to the endpoint failed: ConnectTimeout"
    assert "/fhir/Subscription/s9" in ehr.hits
