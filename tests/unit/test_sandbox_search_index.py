"""The sandbox's search index (sandbox/search_index.py): searches answer exactly what a scan of every
resource answers, writes keep the index current, and a store made before the index existed is indexed
when the sandbox starts."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sandbox.app import create_app
from sandbox.db import connect, transaction
from sandbox.search import find, matches, parse_search
from sandbox.store import ResourceStore

FHIR = "http://ehr.test/fhir"
QUERIES = [
    ("Encounter", [("patient", "p001")]),
    ("Encounter", [("patient", "Patient/p002"), ("status", "finished")]),
    ("Encounter", [("subject", f"{FHIR}/Patient/p003")]),
    ("Encounter", [("_id", "e001,e002,e050")]),
    ("Encounter", [("practitioner", "Practitioner/pr001")]),
    ("Encounter", [("date", "ge2024-01-01"), ("status", "finished")]),
    ("DocumentReference", [("encounter", "Encounter/e004")]),
    ("DocumentReference", [("encounter", "e004"), ("type", "http://loinc.org|11506-3")]),
    ("DocumentReference", [("type", "|11506-3")]),
    ("DocumentReference", [("type", "http://loinc.org|")]),
    ("Composition", [("encounter", "Encounter/e005")]),
    ("Patient", [("identifier", "urn:oid:1.2.36.146.595.217.0.1|12345")]),
    ("Patient", [("gender", "female"), ("name", "a")]),
    ("Patient", [("_id", "no-such-patient")]),
]


@pytest.fixture
def store(template_db: Path, tmp_path: Path) -> ResourceStore:
    db = tmp_path / "sandbox.db"
    shutil.copy(template_db, db)
    create_app(str(db), "http://ehr.test")
    return ResourceStore(connect(str(db)))


@pytest.mark.parametrize(("rtype", "pairs"), QUERIES)
def test_an_indexed_search_finds_what_a_scan_of_every_resource_finds(store: ResourceStore, rtype: str,
                                                                      pairs: list[tuple[str, str]]) -> None:
    req = parse_search(rtype, pairs)
    scanned = [r["id"] for r in store.all_of_type(rtype) if matches(r, req.criteria, FHIR)]
    assert [r["id"] for r in find(store, req, FHIR)] == scanned


def test_some_searches_match_something(store: ResourceStore) -> None:
    """The equivalence above is not vacuous: the seed data answers these searches."""
    assert find(store, parse_search("Encounter", [("patient", "p001")]), FHIR)
    assert find(store, parse_search("DocumentReference", [("encounter", "Encounter/e004")]), FHIR)


def test_an_update_moves_a_resource_in_the_index(store: ResourceStore) -> None:
    by_p001 = parse_search("Encounter", [("patient", "Patient/p001")])
    moved = find(store, by_p001, FHIR)[0]
    moved["subject"] = {"reference": "Patient/p002"}
    with transaction(store.conn, immediate=True):
        store.put(moved)
    assert moved["id"] not in [r["id"] for r in find(store, by_p001, FHIR)]
    by_p002 = parse_search("Encounter", [("patient", "Patient/p002")])
    assert moved["id"] in [r["id"] for r in find(store, by_p002, FHIR)]
    created = store.create({"resourceType": "Encounter", "status": "planned", "subject": {"reference": "Patient/p009"}})
    assert [r["id"] for r in find(store, parse_search("Encounter", [("patient", "p009"), ("status", "planned")]),
                                  FHIR)] == [created["id"]]


def test_a_store_made_before_the_index_is_indexed_when_the_sandbox_starts(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(template_db, db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE search_index")
    conn.execute("DELETE FROM settings WHERE key = 'search_index_version'")
    conn.commit()
    conn.close()
    create_app(str(db), "http://ehr.test")
    store = ResourceStore(connect(str(db)))
    assert [r["id"] for r in find(store, parse_search("Encounter", [("patient", "p001")]), FHIR)] == \
        [r["id"] for r in store.all_of_type("Encounter") if r["subject"]["reference"] == "Patient/p001"]
