"""Rate limits (Flask-Limiter on the app's Redis): which requests are limited, by what, and for whom.

All limits live in this one table rather than as decorators scattered over the views, so the views of
other packages stay untouched and `docs/security` can point at one place. The numbers come from the
settings (`RATE_LIMIT_*`, smartapp/config.py `RateLimits`); an answer over the limit is 429 with
`Retry-After` (seconds) and the usual page or problem-details body.

| limit | requests | counted per |
|---|---|---|
| launch | `/launch`, `/start` (beginning a SMART sign-in) | client address |
| callback | `/callback` (the EHR sends the browser back) | client address |
| sign-in | failed sign-ins: `/callback` answers ≥ 400, API requests answered 401 (bad token) | client address |
| api | every `/api/v1` request | API token presented, else client address |
| upload | `POST /uploads` (page) and `POST /api/v1/uploads` | signed-in user or token, else address |

Counters are shared by all web processes through Redis. If Redis is unreachable, each process counts
for itself (in memory) until it is back, rather than refusing every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

from flask import Blueprint, Flask, Response, request
from flask_limiter import Limiter, RouteLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from smartapp.config import RateLimits

LIMITER_KEY = "revrx_limiter"
TOO_MANY = "Too many requests in a short time. Wait a moment and try again."


def _token_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer ") and header[7:].strip():
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "addr:" + get_remote_address()


def _user_key() -> str:
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return _token_key()


def _failed_sign_in(response: Response) -> bool:
    return response.status_code in (400, 401, 403)


def _failed_token(response: Response) -> bool:
    return response.status_code == 401


def configure_rate_limits(app: Flask, limits: RateLimits, redis_url: str) -> Limiter:
    """Make the app's limiter and attach each limit to its views (call after registering blueprints)."""
    limiter = Limiter(
        get_remote_address, app=app, storage_uri=redis_url, strategy="moving-window", headers_enabled=True,
        enabled=limits.enabled, swallow_errors=True, in_memory_fallback_enabled=True, key_prefix="revrx",
    )
    app.extensions[LIMITER_KEY] = limiter

    def on(endpoint: str, limit: RouteLimit) -> None:
        view: Callable[..., Any] = app.view_functions[endpoint]
        app.view_functions[endpoint] = limit(view)

    for endpoint in ("smart.launch", "smart.start"):
        on(endpoint, limiter.shared_limit(limits.launch, scope="launch", error_message=TOO_MANY))
    on("smart.callback", limiter.limit(limits.callback, error_message=TOO_MANY))
    sign_in = limiter.shared_limit(limits.login, scope="sign-in", error_message=TOO_MANY,
                                   deduct_when=_failed_sign_in)
    on("smart.callback", sign_in)
    for endpoint in ("web.upload_files", "api.create_uploads"):
        on(endpoint, limiter.shared_limit(limits.upload, scope="upload", key_func=_user_key,
                                          override_defaults=False, error_message=TOO_MANY))   # API limit too
    api = cast(Blueprint, app.blueprints["api"])   # (importing smartapp.api here would be a web→api cycle)
    # Shared: one count for the whole API (a blueprint limit alone would count each endpoint apart).
    limiter.shared_limit(limits.api, scope="api", key_func=_token_key, error_message=TOO_MANY)(api)
    limiter.shared_limit(limits.login, scope="sign-in", error_message=TOO_MANY, deduct_when=_failed_token)(api)
    return limiter
