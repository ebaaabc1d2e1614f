"""Values every template may use: the htmx CDN address and its integrity hash."""

from __future__ import annotations

from flask import Flask

from smartapp.config import HTMX_CDN_URL, HTMX_SRI


def register_template_context(app: Flask) -> None:
    @app.context_processor
    def htmx() -> dict[str, str]:
        return {"htmx_cdn_url": HTMX_CDN_URL, "htmx_sri": HTMX_SRI}
