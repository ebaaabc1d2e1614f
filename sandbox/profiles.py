"""Vendor profiles of the sandbox EHR (`SANDBOX_PROFILE=generic|epic|oracle`): the same server, made as
strict as each vendor's published documents say, so the app is proven against their behaviour here.

Sources (checked 2026-12; see docs/ehr-registration.md for what each fact means for a registration):
- Epic: the live discovery documents of fhir.epic.com (`/interconnect-fhir-oauth/api/FHIR/R4/.well-known/
  smart-configuration` and `/interconnect-fhir-oauth/oauth2/.well-known/openid-configuration`): the issuer is
  the OAuth server (`.../oauth2`), not the FHIR base; capabilities include `permission-offline` and both
  permission-v1 and -v2 but not `permission-online`; id_tokens are RS256. Epic's OAuth guide lists the
  authorize parameters without `nonce`, so this profile's id_tokens carry none. Epic offers no Claim or
  ChargeItem create and no Composition; notes are written through DocumentReference.Create (Clinical Notes).
- Oracle Health: its sandbox tenant's smart-configuration (fhir-ehr-code.cerner.com, tenant
  ec2458f2-1e24-41c8-b71b-0e701af7583d) and fhir.cerner.com/authorization: the issuer is
  `authorization.cerner.com/tenants/<tenant>`; id_tokens carried `.../tenants/<tenant>/oidc/idsps/<idsp>/`
  until Oracle's 2025 "iss field in id_token" change (kept here: a registration must accept both, by
  prefix); users are (issuer, subject); access tokens last 570 s (their token response example); a refresh
  may return no new refresh token; `patient/Practitioner` is not offered (Practitioner is user/ only);
  Condition create (encounter diagnoses) and DocumentReference create exist, ChargeItem only through
  `$create`, no Claim, no Composition.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

ORACLE_TENANT = "ec2458f2-1e24-41c8-b71b-0e701af7583d"   # Oracle's public sandbox tenant id
LONG_ID_SOURCE = "e046"                                  # the seeded encounter a long-id copy is made of
ORACLE_IDSP = "0b8a0111-e8e6-4c26-a91c-5069cbc6b1ca"     # an identity-provider id of the legacy iss form

_ID_CHARS = re.compile(r"^[A-Za-z0-9\-.]+$")
PATIENT_OR_ID = frozenset({"patient", "subject", "_id"})
READ = frozenset({"read", "search"})
READ_CREATE = frozenset({"read", "search", "create"})
ALL = frozenset({"read", "search", "create", "update"})


@dataclass(frozen=True)
class Profile:
    name: str
    # OAuth issuer path under the sandbox base URL (None: the FHIR base is the issuer).
    issuer_path: str | None = None
    # id_token `iss` path when it differs from the issuer (Oracle's legacy form).
    id_token_issuer_path: str | None = None
    id_token_nonce: bool = True
    capabilities_removed: frozenset[str] = frozenset()
    # Resource types and the interactions each allows; None: every type, every interaction.
    resources: Mapping[str, frozenset[str]] | None = None
    # Scopes this EHR never grants even when registered (besides those for types/interactions it lacks).
    refused_scopes: frozenset[str] = frozenset()
    access_token_ttl: int = 3600
    refresh_rotates: bool = True           # False: a refresh answers without a new refresh token
    # Longest resource id accepted (FHIR R4: 64; Epic customers may use longer, unconstrained ids), and
    # a seeded encounter (a copy of LONG_ID_SOURCE with its notes) whose id is that long.
    max_id_len: int = 64
    long_id_encounter: str | None = None
    revinclude: bool = True                 # neither vendor declares _revinclude on Encounter
    batch: bool = True
    # Searches refused (400) unless one of these parameters is sent (Oracle and Epic require the patient
    # on clinical searches; `_id` alone is also accepted).
    search_requires: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The only search parameters a type accepts (and declares), where the vendor's CapabilityStatement
    # lists fewer than the sandbox has: any other is refused with 400 (Oracle: Practitioner by `_id`).
    search_only: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # A raw Binary read must ask for the attachment's own content type (or FHIR JSON) in Accept: Oracle
    # Health documents Binary retrieval that way; anything else (`*/*` included) is refused with 406.
    binary_accept_exact: bool = False
    # Bulk Data Group/$export (sandbox/bulk_export.py): both vendors offer it to backend apps.
    bulk_export: bool = False
    # Type-level operations that create (Oracle Health: charges only through `POST ChargeItem/$create`,
    # a Parameters body; docs.oracle.com "Create a charge item"). A create scope is granted for them.
    create_operations: Mapping[str, str] = field(default_factory=dict)
    # Backend apps register a JWK Set URL, never a pasted key set (Epic, since its February 2024 version).
    jwks_url_only: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def issuer(self, base_url: str, fhir_base: str) -> str:
        return f"{base_url}{self.issuer_path}" if self.issuer_path else fhir_base

    def id_token_issuer(self, base_url: str, fhir_base: str) -> str:
        return f"{base_url}{self.id_token_issuer_path}" if self.id_token_issuer_path else self.issuer(base_url,
                                                                                                        fhir_base)

    def valid_id(self, rid: str) -> bool:
        return 0 < len(rid) <= self.max_id_len and _ID_CHARS.match(rid) is not None

    def has_type(self, rtype: str) -> bool:
        return self.resources is None or rtype in self.resources

    def allows(self, rtype: str, interaction: str) -> bool:
        return self.resources is None or interaction in self.resources.get(rtype, frozenset())

    def offers_scope(self, context: str, rtype: str, permissions: frozenset[str], raw: str) -> bool:
        """Would this EHR grant a resource scope at all (whatever the client registered)?"""
        if raw in self.refused_scopes or f"{context}/{rtype}" in self.refused_scopes:
            return False
        if self.resources is None or rtype == "*":
            return True
        wanted = {"read" for p in permissions if p in "rs"} | {"create" for p in permissions if p == "c"} | \
                 {"update" for p in permissions if p in "ud"}
        # Granted when some interaction it names exists (v1 `.write` = c+u+d is granted for a create-only
        # type); what does not exist is refused at the FHIR API whatever the scope.
        offered = set(self.resources.get(rtype, frozenset()))
        if rtype in self.create_operations:
            offered.add("create")
        return bool(wanted & offered)


GENERIC = Profile(name="generic")

EPIC = Profile(
    name="epic",
    issuer_path="/oauth2",
    id_token_nonce=False,
    capabilities_removed=frozenset({"permission-online", "context-standalone-encounter"}),
    resources={
        "Patient": READ, "Encounter": READ, "DocumentReference": READ_CREATE, "Binary": frozenset({"read"}),
        "Practitioner": READ, "Coverage": READ, "Condition": READ, "DiagnosticReport": READ,
        "Organization": READ,
    },
    refused_scopes=frozenset({"online_access"}),
    max_id_len=255,
    revinclude=False,
    search_requires={t: PATIENT_OR_ID for t in ("DocumentReference", "DiagnosticReport", "Condition")},
    bulk_export=True,
    jwks_url_only=True,
    long_id_encounter="eLongEpicId." + "a1b2c3d4e5f6g7h8i9j0" * 9,   # 192 characters
)

ORACLE = Profile(
    name="oracle",
    issuer_path=f"/tenants/{ORACLE_TENANT}",
    id_token_issuer_path=f"/tenants/{ORACLE_TENANT}/oidc/idsps/{ORACLE_IDSP}/",
    id_token_nonce=False,
    capabilities_removed=frozenset({"context-standalone-encounter"}),
    resources={
        "Patient": READ, "Encounter": READ, "DocumentReference": READ_CREATE, "Binary": frozenset({"read"}),
        "Practitioner": READ, "Coverage": READ, "Condition": READ_CREATE, "DiagnosticReport": READ,
        "ChargeItem": READ, "Organization": READ,
    },
    refused_scopes=frozenset({"patient/Practitioner"}),
    access_token_ttl=570,
    revinclude=False,
    search_requires={t: PATIENT_OR_ID for t in ("DocumentReference", "DiagnosticReport", "Condition", "Encounter")},
    refresh_rotates=False,
    # Oracle's R4 CapabilityStatement (tests/data/vendors/oracle-r4-capabilitystatement.json) declares
    # Practitioner search by `_id` alone: a conditional `Practitioner?identifier=` cannot be resolved there.
    search_only={"Practitioner": frozenset({"_id"})},
    binary_accept_exact=True,
    bulk_export=True,
    create_operations={"ChargeItem": "$create"},
)

PROFILES = {p.name: p for p in (GENERIC, EPIC, ORACLE)}


def profile_named(name: str | None) -> Profile:
    """The profile `name` (default SANDBOX_PROFILE, else generic); an unknown name is an error."""
    chosen = (name or os.environ.get("SANDBOX_PROFILE") or "generic").strip().lower()
    if chosen not in PROFILES:
        raise ValueError(f"SANDBOX_PROFILE must be one of {', '.join(PROFILES)}, not {chosen!r}")
    return PROFILES[chosen]
