"""Everything a worker loads once, before its first job, so no job pays for it (and none is slower than
the rest): the job modules and what they import, the ORM's mappers, the code sets and term indexes of
the local engine, the FHIR models write-back validates with, and one database connection.

Then `gc.freeze()`: the hundreds of thousands of long-lived objects made here (code sets, indexes,
modules) move to a permanent generation the collector never scans again. Without it, a worker could
start in a state where the collector ran a full collection over all of them during every job
(~245 ms each; seen in 3-4 of 14 start-ups, issue 19); with it, a job's collections see only the job's
own objects.
"""

from __future__ import annotations

import gc
import importlib
import logging
import time

from sqlalchemy import text
from sqlalchemy.orm import configure_mappers

log = logging.getLogger(__name__)

# Imported for their side effects (module-level tables, compiled patterns, pydantic models).
MODULES = ("workers.jobs", "fhir.resources.R4B.claim", "fhir.resources.R4B.documentreference",
           "fhir.resources.R4B.condition", "fhir.resources.R4B.chargeitem")


def warm_up() -> float:
    """Load what every job needs, then freeze the heap; returns the seconds it took."""
    started = time.perf_counter()
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:   # an optional model missing from this fhir.resources: loaded by the job
            log.info("warm-up: %s not importable", name)
    configure_mappers()
    from smartapp.coding.engines import EngineSettings
    from smartapp.coding.pipeline import run
    from smartapp.coding.types import NoteInput

    run([NoteInput("warm-up", "Assessment: essential hypertension. Plan: lisinopril 10 mg daily.")],
        settings=EngineSettings(engine="local"))
    from smartapp.extensions import db

    try:
        db.session.execute(text("SELECT 1"))   # the pool's one connection, opened now
    finally:
        db.remove()
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started
