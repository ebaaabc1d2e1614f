"""Once a coding run has been written back, its decisions are locked: the EHR holds what was approved,
and a change here would silently disagree with it. Re-running coding starts a new, unlocked run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.models import ClaimSubmission, CodingRun, SubmissionStatus

DONE = tuple(s for s in SubmissionStatus if s.written_back)
LOCKED_MESSAGE = ("These codes were written back to the EHR and are now read-only. Re-run coding to "
                  "review the encounter again.")


def written_back(session: Session, run: CodingRun | None) -> ClaimSubmission | None:
    """The successful submission of `run`, if any."""
    if run is None:
        return None
    return session.scalar(
        select(ClaimSubmission).where(ClaimSubmission.run_id == run.id, ClaimSubmission.status.in_(DONE)).limit(1)
    )


def is_locked(session: Session, run: CodingRun | None) -> bool:
    return written_back(session, run) is not None
