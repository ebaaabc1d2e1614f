"""The child process of `smartapp.documents.isolated`: limits first, then one document from stdin.

stdin: one JSON line (content type, accepted formats, limits), then the document's bytes.
stdout: {"extracted": {...}} or {"error": {"reason", "kind", "message"}}. Nothing else is written,
and nothing about the content is logged.
"""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import asdict

from smartapp.documents.limits import DocumentLimits


def _limit(limits: DocumentLimits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.timeout_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def main() -> None:
    raw = sys.stdin.buffer.read()
    line, _, data = raw.partition(b"\n")
    request = json.loads(line)
    limits = DocumentLimits(**request["limits"])
    _limit(limits)
    from smartapp.documents.extract import ExtractionError, extract

    try:
        extracted = extract(data, request["content_type"], accept=request["accept"], limits=limits)
        answer: dict[str, object] = {"extracted": asdict(extracted)}
    except ExtractionError as exc:
        answer = {"error": {"reason": exc.reason, "kind": exc.kind, "message": str(exc)}}
    except MemoryError:
        sys.exit(3)   # no answer: the parent reports the limit, with the format's label
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
