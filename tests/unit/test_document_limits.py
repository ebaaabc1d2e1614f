"""Zip bombs and oversized PDFs (issue 13 item 10): refused from the archive's directory before anything
is decompressed, and read only in a child process whose memory and time are limited, so the process
that received the upload never parses it. Without the checks a 1 MB DOCX expands to a gigabyte of text
in the caller's own memory."""

from __future__ import annotations

import resource
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from smartapp.documents.extract import DOCX
from smartapp.documents.limits import DocumentLimits
from smartapp.extensions import db
from smartapp.models import Encounter, UploadedFile
from smartapp.models.sync import DuplicatePolicy
from smartapp.sources.files.extract import extract
from smartapp.sources.files.rejections import UploadRejected
from smartapp.sources.upload_service import Outcome, UploadContext, accept_file
from tests.support import upload_samples as samples
from tests.unit.test_upload_service import ctx  # noqa: F401 (fixture)

# Everything allowed by the directory checks: only the child's memory limit stands in the way.
_ONLY_MEMORY = DocumentLimits(max_uncompressed_bytes=1 << 40, max_ratio=1e9, memory_bytes=300 * 1048576)


def _rejected(name: str, data: bytes, limits: DocumentLimits | None = None) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        extract(name, data, limits)
    return caught.value


def test_a_zip_bomb_is_refused_from_its_directory_without_being_read() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = _rejected("visit.docx", samples.zip_bomb_docx(1024))
    assert error.code == "too_complex" and "expands to 1024 MB" in error.detail
    assert "limit is 100 MB" in error.detail
    # This process never held the gigabyte (ru_maxrss is in KiB on Linux).
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024


def test_too_many_entries_or_too_high_a_ratio_is_refused() -> None:
    many = _rejected("visit.docx", samples.zip_bomb_docx(1, entries=50), DocumentLimits(max_entries=20))
    assert many.code == "too_complex" and "files (the limit is 20)" in many.detail
    ratio = _rejected("visit.docx", samples.zip_bomb_docx(64), DocumentLimits(max_ratio=20))
    assert ratio.code == "too_complex" and "times" in ratio.detail


def test_a_bomb_that_passes_the_directory_checks_stops_at_the_child_memory_limit() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = _rejected("visit.docx", samples.zip_bomb_docx(512), _ONLY_MEMORY)
    assert error.code == "too_complex" and "more memory" in error.detail
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024


def test_a_pdf_over_the_page_limit_is_refused() -> None:
    one_page = samples.pdf(samples.note("pages"))
    assert extract("visit.pdf", one_page).pages == 1
    pages = _rejected("visit.pdf", one_page, DocumentLimits(max_pdf_pages=0))
    assert pages.code == "too_complex" and "1 pages" in pages.detail
    objects = _rejected("visit.pdf", one_page, DocumentLimits(max_pdf_objects=1))
    assert objects.code == "too_complex" and "objects" in objects.detail


def test_ordinary_documents_still_read_in_the_child() -> None:
    docx = extract("visit.docx", samples.docx_file(samples.note("limits")))
    assert "Reference limits" in docx.text and docx.media_type == DOCX
    assert "Reference p" in extract("visit.pdf", samples.pdf(samples.note("p"))).text


@pytest.mark.db
def test_an_uploaded_bomb_stores_nothing_and_says_why(ctx: UploadContext) -> None:  # noqa: F811
    ctx = replace(ctx, settings=replace(ctx.settings, limits=_ONLY_MEMORY))
    result = accept_file(db.session, ctx, "visit.docx", samples.zip_bomb_docx(512), DuplicatePolicy.SKIP)
    assert result.outcome == Outcome.REJECTED and result.error is not None
    assert result.error.code == "too_complex" and "zip bomb" in result.error.detail
    assert db.session.scalar(select(func.count()).select_from(Encounter)) == 0
    assert db.session.scalar(select(func.count()).select_from(UploadedFile)) == 0
