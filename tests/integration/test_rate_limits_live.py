"""Rate limits on a real web process (issue 13, item 9): a second web process on the stack's database
and Redis, configured with small limits, answers 429 with Retry-After for launches, callbacks, the JSON
API and uploads; a burst of bad API tokens locks the address out of signing in for a while."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devstack.api_client import flask_cli
from devstack.processes import ManagedProcess, Stack, free_port, start_web

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def limited(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("limited")
    env = dict(stack.env, REDIS_URL=stack.env["REDIS_URL"].rsplit("/", 1)[0] + "/4",
               RATE_LIMIT_LAUNCH="3 per minute", RATE_LIMIT_CALLBACK="3 per minute", RATE_LIMIT_LOGIN="4 per minute",
               RATE_LIMIT_API="5 per minute", RATE_LIMIT_UPLOAD="2 per minute")
    port = free_port()
    web: ManagedProcess = start_web(env, port, Path(tmp) / "logs")
    try:
        isolated = Stack(instance_dir=tmp, web_port=port)
        isolated.env = env
        user_id = flask_cli(isolated, "create-user", "--organization", "Limited", "--role", "coder")
        token = flask_cli(isolated, "create-api-token", user_id)
        yield f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
    finally:
        web.stop(grace=3.0)


def _limited_after(n: int, send: object) -> requests.Response:
    for _ in range(n):
        resp = send()  # type: ignore[operator]
        assert resp.status_code != 429, f"limited too early: {resp.status_code}"
    resp = send()  # type: ignore[operator]
    assert resp.status_code == 429, resp.status_code
    assert 0 < int(resp.headers["Retry-After"]) <= 60
    return resp  # type: ignore[no-any-return]


def test_every_limit_engages_on_a_real_web_process(limited: tuple[str, dict[str, str]]) -> None:
    base, headers = limited
    http = requests.Session()
    _limited_after(3, lambda: http.get(f"{base}/launch", allow_redirects=False, timeout=10))
    _limited_after(3, lambda: http.get(f"{base}/callback", params={"state": "s", "code": "c"}, timeout=10))
    uploads = _limited_after(2, lambda: http.post(f"{base}/api/v1/uploads", headers=headers, timeout=10))
    assert uploads.headers["Content-Type"].startswith("application/problem+json")
    # Uploads count towards the API's five as well: the API refuses within five more calls.
    answers = [http.get(f"{base}/api/v1/encounters", headers=headers, timeout=10) for _ in range(5)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and 0 < int(refused[0].headers["Retry-After"]) <= 60
    assert [a.status_code for a in answers[:1]] == [200]
