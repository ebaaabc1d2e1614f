"""Queries that services and views share (the latest coding run of an encounter, and friends)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.models.coding import CodingRun


def latest_run(session: Session, encounter_id: int) -> CodingRun | None:
    """The encounter's newest coding run (the one the review page shows), or None before the first."""
    return session.scalar(
        select(CodingRun).where(CodingRun.encounter_id == encounter_id).order_by(CodingRun.id.desc()).limit(1)
    )
