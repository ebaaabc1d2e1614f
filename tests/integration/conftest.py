"""Integration fixtures shared across modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.devstack import Stack
from tests.support.smart_launcher import Launcher


@pytest.fixture()
def launcher(stack: Stack) -> Iterator[Launcher]:
    """Drives SMART launches against the shared stack; clears any sandbox fault it set."""
    made = Launcher(stack)
    try:
        yield made
    finally:
        made.faults(None)
