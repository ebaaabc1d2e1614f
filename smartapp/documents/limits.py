"""How much work one untrusted document may cost, and the checks that run before any parsing.

A DOCX is a zip archive: a 2 MB file can declare gigabytes of XML (a "zip bomb"). The archive's
central directory lists each entry's declared uncompressed size, so entry count, total size and
compression ratio are checked from the directory alone, before a single entry is decompressed.
A declared size can lie; the child process that does the parsing (`smartapp.documents.isolated`)
has an address-space and CPU limit, which is what holds when it does. Nested archives (a zip inside
the zip) are never opened: only their compressed bytes are read, and those count in the total.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentLimits:
    """The `DOCUMENT_*` settings (smartapp/config.py); the defaults fit a clinic note with room to spare."""

    max_entries: int = 1000                       # DOCUMENT_MAX_ENTRIES: files inside one archive
    max_uncompressed_bytes: int = 100 * 1048576   # DOCUMENT_MAX_UNCOMPRESSED_MB: their declared total
    max_ratio: float = 100.0                      # DOCUMENT_MAX_RATIO: total uncompressed / archive size
    max_pdf_pages: int = 500                      # DOCUMENT_MAX_PDF_PAGES
    max_pdf_objects: int = 200_000                # DOCUMENT_MAX_PDF_OBJECTS: "obj" markers in the file
    memory_bytes: int = 768 * 1048576             # DOCUMENT_EXTRACT_MEMORY_MB: the child's address space
    timeout_s: float = 30.0                       # DOCUMENT_EXTRACT_TIMEOUT_S: the child's wall clock


class TooComplex(Exception):
    """The document would cost more than the limits allow; the message says which limit (no content)."""


def check_archive(data: bytes, limits: DocumentLimits) -> None:
    """Raise TooComplex when a zip's directory declares too many entries, too many bytes or too high
    a ratio. Bytes that are not a readable zip pass: the parser reports them as damaged."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    if len(entries) > limits.max_entries:
        raise TooComplex(f"the archive holds {len(entries)} files (the limit is {limits.max_entries})")
    total = sum(max(e.file_size, 0) for e in entries)
    if total > limits.max_uncompressed_bytes:
        raise TooComplex(f"the archive expands to {total // 1048576} MB "
                         f"(the limit is {limits.max_uncompressed_bytes // 1048576} MB)")
    if data and total / len(data) > limits.max_ratio:
        raise TooComplex(f"the archive expands {total / len(data):.0f} times "
                         f"(the limit is {limits.max_ratio:g} times)")


def check_pdf(data: bytes, limits: DocumentLimits) -> None:
    """A cheap pre-check of a PDF's object count (the page count is checked while parsing)."""
    objects = data.count(b" obj")
    if objects > limits.max_pdf_objects:
        raise TooComplex(f"the PDF holds {objects} objects (the limit is {limits.max_pdf_objects})")
