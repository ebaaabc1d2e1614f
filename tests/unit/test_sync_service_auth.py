"""Backend-services credentials without a server: the client assertion SMART asks for, keys in JWK and
PEM form, and Basic / API-key headers that never leave the connection's own origin."""

from __future__ import annotations

import json

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from smartapp.fhir.service_auth import (
    API_KEY_HEADER,
    ServiceAuthError,
    ServiceCredentials,
    client_assertion,
    generate_private_jwk,
    public_jwks,
    static_auth,
)


def test_client_assertion_is_signed_rs384_with_the_claims_smart_requires() -> None:
    secret = generate_private_jwk()
    assertion = client_assertion("revrx-backend", "https://ehr.example/oauth/token", secret)
    keys = KeySet.import_key_set(public_jwks(secret))
    token = jwt.decode(assertion, keys, algorithms=["RS384"])
    claims = token.claims
    assert token.header["alg"] == "RS384" and token.header["kid"] == keys.keys[0].kid
    assert claims["iss"] == claims["sub"] == "revrx-backend"
    assert claims["aud"] == "https://ehr.example/oauth/token"
    assert 0 < claims["exp"] - claims["iat"] <= 300
    again = jwt.decode(client_assertion("revrx-backend", "https://ehr.example/oauth/token", secret), keys,
                       algorithms=["RS384"])
    assert again.claims["jti"] != claims["jti"], "every assertion needs a fresh jti (replay protection)"


def test_an_ec_pem_key_signs_es384_and_public_jwks_has_no_private_parts() -> None:
    key = ECKey.generate_key("P-384", private=True, auto_kid=True)
    pem = key.as_pem(private=True).decode()
    jwks = public_jwks(pem)
    assert "d" not in jwks["keys"][0] and jwks["keys"][0]["alg"] == "ES384"
    token = jwt.decode(client_assertion("c", "https://t/token", pem), KeySet.import_key_set(jwks),
                       algorithms=["ES384"])
    assert token.claims["iss"] == "c"


def test_a_public_key_or_garbage_is_refused_as_a_signing_key() -> None:
    public = json.dumps(public_jwks(generate_private_jwk())["keys"][0])
    for bad in (public, "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----", "{}"):
        with pytest.raises(ServiceAuthError):
            public_jwks(bad)


def _prepared(auth: requests.auth.AuthBase, url: str) -> requests.PreparedRequest:
    return requests.Request("GET", url, auth=auth).prepare()


def test_basic_and_api_key_headers_only_go_to_the_connections_origin() -> None:
    basic = static_auth(ServiceCredentials("BASIC", "https://ehr.example/fhir", client_id="svc", secret="pw"))
    assert _prepared(basic, "https://ehr.example/fhir/Encounter").headers["Authorization"].startswith("Basic ")
    assert "Authorization" not in _prepared(basic, "https://files.example/Binary/1").headers
    key = static_auth(ServiceCredentials("API_KEY", "https://ehr.example/fhir", secret="k-123"))
    assert _prepared(key, "https://ehr.example/fhir/metadata").headers[API_KEY_HEADER] == "k-123"
    assert API_KEY_HEADER not in _prepared(key, "http://ehr.example/fhir/metadata").headers, "scheme is origin too"
    with pytest.raises(ServiceAuthError):
        static_auth(ServiceCredentials("SMART_LAUNCH", "https://ehr.example/fhir", secret="x"))
