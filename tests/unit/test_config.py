"""The one configuration reader: what an operator sets in the environment reaches the coding engines
and the upload code, bad values are refused by name, and generated key files stay private."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smartapp.coding.pipeline import run
from smartapp.coding.types import NoteInput
from smartapp.config import ROOT, ConfigError, Settings
from tests.support.json_server import json_server


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"REVRX_INSTANCE_DIR": str(tmp_path), **values}


def test_openai_settings_from_the_environment_reach_the_engine(tmp_path: Path) -> None:
    reply = {"id": "c1", "object": "chat.completion", "created": 0, "model": "m",
             "choices": [{"index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": json.dumps({"codes": []})}}],
             "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
    with json_server() as server:
        server.routes["/v1/chat/completions"] = (200, reply)
        settings = Settings.from_env(_env(tmp_path, CODING_ENGINE="openai", OPENAI_BASE_URL=f"{server.url}/v1",
                                          OPENAI_MODEL="clinic-model-7", OPENAI_API_KEY="sk-operator",
                                          OPENAI_TIMEOUT="4.5", OPENAI_MAX_RETRIES="0"))
        result = run([NoteInput("n1", "Assessment: essential hypertension.")], settings=settings.engine_settings())
    assert result.engine == "openai", result.warnings
    assert [body["model"] for body in server.posted] == ["clinic-model-7"]
    engine = settings.engine_settings()
    assert (engine.openai_api_key, engine.openai_timeout, engine.openai_retries) == ("sk-operator", 4.5, 0)


def test_a_runs_own_engine_keeps_the_connection_settings(tmp_path: Path) -> None:
    settings = Settings.from_env(_env(tmp_path, AWS_DEFAULT_REGION="eu-west-1", COMPREHEND_SNOMED="yes",
                                      CODING_ENSEMBLE_WITH="comprehend"))
    engine = settings.engine_settings("ensemble")
    assert (engine.engine, engine.aws_region, engine.comprehend_snomed, engine.ensemble_with) == (
        "ensemble", "eu-west-1", True, "comprehend")
    assert settings.engine_settings().engine == "local"
    assert Settings.from_env(_env(tmp_path, AWS_REGION="us-west-2", AWS_DEFAULT_REGION="eu-west-1")).aws_region \
        == "us-west-2"


def test_defaults_are_the_engines_own(tmp_path: Path) -> None:
    engine = Settings.from_env(_env(tmp_path)).engine_settings()
    assert (engine.engine, engine.openai_model, engine.openai_base_url, engine.openai_api_key) == (
        "local", "gpt-4o-mini", None, None)
    assert (engine.openai_timeout, engine.openai_retries, engine.aws_region) == (30.0, 2, "us-east-1")


@pytest.mark.parametrize(("name", "value"), [
    ("OPENAI_TIMEOUT", "soon"), ("OPENAI_MAX_RETRIES", "two"), ("CODING_ENGINE", "gpt"),
    ("UPLOAD_MAX_MB", "big"), ("JOB_TIMEOUT_S", "5m"),
])
def test_a_bad_value_is_refused_by_name(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(_env(tmp_path, **{name: value}))


def test_upload_settings_are_part_of_the_configuration(tmp_path: Path) -> None:
    settings = Settings.from_env(_env(tmp_path, UPLOAD_MAX_MB="2", UPLOAD_DUPLICATES="version"))
    assert (settings.uploads.max_bytes, settings.uploads.default_policy) == (2 * 1024 * 1024, "version")
    assert settings.uploads.local_dir == tmp_path / "uploads"


def test_generated_key_files_are_private(tmp_path: Path) -> None:
    Settings.from_env(_env(tmp_path))
    for name in ("encryption.key", "secret.key"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name


def test_reading_the_configuration_loads_no_app_package() -> None:
    """config is below the services and web: importing it must not import them back (no package cycle)."""
    code = ("import sys, smartapp.config; "
            "print(sorted({m for m in sys.modules if m.startswith(('smartapp.sources', 'smartapp.web'))}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
