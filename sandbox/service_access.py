"""Service credentials for the sandbox's FHIR API, registered at run time (dev and test only).

Real EHRs let administrators register backend apps; the sandbox's SMART clients come from
launch.json, so this module adds what a batch-sync test needs without editing that file:

- `POST /_admin/service-clients` {"client_id", "auth", "secret"?, "jwks"?, "jwks_url"?, "scope"} registers a
  client. `auth` is `private_key_jwt` (SMART Backend Services at the normal `/oauth/token`, public keys in
  `jwks`, or fetched from `jwks_url`, a JWK Set URL: the key set is read when the app is registered; the
  `epic` profile takes only a URL, as Epic has since its February 2024 version), `client_secret` (OAuth2
  client credentials at `/oauth/service-token`), `basic` (HTTP Basic on
  every FHIR request, user = client_id, password = secret) or `api_key` (`X-API-Key: <secret>`).
- `POST /oauth/service-token`: `grant_type=client_credentials` with `client_secret_basic` or
  `client_secret_post`; no refresh token.

- `GET|POST /ehr/backend-apps`: the same as a page, as an EHR administrator would register a backend app.

Registrations are kept in the sandbox database (`settings`, one row per client) and loaded into each
server process's memory before a request that may need them, so a sandbox served by several
processes (`python -m sandbox --processes N`) knows a client whichever process registered it.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from typing import Any

import requests
from authlib.oauth2.rfc6749 import TokenMixin
from authlib.oauth2.rfc6749.resource_protector import TokenValidator
from authlib.oauth2.rfc6750 import InvalidTokenError
from flask import Blueprint, Response, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from sandbox.clients import SandboxClient
from sandbox.db import get_db
from sandbox.oauth_models import save_token
from sandbox.services import EXTENSION, Services, services
from smartapp.smart.registry import Registration

bp = Blueprint("service_access", __name__)
STORE = "sandbox.service_access"
AUTHS = ("private_key_jwt", "client_secret", "basic", "api_key")


@dataclass(frozen=True)
class ServiceClient:
    client_id: str
    auth: str
    secret: str
    scope: str


class ServiceGrant(TokenMixin):  # type: ignore[misc]
    """What a Basic or API-key request is allowed: the registration's scopes, no expiry."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def get_scope(self) -> str:
        return self.client.scope

    def get_client_id(self) -> str:
        return self.client.client_id

    def get_user(self) -> None:
        return None

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return False


class _StaticValidator(TokenValidator):  # type: ignore[misc]
    auth = ""

    def __init__(self, store: dict[str, ServiceClient]) -> None:
        super().__init__()
        self.store = store

    def lookup(self, token_string: str) -> ServiceClient | None:
        raise NotImplementedError

    def authenticate_token(self, token_string: str) -> ServiceGrant | None:
        found = self.lookup(token_string)
        return ServiceGrant(found) if found is not None and found.auth == self.auth else None

    def validate_token(self, token: ServiceGrant | None, scopes: Any, request: Any) -> None:
        if token is None:
            raise InvalidTokenError(description="Unknown credentials")


class BasicValidator(_StaticValidator):
    TOKEN_TYPE = "basic"  # noqa: S105 - an HTTP auth scheme name
    auth = "basic"

    def lookup(self, token_string: str) -> ServiceClient | None:
        try:
            user, _, password = base64.b64decode(token_string, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        found = self.store.get(user)
        return found if found is not None and hmac.compare_digest(found.secret, password) else None


class ApiKeyValidator(_StaticValidator):
    TOKEN_TYPE = "apikey"  # noqa: S105 - an HTTP auth scheme name
    auth = "api_key"

    def lookup(self, token_string: str) -> ServiceClient | None:
        return next((c for c in self.store.values() if c.auth == "api_key"
                     and hmac.compare_digest(c.secret, token_string)), None)


def _install(state: BlueprintSetupState) -> None:
    app = state.app
    store: dict[str, ServiceClient] = {}
    app.extensions[STORE] = store
    svc: Services = app.extensions[EXTENSION]
    svc.protector.register_token_validator(BasicValidator(store))
    svc.protector.register_token_validator(ApiKeyValidator(store))

    @app.before_request
    def load_shared_registrations() -> None:
        if request.path.startswith(("/fhir", "/oauth", "/ehr/backend-apps")):
            _load_shared()

    @app.before_request
    def api_key_as_authorization() -> None:
        # The resource protector reads only Authorization: carry an X-API-Key over to it.
        key = request.headers.get("X-API-Key")
        if key and request.path.startswith("/fhir") and "HTTP_AUTHORIZATION" not in request.environ:
            request.environ["HTTP_AUTHORIZATION"] = f"ApiKey {key}"


bp.record_once(_install)


def _registration(client_id: str, scope: str, auth: str, jwks: dict[str, Any] | None) -> Registration:
    return Registration(id=client_id, name=client_id, vendor="sandbox", iss=services().config.fhir_base,
                        client_id=client_id, client_auth=auth, scopes=tuple(scope.split()), launch_url="",
                        redirect_uris=(), extra={"jwks": jwks} if jwks else {})


SHARED_PREFIX = "service-client:"
LOADED = "sandbox.service_access.loaded"


def _load_shared() -> None:
    """Register here what another server process registered (rows this process has not loaded yet)."""
    from flask import current_app

    loaded: dict[str, str] = current_app.extensions.setdefault(LOADED, {})
    rows = get_db().execute("SELECT key, value FROM settings WHERE key >= ? AND key < ?",
                            (SHARED_PREFIX, SHARED_PREFIX[:-1] + ";")).fetchall()
    for key, value in rows:
        if loaded.get(key) != value:
            loaded[key] = value
            register(json.loads(value), share=False)


def register(body: dict[str, Any], share: bool = True) -> str | None:
    """Register a service client from `body` (see the module docstring); the problem, or None.
    `share`: also keep it in the database, for the sandbox's other server processes."""
    client_id, auth = str(body.get("client_id") or "").strip(), str(body.get("auth") or "")
    scope, secret = str(body.get("scope") or "system/*.rs").strip(), str(body.get("secret") or "")
    if not client_id or auth not in AUTHS:
        return f"client_id and auth ({', '.join(AUTHS)}) are required"
    if auth == "private_key_jwt":
        jwks = body.get("jwks")
        url = str(body.get("jwks_url") or "").strip()
        if services().config.profile.jwks_url_only and not url:
            return "this EHR registers backend apps by JWK Set URL only (no pasted key sets)"
        if url:
            jwks, problem = _fetch_jwks(url)
            if problem:
                return problem
        try:
            KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError, KeyError):
            return "jwks must be a JWK set of public keys"
        services().clients[client_id] = SandboxClient(_registration(client_id, scope, "private_key_jwt", jwks))
        secret = ""   # listed below only; the OAuth server holds its keys
    elif not secret:
        return "secret is required"
    request_store()[client_id] = ServiceClient(client_id, auth, secret, scope)
    if share:
        conn = get_db()
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                     (SHARED_PREFIX + client_id, json.dumps(body)))
    return None


def _fetch_jwks(url: str) -> tuple[dict[str, Any] | None, str | None]:
    """The key set at a JWK Set URL (what an EHR reads from a backend app's JKU), or the problem."""
    if not url.startswith(("https://", "http://")):
        return None, "jwks_url must be an http(s) URL"
    try:
        resp = requests.get(url, timeout=5, headers={"Accept": "application/json"})
        doc = resp.json() if resp.ok else None
    except (requests.RequestException, ValueError):
        doc = None
    if not isinstance(doc, dict):
        return None, f"could not read a JWK set at {url}"
    return doc, None


def registered() -> list[ServiceClient]:
    """Every service client, for the EHR's Backend apps page."""
    return sorted(request_store().values(), key=lambda c: c.client_id)


@bp.post("/_admin/service-clients")
def register_service_client() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    problem = register(body)
    if problem:
        return jsonify(error=problem), 400
    return jsonify(client_id=body["client_id"], auth=body["auth"], scope=str(body.get("scope") or "system/*.rs")), 201


def request_store() -> dict[str, ServiceClient]:
    from flask import current_app

    store: dict[str, ServiceClient] = current_app.extensions[STORE]
    return store


def _client_credentials() -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:], validate=True).decode().partition(":")
            return user, password
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
    return str(request.form.get("client_id") or ""), str(request.form.get("client_secret") or "")


def _oauth_error(error: str, description: str, status: int) -> tuple[Response, int]:
    response = jsonify(error=error, error_description=description)
    response.headers["Cache-Control"] = "no-store"
    return response, status


@bp.post("/oauth/service-token")
def service_token() -> tuple[Response, int]:
    if request.form.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "only client_credentials", 400)
    client_id, secret = _client_credentials()
    found = request_store().get(client_id)
    if found is None or found.auth != "client_secret" or not hmac.compare_digest(found.secret, secret):
        return _oauth_error("invalid_client", "unknown client or wrong secret", 401)
    svc = services()
    client = SandboxClient(_registration(client_id, found.scope, "client_secret_basic", None))
    token: dict[str, Any] = svc.auth_server.generate_token(
        grant_type="client_credentials", client=client, user=None,
        scope=request.form.get("scope") or found.scope, include_refresh_token=False)
    token.pop("need_patient_banner", None)
    token.pop("smart_style_url", None)
    save_token(get_db(), token, client_id, None, None, svc.config.refresh_token_ttl)
    response = jsonify(token)
    response.headers["Cache-Control"] = "no-store"
    return response, 200


WRITE_BACK_SCOPES = "system/*.rs system/Claim.c system/ChargeItem.c system/Condition.c system/DocumentReference.c"


@bp.route("/ehr/backend-apps", methods=["GET", "POST"])
def backend_apps() -> tuple[str, int]:
    """What an EHR administrator does for a backend app: register its client id and its public key
    set (or a secret), with the scopes it may have. RevRX shows the key set on its connection page."""
    problem, status = None, 200
    if request.method == "POST":
        form = request.form
        body: dict[str, Any] = {"client_id": form.get("client_id"), "auth": form.get("auth"),
                                "scope": form.get("scope"), "secret": form.get("secret"),
                                "jwks_url": form.get("jwks_url")}
        if body["auth"] == "private_key_jwt" and not body["jwks_url"]:
            try:
                body["jwks"] = json.loads(form.get("jwks") or "")
            except ValueError:
                body["jwks"] = None
        problem = register(body)
        status = 400 if problem else 201
    return render_template("backend_apps.html", apps=registered(), problem=problem, auths=AUTHS,
                           jwks_url_only=services().config.profile.jwks_url_only,
                           default_scope=WRITE_BACK_SCOPES, form=request.form if problem else {}), status
