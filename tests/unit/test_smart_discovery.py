"""SMART discovery: the well-known document first, the CapabilityStatement's oauth-uris as the
fallback, relative endpoints resolved against the FHIR base, a per-issuer TTL cache, and an error a
person can read when the EHR answers neither."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartapp.smart.discovery import CACHE_TTL_S, OAUTH_URIS, DiscoveryError, clear_cache, discover
from tests.support.json_server import JsonServer, json_server


@pytest.fixture()
def ehr() -> Iterator[JsonServer]:
    clear_cache()
    with json_server() as server:
        yield server
    clear_cache()


def test_well_known_first_with_relative_urls_and_capabilities(ehr: JsonServer) -> None:
    ehr.routes["/fhir/.well-known/smart-configuration"] = (200, {
        "authorization_endpoint": "../auth/authorize", "token_endpoint": "/auth/token",
        "revocation_endpoint": "https://elsewhere.example/revoke", "jwks_uri": "keys",
        "capabilities": ["launch-ehr", "permission-v2"], "token_endpoint_auth_methods_supported": ["private_key_jwt"],
    })
    config = discover(f"{ehr.url}/fhir")
    assert config.authorization_endpoint == f"{ehr.url}/auth/authorize"
    assert config.token_endpoint == f"{ehr.url}/auth/token"
    assert config.jwks_uri == f"{ehr.url}/fhir/keys"
    assert config.revocation_endpoint == "https://elsewhere.example/revoke"
    assert config.supports("permission-v2") and not config.supports("launch-standalone")
    assert config.token_endpoint_auth_methods == ("private_key_jwt",)
    assert ehr.hits == ["/fhir/.well-known/smart-configuration"], "metadata is not needed"


def test_capability_statement_fallback(ehr: JsonServer) -> None:
    ehr.routes["/r4/metadata"] = (200, {"resourceType": "CapabilityStatement", "rest": [{"security": {"extension": [{
        "url": OAUTH_URIS, "extension": [
            {"url": "authorize", "valueUri": f"{ehr.url}/oauth/authorize"},
            {"url": "token", "valueUri": "token"}, {"url": "revoke", "valueUri": "revoke"}],
    }]}}]})
    config = discover(f"{ehr.url}/r4/")
    assert config.authorization_endpoint == f"{ehr.url}/oauth/authorize"
    assert config.token_endpoint == f"{ehr.url}/r4/token" and config.revocation_endpoint == f"{ehr.url}/r4/revoke"
    assert ehr.hits == ["/r4/.well-known/smart-configuration", "/r4/metadata"]


def test_results_are_cached_per_issuer_until_the_ttl(ehr: JsonServer) -> None:
    ehr.routes["/fhir/.well-known/smart-configuration"] = (200, {"authorization_endpoint": "a", "token_endpoint": "t"})
    iss = f"{ehr.url}/fhir"
    discover(iss, now=1000.0)
    discover(iss, now=1000.0 + CACHE_TTL_S - 1)
    assert len(ehr.hits) == 1
    discover(iss, now=1000.0 + CACHE_TTL_S + 1)
    assert len(ehr.hits) == 2


def test_no_smart_endpoints_is_a_clear_error(ehr: JsonServer) -> None:
    with pytest.raises(DiscoveryError, match="neither"):
        discover(f"{ehr.url}/fhir")
    ehr.routes["/fhir/metadata"] = (200, {"resourceType": "CapabilityStatement", "rest": [{}]})
    with pytest.raises(DiscoveryError, match="no OAuth endpoints"):
        discover(f"{ehr.url}/fhir")
    ehr.routes["/fhir/.well-known/smart-configuration"] = (200, {"token_endpoint": "t"})
    with pytest.raises(DiscoveryError, match="authorization_endpoint"):
        discover(f"{ehr.url}/fhir")
