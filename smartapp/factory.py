"""The application factory: `create_app()` reads as a list of named steps."""

from __future__ import annotations

import logging

from flask import Flask

from smartapp.config import ROOT, Settings
from smartapp.extensions import csrf, db, login_manager
from smartapp.logging_setup import configure_logging
from smartapp.runtime import build_runtime
from smartapp.web.rate_limits import configure_rate_limits


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    configure_app(app, settings)
    configure_logging(app)
    configure_extensions(app, settings)
    register_blueprints(app)
    configure_rate_limits(app, settings.rate_limits, settings.redis_url)
    return app


def configure_app(app: Flask, settings: Settings) -> None:
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        # Inside an EHR iframe over HTTPS the cookie must be SameSite=None; Secure. Plain-HTTP dev: Lax.
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_SAMESITE="None" if settings.secure_cookies else "Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # Browsers share cookies across ports of one host: a name of our own keeps the EHR's apart.
        SESSION_COOKIE_NAME="revrx_session",
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,   # tied to the session instead: a coder's tab stays open all day
        WTF_CSRF_SSL_STRICT=False,  # the referrer is the EHR's origin when embedded
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
    )


def configure_extensions(app: Flask, settings: Settings) -> None:
    from smartapp.web.runtime import RUNTIME_KEY

    app.extensions[RUNTIME_KEY] = build_runtime(settings)   # encryption, the job queue, registrations, EHR access
    db.init_app(app, settings.database_url)
    csrf.init_app(app)
    login_manager.init_app(app)
    from smartapp.web.auth import configure_login

    configure_login(login_manager)


def register_blueprints(app: Flask) -> None:
    from smartapp.api import bp as api_bp
    from smartapp.web import bp as web_bp
    from smartapp.web.errors import register_error_handlers
    from smartapp.web.launch import bp as smart_bp
    from smartapp.web.security_headers import register_security_headers
    from smartapp.web.sessions import register_session_check
    from smartapp.web.template_context import register_template_context

    register_session_check(app)   # before any blueprint's own checks: a dead session signs nobody in
    app.register_blueprint(smart_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(api_bp)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_context(app)
    logging.getLogger(__name__).debug("blueprints registered")
