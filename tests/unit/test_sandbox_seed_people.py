"""The sandbox's patients read like an EHR's: names capitalised, the gender the source gives."""

from __future__ import annotations

from sandbox.seed import build_resources
from sandbox.seed.source import load_notes


def _patients() -> list[dict]:
    return [r for r in build_resources(load_notes()) if r["resourceType"] == "Patient"]


def test_every_seeded_name_is_capitalised() -> None:
    patients = _patients()
    assert len(patients) > 50
    for p in patients:
        name = p["name"][0]
        for part in [name["family"], *name["given"]]:
            assert part[0].isupper(), name
            assert part == part.strip()
        assert name["text"] == f"{name['given'][0]} {name['family']}"


def test_genders_are_the_sources() -> None:
    records = {r.source_id: r for r in load_notes()}
    resources = build_resources(list(records.values()))
    patients = {p["id"]: p for p in resources if p["resourceType"] == "Patient"}
    compared = 0
    for enc in (r for r in resources if r["resourceType"] == "Encounter"):
        source = records[enc["identifier"][0]["value"]]
        patient = patients[enc["subject"]["reference"].split("/")[1]]
        expected = source.gender if source.gender in ("male", "female") else "unknown"
        assert patient["gender"] == expected, (source.source_id, source.gender)
        compared += 1
    assert compared == len(records)
    # "betty hill" is "female " (trailing space) in the metadata: still female, and capitalised.
    betty = [p for p in patients.values() if p["name"][0]["text"] == "Betty Hill"]
    assert betty and betty[0]["gender"] == "female"
