"""The sandbox EHR as a subscription server (issue 17 item 1), over real HTTP: a topic-based rest-hook
subscription in the Backport IG's R4 shape gets its handshake, numbered id-only event notifications for
"encounter finished" and "note added for an encounter", heartbeats, `$status` and `$events`; delivery
is retried with backoff while the receiver fails, with the error on the subscription; plain R4
criteria subscriptions ping; "off" stops notifications; vendor profiles offer no Subscription."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.sandbox_copies import SandboxWriter
from devstack.sandbox_process import SandboxProcess, sandbox_running
from sandbox.subscriptions.topics import ENCOUNTER_FINISHED, ENCOUNTER_NOTE
from tests.support.hook_receiver import HookReceiver, event_numbers, hook_receiver, status_params

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db]
EXT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition"
SECRET_HEADER = "X-Hook-Secret: s3cret-value"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with sandbox_running(Path(tmp_path_factory.mktemp("subs-sandbox"))) as proc:
        yield proc


@pytest.fixture(scope="module")
def fhir(sandbox: SandboxProcess) -> requests.Session:
    token = requests.post(f"{sandbox.base_url}/_admin/tokens", json={"scope": "system/*.cruds"}, timeout=10)
    http = requests.Session()
    http.headers.update({"Authorization": f"Bearer {token.json()['access_token']}",
                         "Content-Type": "application/fhir+json"})
    return http


@pytest.fixture()
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as found:
        yield found


def subscription(endpoint: str, topic: str = ENCOUNTER_FINISHED, heartbeat: int = 0, max_count: int = 1,
                 filters: tuple[str, ...] = ()) -> dict[str, Any]:
    channel: dict[str, Any] = {
        "type": "rest-hook", "endpoint": endpoint, "payload": "application/fhir+json", "header": [SECRET_HEADER],
        "_payload": {"extension": [{"url": f"{EXT}/backport-payload-content", "valueCode": "id-only"}]},
        "extension": [{"url": f"{EXT}/backport-max-count", "valuePositiveInt": max_count},
                      *([{"url": f"{EXT}/backport-heartbeat-period", "valueUnsignedInt": heartbeat}]
                        if heartbeat else [])],
    }
    return {"resourceType": "Subscription", "status": "requested", "reason": "test", "criteria": topic,
            "_criteria": {"extension": [{"url": f"{EXT}/backport-filter-criteria", "valueString": f}
                                        for f in filters]},
            "channel": channel}


def create(sandbox: SandboxProcess, fhir: requests.Session, body: dict[str, Any]) -> dict[str, Any]:
    resp = fhir.post(f"{sandbox.fhir_base}/Subscription", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    created: dict[str, Any] = resp.json()
    return created


def wait_status(sandbox: SandboxProcess, fhir: requests.Session, sid: str, wanted: str,
                timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = fhir.get(f"{sandbox.fhir_base}/Subscription/{sid}", timeout=10).json()
        if body["status"] == wanted:
            return body
        time.sleep(0.05)
    raise AssertionError(f"status stayed {body.get('status')}: {body}")


def finish(sandbox: SandboxProcess, encounter_id: str) -> None:
    resp = requests.post(f"{sandbox.base_url}/_admin/encounters/{encounter_id}/finish", timeout=10)
    assert resp.status_code == 200, resp.text


def unfinished(sandbox: SandboxProcess, count: int) -> list[str]:
    """Fresh encounters, set in progress (the seeded ones are mostly finished already)."""
    writer = SandboxWriter(sandbox.base_url)
    _, ids = writer.fresh_encounters(count)
    for eid in ids:
        enc = writer.http.get(f"{sandbox.fhir_base}/Encounter/{eid}", timeout=10).json()
        writer.http.put(f"{sandbox.fhir_base}/Encounter/{eid}", json={**enc, "status": "in-progress"},
                        timeout=10).raise_for_status()
    return ids


def test_capability_statement_lists_subscription_and_its_topics(sandbox: SandboxProcess) -> None:
    meta = requests.get(f"{sandbox.fhir_base}/metadata", timeout=10).json()
    entry = next(r for r in meta["rest"][0]["resource"] if r["type"] == "Subscription")
    topics = {e["valueCanonical"] for e in entry["extension"]}
    assert topics == {ENCOUNTER_FINISHED, ENCOUNTER_NOTE}
    assert {o["name"] for o in entry["operation"]} == {"$status", "$events"}


def test_vendor_profiles_offer_no_subscription(tmp_path: Path) -> None:
    with sandbox_running(tmp_path, env={"SANDBOX_PROFILE": "epic"}) as epic:
        meta = requests.get(f"{epic.fhir_base}/metadata", timeout=10).json()
        assert "Subscription" not in {r["type"] for r in meta["rest"][0]["resource"]}
        token = requests.post(f"{epic.base_url}/_admin/tokens", json={"scope": "system/*.cruds"}, timeout=10)
        resp = requests.post(f"{epic.fhir_base}/Subscription", json=subscription("http://127.0.0.1:9/x"),
                             headers={"Authorization": f"Bearer {token.json()['access_token']}"}, timeout=10)
        assert resp.status_code == 404 and resp.json()["resourceType"] == "OperationOutcome"


def test_handshake_events_status_and_events_operation(sandbox: SandboxProcess, fhir: requests.Session,
                                                      receiver: HookReceiver) -> None:
    encounter, other = unfinished(sandbox, 2)
    sub = create(sandbox, fhir, subscription(f"{receiver.url}/hook", filters=(f"_id={encounter}",)))
    assert sub["status"] == "requested"
    handshake = receiver.wait_for("handshake")[0]
    assert receiver.hits[0].headers["X-Hook-Secret"] == "s3cret-value", "the header the client chose is sent"
    assert handshake["type"] == "history" and status_params(handshake)["topic"]["valueCanonical"] == ENCOUNTER_FINISHED
    wait_status(sandbox, fhir, sub["id"], "active")

    finish(sandbox, other)        # filtered out: no event
    finish(sandbox, encounter)
    first = receiver.wait_for("event-notification")[0]
    assert event_numbers(first) == [1]
    assert status_params(first)["events-since-subscription-start"]["valueString"] == "1", first
    focus = first["entry"][1]
    assert focus["fullUrl"] == f"{sandbox.fhir_base}/Encounter/{encounter}" and "resource" not in focus, "id-only"

    status = fhir.get(f"{sandbox.fhir_base}/Subscription/{sub['id']}/$status", timeout=10).json()
    params = status_params({"entry": [status["entry"][0]]})
    assert params["type"]["valueCode"] == "query-status"
    assert params["events-since-subscription-start"]["valueString"] == "1"
    events = fhir.get(f"{sandbox.fhir_base}/Subscription/{sub['id']}/$events", params={"eventsSinceNumber": 1},
                      timeout=10).json()
    assert events["type"] == "history" and event_numbers(events) == [1]


def test_a_note_added_for_an_encounter_names_the_encounter(sandbox: SandboxProcess, fhir: requests.Session,
                                                           receiver: HookReceiver) -> None:
    (encounter,) = unfinished(sandbox, 1)
    create(sandbox, fhir, subscription(f"{receiver.url}/hook", topic=ENCOUNTER_NOTE,
                                       filters=(f"encounter=Encounter/{encounter}",)))
    receiver.wait_for("handshake")
    note = {"resourceType": "DocumentReference", "status": "current", "subject": {"reference": "Patient/p010"},
            "context": {"encounter": [{"reference": f"Encounter/{encounter}"}]},
            "content": [{"attachment": {"contentType": "text/plain", "data": "QWRkZW5kdW0u"}}]}
    fhir.post(f"{sandbox.fhir_base}/DocumentReference", json=note, timeout=10).raise_for_status()
    bundle = receiver.wait_for("event-notification")[0]
    parts = {p["name"]: p for p in status_params(bundle)["notification-event"]["part"]}
    assert parts["focus"]["valueReference"]["reference"].startswith(f"{sandbox.fhir_base}/DocumentReference/")
    assert parts["additional-context"]["valueReference"]["reference"] == f"{sandbox.fhir_base}/Encounter/{encounter}"


def test_failed_deliveries_are_retried_with_backoff_and_shown_on_the_status(
        sandbox: SandboxProcess, fhir: requests.Session, receiver: HookReceiver) -> None:
    first, second = unfinished(sandbox, 2)
    sub = create(sandbox, fhir, subscription(f"{receiver.url}/hook", filters=(f"_id={first},{second}",)))
    receiver.wait_for("handshake")
    wait_status(sandbox, fhir, sub["id"], "active")
    receiver.statuses = [503, 503]
    finish(sandbox, first)
    finish(sandbox, second)
    failing = wait_status(sandbox, fhir, sub["id"], "error")
    assert "HTTP 503" in failing["error"]
    delivered = receiver.wait_for("event-notification", 4)   # two refused tries, then 1 and 2
    numbers = [event_numbers(b) for b in delivered]
    assert numbers == [[1], [1], [1], [2]], "the failed event is retried first: order is kept"
    times = [h.at for h in receiver.hits if h.body and event_numbers(h.body) == [1]]
    assert times[1] - times[0] >= 0.4 and times[2] - times[1] >= 0.9, "backoff grows between tries"
    assert "error" not in wait_status(sandbox, fhir, sub["id"], "active")


def test_heartbeats_and_pause(sandbox: SandboxProcess, fhir: requests.Session, receiver: HookReceiver) -> None:
    (encounter,) = unfinished(sandbox, 1)
    sub = create(sandbox, fhir, subscription(f"{receiver.url}/hook", heartbeat=1, filters=(f"_id={encounter}",)))
    beat = receiver.wait_for("heartbeat", timeout=10)[0]
    assert status_params(beat)["events-since-subscription-start"]["valueString"] == "0"
    paused = {**fhir.get(f"{sandbox.fhir_base}/Subscription/{sub['id']}", timeout=10).json(), "status": "off"}
    assert fhir.put(f"{sandbox.fhir_base}/Subscription/{sub['id']}", json=paused, timeout=10).json()["status"] == "off"
    seen = len(receiver.hits)
    finish(sandbox, encounter)
    time.sleep(1.5)
    assert len(receiver.hits) == seen, "an `off` subscription sends nothing, not even heartbeats"
    assert fhir.delete(f"{sandbox.fhir_base}/Subscription/{sub['id']}", timeout=10).status_code == 204
    assert fhir.get(f"{sandbox.fhir_base}/Subscription/{sub['id']}", timeout=10).status_code == 404


def test_plain_r4_criteria_subscription_pings(sandbox: SandboxProcess, fhir: requests.Session,
                                              receiver: HookReceiver) -> None:
    (encounter,) = unfinished(sandbox, 1)
    body = {"resourceType": "Subscription", "status": "requested", "reason": "plain",
            "criteria": f"Encounter?status=finished&_id={encounter}",
            "channel": {"type": "rest-hook", "endpoint": f"{receiver.url}/ping", "header": [SECRET_HEADER]}}
    sub = create(sandbox, fhir, body)
    wait_status(sandbox, fhir, sub["id"], "active")
    finish(sandbox, encounter)
    deadline = time.monotonic() + 10
    while not receiver.hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [(h.method, h.path, h.body) for h in receiver.hits] == [("POST", "/ping", None)]


def test_unknown_topics_and_channels_are_refused(sandbox: SandboxProcess, fhir: requests.Session) -> None:
    wrong_topic = subscription("http://127.0.0.1:9/x", topic="http://example.org/SubscriptionTopic/nope")
    assert fhir.post(f"{sandbox.fhir_base}/Subscription", json=wrong_topic, timeout=10).status_code == 422
    websocket = {**subscription("http://127.0.0.1:9/x"), "channel": {"type": "websocket"}}
    assert fhir.post(f"{sandbox.fhir_base}/Subscription", json=websocket, timeout=10).status_code == 422
    reader = requests.post(f"{sandbox.base_url}/_admin/tokens", json={"scope": "system/*.rs"}, timeout=10)
    refused = requests.post(f"{sandbox.fhir_base}/Subscription", json=subscription("http://127.0.0.1:9/x"),
                            headers={"Authorization": f"Bearer {reader.json()['access_token']}"}, timeout=10)
    assert refused.status_code == 403
