"""The libraries stay libraries: the coding pipeline, the FHIR note parser and the document extractor
load neither Flask, nor the models, nor the app's configuration (they get settings passed in)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from smartapp.config import ROOT

FORBIDDEN = ("flask", "sqlalchemy", "smartapp.models", "smartapp.config")


@pytest.mark.parametrize("module", ["smartapp.coding.pipeline", "smartapp.fhir.notes", "smartapp.documents.extract"])
def test_a_library_loads_no_app_layer(module: str) -> None:
    code = (f"import sys, {module}; "
            f"print(sorted({{m for m in sys.modules if m.split('.')[0] == 'flask' or m.startswith({FORBIDDEN!r})}}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
