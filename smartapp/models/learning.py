"""Resets of what RevRX learned from an organisation's decisions: learning counts only decisions made
after the newest reset, so an administrator can start it over without deleting any decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from smartapp.models.base import Base, utcnow


class LearningReset(Base):
    __tablename__ = "learning_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    reset_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
