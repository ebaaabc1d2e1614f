"""The memberships migration (issue 17 item 5): every existing person becomes a member of the
organisation they were in, their roles are held there, and their API tokens act there; down again,
the roles of their own organisation are kept. (PostgreSQL runs the same migration for every
TEST_DATABASE_URL session.)"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from smartapp.migrate import alembic_config

AFTER = "6a9e2c4f1d58"


def test_people_keep_their_organisation_roles_and_tokens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'members.db'}"
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision(AFTER).down_revision
    assert isinstance(before, str)
    command.upgrade(config, before)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for oid in (1, 2):
            conn.execute(sa.text("INSERT INTO organizations (id, name, created_at, updated_at) "
                                 "VALUES (:id, :name, '2026-01-01', '2026-01-01')"), {"id": oid, "name": f"Org {oid}"})
        for uid, oid, role in ((1, 1, "ADMIN"), (2, 2, "CODER")):
            conn.execute(sa.text("INSERT INTO users (id, organization_id, issuer, fhir_user, display_name, active, "
                                 "created_at, updated_at) VALUES (:id, :org, 'https://ehr', :who, '', 1, "
                                 "'2026-01-01', '2026-01-01')"), {"id": uid, "org": oid, "who": f"https://ehr/P/{uid}"})
            conn.execute(sa.text("INSERT INTO user_roles (user_id, role, source, granted_at) "
                                 "VALUES (:id, :role, 'ADMIN', '2026-01-01')"), {"id": uid, "role": role})
        conn.execute(sa.text("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, updated_at) "
                             "VALUES (1, 2, 'script', :h, '2026-01-01', '2026-01-01')"), {"h": "0" * 64})
    command.upgrade(config, AFTER)
    with engine.connect() as conn:
        assert set(conn.execute(sa.text("SELECT user_id, organization_id FROM memberships")).all()) == {(1, 1), (2, 2)}
        assert set(conn.execute(sa.text("SELECT user_id, organization_id, role FROM user_roles")).all()) == {
            (1, 1, "ADMIN"), (2, 2, "CODER")}
        assert conn.execute(sa.text("SELECT organization_id FROM api_tokens")).scalar() == 2
    with engine.begin() as conn:   # person 2 invited into organisation 1 as read-only: dropped on the way down
        conn.execute(sa.text("INSERT INTO memberships (user_id, organization_id, joined_at) "
                             "VALUES (2, 1, '2026-01-02')"))
        conn.execute(sa.text("INSERT INTO user_roles (user_id, organization_id, role, source, granted_at) "
                             "VALUES (2, 1, 'READ_ONLY', 'ADMIN', '2026-01-02')"))
    command.downgrade(config, before)
    with engine.connect() as conn:
        assert set(conn.execute(sa.text("SELECT user_id, role FROM user_roles")).all()) == {(1, "ADMIN"), (2, "CODER")}
    engine.dispose()
