"""Plain value types returned by the FHIR client (no FHIR models, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartapp.fhir.errors import FhirError


@dataclass(frozen=True)
class AccessRecord:
    """One resource touched on the EHR, for the caller's audit trail. Never carries resource content.

    `action` is "read", "search", "create" or "update".
    """

    action: str
    resource_type: str
    resource_id: str | None
    status: int


@dataclass(frozen=True)
class BinaryContent:
    """Raw bytes of a Binary or attachment URL and the media type the server declared."""

    content_type: str
    data: bytes


@dataclass(frozen=True)
class CreateResult:
    """Outcome of a (conditional) create.

    `created` is False when the server matched `If-None-Exist` to an existing resource (HTTP 200):
    that is how a retried or double-clicked write-back still yields one resource.
    """

    id: str
    created: bool
    status: int
    resource: dict[str, Any] | None
    location: str | None


@dataclass
class BatchEntry:
    """One answered entry of a `batch` Bundle: the resources it returned (a read gives one, a search
    every page of matches and includes) or the error it failed with. Entries fail one by one."""

    url: str
    status: int
    resources: list[dict[str, Any]] = field(default_factory=list)
    error: FhirError | None = None
