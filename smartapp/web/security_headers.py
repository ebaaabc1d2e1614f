"""Security headers on every response; `frame-ancestors` lists the registered EHRs so RevRX can be
embedded in their frames and nowhere else."""

from __future__ import annotations

from flask import Flask, Response

from smartapp.web.runtime import runtime


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        ancestors = " ".join(["'self'", *runtime().registry.frame_ancestors()])
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' "
            f"https:; img-src 'self' data:; font-src 'self' https: data:; frame-ancestors {ancestors}",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Cache-Control", "no-store")   # pages carry PHI
        return response
