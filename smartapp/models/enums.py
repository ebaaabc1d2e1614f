"""The closed vocabularies of the data model (stored by name, as short strings)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    CLINICIAN = "clinician"
    CODER = "coder"
    ADMIN = "admin"
    READ_ONLY = "read_only"


class RoleSource(enum.StrEnum):
    """Where a role a person holds came from (see smartapp/smart/roles.py)."""
    EHR = "ehr"                      # the EHR said so: PractitionerRole codes or id_token claims
    REGISTRATION = "registration"    # the registration's policy in launch.json, when the EHR says nothing
    ADMIN = "admin"                  # an administrator's decision; while it stands, it is the whole set


class EncounterSource(enum.StrEnum):
    FHIR = "FHIR"
    FILE_UPLOAD = "FILE_UPLOAD"


class EncounterStatus(enum.StrEnum):
    NEW = "NEW"
    CODING = "CODING"
    READY = "READY"          # suggestions waiting for review
    APPROVING = "APPROVING"  # "Approve selected" queued its write-back
    APPROVED = "APPROVED"    # written back
    FAILED = "FAILED"

    @property
    def busy(self) -> bool:
        """A queued or running job will move it on by itself (pages showing it keep polling)."""
        return self in (EncounterStatus.NEW, EncounterStatus.CODING, EncounterStatus.APPROVING)


class RunStatus(enum.StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"

    @property
    def terminal(self) -> bool:
        """Finished, with suggestions or an error; PENDING and RUNNING are still waiting for a worker."""
        return self in (RunStatus.COMPLETE, RunStatus.FAILED)


class Decision(enum.StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


class SubmissionStatus(enum.StrEnum):
    SENDING = "SENDING"
    CREATED = "CREATED"      # the server made a new resource
    EXISTING = "EXISTING"    # conditional create matched the one we made before
    FAILED = "FAILED"

    @property
    def written_back(self) -> bool:
        return self in (SubmissionStatus.CREATED, SubmissionStatus.EXISTING)


class AuthType(enum.StrEnum):
    SMART_LAUNCH = "SMART_LAUNCH"
    BACKEND_SERVICES = "BACKEND_SERVICES"
    CLIENT_CREDENTIALS = "CLIENT_CREDENTIALS"
    BASIC = "BASIC"
    API_KEY = "API_KEY"
