"""Every note shape the sandbox EHR serves, read by the FHIR library over real HTTP, on a server with
`_revinclude`, one with only `batch`, and one with neither (plus a page-size cap that forces paging).

Each shape is checked against the ACI-BENCH note it was built from: the text must survive the
format (plain, HTML, XHTML, RTF, PDF, cp1252) with its words, and the bad documents must be skipped
with a reason while the good ones are kept.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from devstack.sandbox_process import SandboxProcess
from sandbox.seed.shapes import ADDENDUM, CP1252_LINE
from sandbox.seed.source import load_notes
from smartapp.fhir.client import FhirClient
from smartapp.fhir.context import EncounterContext, fetch_encounter_context
from smartapp.fhir.records import AccessRecord

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db, pytest.mark.usefixtures("no_faults")]

MODES = {
    "revinclude": {},
    "batch": {"no_revinclude": True},
    "separate": {"no_revinclude": True, "no_batch": True},
}


@pytest.fixture(scope="module")
def source_notes() -> list[str]:
    return [record.note for record in load_notes()]


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


def faithful(extracted: str, original: str) -> float:
    """Share of the original's words that survived extraction."""
    wanted = words(original)
    return len(wanted & words(extracted)) / len(wanted)



def patient_of(sandbox: SandboxProcess, token: str, encounter: str) -> str:
    """The encounter's patient, as the coding job knows it from the launch (it lets note searches batch)."""
    # Through the admin view: no fault switch or token applies there, so the test's faults stay armed.
    found = requests.get(f"{sandbox.base_url}/_admin/resources/Encounter", timeout=10).json()
    return str(next(e for e in found if e["id"] == encounter)["subject"]["reference"]).split("/")[-1]

def fetch(sandbox: SandboxProcess, token: str, encounter: str, mode: str = "revinclude",
          **switches: Any) -> tuple[EncounterContext, list[AccessRecord]]:
    requests.delete(f"{sandbox.base_url}/_admin/faults", timeout=5).raise_for_status()
    requests.post(f"{sandbox.base_url}/_admin/faults", json={**MODES[mode], **switches}, timeout=5).raise_for_status()
    records: list[AccessRecord] = []
    ctx = fetch_encounter_context(FhirClient(sandbox.fhir_base, token, on_access=records.append), encounter,
                                  patient_id=patient_of(sandbox, token, encounter))
    assert ctx.strategy == mode
    return ctx, records


def single_note(ctx: EncounterContext) -> str:
    assert len(ctx.notes) == 1, [(n.resource_type, n.resource_id) for n in ctx.notes]
    return ctx.notes[0].text


def skipped(ctx: EncounterContext) -> dict[str | None, str]:
    return {s.resource_id: s.reason for s in ctx.skipped}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize(
    ("encounter", "content_type", "resource_type"),
    [
        ("e001", "text/html", "Composition"),  # XHTML sections
        ("e002", "text/plain", "DocumentReference"),  # inline base64
        ("e060", "text/plain", "DocumentReference"),  # Binary behind attachment.url
        ("e061", "text/html", "DocumentReference"),
        ("e062", "text/html", "DocumentReference"),  # Binary
        ("e063", "text/rtf", "DocumentReference"),
        ("e064", "text/rtf", "DocumentReference"),  # Binary, declared application/rtf
        ("e065", "application/pdf", "DocumentReference"),  # Binary, a real PDF
        ("e067", "text/plain", "DiagnosticReport"),  # presentedForm inline
        ("e068", "application/pdf", "DiagnosticReport"),  # presentedForm → Binary PDF
        ("e076", "text/html", "DocumentReference"),  # application/xhtml+xml
    ],
)
def test_every_format_keeps_the_words_of_the_note(
    sandbox: SandboxProcess, token: str, source_notes: list[str], mode: str, encounter: str, content_type: str,
    resource_type: str,
) -> None:
    ctx, _ = fetch(sandbox, token, encounter, mode)
    text = single_note(ctx)
    note = ctx.notes[0]
    assert (note.resource_type, note.content_type) == (resource_type, content_type)
    assert faithful(text, source_notes[int(encounter[1:]) - 1]) > 0.97
    assert not re.search(r"<[a-z/!?]|\\rtf|\\par\b|%PDF|font-size", text), "markup must not reach the coder"
    assert note.author and note.date and note.title
    assert ctx.skipped == []


def test_several_attachments_of_one_document_read_the_best_one_only(sandbox: SandboxProcess, token: str) -> None:
    ctx, records = fetch(sandbox, token, "e066")
    assert ctx.notes[0].content_type == "text/plain" and len(single_note(ctx)) > 1000
    binaries = {r.resource_id for r in records if r.resource_type == "Binary"}
    assert binaries == {"bin066-txt"}, "the PDF rendition is never downloaded when plain text exists"


def test_cp1252_bytes_declared_as_windows_1252_decode_correctly(sandbox: SandboxProcess, token: str) -> None:
    ctx, _ = fetch(sandbox, token, "e071")
    assert single_note(ctx).startswith(CP1252_LINE)


def test_binary_read_honours_accept(sandbox: SandboxProcess, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    raw = requests.get(f"{sandbox.fhir_base}/Binary/bin071", headers={**headers, "Accept": "text/plain"}, timeout=5)
    assert raw.headers["Content-Type"] == "text/plain; charset=windows-1252"
    assert raw.content.decode("cp1252").startswith(CP1252_LINE)
    as_json = requests.get(f"{sandbox.fhir_base}/Binary/bin071",
                           headers={**headers, "Accept": "application/fhir+json"}, timeout=5)
    assert as_json.json()["resourceType"] == "Binary" and as_json.json()["contentType"].startswith("text/plain")
    content = FhirClient(sandbox.fhir_base, token).read_binary("Binary/bin071", "application/fhir+json")
    assert content.data.decode("cp1252").startswith(CP1252_LINE)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize(
    ("encounter", "bad_id", "reason", "hidden"),
    [
        ("e069", "dr069-eie", "entered-in-error", "WRONG PATIENT"),
        ("e070", "dr070-draft", "replaced by a newer version", "PRELIMINARY DRAFT"),
        ("e072", "dr072-bad", "not valid base64", None),
        ("e073", "dr073-lost", "could not find", None),
        ("e074", "dr074-scan", "unsupported content type image/jpeg", None),
        ("e077", "dr077-remote", "files.example.invalid", None),
    ],
)
def test_a_bad_document_is_skipped_with_its_reason_and_the_note_kept(
    sandbox: SandboxProcess, token: str, mode: str, encounter: str, bad_id: str, reason: str, hidden: str | None
) -> None:
    ctx, _ = fetch(sandbox, token, encounter, mode)
    assert [n.resource_id for n in ctx.notes] == [f"dr{encounter[1:]}"]
    assert len(ctx.notes[0].text) > 500
    assert reason in skipped(ctx)[bad_id]
    assert set(skipped(ctx)) == {bad_id}
    if hidden:
        assert hidden not in ctx.notes[0].text


def test_attachment_on_a_foreign_host_is_refused_not_fetched(sandbox: SandboxProcess, token: str) -> None:
    ctx, records = fetch(sandbox, token, "e077")
    assert "not allowed to download" in skipped(ctx)["dr077-remote"]
    assert not [r for r in records if r.resource_type == "Binary"]  # nothing was requested, so nothing read


@pytest.mark.parametrize("mode", ["batch", "separate"])
def test_paging_collects_every_note_when_the_server_caps_page_size(
    sandbox: SandboxProcess, token: str, mode: str
) -> None:
    expected = [d["id"] for d in requests.get(f"{sandbox.base_url}/_admin/resources/DocumentReference", timeout=5)
                .json() if d["id"].startswith("dr075-")]
    assert len(expected) >= 4
    ctx, _ = fetch(sandbox, token, "e075", mode, page_size=2)
    assert sorted(n.resource_id or "" for n in ctx.notes) == sorted(expected)
    unpaged, _ = fetch(sandbox, token, "e075", mode)
    assert ctx.requests_made >= unpaged.requests_made + (len(expected) - 1) // 2  # one more request per page


def test_revinclude_launch_reads_everything_in_three_rounds(sandbox: SandboxProcess, token: str) -> None:
    ctx, records = fetch(sandbox, token, "e078")
    assert ctx.patient is not None and ctx.practitioner is not None and ctx.coverage is not None
    assert {n.resource_id for n in ctx.notes} == {"dr078", "dr078-addendum"}
    assert any(n.text == ADDENDUM for n in ctx.notes)
    # metadata, one Encounter search with _include/_revinclude, then Coverage and the Binary together
    assert ctx.requests_made == 4
    audited = {(r.resource_type, r.resource_id) for r in records}
    assert {("Encounter", "e078"), ("DocumentReference", "dr078"), ("Binary", "bin078")} <= audited
