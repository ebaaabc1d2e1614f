"""Pages and HTMX partial endpoints."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from smartapp.web import approve, decisions, pages  # noqa: E402,F401  (routes register on import)
