"""SMART launches driven over real HTTP, for the launch-matrix and negative tests: an EHR launch from
the sandbox EHR (any registered client), a standalone launch through the sandbox's sign-in and
patient picker, the app's encounter picker, and a look into the app's database (LaunchSession and
User rows) through SQLAlchemy."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from devstack.processes import Stack
from smartapp.models import LaunchSession, User
from smartapp.security import crypto

_FORM = re.compile(r'<form class="signin" method="post" action="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
_LAUNCH_INPUT = re.compile(r'name="launch" value="(\d+)"')
_CHOICE = re.compile(r'data-testid="choose-([^"]+)"')


@dataclass
class Counts:
    launches: int
    users: int


class Launcher:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = requests.Session()
        self._engine = create_engine(stack.env["DATABASE_URL"])
        crypto.configure((stack.env["REVRX_ENCRYPTION_KEY"],))

    # ---- the app's database ----------------------------------------------------------------------

    def counts(self) -> Counts:
        with Session(self._engine) as s:
            return Counts(int(s.scalar(select(func.count()).select_from(LaunchSession)) or 0),
                          int(s.scalar(select(func.count()).select_from(User)) or 0))

    def latest_launch(self) -> LaunchSession:
        with Session(self._engine, expire_on_commit=False) as s:
            row = s.scalars(select(LaunchSession).order_by(LaunchSession.id.desc())).first()
            assert row is not None
            s.expunge(row)
            return row

    def db(self) -> Session:
        return Session(self._engine, expire_on_commit=False)

    # ---- sandbox helpers ---------------------------------------------------------------------------

    def patient_of(self, encounter_id: str) -> str:
        found = requests.get(f"{self.stack.sandbox_url}/_admin/resources/Encounter", timeout=10).json()
        enc = next(e for e in found if e["id"] == encounter_id)
        return str(enc["subject"]["reference"]).split("/")[-1]

    def faults(self, body: dict[str, Any] | None) -> None:
        self._switch("faults", body)

    def context(self, body: dict[str, Any] | None) -> None:
        """How the sandbox's authorization server shapes launch context (sandbox/oauth_admin.py)."""
        self._switch("oauth/context", body)

    def _switch(self, name: str, body: dict[str, Any] | None) -> None:
        url = f"{self.stack.sandbox_url}/_admin/{name}"
        resp = requests.post(url, json=body, timeout=10) if body else requests.delete(url, timeout=10)
        resp.raise_for_status()

    # ---- launches ---------------------------------------------------------------------------------

    def ehr_launch(self, encounter_id: str, client: str | None = None, follow: bool = True) -> requests.Response:
        params = {"client": client} if client else {}
        return self.http.get(f"{self.stack.sandbox_url}/ehr/launch/{encounter_id}", params=params, timeout=60,
                             allow_redirects=follow)

    def until_callback(self, response: requests.Response) -> str:
        """Follow redirects by hand until the EHR sends the browser to the app's /callback; return that URL."""
        for _ in range(10):
            location = response.headers.get("Location")
            assert response.is_redirect and location, f"expected a redirect, got {response.status_code}"
            url = urljoin(response.url, location)
            if url.startswith(f"{self.stack.app_url}/callback"):
                return url
            response = self.http.get(url, timeout=30, allow_redirects=False)
        raise AssertionError("never reached /callback")

    def standalone_start(self, registration: str) -> requests.Response:
        """From the app's start page to the EHR's sign-in page."""
        start = self.http.get(f"{self.stack.app_url}/start", timeout=30)
        assert f'data-testid="start-{registration}"' in start.text
        page = self.http.get(f"{self.stack.app_url}/launch", params={"registration": registration}, timeout=30)
        assert page.url.startswith(f"{self.stack.sandbox_url}/oauth/authorize"), page.url
        return page

    def sign_in(self, page: requests.Response, follow: bool = True, **choices: str) -> requests.Response:
        """Submit the sandbox's sign-in and patient picker form as a browser would."""
        action = _FORM.search(page.text)
        assert action is not None, page.text[:500]
        hidden = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
        return self.http.post(urljoin(page.url, html.unescape(action.group(1))), data={**hidden, **choices},
                              timeout=60, allow_redirects=follow)

    def standalone(self, registration: str, practitioner: str, patient: str, encounter: str = "",
                   decision: str = "approve") -> requests.Response:
        page = self.standalone_start(registration)
        return self.sign_in(page, decision=decision, practitioner=practitioner, patient=patient, encounter=encounter)

    def choose_encounter(self, picker: requests.Response, encounter_id: str, offered: bool = True) -> requests.Response:
        """Press an encounter's button on RevRX's picker (offered=False: post one it did not offer)."""
        assert 'data-testid="encounter-picker"' in picker.text, picker.text[:500]
        assert (encounter_id in _CHOICE.findall(picker.text)) is offered
        token = _CSRF_INPUT.search(picker.text)
        launch = _LAUNCH_INPUT.search(picker.text)
        assert token is not None and launch is not None
        return self.http.post(f"{self.stack.app_url}/launch/encounters", timeout=60,
                              data={"csrf_token": token.group(1), "launch": launch.group(1), "encounter": encounter_id})

    def choices(self, picker: requests.Response) -> list[str]:
        return _CHOICE.findall(picker.text)
