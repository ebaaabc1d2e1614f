"""Security headers on every response.

- `Content-Security-Policy`: scripts from RevRX itself only; the htmx CDN is allowed only when
  HTMX_SOURCE=cdn asks for it. `frame-ancestors` lists the registered EHRs' origins so RevRX can be
  embedded in their frames and nowhere else; the dev sandbox's registrations count only in
  SANDBOX_MODE (see smartapp/runtime.py), so a production deployment lists its real EHRs alone.
- `Strict-Transport-Security` when APP_BASE_URL is https: browsers then never reach RevRX over http.
"""

from __future__ import annotations

from flask import Flask, Response

from smartapp.config import HTMX_CDN_URL
from smartapp.web.runtime import runtime

HSTS = "max-age=31536000; includeSubDomains"


def _origin(url: str) -> str:
    return "/".join(url.split("/")[:3])


def content_security_policy(frame_ancestors: list[str], htmx_from_cdn: bool) -> str:
    scripts = " ".join(["'self'", *([_origin(HTMX_CDN_URL)] if htmx_from_cdn else [])])
    ancestors = " ".join(["'self'", *frame_ancestors])
    # Inline styles: the EHR's colours (smart_style_url) arrive as CSS variables in a style element.
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            f"frame-ancestors {ancestors}")


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        rt = runtime()
        response.headers.setdefault("Content-Security-Policy", content_security_policy(
            rt.registry.frame_ancestors(), rt.settings.htmx_source == "cdn"))
        if rt.settings.app_base_url.startswith("https://"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Cache-Control", "no-store")   # pages carry PHI
        return response
