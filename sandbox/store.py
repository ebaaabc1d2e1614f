"""The resource store: current versions of FHIR resources as JSON rows.

Only the current version of each resource is kept (the `version` column counts updates so that
`meta.versionId`, ETags and `_history/N` Locations are right); the sandbox has no history interaction.
Every write also writes the resource's rows of the search index (`search_index.py`) in the same
transaction, so a search loads only the resources that can match; `search.py` filters those in Python,
which keeps the search semantics in one readable place.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sandbox import search_index

Resource = dict[str, Any]


def now_instant() -> str:
    """A FHIR instant with millisecond precision in UTC."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


class ResourceStore:
    """Read and write resources through one sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def get(self, rtype: str, rid: str) -> Resource | None:
        row = self.conn.execute(
            "SELECT json FROM resources WHERE type = ? AND id = ?", (rtype, rid)
        ).fetchone()
        return json.loads(row["json"]) if row else None

    def all_of_type(self, rtype: str) -> list[Resource]:
        """Every resource of a type in creation order (seed ids are ordered; later writes append)."""
        rows = self.conn.execute(
            "SELECT json FROM resources WHERE type = ? ORDER BY rowid", (rtype,)
        ).fetchall()
        return [json.loads(row["json"]) for row in rows]

    def some_of_type(self, rtype: str, ids: Iterable[str]) -> list[Resource]:
        """The resources of a type with these ids, in creation order (unknown ids are left out)."""
        wanted = sorted(set(ids))
        rows: list[sqlite3.Row] = []
        for start in range(0, len(wanted), 500):   # SQLite's limit on bound parameters
            chunk = wanted[start:start + 500]
            rows += self.conn.execute(
                f"SELECT rowid, json FROM resources WHERE type = ? AND id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                (rtype, *chunk),
            ).fetchall()
        return [json.loads(row["json"]) for row in sorted(rows, key=lambda r: int(r["rowid"]))]

    def page_of_type(self, rtype: str, offset: int, count: int) -> list[Resource]:
        """One page of `all_of_type` read straight from the table (an unfiltered, unsorted search)."""
        rows = self.conn.execute(
            "SELECT json FROM resources WHERE type = ? ORDER BY rowid LIMIT ? OFFSET ?", (rtype, count, offset)
        ).fetchall()
        return [json.loads(row["json"]) for row in rows]

    def count(self, rtype: str | None = None) -> int:
        if rtype is None:
            row = self.conn.execute("SELECT COUNT(*) AS n FROM resources").fetchone()
        else:
            row = self.conn.execute(
                "SELECT COUNT(*) AS n FROM resources WHERE type = ?", (rtype,)
            ).fetchone()
        return int(row["n"])

    def create(self, resource: Resource, rid: str | None = None) -> Resource:
        """Insert a new resource (version 1); assigns an id unless one is given."""
        stored = dict(resource)
        stored["id"] = rid or new_id()
        self._write(stored, version=1, insert=True)
        return stored

    def put(self, resource: Resource) -> tuple[Resource, bool]:
        """Update in place (version + 1) or create with the given id; returns (resource, created)."""
        row = self.conn.execute(
            "SELECT version FROM resources WHERE type = ? AND id = ?",
            (resource["resourceType"], resource["id"]),
        ).fetchone()
        stored = dict(resource)
        if row is None:
            self._write(stored, version=1, insert=True)
            return stored, True
        self._write(stored, version=int(row["version"]) + 1, insert=False)
        return stored, False

    def insert_many(self, resources: Iterable[Resource]) -> int:
        """Bulk insert (seeding): one executemany inside the caller's transaction."""
        stamp = now_instant()
        batch = list(resources)
        for res in batch:
            res["meta"] = {"versionId": "1", "lastUpdated": stamp}
        self.conn.executemany(
            "INSERT INTO resources (type, id, version, last_updated, json) VALUES (?, ?, ?, ?, ?)",
            [(res["resourceType"], res["id"], 1, stamp, json.dumps(res)) for res in batch],
        )
        search_index.write(self.conn, batch)
        return len(batch)

    def delete_all(self) -> None:
        self.conn.execute("DELETE FROM resources")
        self.conn.execute("DELETE FROM search_index")

    def _write(self, resource: Resource, version: int, insert: bool) -> None:
        if not self.conn.in_transaction:   # the row and its index rows together, or neither
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._write(resource, version, insert)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return
        stamp = now_instant()
        meta = dict(resource.get("meta") or {})
        meta.update({"versionId": str(version), "lastUpdated": stamp})
        resource["meta"] = meta
        args = (version, stamp, json.dumps(resource), resource["resourceType"], resource["id"])
        if insert:
            self.conn.execute(
                "INSERT INTO resources (version, last_updated, json, type, id) VALUES (?, ?, ?, ?, ?)",
                args,
            )
        else:
            self.conn.execute(
                "UPDATE resources SET version = ?, last_updated = ?, json = ? WHERE type = ? AND id = ?",
                args,
            )
        search_index.write(self.conn, [resource], replace=not insert)
