"""Application logging that keeps PHI out: a filter masks anything that looks like an identifier.

Our own log calls carry ids and statuses only; the filter is the second line of defence for
library messages (URLs with query strings, e-mail addresses, phone numbers, dates of birth).
"""

from __future__ import annotations

import logging
import re

from flask import Flask

_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
    (re.compile(r"\b\d{3}[-. ]\d{3}[-. ]\d{4}\b"), "[PHONE]"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
    (re.compile(r"([?&](?:code|state|launch|access_token|refresh_token|id_token|patient|name|birthdate)=)[^&\s\"']+",
                re.I), r"\1[REDACTED]"),
    (re.compile(r"(Bearer\s+)[\w\-.~+/]+=*", re.I), r"\1[REDACTED]"),
]


def scrub(message: str) -> str:
    for pattern, replacement in _PATTERNS:
        message = pattern.sub(replacement, message)
    return message


class PhiScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


def configure_logging(app: Flask) -> None:
    configure_root_logging()


def configure_root_logging() -> None:
    """Scrubbed logging for the whole process (the app and the worker alike)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PhiScrubFilter())
    root = logging.getLogger()
    if not any(isinstance(f, PhiScrubFilter) for h in root.handlers for f in h.filters):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Werkzeug's access log prints full URLs (with launch and code parameters): scrub it too.
    for name in ("werkzeug", "rq.worker"):
        logging.getLogger(name).addFilter(PhiScrubFilter())
