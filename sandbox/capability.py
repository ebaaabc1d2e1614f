"""The server's self-description: CapabilityStatement and the SMART well-known documents.

Both are generated from the search parameter table and the config, so they cannot drift from what the
server does. The `no_claim` fault drops Claim to let tests see an EHR that cannot take claims;
`no_revinclude` drops every `searchRevInclude` and `no_batch` the system-level `batch` interaction, so
tests (and the benchmark) can play an EHR that offers neither.
"""

from __future__ import annotations

from typing import Any

from sandbox.config import SandboxConfig
from sandbox.profiles import Profile
from sandbox.scopes import parse_scope
from sandbox.search_params import SEARCH_PARAMS, SUPPORTED_TYPES, search_includes, search_rev_includes
from sandbox.store import now_instant
from sandbox.subscriptions.api import capability_entries
from sandbox.vendor_validation import honours_if_none_exist

# Bulk Data (sandbox/bulk_export.py), declared as the Bulk Data IG's CapabilityStatement says.
GROUP_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"
BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"
SMART_SCOPES = [
    "openid", "fhirUser", "profile", "launch", "launch/patient", "launch/encounter", "offline_access",
    "online_access", "patient/*.rs", "patient/*.read", "user/*.rs", "user/*.read", "user/Claim.c",
    "user/Claim.write", "user/ChargeItem.c", "patient/Patient.r", "patient/Encounter.rs",
    "patient/DocumentReference.rs", "patient/Composition.rs", "patient/DiagnosticReport.rs", "patient/Binary.r",
    "patient/Practitioner.r", "patient/Coverage.rs", "user/PractitionerRole.rs",
]
CAPABILITIES = [
    "launch-ehr", "launch-standalone", "client-public", "client-confidential-symmetric",
    "client-confidential-asymmetric", "context-ehr-patient", "context-ehr-encounter",
    "context-standalone-patient", "context-standalone-encounter", "sso-openid-connect",
    "permission-v2", "permission-v1", "permission-offline", "permission-patient", "permission-user",
    "context-banner", "context-style", "authorize-post",
]


def _resource(rtype: str, profile: Profile, no_revinclude: bool = False) -> dict[str, Any]:
    names = {"read": "read", "search": "search-type", "create": "create", "update": "update"}
    interactions = [code for key, code in names.items() if profile.allows(rtype, key)]
    return {
        "type": rtype,
        "interaction": [{"code": code} for code in interactions],
        "versioning": "versioned-update",
        "readHistory": False,
        "updateCreate": True,
        "conditionalCreate": honours_if_none_exist(profile.name),
        "searchInclude": search_includes(rtype),
        **({} if no_revinclude else {"searchRevInclude": search_rev_includes(rtype)}),
        "searchParam": [
            {"name": p.name, "type": p.kind, **({"documentation": p.doc} if p.doc else {})}
            for p in SEARCH_PARAMS[rtype].values()
            if rtype not in profile.search_only or p.name in profile.search_only[rtype]
        ],
        **({"operation": [{"name": profile.create_operations[rtype].lstrip("$"),
                           "definition": f"urn:revrx-sandbox:OperationDefinition:{rtype}-create"}]}
           if rtype in profile.create_operations else {}),
    }


def capability_statement(
    config: SandboxConfig, no_claim: bool = False, no_revinclude: bool = False, no_batch: bool = False
) -> dict[str, Any]:
    types = [t for t in SUPPORTED_TYPES if not (no_claim and t == "Claim") and config.profile.has_type(t)]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": now_instant(),
        "publisher": "RevRX SMART sandbox",
        "kind": "instance",
        "software": {"name": "RevRX Sandbox EHR", "version": "1.0"},
        "implementation": {"description": "RevRX sandbox EHR", "url": config.fhir_base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "security": {
                "cors": False,
                "service": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "SMART-on-FHIR",
                }]}],
                "extension": [{
                    "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                    "extension": [
                        {"url": "authorize", "valueUri": config.authorize_url},
                        {"url": "token", "valueUri": config.token_url},
                        {"url": "revoke", "valueUri": config.revoke_url},
                    ],
                }],
            },
            "resource": [_resource(t, config.profile, no_revinclude) for t in types]
            + capability_entries(config.profile.has_type("Subscription")),
            # FHIR forbids empty arrays: without batch the element is left out.
            **({} if no_batch else {"interaction": [{"code": "batch"}]}),
            **({"operation": [{"name": "export", "definition": GROUP_EXPORT}]} if config.profile.bulk_export else {}),
        }],
        **({"instantiates": [BULK_DATA]} if config.profile.bulk_export else {}),
    }


def _offered(config: SandboxConfig) -> list[str]:
    found = []
    for scope in SMART_SCOPES:
        parsed = parse_scope(scope)
        if scope in config.profile.refused_scopes:
            continue
        if parsed and not config.profile.offers_scope(parsed.context, parsed.resource, parsed.permissions, scope):
            continue
        found.append(scope)
    return found


def smart_configuration(config: SandboxConfig) -> dict[str, Any]:
    return {
        "issuer": config.issuer,
        "jwks_uri": config.jwks_url,
        "authorization_endpoint": config.authorize_url,
        "token_endpoint": config.token_url,
        "revocation_endpoint": config.revoke_url,
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic", "client_secret_post", "private_key_jwt",
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
        "scopes_supported": _offered(config),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [c for c in CAPABILITIES if c not in config.profile.capabilities_removed],
    }


def openid_configuration(config: SandboxConfig) -> dict[str, Any]:
    return {
        "issuer": config.issuer,
        "authorization_endpoint": config.authorize_url,
        "token_endpoint": config.token_url,
        "jwks_uri": config.jwks_url,
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "fhirUser", "profile"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "fhirUser", "name"],
    }
