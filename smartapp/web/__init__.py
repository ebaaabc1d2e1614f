"""Pages and HTMX partial endpoints."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from smartapp.web import (  # noqa: E402,F401  (routes register on import)  # noqa: E402,F401  (review page routes)  # noqa: E402,F401  (work queue, FHIR connections, batch sync)
    approve,
    audit_view,
    codes,
    connections,
    decisions,
    pages,
    queue,
    reports,
    sync,
    typeahead,
    uploads,
)
