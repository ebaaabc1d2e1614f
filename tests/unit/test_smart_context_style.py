"""Launch context from the token response, and the EHR's style turned into safe CSS variables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartapp.smart import style
from smartapp.smart.context import parse_context
from tests.support.json_server import JsonServer, json_server


def test_context_keys_and_unknown_ones_ignored() -> None:
    ctx = parse_context({"patient": "p1", "encounter": "e1", "need_patient_banner": "false", "intent": "reconcile",
                         "tenant": "t9", "smart_style_url": "https://ehr/style", "something_new": {"x": 1},
                         "fhirContext": [{"reference": "DocumentReference/d1"}, "junk"]})
    assert (ctx.patient, ctx.encounter, ctx.need_patient_banner, ctx.intent, ctx.tenant) == ("p1", "e1", False,
                                                                                            "reconcile", "t9")
    assert ctx.fhir_context == [{"reference": "DocumentReference/d1"}]
    assert parse_context({"need_patient_banner": True}).need_patient_banner is True


def test_encounter_from_fhir_context_only() -> None:
    ctx = parse_context({"patient": "p1", "fhirContext": [{"reference": "Encounter/e9"}]})
    assert ctx.encounter == "e9"


def test_css_variables_are_mapped_and_sanitized() -> None:
    found = style.css_variables({
        "color_highlight": "#2f6fdb", "font_family_body": "'Segoe UI', sans-serif", "dim_border_radius": "6px",
        "color_text": "red; } body { display:none", "color_error": "url(https://evil/x.png)",
        "Bad-Key": "#000", "nested": {"a": 1},
    })
    assert found["--brand"] == "#2f6fdb" and found["--smart-color-highlight"] == "#2f6fdb"
    assert found["--font"] == "Segoe UI, sans-serif", "unquoted: quotes would be escaped inside <style>"
    assert found["--radius"] == "6px"
    assert "--ink" not in found and "--bad" not in found and len(found) == 6


@pytest.fixture()
def ehr() -> Iterator[JsonServer]:
    style.clear_cache()
    with json_server() as server:
        yield server
    style.clear_cache()


def test_style_is_fetched_once_from_the_ehr_origin_only(ehr: JsonServer) -> None:
    ehr.routes["/style.json"] = (200, {"color_background": "#fafafa"})
    url = f"{ehr.url}/style.json"
    assert style.style_vars(url, f"{ehr.url}/fhir") == {"--smart-color-background": "#fafafa", "--bg": "#fafafa"}
    assert style.style_vars(url, f"{ehr.url}/fhir") and ehr.hits == ["/style.json"], "cached"
    assert style.style_vars(url, "https://another-ehr.example/fhir") == {}, "not the launching EHR's origin"
    assert style.style_vars(f"{ehr.url}/missing.json", f"{ehr.url}/fhir") == {}
