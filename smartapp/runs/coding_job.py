"""The coding job's work: read the encounter over FHIR, store its notes, run the pipeline, store
the suggestions. Safe to run twice: a finished run is left alone, and a re-run replaces the run's
suggestions in the same transaction that marks it COMPLETE (a crash mid-way leaves no half result).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from rq.timeouts import JobTimeoutException
from sqlalchemy.orm import Session

from smartapp.coding.pipeline import run as run_pipeline
from smartapp.coding.setting import normalize as encounter_setting
from smartapp.coding.types import Demographics, NoteInput
from smartapp.ehr_access.launch_tokens import RelaunchRequired
from smartapp.fhir.context import EncounterContext, fetch_encounter_context
from smartapp.fhir.errors import FhirError
from smartapp.fhir.notes import SkippedDocument
from smartapp.models import (
    CodingRun,
    Encounter,
    EncounterSource,
    LaunchSession,
    Note,
    RunStatus,
    User,
)
from smartapp.models.base import as_utc
from smartapp.models.people import acting
from smartapp.runs import upload_coding
from smartapp.runs.requests import job_id_for
from smartapp.runs.results import fail_run, runnable, start_run, store_result
from smartapp.runtime import Runtime

log = logging.getLogger(__name__)
NOTE_RETENTION = timedelta(days=30)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return as_utc(moment)


def _patient_label(ctx: EncounterContext) -> str | None:
    p = ctx.patient
    if p is None:
        return None
    name = " ".join([*p.given, p.family or ""]).strip() or (p.names[0] if p.names else "")
    parts = [name, (p.gender or "").capitalize(), f"born {p.birth_date.isoformat()}" if p.birth_date else "",
             f"MRN {p.mrn}" if p.mrn else ""]
    return " · ".join(x for x in parts if x) or None


def _store_header(encounter: Encounter, ctx: EncounterContext) -> None:
    info = ctx.encounter
    encounter.patient_label = _patient_label(ctx) or encounter.patient_label
    encounter.fhir_patient_id = info.patient_id or encounter.fhir_patient_id
    encounter.fhir_provider_id = info.provider_id or encounter.fhir_provider_id
    encounter.provider_name = ((ctx.practitioner.name if ctx.practitioner else None) or info.provider_display
                               or encounter.provider_name)
    encounter.date_of_service = info.date_of_service or encounter.date_of_service
    encounter.encounter_type = info.type_text or info.class_code or encounter.encounter_type
    encounter.encounter_class = info.class_code or encounter.encounter_class
    encounter.visit_reason = "; ".join(info.reasons)[:1000] or encounter.visit_reason
    encounter.service_end_date = info.period_end_date or encounter.service_end_date


def _store_context(session: Session, encounter: Encounter, ctx: EncounterContext) -> list[Note]:
    _store_header(encounter, ctx)
    existing = {(n.resource_type, n.resource_id): n for n in encounter.notes}
    purge = datetime.now(UTC) + NOTE_RETENTION
    kept: list[Note] = []
    for index, clinical in enumerate(ctx.notes):
        # A contained or id-less document still needs a key of its own within the encounter.
        key = (clinical.resource_type, clinical.resource_id or f"#{index}")
        note = existing.pop(key, None) or Note(encounter=encounter, resource_type=key[0], resource_id=key[1], text="")
        note.kind, note.title, note.author = clinical.type_text, clinical.title, clinical.author
        note.note_date, note.content_type, note.text = _parse_date(clinical.date), clinical.content_type, clinical.text
        note.purge_after, note.purged_at = purge, None
        session.add(note)
        kept.append(note)
    for gone in existing.values():
        session.delete(gone)
    session.flush()
    return kept


def _demographics(ctx: EncounterContext) -> Demographics | None:
    p = ctx.patient
    if p is None:
        return None
    return Demographics(names=tuple(p.names) + tuple(p.given) + ((p.family,) if p.family else ()),
                        birth_date=p.birth_date.isoformat() if p.birth_date else None,
                        identifiers=p.identifiers, phones=p.phones, emails=p.emails, addresses=p.addresses)


def execute(session: Session, runtime: Runtime, run_id: int) -> None:
    """Code one run with the runtime's engine settings; the run's own engine name (chosen when it was
    queued) wins over theirs."""
    engine_settings = runtime.settings.engine_settings()
    loaded = runnable(session, run_id)
    if loaded is None:
        return
    run, encounter = loaded
    if encounter.source == EncounterSource.FILE_UPLOAD:
        # An uploaded note is coded from its stored text, whoever queued the run ("Re-run" included).
        return upload_coding.code_stored_notes(session, run, encounter, engine_settings)
    start_run(session, run)
    started = time.perf_counter()
    actor = acting(session.get(User, run.requested_by_id), encounter.organization_id) if run.requested_by_id else None
    launch = session.get(LaunchSession, run.launch_session_id) if run.launch_session_id else None
    ctx: EncounterContext | None = None
    try:
        client = runtime.ehr.for_coding(session, encounter, launch, actor)
        session.commit()   # a refreshed grant is kept, and no write stays open while the EHR is read
        ctx = fetch_encounter_context(client, encounter.fhir_encounter_id or "", patient_id=encounter.fhir_patient_id)
        fetched = time.perf_counter()
        notes = _store_context(session, encounter, ctx)   # the header too, committed with the result
        if not notes:
            raise _NoNotes([_skipped_text(d) for d in ctx.skipped])
        result = run_pipeline([NoteInput(str(n.id), n.text, n.title, n.kind) for n in notes],
                              _demographics(ctx), settings=replace(engine_settings, engine=run.engine),
                              setting=encounter_setting(ctx.encounter.class_code, ctx.encounter.type_text))
    except RelaunchRequired as err:
        return _fail(session, run, encounter, err.user_message, ctx)
    except FhirError as err:
        return _fail(session, run, encounter, f"The EHR could not be read: {err.user_message}", ctx)
    except _NoNotes as err:
        if err.skipped:  # there were documents, none readable: say which and why
            return _fail(session, run, encounter, "None of this encounter's documents could be read: "
                         + "; ".join(err.skipped), ctx)
        return _fail(session, run, encounter, "The EHR has no clinical notes for this encounter yet, so there "
                     "is nothing to code. Re-run coding once the note is signed.", ctx)
    store_result(session, run, encounter, result,
                 warnings=[_skipped_text(d) for d in ctx.skipped],
                 timings={"fhir_ms": round((fetched - started) * 1000, 1), "fhir_requests": ctx.requests_made,
                          "total_ms": round((time.perf_counter() - started) * 1000, 1)})


def execute_batch(session: Session, runtime: Runtime, run_ids: Sequence[int]) -> None:
    """Code several runs one after another, each exactly as `execute` codes it alone: its own commits,
    its own result or failure (the sync page's progress moves per encounter). Run again after a worker
    died mid-batch, the finished runs are left alone (`runnable`) and the interrupted one is coded again.

    An unexpected error in one run ends only that run's attempt: it is handed to recovery under a job id
    of its own (smartapp/recovery.py queues it alone, as it would a failed single job) and the batch goes
    on. A time limit reached ends the batch (what is left is recovery's, as for any job that timed out)."""
    for run_id in run_ids:
        try:
            execute(session, runtime, run_id)
        except JobTimeoutException:
            raise
        except Exception:   # noqa: BLE001 - one bad encounter must not fail the others in its batch
            log.exception("coding run %s failed in its batch", run_id)
            session.rollback()
            _hand_to_recovery(session, run_id)


def _hand_to_recovery(session: Session, run_id: int) -> None:
    run = session.get(CodingRun, run_id)
    if run is not None and run.status in (RunStatus.PENDING, RunStatus.RUNNING):
        run.job_id = job_id_for(run)   # no such job is live: recovery queues the run alone
        session.commit()


class _NoNotes(Exception):
    def __init__(self, skipped: list[str]) -> None:
        super().__init__("no readable notes")
        self.skipped = skipped


def _skipped_text(doc: SkippedDocument) -> str:
    """What the review page says about a document it could not use (never its text)."""
    if doc.resource_id is None:
        return f"Some {doc.resource_type} documents were not read: {doc.reason}"
    return f"{doc.resource_type}/{doc.resource_id} skipped: {doc.reason}"


def _fail(session: Session, run: CodingRun, encounter: Encounter, message: str,
          ctx: EncounterContext | None) -> None:
    """The run failed; what the EHR said about the visit (date, provider, type, patient banner) is kept
    all the same: the failure's rollback must not blank the header the page had shown."""
    fail_run(session, run, encounter, message, keep=(lambda: _store_header(encounter, ctx)) if ctx else None)

