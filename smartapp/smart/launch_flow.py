"""The two halves of a SMART launch, without Flask request handling: `begin()` (registration →
discovery → scopes → state kept server-side → the authorize URL) and `complete()` (state → code
exchange with the registration's client authentication → id_token → launch context → User and
LaunchSession rows).

Everything that can refuse a launch does so before any row is written, with a `UserFacingError`
whose message a person can act on: a refused launch stores nothing.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from redis import Redis
from sqlalchemy.orm import Session

from smartapp.errors import UserFacingError
from smartapp.fhir.errors import FhirError
from smartapp.fhir.practitioner_roles import role_codes
from smartapp.models import LaunchSession, User
from smartapp.smart import oauth_client, pending, scopes
from smartapp.smart.context import LaunchContext, parse_context
from smartapp.smart.discovery import DiscoveryError, discover
from smartapp.smart.identity import ExpectedIssuer, Identity, IdentityError, verify_id_token
from smartapp.smart.registry import Registration, Registry, normalize_iss
from smartapp.smart.users import IdentityConflict, user_for_launch

log = logging.getLogger(__name__)

RELAUNCH = "Launch RevRX again from the EHR."


def unknown_ehr() -> UserFacingError:
    return UserFacingError(400, "Unknown EHR", "This EHR is not registered with RevRX. Ask your administrator "
                           "to add it to launch.json.")


def choose_registration(registry: Registry, iss: str | None, registration_id: str | None) -> Registration:
    """The registration a launch names. No outbound request is made for an issuer we do not know:
    it could be anyone's server."""
    reg = registry.select(iss, registration_id)
    if reg is None:
        raise unknown_ehr()
    return reg


@dataclass(frozen=True)
class Begun:
    authorize_url: str
    state: str
    binding: str      # the value of the per-state cookie the starting browser must present at the callback


def begin(reg: Registration, redis: Redis, *, launch: str | None, iss: str | None = None,
          timeout: float = 10.0) -> Begun:
    """Store a pending launch under a fresh `state`, bound to a fresh browser secret, and return the
    EHR's authorize URL with both.

    No `launch` parameter means a standalone launch: the EHR signs the user in and, asked for
    `launch/patient`, lets them pick a patient."""
    standalone = not launch
    # The launch's own issuer: the registration's, unless it matches a family of issuers by prefix.
    issuer = normalize_iss(iss) if iss and reg.matches(iss) else reg.iss
    try:
        config = discover(issuer, timeout=timeout)
    except DiscoveryError as err:
        log.warning("discovery failed for registration %s: %s", reg.id, err)
        raise UserFacingError(502, "The EHR did not answer", "RevRX could not read the EHR's SMART "
                              f"configuration. {RELAUNCH}") from err
    if standalone and config.capabilities and not config.supports("launch-standalone"):
        raise UserFacingError(400, "Open RevRX from inside the EHR", f"{reg.name} does not offer standalone "
                              "sign-in. Launch RevRX from an encounter in the EHR instead.")
    if standalone and reg.standalone_scopes:
        wanted = scopes.in_dialect(reg.standalone_scopes, scopes.dialect_for(reg.scope_dialect, config.capabilities))
    else:
        wanted = scopes.requested(reg.scopes, dialect=reg.scope_dialect, capabilities=config.capabilities,
                                  standalone=standalone)
    scope = " ".join(wanted)
    expected_iss, iss_match = reg.expected_issuer(config.issuer, issuer)
    state, verifier, nonce = pending.new_state(), oauth_client.new_code_verifier(), secrets.token_urlsafe(16)
    binding = pending.new_binding()
    pending.put(redis, state, pending.PendingLaunch(
        registration_id=reg.id, iss=issuer, code_verifier=verifier, nonce=nonce, launch=launch,
        authorization_endpoint=config.authorization_endpoint, token_endpoint=config.token_endpoint,
        jwks_uri=config.jwks_uri, revocation_endpoint=config.revocation_endpoint, scope=scope,
        client_auth=oauth_client.negotiated_auth(reg, config), standalone=standalone,
        binding_hash=pending.binding_hash(binding),
        oidc_issuer=expected_iss, oidc_issuer_match=iss_match,
    ))
    url = oauth_client.authorization_url(reg, config.authorization_endpoint, state=state, code_verifier=verifier,
                                         nonce=nonce, iss=issuer, launch=launch, scope=scope)
    return Begun(url, state, binding)


@dataclass(frozen=True)
class Completed:
    registration: Registration
    user: User
    launch: LaunchSession
    context: LaunchContext


def take_pending(redis: Redis, registry: Registry, args: dict[str, str],
                 binding: str | None) -> tuple[pending.PendingLaunch, Registration]:
    """The launch this callback belongs to; a forged, replayed or expired `state` finds nothing, and a
    state started in another browser (its cookie missing here) is refused and used up."""
    found = pending.take(redis, args.get("state", ""))
    if found is None:
        raise UserFacingError(400, "This sign-in link is no longer valid",
                              f"It has expired, was already used, or did not come from RevRX. {RELAUNCH}")
    if not pending.same_browser(found, binding):
        log.warning("callback refused: state presented by a browser that did not start it")
        raise UserFacingError(400, "This sign-in was started in another browser",
                              f"For your safety RevRX finishes a sign-in only in the browser that began it. {RELAUNCH}")
    reg = registry.by_id(found.registration_id)
    if reg is None:
        raise UserFacingError(400, "Unknown EHR", "This EHR is no longer registered with RevRX.")
    if args.get("error"):
        code = args["error"]
        message = ("Access was declined in the EHR, so RevRX cannot read this encounter."
                   if code == "access_denied" else f"The EHR refused the sign-in ({code[:60]}).")
        raise UserFacingError(403, "The EHR did not grant access", f"{message} {RELAUNCH}")
    if not args.get("code"):
        raise UserFacingError(400, "The EHR sent no authorization code", RELAUNCH)
    return found, reg


def _identity(found: pending.PendingLaunch, reg: Registration, token: dict[str, Any]) -> Identity | None:
    if token.get("id_token"):
        try:
            fhir_base = found.iss or reg.iss
            # A launch stored before oidc_issuer existed expects what it did then: the FHIR base.
            expected = ExpectedIssuer(found.oidc_issuer or fhir_base, found.oidc_issuer_match)
            return verify_id_token(token["id_token"], jwks_uri=found.jwks_uri, issuer=expected, fhir_base=fhir_base,
                                   client_id=reg.client_id, nonce=found.nonce, require_nonce=reg.require_nonce)
        except IdentityError as err:
            log.warning("id_token rejected for registration %s: %s", reg.id, err)
            raise UserFacingError(401, "The EHR's identity token was not valid", f"{err}. {RELAUNCH}") from err
    if "openid" in found.scope.split() or (not found.scope and "openid" in reg.scopes):
        raise UserFacingError(401, "The EHR did not say who you are", f"No id_token was returned. {RELAUNCH}")
    return None


def _role_codes(reg: Registration, found: pending.PendingLaunch, token: dict[str, Any], identity: Identity | None,
                granted: str, timeout: float) -> frozenset[str] | None:
    """The person's PractitionerRole codes, when the registration maps them and the token may read them;
    None when the EHR did not answer (the sign-in goes on, with the roles of the last one)."""
    if not reg.roles.reads_practitioner_roles or identity is None:
        return frozenset()
    action = "r" if identity.resource_type == "PractitionerRole" else "s"
    if identity.resource_type not in ("Practitioner", "PractitionerRole") or \
            not scopes.allows(granted, "PractitionerRole", action):
        return frozenset()
    try:
        return role_codes(found.iss or reg.iss, token["access_token"], identity.fhir_user, timeout=timeout)
    except (FhirError, ValueError) as err:
        log.warning("could not read PractitionerRole for registration %s: %s", reg.id, type(err).__name__)
        return None


def complete(session: Session, redis: Redis, registry: Registry, args: dict[str, str], binding: str | None, *,
             timeout: float = 10.0) -> Completed:
    """Finish the launch named by the callback's `state`, if `binding` (the browser's per-state cookie)
    matches; rows are added (not committed) only at the end."""
    found, reg = take_pending(redis, registry, args, binding)
    try:
        token = oauth_client.exchange_code(reg, found.token_endpoint, code=args["code"],
                                           code_verifier=found.code_verifier, client_auth=found.client_auth or None)
    except oauth_client.TokenRequestError as err:
        log.warning("token exchange failed for registration %s: %s", reg.id, err)
        raise UserFacingError(502, "Sign-in could not be completed", err.user_message) from err
    identity = _identity(found, reg, token)
    context = parse_context(token)
    granted = scopes.granted(token.get("scope"), found.scope or reg.scope)
    try:
        user = user_for_launch(session, reg, identity, ehr_launch=not found.standalone,
                               role_codes=_role_codes(reg, found, token, identity, granted, timeout))
    except IdentityConflict as err:
        log.warning("launch refused for registration %s: fhirUser already held by another sign-in", reg.id)
        raise UserFacingError(409, "This EHR account is linked to someone else", "Your EHR user maps to a "
                              "person who already signs in to RevRX with another account. Ask your "
                              "administrator to check the EHR's user mapping.") from err
    row = LaunchSession(
        user_id=user.id, registration_id=reg.id, issuer=found.iss or reg.iss, token_endpoint=found.token_endpoint,
        oidc_issuer=identity.issuer if identity and identity.issuer else None,
        access_token=token["access_token"], refresh_token=token.get("refresh_token"),
        id_token=token.get("id_token"), scope=granted,
        expires_at=oauth_client.expires_at_from(token), patient_id=context.patient, encounter_id=context.encounter,
        need_patient_banner=context.need_patient_banner, smart_style_url=context.smart_style_url,
        intent=context.intent, tenant=context.tenant,
        context={"fhirContext": context.fhir_context, "client_auth": found.client_auth or reg.client_auth,
                 "revocation_endpoint": found.revocation_endpoint, "standalone": found.standalone},
    )
    session.add(row)
    session.flush()
    return Completed(reg, user, row, context)
