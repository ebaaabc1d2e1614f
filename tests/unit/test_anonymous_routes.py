"""Every route of the app, asked by someone not signed in, answers without data: a redirect to sign
in, 401/403, or 404/405. Only a short allow-list of public routes answers 200."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.support.review_data import Seeded

pytestmark = pytest.mark.db

# Public on purpose: static files, health, the SMART launch endpoints and public key set, the start page
# (choose an EHR), the API's OpenAPI document, a connection's public key set (by its unguessable token).
PUBLIC = {"static", "web.healthz", "web.readyz", "smart.start", "smart.launch", "smart.callback", "smart.jwks",
          "api.openapi_document", "web.connection_jwks"}
NO_DATA = {301, 302, 303, 400, 401, 403, 404, 405}


def _path(rule: str, seeded: Seeded) -> str:
    """The rule with real ids (the seeded encounter, run and suggestion), so a leak would show."""
    values = {"encounter_id": seeded.encounter_id, "run_id": seeded.run_id,
              "suggestion_id": seeded.suggestions["E11.9"], "user_id": seeded.users["clinician"]}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule)


def test_no_route_answers_an_anonymous_request_with_data(app: Flask, seeded: Seeded) -> None:
    client = app.test_client()
    leaks = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(_path(rule.rule, seeded), method=method)
            body = response.get_data(as_text=True)
            if response.status_code not in NO_DATA or "E11.9" in body or "p900" in body:
                leaks.append(f"{method} {rule.rule} -> {response.status_code}")
    assert leaks == []


def test_the_public_list_is_short_and_real(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC - endpoints <= {"web.readyz"}, "a public route that no longer exists"
    assert len(PUBLIC) <= 10
