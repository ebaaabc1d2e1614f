"""OpenAI engine against a local HTTP server speaking the chat completions API: what is sent, and
what comes back. (openai 3.x sends through its own ``httpx2`` transport, which respx cannot see, so a
real socket is the honest fake here.)"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from smartapp.coding.engines import EngineSettings
from smartapp.coding.pipeline import run
from smartapp.coding.types import Demographics, NoteInput
from tests.support.json_server import JsonServer, json_server

DEMO = Demographics(names=("Walter Hartwell White",), birth_date="1958-09-07", identifiers=("MRN-558231",),
                    phones=("505-148-3369",))
NOTE = ("Patient: Walter White  DOB: 09/07/1958  MRN-558231  Phone 505-148-3369\n"
        "HPI: Mr. White reports fatigue. He denies chest pain.\n"
        "Assessment and plan:\n"
        "1. Type 2 diabetes mellitus without complications. Continue metformin 500 mg.\n"
        "2. Essential hypertension, stable.\n")
REPLY = [
    {"code": "E11.9", "quote": "Type 2 diabetes mellitus without complications", "assertion": "present",
     "confidence": 0.95, "rationale": "documented"},
    {"code": "I10", "quote": "Essential  hypertension", "assertion": "present", "confidence": 0.9,
     "rationale": "documented"},
    {"code": "R07.9", "quote": "chest pain", "assertion": "negated", "confidence": 0.9, "rationale": "denied"},
    {"code": "Q99.999", "quote": "fatigue", "assertion": "present", "confidence": 0.5, "rationale": "bogus"},
    {"code": "J45.909", "quote": "asthma since childhood", "assertion": "present", "confidence": 0.5,
     "rationale": "invented quote"},
]


def _completion(codes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-test",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps({"codes": codes})}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


COMPLETIONS = "/v1/chat/completions"


def _answer(server: JsonServer, reply: dict[str, Any]) -> None:
    server.routes[COMPLETIONS] = (200, reply)


def _fail(server: JsonServer) -> None:
    server.routes[COMPLETIONS] = (500, {"error": {"message": "boom"}})


@pytest.fixture()
def llm() -> Iterator[tuple[JsonServer, str]]:
    """The API at `base`; every request body is in `server.posted`."""
    with json_server() as server:
        yield server, f"{server.url}/v1"


def _settings(base: str, **kw: Any) -> EngineSettings:
    opts: dict[str, Any] = {"engine": "openai", "openai_api_key": "sk-test", "openai_model": "gpt-test",
                            "openai_retries": 0, "openai_timeout": 5.0}
    opts.update(kw)
    return EngineSettings(openai_base_url=base, **opts)


def test_openai_engine_sends_only_redacted_text_and_validates_the_answer(llm: tuple[JsonServer, str]) -> None:
    fake, base = llm
    _answer(fake, _completion(REPLY))
    result = run([NoteInput("n1", NOTE)], DEMO, settings=_settings(base))

    assert fake.hits == [COMPLETIONS]
    payload = fake.posted[0]
    sent = json.dumps(payload)
    for secret in ("Walter", "White", "Hartwell", "09/07/1958", "MRN-558231", "505-148-3369", "148-3369"):
        assert secret not in sent, secret
    assert "Type 2 diabetes mellitus without complications" in sent
    assert payload["model"] == "gpt-test" and payload["temperature"] == 0
    assert payload["response_format"]["type"] == "json_schema"
    assert payload["response_format"]["json_schema"]["strict"] is True

    assert result.engine == "openai"
    dx = {s.code: s for s in result.suggestions if s.category == "diagnosis"}
    assert set(dx) == {"E11.9", "I10"}                    # negated, invalid and unquoted items dropped
    for s in dx.values():
        ev = s.evidence[0]
        assert NOTE[ev.start:ev.end] == ev.text
    assert dx["I10"].evidence[0].text == "Essential hypertension"   # whitespace-tolerant quote match
    assert any("not valid ICD-10-CM" in w for w in result.warnings)
    assert any("not found in the note" in w for w in result.warnings)
    assert result.redacted_chars > 0


def test_long_notes_are_sent_in_chunks(llm: tuple[JsonServer, str]) -> None:
    fake, base = llm
    _answer(fake, _completion([]))
    long_note = "\n".join(f"Line {i}: stable, no new complaints today." for i in range(400))
    result = run([NoteInput("n", long_note)], settings=_settings(base, openai_chunk_chars=4000))
    assert result.engine == "openai"
    assert len(fake.posted) >= 4
    sent = ""
    for req in fake.posted:
        content = req["messages"][1]["content"].split("\n\n", 1)[1]
        assert len(content.encode()) <= 4000
        sent += content
    assert sent == long_note          # every part of the note is sent exactly once


def test_server_error_falls_back_to_local_engine_with_a_warning(llm: tuple[JsonServer, str]) -> None:
    fake, base = llm
    _fail(fake)
    result = run([NoteInput("n1", NOTE)], DEMO, settings=_settings(base))
    assert fake.posted                      # it did try
    assert result.engine == "local"
    assert any("openai engine failed" in w for w in result.warnings)
    assert {"E11.9", "I10"} <= {s.code for s in result.suggestions}


def test_missing_api_key_is_a_clear_error_and_falls_back() -> None:
    result = run([NoteInput("n1", NOTE)], settings=EngineSettings(engine="openai"))
    assert result.engine == "local"
    assert any("OPENAI_API_KEY" in w for w in result.warnings)


def test_unknown_engine_name_is_rejected() -> None:
    with pytest.raises(ValueError, match="Unknown coding engine"):
        run([NoteInput("n1", NOTE)], engine="nope")


ENSEMBLE_NOTE = ("Assessment and plan:\n1. Essential hypertension, stable.\n"
                 "2. Type 2 diabetes mellitus without complications.\n3. Mild intermittent wheeze with exercise.\n")


def test_ensemble_adds_external_codes_and_boosts_agreement(llm: tuple[JsonServer, str]) -> None:
    fake, base = llm
    _answer(fake, _completion([
        {"code": "E11.9", "quote": "Type 2 diabetes mellitus without complications", "assertion": "present",
         "confidence": 0.9, "rationale": "documented"},
        {"code": "R06.2", "quote": "Mild intermittent wheeze", "assertion": "present", "confidence": 0.6,
         "rationale": "wheezing"},
    ]))
    local = {s.code: s for s in run([NoteInput("n", ENSEMBLE_NOTE)]).suggestions}
    result = run([NoteInput("n", ENSEMBLE_NOTE)], settings=_settings(base, engine="ensemble"))
    got = {s.code: s for s in result.suggestions}
    assert result.engine == "ensemble" and fake.posted
    assert {"I10", "E11.9", "R06.2"} <= set(got)
    assert "R06.2" not in local
    assert got["E11.9"].confidence > local["E11.9"].confidence
    assert "also found by openai" in got["E11.9"].rationale


def test_ensemble_survives_external_failure(llm: tuple[JsonServer, str]) -> None:
    fake, base = llm
    _fail(fake)
    result = run([NoteInput("n", ENSEMBLE_NOTE)], settings=_settings(base, engine="ensemble"))
    assert result.engine == "ensemble"
    assert {"I10", "E11.9"} <= {s.code for s in result.suggestions}
    assert any("local suggestions only" in w for w in result.warnings)
