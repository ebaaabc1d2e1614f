"""FHIR responses and errors: every error the FHIR endpoint returns is an OperationOutcome.

Views raise `FhirError(status, code, diagnostics)`; one handler turns it into a response, so no view
builds an error body by hand. `code` is an IssueType (http://hl7.org/fhir/issue-type).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response

FHIR_JSON = "application/fhir+json"

STATUS_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    412: "multiple-matches",
    422: "processing",
    500: "exception",
}


class FhirError(Exception):
    """An error the FHIR endpoint reports as an OperationOutcome with an HTTP status."""

    def __init__(
        self,
        status: int,
        diagnostics: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.diagnostics = diagnostics
        self.code = code or STATUS_CODES.get(status, "processing")
        self.headers = headers or {}


def operation_outcome(diagnostics: str, code: str, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def fhir_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A FHIR JSON response (application/fhir+json; charset=utf-8)."""
    resp = Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def error_response(err: FhirError) -> Response:
    return fhir_json(operation_outcome(err.diagnostics, err.code), err.status, err.headers)
