"""FHIR references, relative or absolute, reduced to (type, id).

EHRs mix `Patient/123`, `https://ehr/fhir/Patient/123/_history/2`, contained `#p1` and bundle-local
`urn:uuid:...` forms. Everything downstream wants the type and the logical id, and only needs the
base URL to decide whether a reference points at the server we are talking to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Type/id, optionally followed by _history/version, at the end of a relative or absolute reference.
_TAIL = re.compile(r"(?:^|/)(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,255})(?:/_history/(?P<version>[^/]+))?/?$")


@dataclass(frozen=True)
class Ref:
    """A parsed reference. `base_url` is set only for absolute references."""

    raw: str
    resource_type: str | None
    id: str | None
    base_url: str | None = None
    version: str | None = None
    display: str | None = None

    @property
    def relative(self) -> str | None:
        """`Type/id`, or None when the reference is not to a server resource."""
        if self.resource_type and self.id:
            return f"{self.resource_type}/{self.id}"
        return None


def parse_reference(value: Any, *, default_type: str | None = None) -> Ref | None:
    """Parse a Reference dict (or bare string). None when there is nothing usable.

    `default_type` fills in the type for the `type`+`identifier` style some EHRs use, and for
    references whose string is only an id.
    """
    display: str | None = None
    ref_type: str | None = None
    if isinstance(value, dict):
        display = value.get("display") if isinstance(value.get("display"), str) else None
        ref_type = value.get("type") if isinstance(value.get("type"), str) else None
        text = value.get("reference")
    else:
        text = value
    if not isinstance(text, str) or not text.strip():
        if display:
            return Ref(raw="", resource_type=ref_type or default_type, id=None, display=display)
        return None
    text = text.strip()
    if text.startswith("#") or text.startswith("urn:"):
        # Contained or bundle-local: no server id to fetch.
        return Ref(raw=text, resource_type=ref_type or default_type, id=None, display=display)
    match = _TAIL.search(text)
    if match is None:
        if "/" not in text and default_type:
            return Ref(raw=text, resource_type=default_type, id=text, display=display)
        return Ref(raw=text, resource_type=ref_type or default_type, id=None, display=display)
    base = text[: match.start()].rstrip("/") if match.start() > 0 else None
    if base and "://" not in base:
        base = None  # a relative path prefix, not a server base
    return Ref(
        raw=text,
        resource_type=match.group("type"),
        id=match.group("id"),
        base_url=base,
        version=match.group("version"),
        display=display,
    )


def reference_id(value: Any, expected_type: str | None = None) -> str | None:
    """The logical id of a reference, if it points at `expected_type` (when given)."""
    ref = parse_reference(value, default_type=expected_type)
    if ref is None or ref.id is None:
        return None
    if expected_type and ref.resource_type != expected_type:
        return None
    return ref.id


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with default ports made explicit, for same-server comparisons."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, base_url: str) -> bool:
    return origin(url) == origin(base_url)


def normalize_iss(iss: str) -> str:
    """Issuers (FHIR base URLs) compare without a trailing slash (EHRs are inconsistent about it).

    Here, in the FHIR library, so access rules, the sync and the SMART registry share it without
    importing each other."""
    return iss.rstrip("/")
