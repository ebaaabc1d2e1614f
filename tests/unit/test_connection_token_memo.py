"""A connection's token is minted once and then served from memory to the jobs a worker runs one
after another (issue 19), until the EHR rejects it: forgetting it makes the next job mint a new one
instead of sending the rejected token again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask

from smartapp.ehr_access.connection_client import access_token, client_for_connection, forget_token
from smartapp.extensions import db, jobs
from smartapp.fhir import outbound
from smartapp.models import FhirConnection
from smartapp.models.enums import AuthType
from tests.support.json_server import JsonServer, json_server

pytestmark = pytest.mark.db


@pytest.fixture
def ehr() -> Iterator[JsonServer]:
    with json_server() as server:
        before = outbound.configured()
        outbound.configure(outbound.AddressPolicy.from_setting(server.url.removeprefix("http://")))
        try:
            yield server
        finally:
            outbound.configure(before)


def test_a_token_is_minted_once_and_minted_again_after_the_ehr_rejected_it(app: Flask, ehr: JsonServer) -> None:
    assert jobs.redis is not None
    connection = FhirConnection(id=987_654, updated_at=datetime.now(UTC), auth_type=AuthType.CLIENT_CREDENTIALS,
                                base_url=f"{ehr.url}/fhir", client_id="batch", secret="s3cret",
                                token_endpoint=f"{ehr.url}/token", scope="system/*.rs")
    ehr.routes["/token"] = (200, {"access_token": "first", "token_type": "Bearer", "expires_in": 300})
    with app.app_context():
        tokens = [access_token(connection, redis=jobs.redis, timeout=5, margin_s=60) for _ in range(5)]
        assert tokens == ["first"] * 5 and ehr.hits.count("/token") == 1, "five jobs, one token request"
        ehr.routes["/token"] = (200, {"access_token": "second", "token_type": "Bearer", "expires_in": 300})
        forget_token(jobs.redis, connection)   # the EHR answered 401
        assert access_token(connection, redis=jobs.redis, timeout=5, margin_s=60) == "second"
        assert ehr.hits.count("/token") == 2
        forget_token(jobs.redis, connection)


def test_a_token_the_ehr_ended_early_is_minted_again_and_the_read_goes_through(app: Flask, ehr: JsonServer) -> None:
    """The EHR expired every token at once (or revoked the connection's): the next coding read hears 401
    to the cached token, and instead of failing with "the access token is invalid" until the cached copy
    runs out (an hour), the client mints a new token and reads again."""
    assert jobs.redis is not None
    connection = FhirConnection(id=987_655, updated_at=datetime.now(UTC), auth_type=AuthType.CLIENT_CREDENTIALS,
                                base_url=f"{ehr.url}/fhir", client_id="batch", secret="s3cret",
                                token_endpoint=f"{ehr.url}/token", scope="system/*.rs", organization_id=1)
    ehr.routes["/token"] = (200, {"access_token": "first", "token_type": "Bearer", "expires_in": 3600})
    with app.app_context():
        assert access_token(connection, redis=jobs.redis, timeout=5, margin_s=60) == "first"   # cached
        ehr.routes["/token"] = (200, {"access_token": "second", "token_type": "Bearer", "expires_in": 3600})
        ehr.answer = lambda path, headers: ((200, {"resourceType": "Encounter", "id": "e1"})
                                            if headers.get("Authorization") == "Bearer second"
                                            else (401, {"resourceType": "OperationOutcome"})
                                            ) if path.startswith("/fhir/Encounter") else None
        try:
            client = client_for_connection(db.session, connection, redis=jobs.redis, timeout_s=5,
                                           refresh_margin_s=60, actor=None)
            assert client.read("Encounter", "e1")["id"] == "e1"
            assert client.read("Encounter", "e1")["id"] == "e1"   # the new token from then on
            assert ehr.hits.count("/token") == 2 and ehr.hits.count("/fhir/Encounter/e1") == 3
            assert access_token(connection, redis=jobs.redis, timeout=5, margin_s=60) == "second"   # shared
        finally:
            db.session.rollback()
            forget_token(jobs.redis, connection)
