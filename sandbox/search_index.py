"""The search index: for each stored resource, the values of its token and reference search
parameters, one row each, so a search reads only the resources that can match instead of parsing
every resource of the type (issue 19: at 1,000 encounters every Encounter search and every
`_revinclude` parsed thousands of documents; 66 ms of sandbox CPU per synced encounter).

The index only narrows: `search.find` still checks every candidate with the full matching rules, so
search semantics stay in `search.py`. Rows are written in the same transaction as the resource
(`ResourceStore._write`, `insert_many`). A store created before the index existed is indexed once,
when the sandbox starts (`ensure_index`).

- token: `(system or "", code)` for each coding / identifier / code value.
- reference: `(type, id)` from the reference's last `Type/id` (relative, absolute or `_history`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from sandbox.search_params import SEARCH_PARAMS, SearchParam, values_at

Resource = dict[str, Any]

INDEX_VERSION = "1"
SETTING = "search_index_version"
SCHEMA = """
CREATE TABLE IF NOT EXISTS search_index (
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    param TEXT NOT NULL,
    system TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_index_value ON search_index(type, param, value);
CREATE INDEX IF NOT EXISTS search_index_resource ON search_index(type, id);
"""
IndexRow = tuple[str, str, str, str, str]


def indexable(param: SearchParam) -> bool:
    return param.kind in ("token", "reference")


def _token_keys(value: object) -> list[tuple[str, str]]:
    if isinstance(value, bool):
        return [("", str(value).lower())]
    if isinstance(value, str):
        return [("", value)]
    if not isinstance(value, dict):
        return []
    if "coding" in value:
        codings = value["coding"] if isinstance(value["coding"], list) else []
        return [k for coding in codings for k in _token_keys(coding)]
    code = value.get("code", value.get("value"))
    return [(str(value.get("system") or ""), str(code))] if code is not None else []


def reference_key(ref: str) -> tuple[str, str] | None:
    """('Patient', '1') for 'Patient/1', 'http://x/fhir/Patient/1' and 'Patient/1/_history/2'."""
    parts = [p for p in ref.split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    return ("", parts[0]) if parts else None


def keys_for(resource: Resource) -> list[IndexRow]:
    """The index rows of one resource."""
    rtype, rid = str(resource["resourceType"]), str(resource["id"])
    rows: set[IndexRow] = set()
    for param in SEARCH_PARAMS.get(rtype, {}).values():
        if not indexable(param):
            continue
        for path in param.paths:
            for value in values_at(resource, path):
                if param.kind == "token":
                    rows.update((rtype, rid, param.name, s, v) for s, v in _token_keys(value))
                elif isinstance(value, dict) and isinstance(value.get("reference"), str):
                    key = reference_key(value["reference"])
                    if key is not None:
                        rows.add((rtype, rid, param.name, *key))
    return sorted(rows)


def write(conn: sqlite3.Connection, resources: Iterable[Resource], replace: bool = False) -> None:
    """Index `resources` (dropping their old rows first when `replace`)."""
    batch = list(resources)
    if replace:
        conn.executemany("DELETE FROM search_index WHERE type = ? AND id = ?",
                         [(r["resourceType"], r["id"]) for r in batch])
    conn.executemany("INSERT INTO search_index (type, id, param, system, value) VALUES (?, ?, ?, ?, ?)",
                     [row for r in batch for row in keys_for(r)])


def ensure_index(conn: sqlite3.Connection) -> int:
    """Create the index table, and (re)build it when the store predates this index version; returns
    how many resources were indexed (0 when it was current)."""
    conn.executescript(SCHEMA)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    if row is not None and row[0] == INDEX_VERSION:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
        if row is not None and row[0] == INDEX_VERSION:   # another process built it meanwhile
            conn.execute("COMMIT")
            return 0
        conn.execute("DELETE FROM search_index")
        resources = [json.loads(r[0]) for r in conn.execute("SELECT json FROM resources")]
        write(conn, resources)
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (SETTING, INDEX_VERSION))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return len(resources)


def token_candidates(conn: sqlite3.Connection, rtype: str, param: str, query: str) -> set[str]:
    """Ids whose `param` may match the token query `code`, `system|code`, `|code` or `system|`."""
    system, bar, code = query.rpartition("|")
    sql, args = "SELECT id FROM search_index WHERE type = ? AND param = ?", [rtype, param]
    if code:
        sql, args = sql + " AND value = ?", [*args, code]
    if bar:
        sql, args = sql + " AND system = ?", [*args, system]
    return {r[0] for r in conn.execute(sql, args)}


def reference_candidates(conn: sqlite3.Connection, rtype: str, param: str, query: str) -> set[str]:
    """Ids whose reference `param` may point at `query` ('Type/id', an absolute URL, or a bare id)."""
    key = reference_key(query)
    if key is None:
        return set()
    target, rid = key
    sql, args = "SELECT id FROM search_index WHERE type = ? AND param = ? AND value = ?", [rtype, param, rid]
    if target:
        sql, args = sql + " AND system = ?", [*args, target]
    return {r[0] for r in conn.execute(sql, args)}


def referring(conn: sqlite3.Connection, source: str, param: str, targets: Iterable[tuple[str, str]]) -> set[str]:
    """Ids of `source` resources whose `param` points at any of `targets` ((type, id) pairs)."""
    found: set[str] = set()
    for target, rid in targets:
        found.update(r[0] for r in conn.execute(
            "SELECT id FROM search_index WHERE type = ? AND param = ? AND value = ? AND system = ?",
            (source, param, rid, target)))
    return found
