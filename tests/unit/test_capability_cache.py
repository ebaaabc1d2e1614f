"""The CapabilityStatement is read once per EHR per few minutes by the clients a worker builds (one per
job), not once per job; a write-back decision reads it afresh, and a statement that changed is then
what the next jobs see."""

from __future__ import annotations

from smartapp.fhir.capabilities import CapabilityCache
from smartapp.fhir.client import FhirClient
from tests.support.json_server import json_server


def _statement(*types: str) -> dict[str, object]:
    return {"resourceType": "CapabilityStatement",
            "rest": [{"mode": "server", "resource": [{"type": t} for t in types]}]}


def test_clients_sharing_a_cache_read_the_statement_once_until_it_expires() -> None:
    now = [0.0]
    cache = CapabilityCache(ttl_s=300, clock=lambda: now[0])
    with json_server() as server:
        server.routes.update({"/fhir/metadata": (200, _statement("Encounter", "Claim"))})
        for _job in range(5):
            FhirClient(f"{server.url}/fhir", "t", capability_cache=cache).capabilities()
        assert server.hits.count("/fhir/metadata") == 1, "one read for five jobs"
        now[0] = 301.0
        FhirClient(f"{server.url}/fhir", "t", capability_cache=cache).capabilities()
        assert server.hits.count("/fhir/metadata") == 2, "read again once the cached copy expired"


def test_a_fresh_read_goes_to_the_server_and_refreshes_what_later_jobs_see() -> None:
    cache = CapabilityCache(ttl_s=300)
    with json_server() as server:
        server.routes.update({"/fhir/metadata": (200, _statement("Encounter", "Claim"))})
        base = f"{server.url}/fhir"
        FhirClient(base, "t", capability_cache=cache).capabilities()
        server.routes["/fhir/metadata"] = (200, _statement("Encounter"))   # the server dropped Claim
        fresh = FhirClient(base, "t", capability_cache=cache).capabilities(fresh=True)
        assert [r["type"] for r in fresh["rest"][0]["resource"]] == ["Encounter"]
        later = FhirClient(base, "t", capability_cache=cache).capabilities()
        assert later == fresh and server.hits.count("/fhir/metadata") == 2


def test_a_client_without_a_cache_reads_the_statement_itself() -> None:
    with json_server() as server:
        server.routes.update({"/fhir/metadata": (200, _statement("Encounter"))})
        for _job in range(2):
            FhirClient(f"{server.url}/fhir", "t").capabilities()
        assert server.hits.count("/fhir/metadata") == 2
