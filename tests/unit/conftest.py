"""Unit-test fixtures shared across modules."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from tests.support.review_data import Seeded, seed

SANDBOX_BASE = "http://ehr.test"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded sandbox EHR database, made once per run; tests copy it (seeding each time is slow)."""
    from sandbox.app import create_app

    path = tmp_path_factory.mktemp("sandbox") / "template.db"
    create_app(str(path), SANDBOX_BASE)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture()
def seeded(app: Flask) -> Seeded:
    """An organization with a user of every role and one coded encounter (tests/support/review_data.py)."""
    return seed(app)
