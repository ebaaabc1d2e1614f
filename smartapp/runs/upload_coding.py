"""Coding an uploaded note: the same pipeline and storage as EHR encounters, from the stored text.

There is no EHR to read: the note was extracted at upload time and is stored encrypted. No patient
demographics are known: PHI redaction takes the patient's name from the document's own header lines,
and the provider named in the metadata extracted at upload is a deny list too (see
smartapp.coding.phi). Safe to run twice: a finished run is left alone.
"""

from __future__ import annotations

import time
from dataclasses import replace

from sqlalchemy.orm import Session

from smartapp.coding.engines import EngineSettings
from smartapp.coding.phi_names import known_names
from smartapp.coding.pipeline import run as run_pipeline
from smartapp.coding.types import Demographics, NoteInput
from smartapp.models import CodingRun, Encounter, User
from smartapp.runs.requests import queue_new_run
from smartapp.runs.results import fail_run, runnable, start_run, store_result

JOB = "workers.jobs.code_upload"


def request_upload_coding(session: Session, encounter: Encounter, *, user: User | None, engine: str) -> CodingRun:
    """A new coding run for the encounter, queued once (the job id comes from the run id)."""
    return queue_new_run(session, encounter, user=user, engine=engine, job=JOB)


def execute(session: Session, run_id: int, engine_settings: EngineSettings) -> None:
    loaded = runnable(session, run_id)
    if loaded is not None:
        code_stored_notes(session, *loaded, engine_settings)


def code_stored_notes(session: Session, run: CodingRun, encounter: Encounter, engine_settings: EngineSettings) -> None:
    """Code an uploaded note from its stored text (no EHR to read), with the run's own engine."""
    start_run(session, run)
    started = time.perf_counter()
    notes = [n for n in encounter.notes if n.text.strip()]
    if not notes:
        return fail_run(session, run, encounter, "The uploaded file has no note text to code. Upload it again.")
    people = known_names(encounter.provider_name, *(n.author for n in notes))
    result = run_pipeline([NoteInput(str(n.id), n.text, n.title, n.kind) for n in notes],
                          Demographics(names=people) if people else None,
                          settings=replace(engine_settings, engine=run.engine))
    store_result(session, run, encounter, result, warnings=[],
                 timings={"total_ms": round((time.perf_counter() - started) * 1000, 1)})
