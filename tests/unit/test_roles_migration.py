"""The roles migration keeps what people had: an administrator (and read-only staff) stay as an
administrator's decision; clinician and coder, which only the kind of first sign-in gave, become the
registration's default and are recomputed at the next sign-in; a patient stays read-only. Down again,
each person keeps their most capable role. Tables that point at users (an encounter someone launched)
do not stop SQLite's table-copying migrations on the way."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from smartapp.migrate import alembic_config

BEFORE, AFTER = "5e0a1d2c9b47", "b7d41e9c3a52"
EARLIER = "5e1a7c9d3b40"   # before the OpenID identity migration, which copies `users` on SQLite


def test_roles_carry_over_both_ways(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'roles.db'}"
    config = alembic_config(url)
    command.upgrade(config, EARLIER)
    engine = sa.create_engine(url)
    people = [(1, "Practitioner/a", "ADMIN"), (2, "Practitioner/b", "CLINICIAN"), (3, "Practitioner/c", "CODER"),
              (4, "Practitioner/d", "READ_ONLY"), (5, "Patient/p1", "READ_ONLY")]
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (id, name, created_at, updated_at) "
                             "VALUES (1, 'Org', '2026-01-01', '2026-01-01')"))
        for uid, who, role in people:
            conn.execute(sa.text("INSERT INTO users (id, organization_id, issuer, fhir_user, display_name, role, "
                                 "created_at, updated_at) VALUES (:id, 1, 'https://ehr', :who, '', :role, "
                                 "'2026-01-01', '2026-01-01')"),
                         {"id": uid, "who": f"https://ehr/{who}", "role": role})
        conn.execute(sa.text("INSERT INTO encounters (id, organization_id, source, status, version, launched_by_id, "
                             "created_at, updated_at) VALUES (1, 1, 'FHIR', 'NEW', 1, 2, '2026-01-01', '2026-01-01')"))
    command.upgrade(config, AFTER)
    with engine.connect() as conn:
        grants = set(conn.execute(sa.text("SELECT user_id, role, source FROM user_roles")).all())
        assert conn.execute(sa.text("SELECT launched_by_id FROM encounters")).scalar() == 2
    assert grants == {(1, "ADMIN", "ADMIN"), (2, "CLINICIAN", "REGISTRATION"), (3, "CODER", "REGISTRATION"),
                      (4, "READ_ONLY", "ADMIN"), (5, "READ_ONLY", "REGISTRATION")}
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO user_roles (user_id, role, source, granted_at) "
                             "VALUES (2, 'CODER', 'EHR', '2026-01-02')"))
    command.downgrade(config, BEFORE)
    with engine.connect() as conn:
        roles = dict(conn.execute(sa.text("SELECT id, role FROM users")).all())
    assert roles == {1: "ADMIN", 2: "CODER", 3: "CODER", 4: "READ_ONLY", 5: "READ_ONLY"}
    engine.dispose()
