"""Two tabs launching the same encounter at the same moment both land on its review page.

Before insert_or_find, the tab that lost the race for the encounter row rolled back its whole
transaction (its LaunchSession, its User, its audit rows) and its callback then failed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devstack.processes import Stack
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("encounter", ["e047", "e048", "e049"])
def test_two_tabs_launching_one_encounter_at_once_both_reach_review(stack: Stack, encounter: str) -> None:
    tabs = [Launcher(stack), Launcher(stack)]
    callbacks = [tab.until_callback(tab.ehr_launch(encounter, follow=False)) for tab in tabs]
    start = threading.Barrier(len(tabs))

    def finish(i: int) -> requests.Response:
        start.wait()
        return tabs[i].http.get(callbacks[i], timeout=60)

    with ThreadPoolExecutor(len(tabs)) as pool:
        pages = list(pool.map(finish, range(len(tabs))))
    assert [p.status_code for p in pages] == [200, 200], [p.text[:300] for p in pages]
    assert all("/encounters/" in p.url for p in pages), [p.url for p in pages]
    assert pages[0].url == pages[1].url, "one encounter row, whoever won"
    assert all('id="coding"' in p.text for p in pages)
