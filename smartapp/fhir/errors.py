"""FHIR errors with messages a person can act on.

Every failure talking to a FHIR server becomes a `FhirError`: the HTTP status (None when no response
arrived), a message written for the user of the app, and the server's OperationOutcome when it sent
one. Bodies that are not FHIR (an HTML page from a proxy, truncated JSON) are summarised, never echoed.
"""

from __future__ import annotations

import json
from typing import Any

# Summaries for statuses whose raw reason phrase would not tell a user what to do.
_STATUS_HINTS: dict[int, str] = {
    400: "The EHR rejected the request as invalid.",
    401: "The EHR session has expired or the access token is invalid. Relaunch RevRX from the EHR.",
    403: "The EHR refused access: the app was not granted permission for this data.",
    404: "The EHR could not find the requested record.",
    405: "The EHR does not support this operation.",
    409: "The EHR reported a conflict with an existing record.",
    410: "The record has been deleted in the EHR.",
    412: "The EHR found more than one matching record, so nothing was written.",
    422: "The EHR rejected the data as not valid for its rules.",
    429: "The EHR is rate limiting requests. Try again in a minute.",
    500: "The EHR had an internal error.",
    502: "The EHR (or a gateway in front of it) is not responding properly. Try again shortly.",
    503: "The EHR is temporarily unavailable. Try again shortly.",
    504: "The EHR took too long to respond. Try again shortly.",
}

_MAX_DETAIL = 300


class FhirError(Exception):
    """A FHIR interaction failed. `str(err)` and `.user_message` are safe to show to a person."""

    def __init__(self, status: int | None, message: str, outcome: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.outcome = outcome

    @property
    def user_message(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class FhirAuthError(FhirError):
    """401 from the server: the token expired or is invalid; the user must relaunch (or refresh)."""


class FhirNotFound(FhirError):
    """404/410: the resource does not exist (or is gone)."""


def outcome_text(outcome: dict[str, Any]) -> str:
    """Readable text from an OperationOutcome's issues (diagnostics, details.text, codings)."""
    parts: list[str] = []
    for issue in outcome.get("issue") or []:
        if not isinstance(issue, dict):
            continue
        text = _issue_text(issue)
        if text and text not in parts:
            parts.append(text)
    return "; ".join(parts)[: _MAX_DETAIL * 2]


def _issue_text(issue: dict[str, Any]) -> str:
    details = issue.get("details")
    details = details if isinstance(details, dict) else {}
    candidates: list[Any] = [issue.get("diagnostics"), details.get("text")]
    for coding in details.get("coding") or []:
        if isinstance(coding, dict):
            candidates.append(coding.get("display"))
    for text in candidates:
        if isinstance(text, str) and text.strip():
            where = issue.get("expression") or issue.get("location")
            if isinstance(where, list) and where and isinstance(where[0], str):
                return f"{text.strip()} (at {where[0]})"
            return text.strip()
    code = issue.get("code")
    return f"issue: {code}" if isinstance(code, str) else ""


def parse_outcome(body: bytes, content_type: str) -> dict[str, Any] | None:
    """The OperationOutcome in a response body, or None if the body is not one."""
    if not body or "html" in content_type.lower():
        return None
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and data.get("resourceType") == "OperationOutcome":
        return data
    return None


def error_for_response(status: int, body: bytes, content_type: str, action: str) -> FhirError:
    """Build the right FhirError for an HTTP error response.

    `action` is a short phrase like "reading Encounter/123" used to say what failed.
    """
    outcome = parse_outcome(body, content_type)
    hint = _STATUS_HINTS.get(status, f"The EHR returned HTTP {status}.")
    if outcome is not None:
        detail = outcome_text(outcome)
    elif "html" in content_type.lower() or body.lstrip()[:1] == b"<":
        # A proxy or load balancer page: its markup means nothing to the user.
        detail = "the server returned a web page instead of FHIR data"
    else:
        detail = ""
    message = f"{hint} ({action}, HTTP {status})"
    if detail:
        message = f"{hint} Details: {detail[:_MAX_DETAIL]} ({action}, HTTP {status})"
    cls: type[FhirError] = FhirError
    if status == 401:
        cls = FhirAuthError
    elif status in (404, 410):
        cls = FhirNotFound
    return cls(status, message, outcome)
