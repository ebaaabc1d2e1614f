"""A coding run over an encounter's notes and the code suggestions it produced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, Timestamped
from smartapp.models.enums import Decision, RunStatus


class CodingRun(Timestamped, Base):
    __tablename__ = "coding_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    launch_session_id: Mapped[int | None] = mapped_column(ForeignKey("launch_sessions.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[RunStatus] = mapped_column(default=RunStatus.PENDING)
    engine: Mapped[str] = mapped_column(String(50), default="local")
    engine_version: Mapped[str | None] = mapped_column(String(200))   # "openai:<model>; <code set version>"
    job_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    timings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)  # e.g. documents skipped, never text

    suggestions: Mapped[list[Suggestion]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Suggestion.rank"
    )


class Suggestion(Timestamped, Base):
    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("coding_runs.id", ondelete="CASCADE"), index=True)
    system: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(20))
    display: Mapped[str] = mapped_column(String(500), default="")
    category: Mapped[str] = mapped_column(String(20), default="diagnosis")   # diagnosis, em, procedure
    rank: Mapped[int] = mapped_column(default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    assertion: Mapped[str] = mapped_column(String(20), default="present")
    rationale: Mapped[str] = mapped_column(String(500), default="")
    hint: Mapped[str | None] = mapped_column(String(300))
    # Units of a service line: 90472 per further vaccine, 90461 per component, 99292 / 99417 per time block.
    quantity: Mapped[int] = mapped_column(default=1, server_default="1")
    # Offsets into notes (note id, start, end): the quote is read from the encrypted note, never copied.
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(20), default="engine")   # engine or user
    original_code: Mapped[str | None] = mapped_column(String(20))       # set when a person changed the code
    decision: Mapped[Decision] = mapped_column(default=Decision.PENDING)
    decision_reason: Mapped[str | None] = mapped_column(String(300))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    # Set when the organisation's past decisions changed this suggestion's place or added advice (the
    # review page's "why is this here?"): {"kind": "usually_rejected" | "usually_chosen", ...}
    learned: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    run: Mapped[CodingRun] = relationship(back_populates="suggestions")
