"""The subscription API's boundaries and upkeep (issue 17 items 2 and 8) on the real database and Redis:
another organisation's subscription or connection answers 404 on every route, page or API; the auto-code
settings round-trip and refuse unknown classes; a subscription silent for two heartbeat periods says so
and queues a catch-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from rq import Queue

from smartapp.api.auth import create_token
from smartapp.extensions import db, jobs
from smartapp.models import EhrSubscription, FhirConnection, Organization, Role, User
from smartapp.subscriptions.manage import HEADER
from smartapp.subscriptions.processing import check_heartbeats

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
