"""Wire Authlib's Flask AuthorizationServer and ResourceProtector for the sandbox.

The token generator adds SMART's launch context to every token response: `patient`, `encounter`,
`need_patient_banner`, `smart_style_url`, and an RS256 `id_token` (with `fhirUser`, and `name` when
`profile` was granted) when `openid` was granted. A refresh token is issued only when `offline_access`
(or `online_access`) was granted. Tokens are revoked at `/oauth/revoke` (RFC 7009).
"""

from __future__ import annotations

from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator
from flask import Flask

from sandbox.clients import SandboxClient
from sandbox.config import SandboxConfig
from sandbox.db import get_db
from sandbox.faults import Faults
from sandbox.keys import Signer
from sandbox.oauth_admin import context_switches
from sandbox.oauth_grants import (
    BackendServicesGrant,
    KeptRefreshTokenGrant,
    PrivateKeyJwt,
    RequiredS256,
    SandboxRevocation,
    SmartAuthorizationCodeGrant,
    SmartRefreshTokenGrant,
)
from sandbox.oauth_models import AuthorizedUser, StoredToken, find_access_token, save_token
from sandbox.scopes import has
from sandbox.store import ResourceStore


class SmartTokenGenerator:
    def __init__(self, config: SandboxConfig, signer: Signer, faults: Faults) -> None:
        self.config = config
        self.signer = signer
        self.faults = faults

    def __call__(self, grant_type: str, client: SandboxClient, user: AuthorizedUser | None = None,
                 scope: str | None = None, expires_in: int | None = None,
                 include_refresh_token: bool = True) -> dict[str, Any]:
        # Filtered again on purpose: client_credentials passes the raw requested scope through.
        granted = client.get_allowed_scope(scope)
        ttl = self.faults.state.access_token_ttl
        token: dict[str, Any] = {
            "access_token": generate_token(42),
            "token_type": "Bearer",
            "expires_in": ttl if ttl is not None else (expires_in or self.config.access_token_ttl),
            "scope": granted,
        }
        if include_refresh_token and (has(granted, "offline_access") or has(granted, "online_access")):
            token["refresh_token"] = generate_token(48)
        switches = context_switches()
        if user is not None:
            if user.patient_id:
                token["patient"] = user.patient_id
            if user.encounter_id and switches.encounter == "field":
                token["encounter"] = user.encounter_id
            elif user.encounter_id and switches.encounter == "fhirContext":
                token["fhirContext"] = [{"reference": f"Encounter/{user.encounter_id}"}]
            if has(granted, "openid"):
                token["id_token"] = self.signer.id_token(
                    issuer=self.config.id_token_issuer,
                    subject=user.practitioner_id,
                    audience=client.client_id,
                    fhir_user=f"{self.config.fhir_base}/Practitioner/{user.practitioner_id}",
                    nonce=user.nonce if self.config.profile.id_token_nonce else None,
                    name=practitioner_name(user.practitioner_id) if has(granted, "profile") else None,
                )
        token["need_patient_banner"] = switches.need_patient_banner
        token["smart_style_url"] = self.config.style_url
        return token


class SandboxBearerValidator(BearerTokenValidator):  # type: ignore[misc]
    def authenticate_token(self, token_string: str) -> StoredToken | None:
        return find_access_token(get_db(), token_string)


def create_authorization_server(
    app: Flask, config: SandboxConfig, clients: dict[str, SandboxClient], signer: Signer, faults: Faults
) -> AuthorizationServer:
    def query_client(client_id: str) -> SandboxClient | None:
        return clients.get(client_id)

    def store_token(token: dict[str, Any], request: Any) -> None:
        code = getattr(request, "authorization_code", None)
        save_token(get_db(), token, request.client.get_client_id(), request.user,
                   code.code_hash if code is not None else None, config.refresh_token_ttl)

    server = AuthorizationServer(app, query_client=query_client, save_token=store_token)
    server.register_token_generator("default", SmartTokenGenerator(config, signer, faults))
    server.register_grant(SmartAuthorizationCodeGrant, [RequiredS256(required=True)])
    # Oracle Health answers a refresh without a new refresh token: the one presented stays valid.
    server.register_grant(SmartRefreshTokenGrant if config.profile.refresh_rotates else KeptRefreshTokenGrant)
    server.register_grant(BackendServicesGrant)
    server.register_client_auth_method(
        PrivateKeyJwt.CLIENT_AUTH_METHOD,
        PrivateKeyJwt([config.token_url, config.base_url + "/oauth", config.revoke_url]),
    )
    server.register_endpoint(SandboxRevocation)
    return server


def practitioner_name(practitioner_id: str) -> str | None:
    """The OpenID `name` claim (asked for with the `profile` scope): "Given Family" of the Practitioner."""
    resource = ResourceStore(get_db()).get("Practitioner", practitioner_id) or {}
    for name in resource.get("name") or []:
        if isinstance(name, dict):
            text = name.get("text") or " ".join([*name.get("given", []), name.get("family", "")]).strip()
            if text:
                return str(text)
    return None


def create_resource_protector() -> ResourceProtector:
    protector = ResourceProtector()
    protector.register_token_validator(SandboxBearerValidator())
    return protector
