"""Extraction in a child process with a memory and a time limit, so a hostile file costs the caller
nothing but the wait.

The caller (the web process for uploads) never parses the document itself: the bytes go to a fresh
`python -m smartapp.documents.child` over a pipe, which sets its own address-space and CPU limits
before reading them and answers with the text or the reason it could not. A child that runs out of
memory, is killed, or outlives the timeout is reported as `too_complex`; whatever it allocated is
returned to the system when it exits.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Collection
from dataclasses import asdict

from smartapp.documents.extract import FORMATS, LABEL, Extracted, ExtractionError, media_type
from smartapp.documents.limits import DocumentLimits


def extract_isolated(data: bytes, content_type: str | None, accept: Collection[str] = FORMATS,
                     limits: DocumentLimits | None = None) -> Extracted:
    """`smartapp.documents.extract.extract` in a limited child process. Raises ExtractionError."""
    limits = limits or DocumentLimits()
    header = json.dumps({"content_type": content_type, "accept": list(accept), "limits": asdict(limits)})
    kind = LABEL.get(media_type(content_type), "document")
    try:
        done = subprocess.run(   # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "smartapp.documents.child"], input=header.encode() + b"\n" + data,
            capture_output=True, timeout=limits.timeout_s, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError("too_complex", kind,
                              f"reading the {kind} took longer than {limits.timeout_s:g} s") from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):   # killed (memory or CPU limit) or crashed: no answer
        raise ExtractionError("too_complex", kind, f"reading the {kind} needed more memory or time than allowed")
    if "error" in answer:
        error = answer["error"]
        raise ExtractionError(error["reason"], error["kind"], error["message"])
    return Extracted(**answer["extracted"])
