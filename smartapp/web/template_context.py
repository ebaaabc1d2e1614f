"""Values every template may use: the htmx CDN address and its integrity hash, the coding poll delay."""

from __future__ import annotations

from flask import Flask

from smartapp.config import HTMX_CDN_URL, HTMX_SRI
from smartapp.web.polling import coding_poll_ms, coding_stalled


def register_template_context(app: Flask) -> None:
    @app.context_processor
    def htmx() -> dict[str, str]:
        return {"htmx_cdn_url": HTMX_CDN_URL, "htmx_sri": HTMX_SRI}

    app.jinja_env.globals["coding_poll_ms"] = coding_poll_ms
    app.jinja_env.globals["coding_stalled"] = coding_stalled
