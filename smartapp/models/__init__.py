"""The data model (SQLAlchemy 2.0, typed). Importing this module registers every table."""

from smartapp.models.api_tokens import ApiToken
from smartapp.models.audit import AuditEvent
from smartapp.models.base import Base
from smartapp.models.claims import ClaimSubmission
from smartapp.models.coding import CodingRun, Suggestion
from smartapp.models.connections import FhirConnection
from smartapp.models.encounters import Encounter, Note
from smartapp.models.enums import (
    AuthType,
    Decision,
    EncounterSource,
    EncounterStatus,
    Role,
    RoleSource,
    RunStatus,
    SubmissionStatus,
)
from smartapp.models.launches import LaunchSession
from smartapp.models.learning import LearningReset
from smartapp.models.people import Invitation, Membership, Organization, RoleGrant, User
from smartapp.models.schedules import SyncSchedule
from smartapp.models.subscriptions import AutoArrival, AutoCodeSettings, EhrSubscription, SubscriptionEvent
from smartapp.models.sync import DuplicatePolicy, ItemOutcome, SyncItem, SyncRun, SyncStatus
from smartapp.models.uploads import UploadedFile
from smartapp.models.web_sessions import WebSession

__all__ = [
    "ApiToken", "AuditEvent", "AuthType", "Base", "ClaimSubmission", "CodingRun", "Decision", "Encounter",
    "EncounterSource", "EncounterStatus", "FhirConnection", "Invitation", "LaunchSession", "Membership",
    "Note", "Organization",
    "Role", "RoleGrant", "RoleSource", "RunStatus", "Suggestion", "SubmissionStatus", "UploadedFile", "User",
    "WebSession",
    "AutoArrival", "AutoCodeSettings", "EhrSubscription", "SubscriptionEvent",
    "DuplicatePolicy", "ItemOutcome", "LearningReset", "SyncItem", "SyncRun", "SyncSchedule", "SyncStatus",
]
