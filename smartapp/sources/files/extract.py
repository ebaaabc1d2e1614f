"""Uploaded file → note text: TXT (any common encoding), PDF and DOCX, by `smartapp.documents` in a
limited child process.

What is upload-specific lives here: the type comes from the file name (or the first bytes when it has
no extension), and each failure is an `UploadRejected` with a message a person can act on.
"""

from __future__ import annotations

import codecs
from pathlib import PurePosixPath

from smartapp.documents.extract import DOCX, PDF, Extracted, ExtractionError, is_binary, sniff
from smartapp.documents.extract import PLAIN as TXT
from smartapp.documents.isolated import extract_isolated
from smartapp.documents.limits import DocumentLimits
from smartapp.sources.files import rejections as r

__all__ = ["DOCX", "LABEL", "PDF", "TXT", "Extracted", "extract", "media_type_of"]

LABEL = {TXT: "TXT", PDF: "PDF", DOCX: "DOCX"}
_EXTENSIONS = {".txt": TXT, ".text": TXT, ".pdf": PDF, ".docx": DOCX}


def media_type_of(filename: str, data: bytes) -> str:
    """TXT, PDF or DOCX by extension, or by the first bytes when the name has no extension."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if not suffix:
        if (kind := sniff(data)) in (PDF, DOCX):
            return kind
        if not is_binary(data[:4096].decode("latin-1")) or data.startswith((codecs.BOM_UTF16_LE,
                                                                           codecs.BOM_UTF16_BE)):
            return TXT
    raise r.unsupported(suffix)


def extract(filename: str, data: bytes, limits: DocumentLimits | None = None) -> Extracted:
    """The note text of one uploaded file, read in a child process with memory and time limits (the
    calling process never parses it). Raises UploadRejected."""
    if not data:
        raise r.empty()
    kind = media_type_of(filename, data)
    try:
        return extract_isolated(data, kind, accept=LABEL, limits=limits)
    except ExtractionError as exc:
        raise _rejection(exc, LABEL[kind]) from exc


def _rejection(error: ExtractionError, label: str) -> r.UploadRejected:
    if error.reason == "encrypted":
        return r.encrypted(label)
    if error.reason == "no_text":
        return r.no_text(label)
    if error.reason == "not_text":
        return r.not_text()
    if error.reason == "too_complex":
        return r.too_complex(label, str(error))
    return r.corrupt(label)   # "corrupt"; "unsupported" cannot happen: the type is one of LABEL
