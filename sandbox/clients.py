"""OAuth clients of the sandbox, registered from launch.json.

Every registration whose `iss` equals this sandbox's FHIR base becomes a client. The registry is
expanded with SANDBOX_BASE_URL set to this instance's base URL, so the `sandbox` registration
(`${SANDBOX_BASE_URL:-...}/fhir`) always matches the sandbox it is loaded into, even on a free port
in tests. Redirect URIs compare exactly; requested scopes the registration does not cover are dropped
(what real EHRs do), except the launch/OpenID/refresh scopes every SMART app may ask for.
"""

from __future__ import annotations

import hmac
import logging
import os
from pathlib import Path
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin

from sandbox.profiles import GENERIC, Profile
from sandbox.scopes import parse_scope
from smartapp.smart.registry import Registration, load_registry, normalize_iss

log = logging.getLogger(__name__)

# launch.json names -> Authlib's token endpoint auth method names
AUTH_METHODS = {
    "public": "none",
    "client_secret_basic": "client_secret_basic",
    "client_secret_post": "client_secret_post",
    "private_key_jwt": "private_key_jwt",
}
ALWAYS_ALLOWED = {"launch", "launch/patient", "launch/encounter", "openid", "fhirUser", "profile",
                  "offline_access", "online_access"}


class SandboxClient(ClientMixin):  # type: ignore[misc]
    def __init__(self, registration: Registration, profile: Profile = GENERIC) -> None:
        self.registration = registration
        self.profile = profile
        self.client_id = registration.client_id
        self.auth_method = AUTH_METHODS[registration.client_auth]

    def __repr__(self) -> str:
        return f"<SandboxClient {self.client_id} {self.auth_method}>"

    @property
    def jwks(self) -> dict[str, Any] | None:
        raw = self.registration.extra.get("jwks")
        return raw if isinstance(raw, dict) else None

    @property
    def jwks_url(self) -> str | None:
        raw = self.registration.extra.get("jwks_url") or self.registration.extra.get("jwks_uri")
        return str(raw) if raw else None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.registration.redirect_uris[0]

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return self.registration.scope
        return " ".join(s for s in scope.split() if self._covers(s) and self._offered(s))

    def _offered(self, scope: str) -> bool:
        """The vendor profile's own limits, whatever the client registered (Epic grants no Claim create)."""
        if scope in self.profile.refused_scopes:
            return False
        parsed = parse_scope(scope)
        return parsed is None or self.profile.offers_scope(parsed.context, parsed.resource, parsed.permissions, scope)

    def _covers(self, scope: str) -> bool:
        if scope in ALWAYS_ALLOWED or scope in self.registration.scopes:
            return True
        wanted = parse_scope(scope)
        if wanted is None:
            return False
        for registered in filter(None, map(parse_scope, self.registration.scopes)):
            if registered.resource in {wanted.resource, "*"} and wanted.permissions <= registered.permissions:
                return True
        return False

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.registration.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        expected = self.registration.client_secret or ""
        return bool(expected) and hmac.compare_digest(expected.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint in ("token", "revocation"):
            return method == self.auth_method
        return True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials":
            return self.auth_method == "private_key_jwt"  # backend services need asymmetric auth
        return grant_type in {"authorization_code", "refresh_token"}


def load_clients(fhir_base: str, base_url: str, launch_json: Path | None,
                 profile: Profile = GENERIC) -> dict[str, SandboxClient]:
    env = {**os.environ, "SANDBOX_BASE_URL": base_url}
    registry = load_registry(launch_json, env=env)
    clients = {
        reg.client_id: SandboxClient(reg, profile)
        for reg in registry
        if normalize_iss(reg.iss) == normalize_iss(fhir_base)
    }
    if not clients:
        log.warning("no registration in launch.json has iss %s; no client can sign in", fhir_base)
    return clients
