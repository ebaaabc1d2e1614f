"""The running app's `Runtime` (smartapp/runtime.py) for views and the API: the one place the web layer
reaches it through Flask's `current_app`."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for

from smartapp.runtime import Runtime

RUNTIME_KEY = "revrx.runtime"


def runtime() -> Runtime:
    value: Runtime = current_app.extensions[RUNTIME_KEY]
    return value


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute URL on APP_BASE_URL, never on the request's Host header (which the client chooses:
    a forged Host would otherwise put an attacker's address into links the API hands out)."""
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root):
        path = path[len(root):]   # APP_BASE_URL is the app's public root, prefix included
    return runtime().settings.app_base_url + path
