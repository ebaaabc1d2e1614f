"""The running app's `Runtime` (smartapp/runtime.py) for views and the API: the one place the web layer
reaches it through Flask's `current_app`."""

from __future__ import annotations

from flask import current_app

from smartapp.runtime import Runtime

RUNTIME_KEY = "revrx.runtime"


def runtime() -> Runtime:
    value: Runtime = current_app.extensions[RUNTIME_KEY]
    return value
