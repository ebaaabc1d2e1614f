"""Subscribing a FHIR connection: create, pause, resume and delete subscriptions on the EHR, and describe
them. No Flask: the pages and the API call these with the runtime's `EhrAccess`.

A subscription row (with its webhook id and secret) is committed before the EHR is asked, because the
EHR's handshake may reach the webhook before the EHR has answered the create. The EHR is asked for
topic-based subscriptions where its CapabilityStatement lists the topics (encounter finished, and a
note for an encounter when offered), else for a plain R4 criteria subscription on finished encounters;
an EHR that lists no Subscription gets none (the scheduled sync covers it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.connections.service import owned_row, require_manager
from smartapp.ehr_access.access import EhrAccess
from smartapp.errors import UserFacingError
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError
from smartapp.models import AuthType, EhrSubscription, FhirConnection, User
from smartapp.sources.sync_mode import note_capabilities

HOOK_PATH = "/hooks/fhir-subscriptions/"
HEADER = "X-RevRX-Hook-Secret"
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition"
PLAIN_CRITERIA = "Encounter?status=finished"
MAX_COUNT = 20                 # events per notification we accept (a burst arrives in fewer requests)
DEFAULT_HEARTBEAT_S = 60
LIVE = ("requested", "active", "error")
SCOPE_HINT = ("Ask the EHR administrator to allow system/Subscription.cruds for this client (and add it to the "
              "connection's scopes).")


@dataclass(frozen=True)
class Offer:
    subscriptions: bool
    topics: tuple[str, ...]

    def topic(self, name: str) -> str | None:
        return next((t for t in self.topics if t.rstrip("/").rsplit("/", 1)[-1] == name), None)


def offer_of(capabilities: dict[str, Any]) -> Offer:
    """What the CapabilityStatement says about Subscription (and its topics, Backport IG extension)."""
    for rest in capabilities.get("rest") or []:
        for resource in rest.get("resource") or [] if isinstance(rest, dict) else []:
            if isinstance(resource, dict) and resource.get("type") == "Subscription":
                topics = tuple(str(e["valueCanonical"]) for e in resource.get("extension") or []
                               if isinstance(e, dict) and str(e.get("url", "")).endswith(
                                   "capabilitystatement-subscriptiontopic-canonical") and e.get("valueCanonical"))
                return Offer(True, topics)
    return Offer(False, ())


def active_subscription(session: Session, connection: FhirConnection) -> EhrSubscription | None:
    """The connection's live subscription that brings new encounters (encounter finished, or plain criteria;
    a notes-only one brings none), if any: the "which mode is active" rule asks this (subscription mode when
    one exists, else scheduled sync)."""
    brings = or_(EhrSubscription.topic.is_(None), EhrSubscription.topic.like("%/encounter-finished"))
    return session.scalar(select(EhrSubscription).where(EhrSubscription.connection_id == connection.id,
                                                        EhrSubscription.status.in_(LIVE), brings)
                          .order_by(EhrSubscription.id).limit(1))


def subscriptions_of(session: Session, connection: FhirConnection) -> list[EhrSubscription]:
    return list(session.scalars(select(EhrSubscription).where(EhrSubscription.connection_id == connection.id)
                                .order_by(EhrSubscription.id)))


def subscription_for(session: Session, user: User, subscription_id: int) -> EhrSubscription:
    """404 for an id that does not exist, the organisation rule of connections otherwise."""
    return owned_row(session, EhrSubscription, subscription_id, user, "subscription")  # type: ignore[type-var]


def hook_url(app_base_url: str, sub: EhrSubscription) -> str:
    return f"{app_base_url.rstrip('/')}{HOOK_PATH}{sub.public_id}"


def _body(sub: EhrSubscription, endpoint: str, status: str) -> dict[str, Any]:
    channel: dict[str, Any] = {"type": "rest-hook", "endpoint": endpoint,
                               "header": [f"{sub.header_name}: {sub.secret}"]}
    body: dict[str, Any] = {"resourceType": "Subscription", "status": status, "criteria": sub.criteria,
                            "reason": "RevRX codes finished encounters as they happen", "channel": channel}
    if sub.topic:
        body["meta"] = {"profile": [f"{BACKPORT}/backport-subscription"]}
        channel["payload"] = "application/fhir+json"
        channel["_payload"] = {"extension": [{"url": f"{BACKPORT}/backport-payload-content", "valueCode": "id-only"}]}
        channel["extension"] = [
            {"url": f"{BACKPORT}/backport-max-count", "valuePositiveInt": MAX_COUNT},
            *([{"url": f"{BACKPORT}/backport-heartbeat-period", "valueUnsignedInt": sub.heartbeat_seconds}]
              if sub.heartbeat_seconds else []),
        ]
    if sub.fhir_subscription_id:
        body["id"] = sub.fhir_subscription_id
    return body


def _client(session: Session, ehr: EhrAccess, connection: FhirConnection, user: User | None) -> FhirClient:
    return ehr.for_connection(session, connection, actor=user, actor_name="subscriptions")


def _ehr_error(err: FhirError, doing: str) -> UserFacingError:
    hint = f" {SCOPE_HINT}" if err.status in (401, 403) else ""
    return UserFacingError(502, "The EHR refused", f"{doing}: {err.user_message}{hint}")


def create_subscriptions(session: Session, ehr: EhrAccess, user: User, connection: FhirConnection,
                         app_base_url: str, heartbeat_s: int = DEFAULT_HEARTBEAT_S,
                         notes: bool = True, mode: str = "auto") -> list[EhrSubscription]:
    """Subscribe the connection (committing as it goes); UserFacingError when the EHR cannot or refuses.

    `mode`: "auto" (topics where offered, else plain criteria), "topic" or "criteria" (a plain R4
    subscription even where topics are offered)."""
    require_manager(user, connection)
    if not connection.active or connection.auth_type == AuthType.SMART_LAUNCH:
        raise UserFacingError(409, "Connection cannot subscribe", "Subscriptions need an active connection with "
                              "service credentials (Backend Services, client credentials, Basic or API key).")
    if subscriptions_of(session, connection):
        raise UserFacingError(409, "Already subscribed", "This connection has a subscription; pause, resume or "
                              "delete it instead.")
    try:
        client = _client(session, ehr, connection, user)
        statement = client.capabilities()
        offer = offer_of(statement)
        note_capabilities(session, connection, statement)   # the connection page's mode line knows at once
    except FhirError as err:
        raise _ehr_error(err, "Reading the EHR's capabilities failed") from None
    if not offer.subscriptions:
        raise UserFacingError(409, "No subscriptions on this EHR", "The EHR's CapabilityStatement lists no "
                              "Subscription: new encounters come by the scheduled sync instead.")
    wanted = [t for t in (offer.topic("encounter-finished"), offer.topic("encounter-note") if notes else None) if t]
    if mode == "topic" and not wanted:
        raise UserFacingError(409, "No topics on this EHR", "The EHR's CapabilityStatement lists no "
                              "SubscriptionTopic RevRX uses; subscribe with plain criteria instead.")
    topics: list[str | None] = [None] if mode == "criteria" or not wanted else list(wanted)   # None: plain R4
    made = [_create_one(session, client, user, connection, app_base_url, topic, heartbeat_s) for topic in topics]
    return made


def _create_one(session: Session, client: FhirClient, user: User, connection: FhirConnection, app_base_url: str,
                topic: str | None, heartbeat_s: int) -> EhrSubscription:
    sub = EhrSubscription(organization_id=connection.organization_id, connection_id=connection.id,
                          created_by_id=user.id, public_id=secrets.token_urlsafe(24), secret=secrets.token_urlsafe(32),
                          header_name=HEADER, topic=topic, criteria=topic or PLAIN_CRITERIA, status="creating",
                          heartbeat_seconds=heartbeat_s if topic else 0)
    session.add(sub)
    session.flush()
    audit.record(session, action="subscription-create", actor=user, resource_type="EhrSubscription",
                 resource_id=str(sub.id), detail=sub.criteria[:200])
    session.commit()   # the handshake may arrive before the EHR answers this create
    try:
        created = client.create(_body(sub, hook_url(app_base_url, sub), "requested"))
    except FhirError as err:
        session.delete(sub)
        session.commit()
        raise _ehr_error(err, "Creating the subscription failed") from None
    sub.fhir_subscription_id = created.id
    # Only while still "creating": the handshake may have made it active meanwhile (in another request,
    # committing at any moment), and that stands.
    session.execute(update(EhrSubscription).where(EhrSubscription.id == sub.id, EhrSubscription.status == "creating")
                    .values(status=_status_of(created.resource) or "requested")
                    .execution_options(synchronize_session=False))
    session.commit()
    session.refresh(sub)
    return sub


def _status_of(resource: dict[str, Any] | None) -> str | None:
    status = (resource or {}).get("status")
    return status if status in ("requested", "active", "error", "off") else None


def set_paused(session: Session, ehr: EhrAccess, user: User, sub: EhrSubscription, paused: bool,
               app_base_url: str) -> None:
    """Pause (`off` on the EHR: it sends nothing) or resume (`requested`: a new handshake)."""
    connection = session.get(FhirConnection, sub.connection_id)
    require_manager(user, connection)   # a shared connection's subscriptions are its administrators' to change
    if connection is None or not sub.fhir_subscription_id:
        raise UserFacingError(409, "Not on the EHR", "This subscription was never created on the EHR; delete it.")
    wanted = "off" if paused else "requested"
    try:
        updated = _client(session, ehr, connection, user).update(_body(sub, hook_url(app_base_url, sub), wanted))
    except FhirError as err:
        raise _ehr_error(err, "Changing the subscription failed") from None
    sub.status = _status_of(updated) or wanted
    if not paused:
        sub.last_error = None
    audit.record(session, action="subscription-pause" if paused else "subscription-resume", actor=user,
                 resource_type="EhrSubscription", resource_id=str(sub.id))


def delete_subscription(session: Session, ehr: EhrAccess, user: User, sub: EhrSubscription) -> None:
    connection = session.get(FhirConnection, sub.connection_id)
    require_manager(user, connection)
    if connection is not None and sub.fhir_subscription_id:
        try:
            _client(session, ehr, connection, user).delete("Subscription", sub.fhir_subscription_id)
        except FhirError as err:
            raise _ehr_error(err, "Deleting the subscription on the EHR failed") from None
    audit.record(session, action="subscription-delete", actor=user, resource_type="EhrSubscription",
                 resource_id=str(sub.id))
    session.delete(sub)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def describe(sub: EhrSubscription) -> dict[str, Any]:
    """The subscription as the page and the API show it (never the secret)."""
    return {
        "id": sub.id, "connection_id": sub.connection_id, "topic": sub.topic, "criteria": sub.criteria,
        "mode": "topic" if sub.topic else "criteria", "fhir_subscription_id": sub.fhir_subscription_id,
        "status": sub.status, "paused": sub.status == "off", "heartbeat_seconds": sub.heartbeat_seconds,
        "last_event_number": sub.last_event_number, "highest_event_number": sub.highest_event_number,
        "last_heartbeat_at": _iso(sub.last_heartbeat_at), "last_notification_at": _iso(sub.last_notification_at),
        "last_error": sub.last_error, "created_at": _iso(sub.created_at),
    }


def organisation_subscribed(session: Session, organization_id: int) -> bool:
    found = session.scalar(select(EhrSubscription.id).where(EhrSubscription.organization_id == organization_id,
                                                            EhrSubscription.status.in_(LIVE)).limit(1))
    return found is not None


def forget_on_ehr(session: Session, ehr: EhrAccess, user: User, connection: FhirConnection,
                  subs: list[EhrSubscription]) -> None:
    """A connection is being deleted: ask its EHR to delete the subscriptions too, best effort (an EHR that
    cannot be reached must not keep the connection; its notifications then meet a 404, audited)."""
    ids = [s.fhir_subscription_id for s in subs if s.fhir_subscription_id]
    if not ids:
        return
    try:
        client = _client(session, ehr, connection, user)
        for fhir_id in ids:
            client.delete("Subscription", fhir_id)
    except FhirError as err:
        audit.record(session, action="subscription-delete", actor=user, resource_type="FhirConnection",
                     resource_id=str(connection.id), outcome="failed", detail=err.user_message[:200])
