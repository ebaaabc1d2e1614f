"""Retention: the note text RevRX copies is kept only while coding and review need it.

- Notes read from the EHR: the text is emptied once `purge_after` has passed (30 days after it was
  read). The EHR keeps the record; re-running coding reads it again.
- Uploaded notes: the text and the stored original go once `purge_after` has passed *and* the
  encounter is approved. Until then the upload is the only copy RevRX has to review from.

What stays: the encounter, codes, decisions, submissions and the audit trail (none of them hold note
text). Each run leaves one audit record per organization with the counts. Safe to run any time, as
often as wanted; the worker runs it at most hourly, `flask --app wsgi purge-expired` on demand.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.accounts import sessions
from smartapp.models import Encounter, EncounterSource, EncounterStatus, Note, UploadedFile
from smartapp.storage import Storage, StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Purged:
    notes: int
    originals: int


def purge_expired(session: Session, storage: Storage, now: datetime | None = None) -> Purged:
    now = now or datetime.now(UTC)
    notes: Counter[int] = Counter()
    originals: Counter[int] = Counter()
    due = session.execute(
        select(Note, Encounter).join(Encounter, Note.encounter_id == Encounter.id)
        .where(Note.purge_after <= now, Note.purged_at.is_(None))
    ).all()
    for note, encounter in due:
        if encounter.source == EncounterSource.FILE_UPLOAD and encounter.status != EncounterStatus.APPROVED:
            continue
        note.text, note.purged_at = "", now
        notes[encounter.organization_id] += 1
    session.flush()
    for upload in _originals_due(session):
        if not _shared_with_a_kept_upload(session, upload):
            try:
                storage.delete(upload.storage_key)
            except StorageError as err:   # try again next run; the rest goes on
                log.warning("retention: original of upload %s not removed (%s)", upload.id, err)
                continue
        upload.purged_at = now
        originals[upload.organization_id] += 1
    sessions.prune(session, now)   # signed-in sessions ended or unused for 30 days
    for org in sorted(set(notes) | set(originals)):
        audit.record(session, action="retention-purge", actor_name="retention job", organization_id=org,
                     detail=f"{notes[org]} note texts, {originals[org]} uploaded originals removed")
    session.commit()
    return Purged(sum(notes.values()), sum(originals.values()))


def _originals_due(session: Session) -> list[UploadedFile]:
    """Uploads not yet purged whose note text is gone."""
    purged_notes = select(Note.encounter_id).where(Note.purged_at.is_not(None))
    return list(session.scalars(select(UploadedFile).where(
        UploadedFile.purged_at.is_(None), UploadedFile.encounter_id.in_(purged_notes))))


def _shared_with_a_kept_upload(session: Session, upload: UploadedFile) -> bool:
    """Storage is keyed by content: another upload of the same bytes (a later version, another
    organization) may still need the object."""
    other = session.scalar(select(UploadedFile.id).where(
        UploadedFile.storage == upload.storage, UploadedFile.storage_key == upload.storage_key,
        UploadedFile.id != upload.id, UploadedFile.purged_at.is_(None)).limit(1))
    return other is not None
