"""Signed-in browser sessions, kept server-side so they can be ended: the signed cookie only names one
(by a random id, stored here as its SHA-256), and a cookie whose row is revoked or expired signs nobody in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartapp.models.base import Base, utcnow
from smartapp.models.people import User


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)   # the person's last request (not polling)
    revoked_at: Mapped[datetime | None]
    # logout, role-change, deactivated, idle, expired
    revoked_why: Mapped[str | None] = mapped_column(String(30))

    user: Mapped[User] = relationship()
