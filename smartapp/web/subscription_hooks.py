"""`POST /hooks/fhir-subscriptions/<public id>`: where EHRs deliver subscription notifications.

No session, no CSRF token (the EHR is the caller): each request authenticates with the subscription's
own secret, in the header RevRX chose when it created the subscription (smartapp/subscriptions/
receive.py does the rest and answers quickly; the work runs in RQ).
"""

from __future__ import annotations

from flask import Response, jsonify, request

from smartapp.extensions import csrf, db, jobs
from smartapp.subscriptions.manage import HEADER
from smartapp.subscriptions.receive import MAX_BYTES, receive
from smartapp.web import bp


@bp.post("/hooks/fhir-subscriptions/<public_id>")
@bp.put("/hooks/fhir-subscriptions/<public_id>/<path:_resource>")
def subscription_hook(public_id: str, _resource: str | None = None) -> tuple[Response, int]:
    jobs.require_available()   # 503 before anything is recorded: the EHR retries later
    length = request.content_length
    body = request.stream.read(MAX_BYTES + 1) if (length or 0) <= MAX_BYTES else b""
    answer = receive(db.session, public_id, request.headers.get(HEADER), body, length)
    return jsonify(status=answer.status, message=answer.message), answer.status


csrf.exempt(subscription_hook)
