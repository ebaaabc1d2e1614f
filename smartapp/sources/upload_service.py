"""One uploaded file → one encounter in the queue, or a per-file error that says why not.

The order matters: size and type checks and text extraction (in a limited child process) come first,
outside any write transaction, so a rejected file stores nothing and a slow one blocks no other
writer; duplicates are found by the SHA-256 of the content (the name plays no part), and handled with
the same skip / overwrite / version policy as batch sync. No patient identifier is read from the
text or stored: the encounter has no FHIR patient until a person links it to an EHR encounter.
"""

from __future__ import annotations

import enum
import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.config import UploadSettings
from smartapp.models import Encounter, EncounterSource, EncounterStatus, Note, UploadedFile, User
from smartapp.models.queries import insert_or_find, savepoint
from smartapp.models.sync import DuplicatePolicy
from smartapp.runs.coding_job import NOTE_RETENTION
from smartapp.runs.upload_coding import request_upload_coding
from smartapp.runtime import Runtime
from smartapp.sources.files import rejections
from smartapp.sources.files.extract import LABEL, Extracted, extract
from smartapp.sources.files.metadata import NoteMetadata, read_metadata
from smartapp.sources.files.rejections import UploadRejected
from smartapp.storage import Storage, StorageError

log = logging.getLogger(__name__)
ENCOUNTER_TYPE = "Uploaded note"


class Outcome(enum.StrEnum):
    CREATED = "created"          # a new encounter, queued for coding
    DUPLICATE = "duplicate"      # same content is already here; skipped
    OVERWRITTEN = "overwritten"  # same content: the existing encounter was re-read and is coded again
    VERSIONED = "versioned"      # same content: kept both, this one is a new version
    REJECTED = "rejected"        # not accepted; `error` says why


@dataclass(frozen=True)
class UploadResult:
    filename: str
    outcome: Outcome
    encounter_id: int | None = None
    sha256: str | None = None
    version: int | None = None
    media_type: str | None = None
    encoding: str | None = None
    provider: str | None = None
    date_of_service: date | None = None
    error: UploadRejected | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "filename": self.filename, "status": self.outcome.value, "encounter_id": self.encounter_id,
            "sha256": self.sha256, "version": self.version, "media_type": self.media_type,
            "encoding": self.encoding, "provider": self.provider,
            "date_of_service": self.date_of_service.isoformat() if self.date_of_service else None,
            "error": ({"code": self.error.code, "title": self.error.title, "detail": self.error.detail}
                      if self.error else None),
        }


@dataclass(frozen=True)
class UploadContext:
    """Who uploads, with which settings, into which storage, coded by which engine."""

    user: User
    settings: UploadSettings
    storage: Storage
    engine: str


def upload_context(runtime: Runtime, user: User) -> UploadContext:
    """`user`'s uploads with the running app's (or worker's) settings, storage and engine."""
    return UploadContext(user=user, settings=runtime.settings.uploads, storage=runtime.storage,
                         engine=runtime.settings.coding_engine)


def parse_policy(value: str | None, default: str) -> DuplicatePolicy | None:
    """The duplicate policy named in a form or API field (blank → default); None when unknown."""
    try:
        return DuplicatePolicy((value or "").strip().lower() or default)
    except ValueError:
        return None


def _latest_query(organization_id: int, sha256: str) -> Select[UploadedFile]:
    return (select(UploadedFile).where(UploadedFile.organization_id == organization_id, UploadedFile.sha256 == sha256)
            .order_by(UploadedFile.version.desc()).limit(1))


def _latest(session: Session, organization_id: int, sha256: str) -> UploadedFile | None:
    return session.scalar(_latest_query(organization_id, sha256))


def accept_file(
    session: Session, ctx: UploadContext, filename: str, data: bytes, policy: DuplicatePolicy,
) -> UploadResult:
    """Check, extract, store and queue one file (queued when the caller commits). Never raises for a
    bad file: the result says why."""
    name = (filename or "unnamed").replace("\\", "/").rsplit("/", 1)[-1][:255] or "unnamed"
    sha = hashlib.sha256(data).hexdigest() if data else None
    try:
        found = _read(session, ctx, name, sha, data, policy)
        if isinstance(found, UploadResult):
            return found
        # Only now a write transaction: reading the file (seconds, in a child process) held none.
        with savepoint(session):   # a rejected file undoes its own rows only, never the other files'
            return _record(session, ctx, name, sha, data, policy, *found)
    except UploadRejected as err:
        audit.record(session, action="upload", actor=ctx.user, resource_type="Upload", outcome="failure",
                     detail=f"rejected: {err.code}")
        return UploadResult(name, Outcome.REJECTED, sha256=sha, error=err)


def _read(session: Session, ctx: UploadContext, name: str, sha: str | None, data: bytes,
          policy: DuplicatePolicy) -> UploadResult | tuple[UploadedFile | None, Extracted, NoteMetadata, str]:
    """Checks, extraction and storage, which write no row: a duplicate's result, or what to record."""
    if len(data) > ctx.settings.max_bytes:
        raise rejections.too_large(len(data), ctx.settings.max_bytes)
    existing = _latest(session, ctx.user.organization_id, sha) if sha else None
    if existing is not None and policy == DuplicatePolicy.SKIP:
        return _result(name, Outcome.DUPLICATE, existing, None, None)
    extracted = extract(name, data, ctx.settings.limits)
    meta = read_metadata(extracted.text)
    try:
        key = ctx.storage.put(sha or "", data, extracted.media_type)
    except StorageError as exc:
        log.warning("upload storage failed: %s", exc)
        raise rejections.storage_failed() from exc
    return existing, extracted, meta, key


def _record(session: Session, ctx: UploadContext, name: str, sha: str | None, data: bytes, policy: DuplicatePolicy,
            existing: UploadedFile | None, extracted: Extracted, meta: NoteMetadata, key: str) -> UploadResult:
    if existing is not None and policy == DuplicatePolicy.OVERWRITE:
        return _overwrite(session, ctx, existing, name, data, key, extracted, meta)
    return _create(session, ctx, name, sha or "", data, key, extracted, meta,
                   version=existing.version + 1 if existing else 1)


def _result(name: str, outcome: Outcome, upload: UploadedFile, extracted: Extracted | None,
            meta: NoteMetadata | None) -> UploadResult:
    encounter = upload.encounter
    return UploadResult(
        name, outcome, encounter_id=upload.encounter_id, sha256=upload.sha256, version=upload.version,
        media_type=upload.media_type, encoding=extracted.encoding if extracted else upload.text_encoding,
        provider=meta.provider if meta else encounter.provider_name,
        date_of_service=meta.date_of_service if meta else encounter.date_of_service,
    )


def _fill_note(encounter: Encounter, note: Note, extracted: Extracted, meta: NoteMetadata) -> None:
    label = LABEL[extracted.media_type]
    note.kind, note.title, note.author = "Uploaded file", f"Uploaded {label} note", meta.provider
    note.note_date = datetime.combine(meta.date_of_service, time(), UTC) if meta.date_of_service else None
    note.content_type, note.text = extracted.media_type, extracted.text
    note.purge_after = datetime.now(UTC) + NOTE_RETENTION
    encounter.provider_name, encounter.date_of_service = meta.provider, meta.date_of_service


def _create(
    session: Session, ctx: UploadContext, name: str, sha: str, data: bytes, key: str, extracted: Extracted,
    meta: NoteMetadata, *, version: int,
) -> UploadResult:
    user = ctx.user
    encounter = Encounter(
        organization_id=user.organization_id, source=EncounterSource.FILE_UPLOAD, encounter_type=ENCOUNTER_TYPE,
        file_sha256=sha, status=EncounterStatus.NEW, version=version, launched_by_id=user.id,
    )
    note = Note(encounter=encounter, resource_type="Upload", resource_id=f"sha256:{sha}", text="")
    _fill_note(encounter, note, extracted, meta)
    upload = UploadedFile(
        organization_id=user.organization_id, encounter=encounter, uploaded_by_id=user.id, sha256=sha,
        version=version, filename=name, media_type=extracted.media_type, size_bytes=len(data),
        text_encoding=extracted.encoding, storage=ctx.storage.name, storage_key=key,
    )
    # Someone may upload the same content at the same moment: then theirs is the one we keep.
    kept, created = insert_or_find(session, _latest_query(user.organization_id, sha), upload, encounter, note)
    if not created:
        return _result(name, Outcome.DUPLICATE, kept, None, None)
    _audit(session, user, upload, "created")
    request_upload_coding(session, encounter, user=user, engine=ctx.engine)
    return _result(name, Outcome.VERSIONED if version > 1 else Outcome.CREATED, upload, extracted, meta)


def _overwrite(
    session: Session, ctx: UploadContext, upload: UploadedFile, name: str, data: bytes, key: str,
    extracted: Extracted, meta: NoteMetadata,
) -> UploadResult:
    encounter = upload.encounter
    if encounter.status == EncounterStatus.APPROVED:
        raise rejections.already_written_back()
    note = next((n for n in encounter.notes if n.resource_type == "Upload"), None)
    if note is None:
        note = Note(encounter=encounter, resource_type="Upload", resource_id=f"sha256:{upload.sha256}", text="")
        session.add(note)
    _fill_note(encounter, note, extracted, meta)
    upload.filename, upload.media_type, upload.size_bytes = name, extracted.media_type, len(data)
    upload.text_encoding, upload.storage, upload.storage_key = extracted.encoding, ctx.storage.name, key
    upload.uploaded_by_id = ctx.user.id
    _audit(session, ctx.user, upload, "overwritten")
    request_upload_coding(session, encounter, user=ctx.user, engine=ctx.engine)
    return _result(name, Outcome.OVERWRITTEN, upload, extracted, meta)


def _audit(session: Session, user: User, upload: UploadedFile, what: str) -> None:
    session.flush()
    audit.record(session, action="upload", actor=user, resource_type="Upload", resource_id=str(upload.id),
                 encounter_id=upload.encounter_id,
                 detail=f"{what}: {LABEL.get(upload.media_type, upload.media_type)}, {upload.size_bytes} bytes, "
                        f"version {upload.version}")
