"""Errors meant for people: a title, a plain-words message and the HTTP status to answer with."""

from __future__ import annotations


class UserFacingError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(f"{status} {title}")
        self.status = status
        self.title = title
        self.message = message
