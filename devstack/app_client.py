"""A scripted user of the product over real HTTP (requests), for integration tests: starts a launch
from the sandbox EHR page, follows the SMART redirects, waits for coding, decides and approves."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import requests

from devstack.processes import Stack

_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
_SUGGESTION = re.compile(r'<li class="suggestion [a-z]+" id="suggestion-(\d+)" data-code="([^"]+)"')


@dataclass
class Suggested:
    id: int
    code: str


class AppUser:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = requests.Session()
        self.csrf = ""

    def launch(self, encounter_id: str) -> requests.Response:
        """Click "Launch RevRX" on the sandbox EHR for `encounter_id` and follow every redirect."""
        response = self.http.get(f"{self.stack.sandbox_url}/ehr/launch/{encounter_id}", timeout=30)
        self._remember_csrf(response.text)
        return response

    def _remember_csrf(self, html: str) -> None:
        match = _CSRF.search(html)
        if match:
            self.csrf = match.group(1)

    def get(self, url: str, htmx: bool = False) -> requests.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        full = url if url.startswith("http") else self.stack.app_url + url
        response = self.http.get(full, headers=headers, timeout=30)
        self._remember_csrf(response.text)
        return response

    def post(self, path: str, data: dict[str, str] | None = None) -> requests.Response:
        return self.http.post(self.stack.app_url + path, data=data or {}, timeout=60,
                              headers={"HX-Request": "true", "X-CSRFToken": self.csrf})

    def approve(self, encounter_path: str, data: dict[str, str] | None = None,
                timeout: float = 60.0) -> requests.Response:
        """Press "Approve & write back" (or its confirm) and follow the panel's polling, as the page does,
        until the write-back job is done; the last panel answer (the POST's own if it was final)."""
        response = self.post(f"{encounter_path}/approve", data)
        deadline = time.monotonic() + timeout
        while 'data-testid="writeback-progress"' in response.text:
            if time.monotonic() > deadline:
                raise AssertionError(f"the write-back did not finish within {timeout}s")
            time.sleep(0.3)
            response = self.get(f"{encounter_path}/writeback", htmx=True)
        return response

    def wait_for_coding(self, encounter_url: str, timeout: float = 60.0) -> str:
        """Poll the status partial as the page does, until it stops being a poller."""
        path = encounter_url.replace(self.stack.app_url, "") + "/coding"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            html = self.get(path, htmx=True).text
            if 'data-polling="yes"' not in html:
                return html
            time.sleep(0.3)
        raise AssertionError(f"coding did not finish within {timeout}s")


def suggestions(html: str) -> list[Suggested]:
    return [Suggested(int(i), code) for i, code in _SUGGESTION.findall(html)]


def encounter_path(url: str) -> str:
    match = re.search(r"/encounters/\d+", url)
    assert match, f"not an encounter page: {url}"
    return match.group(0)
