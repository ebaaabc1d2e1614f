"""Credentials for FHIR connections that sync without a person: SMART Backend Services
(`client_credentials` with a `private_key_jwt` assertion), OAuth2 client credentials with a secret,
HTTP Basic, and an API key.

No Flask, no ORM: callers pass plain `ServiceCredentials` and cache the token they get back. Backend
Services never issue a refresh token, so "refreshing" means minting a new token with a new assertion
(fresh `jti`, five-minute `exp`) once the old one is close to expiry. Basic and API-key credentials
are attached per request, and only to the connection's own origin, so a document URL on another
host never receives them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, RSAKey

from smartapp.fhir import client_auth
from smartapp.fhir.errors import FhirError
from smartapp.fhir.outbound import REFUSED_MESSAGE, AddressPolicy, RefusedAddressError, guard
from smartapp.fhir.references import same_origin

API_KEY_HEADER = "X-API-Key"
TOKEN_AUTH_TYPES = frozenset({"BACKEND_SERVICES", "CLIENT_CREDENTIALS"})


class ServiceAuthError(FhirError):
    """Authentication with the EHR failed; the message says what to fix (never the secret)."""


@dataclass(frozen=True)
class ServiceCredentials:
    auth_type: str                 # BACKEND_SERVICES, CLIENT_CREDENTIALS, BASIC, API_KEY
    base_url: str
    client_id: str | None = None
    secret: str | None = None      # private JWK/PEM, client secret, password or API key
    token_endpoint: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class ServiceToken:
    access_token: str
    expires_in: int | None
    scope: str
    token_endpoint: str


# ---- keys for private_key_jwt ---------------------------------------------------------------------

def generate_private_jwk() -> str:
    """A new RS384 signing key (private JWK JSON with a kid) for a Backend Services registration."""
    key = RSAKey.generate_key(2048, parameters={"alg": "RS384", "use": "sig"}, private=True, auto_kid=True)
    return json.dumps(key.as_dict(private=True))


def load_private_key(secret: str) -> RSAKey | ECKey:
    """A private key from JWK JSON or PEM; ServiceAuthError when it is neither."""
    key: Any = None
    if secret.lstrip().startswith("{"):
        try:
            key = JWKRegistry.import_key(json.loads(secret))
        except (JoseError, ValueError, TypeError, KeyError):
            key = None
    else:
        for kind in (RSAKey, ECKey):   # PEM (PKCS#1, SEC1 or PKCS#8)
            try:
                key = kind.import_key(secret)
                break
            except (JoseError, ValueError, TypeError):
                continue
    if key is None:
        raise ServiceAuthError(None, "The connection's private key is not a valid JWK or PEM key.")
    if not isinstance(key, RSAKey | ECKey) or not key.is_private:
        raise ServiceAuthError(None, "Backend Services need an RSA or EC private key.")
    return key


def public_jwks(secret: str) -> dict[str, Any]:
    """The key set to register with the EHR (public parts only)."""
    key = load_private_key(secret)
    public = key.as_dict(private=False)
    public.setdefault("alg", _alg(key))
    public.setdefault("use", "sig")
    if key.kid:
        public["kid"] = key.kid
    return {"keys": [public]}


def _alg(key: RSAKey | ECKey) -> str:
    explicit = key.get("alg") if hasattr(key, "get") else None
    if isinstance(explicit, str) and explicit:
        return explicit
    if isinstance(key, ECKey):
        return {"P-256": "ES256", "P-521": "ES512"}.get(str(key.get("crv")), "ES384")
    return "RS384"


def client_assertion(client_id: str, token_endpoint: str, secret: str) -> str:
    """The signed JWT the SMART Backend Services spec asks for (iss = sub = client_id, aud = token URL)."""
    key = load_private_key(secret)
    return client_auth.client_assertion(client_id, token_endpoint, key, _alg(key))


# ---- token endpoint ----------------------------------------------------------------------------

def discover_token_endpoint(base_url: str, http: requests.Session, timeout: float) -> str:
    """The token endpoint from `.well-known/smart-configuration` (SMART's discovery document)."""
    url = base_url.rstrip("/") + "/.well-known/smart-configuration"
    try:
        resp = http.get(url, headers={"Accept": "application/json"}, timeout=timeout)
        data = resp.json() if resp.ok else None
    except RefusedAddressError as exc:
        raise ServiceAuthError(None, REFUSED_MESSAGE) from exc
    except (requests.RequestException, ValueError) as exc:
        raise ServiceAuthError(None, "Could not read the EHR's SMART configuration to find its token "
                               "endpoint. Enter the token endpoint on the connection.") from exc
    endpoint = data.get("token_endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not endpoint.startswith(("http://", "https://")):
        raise ServiceAuthError(resp.status_code, "The EHR's SMART configuration names no token endpoint. "
                               "Enter the token endpoint on the connection.")
    return endpoint


def mint_token(creds: ServiceCredentials, *, policy: AddressPolicy, timeout: float = 10.0) -> ServiceToken:
    """A new access token for BACKEND_SERVICES (private_key_jwt) or CLIENT_CREDENTIALS
    (client_secret_basic) credentials: Authlib's client_credentials grant. Discovery and the token
    request only reach addresses `policy` allows (the assertion or secret never goes elsewhere)."""
    if creds.auth_type not in TOKEN_AUTH_TYPES:
        raise ValueError(f"{creds.auth_type} credentials do not use a token endpoint")
    if not creds.client_id or not creds.secret:
        raise ServiceAuthError(None, "The connection needs a client id and a key or secret.")
    client_id, secret = creds.client_id, creds.secret
    backend = creds.auth_type == "BACKEND_SERVICES"
    if backend:
        load_private_key(secret)   # a bad key is the connection's fault, said before any request
    if creds.token_endpoint:
        endpoint = creds.token_endpoint
    else:
        with guard(requests.Session(), policy) as http:
            endpoint = discover_token_endpoint(creds.base_url, http, timeout)
    with OAuth2Session(client_id=client_id, client_secret=None if backend else secret, scope=creds.scope,
                       token_endpoint_auth_method="private_key_jwt" if backend else "client_secret_basic",
                       default_timeout=timeout) as session:
        guard(session, policy)   # an OAuth2Session is a requests.Session: same adapter
        if backend:
            session.register_client_auth_method(
                ("private_key_jwt", client_auth.assertion_auth(lambda url: client_assertion(client_id, url, secret))))
        token = _fetch(session, endpoint)
    expires = token.get("expires_in")
    return ServiceToken(access_token=token["access_token"],
                        expires_in=int(expires) if isinstance(expires, int | float | str) and str(expires).isdigit()
                        else None,
                        scope=str(token.get("scope") or creds.scope or ""), token_endpoint=endpoint)


def _fetch(session: OAuth2Session, endpoint: str) -> dict[str, Any]:
    """The token response, or ServiceAuthError saying what the EHR answered (never the secret)."""
    answers: list[requests.Response] = []

    def keep(response: requests.Response) -> requests.Response:   # the HTTP status, for the message
        answers.append(response)
        return response

    session.register_compliance_hook("access_token_response", keep)
    try:
        token = session.fetch_token(endpoint, grant_type="client_credentials",
                                    headers={"Accept": "application/json"})
    except OAuthError as err:
        raise _refused(answers[-1].status_code if answers else None, err.error, err.description) from err
    except RefusedAddressError as exc:
        raise ServiceAuthError(None, REFUSED_MESSAGE) from exc
    except requests.HTTPError as exc:   # Authlib raises for 5xx: the EHR failed, the credentials were not judged
        status = exc.response.status_code if exc.response is not None else None
        raise ServiceAuthError(status, f"The EHR's token endpoint had an error (HTTP {status}), so the credentials "
                               "were not checked. The EHR is having trouble: try again in a minute.") from exc
    except requests.Timeout as exc:
        raise ServiceAuthError(None, "The EHR's token endpoint did not answer in time. The EHR is slow or down: "
                               "try again in a minute.") from exc
    except requests.RequestException as exc:
        raise ServiceAuthError(None, "Could not reach the EHR's token endpoint. Check the URL and try again.") from exc
    except ValueError as exc:   # not a JSON token response
        raise _refused(answers[-1].status_code if answers else None, None, None) from exc
    if not isinstance(token.get("access_token"), str):
        raise _refused(answers[-1].status_code if answers else None, None, None)
    return dict(token)


def _refused(status: int | None, error: str | None, description: str | None) -> ServiceAuthError:
    said = str(error or f"HTTP {status}")[:80]
    described = str(description or "")[:200]
    return ServiceAuthError(status, f"The EHR refused the credentials ({said}"
                            f"{': ' + described if described else ''}). Check the client id, key and scopes.")


# ---- per-request credentials -----------------------------------------------------------------------

class OriginBoundAuth(requests.auth.AuthBase):
    """Adds headers to requests for one origin only (Basic or API key must not follow foreign URLs)."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.base_url = base_url
        self.headers = headers

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if request.url and same_origin(request.url, self.base_url):
            request.headers.update(self.headers)
        return request


def static_auth(creds: ServiceCredentials) -> OriginBoundAuth:
    """Per-request credentials for BASIC (client id = user name) and API_KEY connections."""
    if not creds.secret:
        raise ServiceAuthError(None, "The connection has no password or API key.")
    if creds.auth_type == "BASIC":
        if not creds.client_id:
            raise ServiceAuthError(None, "Basic authentication needs a user name (client id).")
        header = requests.auth._basic_auth_str(creds.client_id, creds.secret)
        return OriginBoundAuth(creds.base_url, {"Authorization": header})
    if creds.auth_type == "API_KEY":
        return OriginBoundAuth(creds.base_url, {API_KEY_HEADER: creds.secret})
    raise ServiceAuthError(None, f"{creds.auth_type} connections cannot be used without a person; "
                           "use Backend Services, client credentials, Basic or an API key.")
