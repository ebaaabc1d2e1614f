"""Pages and HTMX partial endpoints."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from smartapp.web import approve, decisions, pages, uploads  # noqa: E402,F401  (routes register on import)
from smartapp.web import audit_view, codes, reports, typeahead  # noqa: E402,F401  (review page routes)
from smartapp.web import connections, queue, sync  # noqa: E402,F401  (work queue, FHIR connections, batch sync)
