"""A connection's token is minted once and then served from memory to the jobs a worker runs one
after another (issue 19), until the EHR rejects it: forgetting it makes the next job mint a new one
instead of sending the rejected token again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask

from smartapp.ehr_access.connection_client import access_token, forget_token
from smartapp.extensions import jobs
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
