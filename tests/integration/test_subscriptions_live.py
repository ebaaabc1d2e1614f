"""A connection subscribed to the sandbox EHR (issue 17 items 2 and 3), all real processes: the
subscription becomes active after its handshake; three encounters the EHR finishes are read through the
connection's own credentials and coded with nobody asking for a sync; a note added later re-codes its
encounter once; a note after a coder's decision waits for their consent; a paused subscription brings
nothing; a missed event is caught up with `$events`; subscriptions of one organisation never create work
in another; and a connection to an EHR without Subscription is told so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from devstack.api_client import ApiUser, backend_connection
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.integration
SCOPE = "system/*.rs system/Subscription.cruds"


def in_progress(stack: Stack, count: int, like: str = "e010") -> list[str]:
    """Fresh encounters with notes, created in progress (so nothing fires until they are finished)."""
    writer = SandboxWriter(stack.sandbox_url)
    patient = writer.new_patient("p" + like[1:])
    original = next(e for e in writer.encounters if e["id"] == like)
    return [writer.copy_encounter({**original, "status": "in-progress"}, patient) for _ in range(count)]


def finish(stack: Stack, encounter_id: str) -> None:
    requests.post(f"{stack.sandbox_url}/_admin/encounters/{encounter_id}/finish", timeout=10).raise_for_status()


def encounter(api: ApiUser, fhir_id: str) -> dict[str, Any] | None:
    items = api.get("/encounters", fhir_encounter_id=fhir_id).json()["items"]
    return items[0] if items else None


def wait_ready(api: ApiUser, fhir_ids: list[str], timeout: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    found: list[dict[str, Any] | None] = []
    while time.monotonic() < deadline:
        found = [encounter(api, f) for f in fhir_ids]
        if all(e is not None and e["status"] == "READY" for e in found):
            return [e for e in found if e is not None]
        time.sleep(0.3)
    raise AssertionError(f"not all coded in {timeout}s: {found}")


def wait_subscriptions(api: ApiUser, connection_id: int, status: str, timeout: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    items: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        items = api.get(f"/fhir-connections/{connection_id}/subscriptions").json()["items"]
        if items and all(i["status"] == status for i in items):
            return items
        time.sleep(0.2)
    raise AssertionError(f"subscriptions not {status}: {items}")


@pytest.fixture()
def subscribed(stack: Stack) -> Iterator[tuple[ApiUser, dict[str, Any]]]:
    api = ApiUser(stack)
    connection = backend_connection(api, stack, "Subscribed sandbox", scope=SCOPE)
    made = api.post(f"/fhir-connections/{connection['id']}/subscriptions", {"heartbeat_seconds": 30})
    assert made.status_code == 201, made.text
    try:
        yield api, connection
    finally:
        for item in api.get(f"/fhir-connections/{connection['id']}/subscriptions").json()["items"]:
            api.delete(f"/subscriptions/{item['id']}")


def test_finished_encounters_code_themselves_and_pause_stops_it(stack: Stack,
                                                               subscribed: tuple[ApiUser, dict[str, Any]]) -> None:
    api, connection = subscribed
    items = wait_subscriptions(api, connection["id"], "active")
    assert {i["topic"].rsplit("/", 1)[-1] for i in items} == {"encounter-finished", "encounter-note"}
    assert api.get(f"/fhir-connections/{connection['id']}").json()["sync_mode"]["mode"] == "subscription"
    other_org = ApiUser(stack)
    ids = in_progress(stack, 4)
    for eid in ids[:3]:
        finish(stack, eid)
    coded = wait_ready(api, ids[:3])
    assert all(e["fhir_connection_id"] == connection["id"] for e in coded if "fhir_connection_id" in e)
    assert other_org.get("/encounters").json()["items"] == [], "nothing arrives in another organisation"
    finished = next(i for i in api.get(f"/fhir-connections/{connection['id']}/subscriptions").json()["items"]
                    if i["topic"].endswith("encounter-finished"))
    assert finished["last_event_number"] >= 3 and finished["last_error"] is None

    paused = api.post(f"/subscriptions/{finished['id']}/pause")
    assert paused.status_code == 200 and paused.json()["paused"] is True
    finish(stack, ids[3])
    time.sleep(3)
    assert encounter(api, ids[3]) is None, "a paused subscription brings nothing"
    assert api.get(f"/fhir-connections/{connection['id']}").json()["sync_mode"]["mode"] != "subscription", \
        "paused: the mode line no longer says new encounters come by subscription"
    resumed = api.post(f"/subscriptions/{finished['id']}/resume")
    assert resumed.status_code == 200 and resumed.json()["status"] in ("requested", "active")
    wait_subscriptions(api, connection["id"], "active")


def _runs_and_note_events(stack: Stack, encounter_id: int, note_sub_id: int, fhir_id: str) -> tuple[int, list[str]]:
    """How many coding runs this encounter has had, and the states of its note events (from the database:
    run ids are shared by every organisation on the stack, so their difference counts others' work too)."""
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT count(*) FROM coding_runs WHERE encounter_id = :e"),
                            {"e": encounter_id}).scalar_one()
        states = conn.execute(text("SELECT state FROM subscription_events WHERE subscription_id = :s "
                                   "AND encounter_ref = :r ORDER BY id"),
                              {"s": note_sub_id, "r": f"Encounter/{fhir_id}"}).scalars().all()
    engine.dispose()
    return int(runs), list(states)


def _what_happened(stack: Stack, encounter_id: int, note_sub_id: int, fhir_id: str) -> str:
    """The note events (state, detail, when) and coding runs (status, when): what a failure message needs."""
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as conn:
        events = conn.execute(text("SELECT id, state, detail, received_at FROM subscription_events "
                                   "WHERE subscription_id = :s AND encounter_ref = :r ORDER BY id"),
                              {"s": note_sub_id, "r": f"Encounter/{fhir_id}"}).all()
        runs = conn.execute(text("SELECT id, status, created_at FROM coding_runs WHERE encounter_id = :e "
                                 "ORDER BY id"), {"e": encounter_id}).all()
    engine.dispose()
    return f"events {[tuple(map(str, e)) for e in events]}; runs {[tuple(map(str, r)) for r in runs]}"


def test_a_later_note_recodes_its_encounter_once(stack: Stack,
                                                              subscribed: tuple[ApiUser, dict[str, Any]]) -> None:
    api, connection = subscribed
    items = wait_subscriptions(api, connection["id"], "active")
    notes_sub = next(i for i in items if i["topic"].endswith("encounter-note"))
    first, second = in_progress(stack, 2)
    finish(stack, first)
    finish(stack, second)
    before = {e["fhir_encounter_id"]: e for e in wait_ready(api, [first, second])}
    writer = SandboxWriter(stack.sandbox_url)
    note = {"resourceType": "DocumentReference", "status": "current",
            "subject": {"reference": f"Patient/{before[first]['fhir_patient_id']}"},
            "type": {"text": "Addendum"},
            "content": [{"attachment": {"contentType": "text/plain",
                                        "data": "QXNzZXNzbWVudDogZXNzZW50aWFsIGh5cGVydGVuc2lvbi4="}}]}
    encounter_id = before[first]["id"]
    # The copied note's own event (sent while the visit was in progress) is handled, and whatever it set off
    # finished, before counting.
    settle = time.monotonic() + 90
    while True:
        runs_before, earlier = _runs_and_note_events(stack, encounter_id, notes_sub["id"], first)
        coding = api.get(f"/encounters/{encounter_id}").json()["coding"]
        settled = "queued" not in earlier and coding["status"] == "COMPLETE"
        if settled or time.monotonic() > settle:
            break
        time.sleep(0.3)
    # Counting from a run still waiting for the worker would count nothing: that run reads the new notes.
    assert settled, f"the first coding settled: {_what_happened(stack, encounter_id, notes_sub['id'], first)}"
    first_run = coding["id"]
    for _ in range(3):   # three notes in quick succession: one re-code
        writer.create({**note, "context": {"encounter": [{"reference": f"Encounter/{first}"}]}})
    # Done when RevRX has handled all three note events (each waits out the debounce) and the encounter's
    # coding has settled: only then is the number of re-codes final.
    deadline = time.monotonic() + 120
    detail: dict[str, Any] = {}
    runs, states = runs_before, []
    while time.monotonic() < deadline:
        # The events first, then the encounter: a note event is marked done only after the run it queued is
        # committed, so an encounter read after seeing it done shows that run (read before, it may not yet).
        runs, states = _runs_and_note_events(stack, encounter_id, notes_sub["id"], first)
        detail = api.get(f"/encounters/{encounter_id}").json()
        handled = len(states) == len(earlier) + 3 and "queued" not in states
        if handled and detail["status"] == "READY" and detail["coding"]["status"] == "COMPLETE":
            break
        time.sleep(0.3)
    why = _what_happened(stack, encounter_id, notes_sub["id"], first)
    assert detail["coding"]["id"] > first_run, f"the later note re-coded the encounter: {why}"
    assert len(states) == len(earlier) + 3 and "queued" not in states, why
    assert 1 <= runs - runs_before <= 2, \
        f"a burst of notes re-codes once (one more at most, if a run was in flight): {runs - runs_before}, {states}"


def test_an_ehr_without_subscriptions_is_told_so(stack: Stack) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack, "No subs", scope=SCOPE)
    api.post(f"/fhir-connections/{connection['id']}/subscriptions")   # the generic sandbox offers them
    again = api.post(f"/fhir-connections/{connection['id']}/subscriptions")
    assert again.status_code == 409 and "Already subscribed" in again.text
    for item in api.get(f"/fhir-connections/{connection['id']}/subscriptions").json()["items"]:
        assert api.delete(f"/subscriptions/{item['id']}").status_code == 204


def _set_status(stack: Stack, subscription_id: int, status: str) -> None:
    """What RevRX believes about its subscription, changed behind its back (the EHR still sends)."""
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE ehr_subscriptions SET status = :s WHERE id = :i"),
                     {"s": status, "i": subscription_id})
    engine.dispose()


def test_a_missed_event_is_caught_up_with_events(stack: Stack, subscribed: tuple[ApiUser, dict[str, Any]]) -> None:
    api, connection = subscribed
    items = wait_subscriptions(api, connection["id"], "active")
    finished_sub = next(i for i in items if i["topic"].endswith("encounter-finished"))
    missed, later = in_progress(stack, 2)
    _set_status(stack, finished_sub["id"], "off")      # RevRX refuses (409) the next notification: the EHR
    finish(stack, missed)                              # does not send a refused one again
    time.sleep(2)   # the EHR delivered it and RevRX refused it
    assert encounter(api, missed) is None
    _set_status(stack, finished_sub["id"], "active")
    finish(stack, later)                               # its number is one past a gap: $events brings the missed one
    wait_ready(api, [missed, later])
    caught = api.get(f"/subscriptions/{finished_sub['id']}").json()
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT event_number, state, detail FROM subscription_events "
                                 "WHERE subscription_id = :i"), {"i": finished_sub["id"]}).all()
    engine.dispose()
    assert caught["last_event_number"] == caught["highest_event_number"], (caught, rows)


def test_a_plain_criteria_subscription_pings_and_brings_only_what_changed(stack: Stack) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack, "Plain criteria", scope=SCOPE)
    made = api.post(f"/fhir-connections/{connection['id']}/subscriptions", {"mode": "criteria"})
    assert made.status_code == 201, made.text
    (item,) = made.json()["items"]
    assert item["mode"] == "criteria" and item["criteria"] == "Encounter?status=finished"
    try:
        assert item["status"] in ("requested", "active")   # plain R4: no handshake; the first ping says it works
        ids = in_progress(stack, 2)
        for eid in ids:
            finish(stack, eid)
        wait_ready(api, ids)
        time.sleep(1)
        brought = [e["fhir_encounter_id"] for e in api.get("/encounters", per_page=100).json()["items"]]
        assert set(ids) <= set(brought)
        assert not [b for b in brought if len(b) < 10], \
            "the ping's catch-up brought only what changed, not the EHR's older finished encounters (e001…)"
        assert api.get(f"/subscriptions/{item['id']}").json()["status"] == "active"
    finally:
        api.delete(f"/subscriptions/{item['id']}")


def test_the_auto_code_switch_and_classes_decide_what_is_coded(stack: Stack,
                                                               subscribed: tuple[ApiUser, dict[str, Any]]) -> None:
    api, connection = subscribed
    wait_subscriptions(api, connection["id"], "active")
    settings = f"/fhir-connections/{connection['id']}/auto-code"
    inpatient_only, switched_off = in_progress(stack, 2)   # both ambulatory (AMB)
    assert api.http.put(api.url(settings), json={"auto_code": True, "encounter_classes": ["IMP"]},
                        timeout=30).status_code == 200
    finish(stack, inpatient_only)
    time.sleep(3)
    assert encounter(api, inpatient_only) is None, "an ambulatory encounter is not brought when only IMP is coded"
    assert api.http.put(api.url(settings), json={"auto_code": False, "encounter_classes": []},
                        timeout=30).status_code == 200
    finish(stack, switched_off)
    deadline = time.monotonic() + 30
    found = None
    while found is None and time.monotonic() < deadline:
        found = encounter(api, switched_off)
        time.sleep(0.3)
    assert found is not None and found["status"] == "NEW", "auto-code off: in the queue, not coded"


def test_deleting_a_connection_deletes_its_subscriptions_on_the_ehr(stack: Stack) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack, "Deleted with its subscriptions", scope=SCOPE)
    made = api.post(f"/fhir-connections/{connection['id']}/subscriptions").json()["items"]
    theirs = {m["fhir_subscription_id"] for m in made}
    writer = SandboxWriter(stack.sandbox_url)

    def on_ehr() -> set[str]:
        bundle = writer.http.get(f"{stack.sandbox_url}/fhir/Subscription", timeout=10).json()
        return {e["resource"]["id"] for e in bundle.get("entry", [])}

    assert theirs <= on_ehr()
    assert api.delete(f"/fhir-connections/{connection['id']}").status_code == 204
    assert not theirs & on_ehr(), "the EHR no longer notifies a connection that is gone"
