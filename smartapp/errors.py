"""Errors meant for people: a title, a plain-words message and the HTTP status to answer with."""

from __future__ import annotations

# Answer to a request that would queue work while Redis is down: refused before anything changed.
QUEUE_DOWN = ("The job queue is not reachable right now, so nothing was changed. Try again in a minute; "
              "work already saved is queued again automatically when the queue is back.")
RETRY_AFTER_S = "30"


class UserFacingError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(f"{status} {title}")
        self.status = status
        self.title = title
        self.message = message
