"""The coding panel looks again soon while a run is young (the local engine codes in a few hundred ms)
and backs off to once a second as it ages; the page itself carries the delay it will wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from smartapp.extensions import db
from smartapp.models import CodingRun, RunStatus
from smartapp.web.polling import SLOWEST_MS, coding_poll_ms
from tests.support.review_data import Browser, Seeded

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _run(age_s: float) -> CodingRun:
    return CodingRun(encounter_id=1, engine="local", status=RunStatus.PENDING,
                     created_at=NOW - timedelta(seconds=age_s))


def test_the_poll_starts_fast_and_backs_off() -> None:
    delays = [coding_poll_ms(_run(age), NOW) for age in (0, 1.5, 3, 5, 30, 600)]
    assert delays[0] <= 200, "the first look comes well within the time the local engine needs"
    assert delays == sorted(delays) and delays[-1] == SLOWEST_MS
    assert coding_poll_ms(None, NOW) == delays[0]


def test_a_waiting_panel_says_how_soon_it_looks_again(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        run = db.session.get(CodingRun, seeded.run_id)
        assert run is not None
        run.status, run.created_at = RunStatus.PENDING, datetime.now(UTC)
        db.session.commit()
    html = Browser(app, seeded.users["coder"]).get(f"/encounters/{seeded.encounter_id}/coding").get_data(as_text=True)
    assert 'data-polling="yes"' in html and 'hx-trigger="load delay:150ms"' in html
