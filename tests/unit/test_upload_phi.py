"""An uploaded note coded by an external engine: what reaches a local OpenAI-API server holds neither
the patient named in the document's header nor the provider the upload read from it, even where the
text names them with nothing around them that a rule would recognise: the provider line is in capitals
("Provider: TOBIAS WHITCOMBE") and the body says "Whitcombe will call"; only the metadata the upload
extracted (smartapp.runs.upload_coding -> phi_names.known_names) takes those out."""
from __future__ import annotations

import json

import pytest

from smartapp.extensions import db
from smartapp.models import RunStatus
from smartapp.models.queries import latest_run
from smartapp.models.sync import DuplicatePolicy
from smartapp.runs import upload_coding
from smartapp.sources.upload_service import Outcome, UploadContext, accept_file
from tests.support.json_server import JsonServer
from tests.unit.test_coding_openai import _answer, _completion, _settings, llm  # noqa: F401 (fixture)
from tests.unit.test_upload_service import ctx  # noqa: F401 (fixture)

pytestmark = pytest.mark.db

NOTE = """TREMBLAY-OKAFOR, LUCINDA | MRN 5520931 | DOB 07/14/1958
Date of service: 11/02/2026
Provider: TOBIAS WHITCOMBE

CHIEF COMPLAINT: Follow-up of hypertension.

HPI: Lucinda has essential hypertension, well controlled on lisinopril 20 mg daily.

PLAN: Continue lisinopril. Whitcombe will call her tomorrow with the potassium.
"""


def test_upload_sent_to_openai_holds_no_header_patient_or_metadata_provider(
        ctx: UploadContext, llm: tuple[JsonServer, str]) -> None:  # noqa: F811
    fake, base = llm
    _answer(fake, _completion([{"code": "I10", "quote": "essential hypertension", "assertion": "present",
                                "confidence": 0.9, "rationale": "documented"}]))
    result = accept_file(db.session, ctx, "visit.txt", NOTE.encode(), DuplicatePolicy.SKIP)
    assert result.outcome == Outcome.CREATED and result.provider == "TOBIAS WHITCOMBE"
    run = latest_run(db.session, result.encounter_id or 0)
    assert run is not None
    run.engine = "openai"
    db.session.commit()

    upload_coding.execute(db.session, run.id, _settings(base))

    db.session.refresh(run)
    assert run.status == RunStatus.COMPLETE
    sent = json.dumps(fake.posted)
    assert fake.posted
    for secret in ("Tremblay", "Okafor", "Lucinda", "Tobias", "Whitcombe", "5520931", "1958"):
        assert secret.lower() not in sent.lower(), secret
    assert "lisinopril" in sent and "will call her tomorrow" in sent
