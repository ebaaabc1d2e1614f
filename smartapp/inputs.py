"""Validated inputs for connections, syncs and the encounter list: the commands the pages and the JSON
API both give the services (API-only request bodies live in `smartapp/api/schemas.py`).

Pydantic models shared by the JSON API and the pages (one set of rules), and the source of the request
schemas in the OpenAPI document. Everything a person can type is bounded: lengths, list sizes,
FHIR id syntax, http(s) URLs.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from smartapp.fhir import outbound
from smartapp.models import DuplicatePolicy, EncounterSource, EncounterStatus

FhirId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-.]{1,255}$")]
# The write-back strategies (smartapp/writeback/strategies.py; a unit test keeps the two in step).
WritebackStrategy = Literal["claim", "charge_item", "encounter_diagnosis", "document_reference", "clinical_note"]
EncounterStatusCode = Literal["planned", "arrived", "triaged", "in-progress", "onleave", "finished",
                              "cancelled", "entered-in-error", "unknown"]


class SyncAuthType(StrEnum):
    """The auth types a connection for batch sync can use (SMART launches come from launch.json)."""

    BACKEND_SERVICES = "BACKEND_SERVICES"
    CLIENT_CREDENTIALS = "CLIENT_CREDENTIALS"
    BASIC = "BASIC"
    API_KEY = "API_KEY"


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError("must be an absolute http(s) URL")
    return value.rstrip("/")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ConnectionFields(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    base_url: str | None = Field(None, max_length=500, description="FHIR base URL, e.g. https://ehr.example/fhir")
    auth_type: SyncAuthType | None = None
    client_id: str | None = Field(None, max_length=200, description="Client id, or the user name for BASIC")
    secret: str | None = Field(None, max_length=10000, description="Write-only: private key (JWK or PEM), "
                               "client secret, password or API key. Stored encrypted, never returned.")
    token_endpoint: str | None = Field(None, max_length=500,
                                       description="Default: from .well-known/smart-configuration")
    scope: str | None = Field(None, max_length=2000, description="e.g. system/Encounter.rs system/DocumentReference.rs")
    active: bool | None = None
    writeback: list[WritebackStrategy] | None = Field(
        None, min_length=1, max_length=5, description="How approvals of encounters synced through this "
        "connection are written back, best first; each is used only if the scopes and the server's "
        "CapabilityStatement allow it. Default: claim, charge_item, encounter_diagnosis, document_reference "
        "(clinical_note, the vendor note form, only when asked for)")
    claim_status: Literal["draft", "active"] | None = Field(None, description="Claim.status to send; default draft")
    writeback_author: str | None = Field(
        None, max_length=300, pattern=r"^(Practitioner|PractitionerRole|Device|Organization)/[A-Za-z0-9\-.]{1,255}$",
        description="The connection's system identity in the EHR (e.g. Practitioner/123 of a 'RevRX coding' "
        "user): named as author, enterer or recorder of what this connection writes back. Default: none, "
        "only writeback_author_name")
    writeback_author_name: str | None = Field(None, max_length=200, description="The name shown with it; default "
                                              "'<connection name> (RevRX connection)'")

    @field_validator("base_url", "token_endpoint")
    @classmethod
    def _urls(cls, value: str | None) -> str | None:
        url = _http_url(value)
        if url is not None:
            # SSRF: public https only, unless the operator allowed the host (smartapp/fhir/outbound.py).
            try:
                outbound.configured().check_url(url)
            except outbound.AddressRefused:
                raise ValueError(outbound.REFUSED_MESSAGE) from None
        return url

    @field_validator("writeback")
    @classmethod
    def _once_each(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each write-back strategy may appear once")
        return value


class ConnectionCreate(ConnectionFields):
    name: str = Field(min_length=1, max_length=200)
    base_url: str = Field(max_length=500)
    auth_type: SyncAuthType = SyncAuthType.BACKEND_SERVICES
    fhir_version: Literal["R4"] = "R4"
    generate_key: bool = Field(False, description="BACKEND_SERVICES: let RevRX make the key pair; the public "
                               "key set is returned as public_jwks for registering with the EHR")
    private: bool | None = Field(None, description="true: private to you (what it brings in is seen by you and the "
                                 "organization's administrators); false: the organization's, shared with its coders "
                                 "(administrators only). Default: shared when an administrator adds it, else private")

    @model_validator(mode="after")
    def _complete(self) -> ConnectionCreate:
        missing = missing_credentials(self.auth_type, self.client_id, bool(self.secret) or self.generate_key)
        if missing:
            raise ValueError(missing)
        return self


class ConnectionUpdate(ConnectionFields):
    """PATCH: only the fields sent change; an omitted secret keeps the stored one."""


def missing_credentials(auth_type: SyncAuthType, client_id: str | None, has_secret: bool) -> str | None:
    if auth_type in (SyncAuthType.BACKEND_SERVICES, SyncAuthType.CLIENT_CREDENTIALS, SyncAuthType.BASIC) \
            and not client_id:
        return f"{auth_type.value} needs a client_id"
    if not has_secret:
        what = {"BACKEND_SERVICES": "a private key (secret) or generate_key", "API_KEY": "an API key (secret)",
                "BASIC": "a password (secret)"}.get(auth_type.value, "a client secret")
        return f"{auth_type.value} needs {what}"
    return None


class SyncRequest(Strict):
    fhir_connection_id: int = Field(ge=1, le=2**31 - 1)
    date_from: date | None = Field(None, description="Encounters whose period is on or after this day")
    date_to: date | None = Field(None, description="… and on or before this day")
    patient_ids: list[FhirId] = Field(default_factory=list, max_length=100)
    statuses: list[EncounterStatusCode] = Field(default_factory=list, max_length=9)
    limit: int = Field(100, ge=1, le=10000, description="At most this many encounters")
    page_size: int = Field(50, ge=1, le=200)
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.SKIP

    @model_validator(mode="after")
    def _range(self) -> SyncRequest:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        return self


class ScheduleUpdate(Strict):
    enabled: bool | None = Field(None, description="Scheduled incremental sync on or off")
    interval_minutes: float | None = Field(None, ge=0.1, le=1440, description="Every N minutes")
    bulk_group_id: str | None = Field(None, max_length=255, description="Group/<id>/$export where Bulk Data is offered")
    patient_ids: list[FhirId] | None = Field(None, max_length=500,
                                             description="Patients for servers that search encounters only per patient")


SortKey = Literal["date_of_service", "-date_of_service", "updated_at", "-updated_at", "status", "-status",
                  "provider", "-provider", "id", "-id"]


class EncounterQuery(Strict):
    source: EncounterSource | None = None
    status: EncounterStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    provider: str | None = Field(None, max_length=200, description="Part of the provider's name or FHIR id")
    fhir_encounter_id: str | None = Field(None, max_length=200)
    fhir_patient_id: str | None = Field(None, max_length=200)
    connection_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Only encounters that came by this "
                                      "FHIR connection (one you may see)")
    sort: SortKey = "-updated_at"
    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(25, ge=1, le=200)
