"""Uploaded file → note text: TXT (any common encoding), PDF (pypdf) and DOCX (python-docx).

Each failure is an `UploadRejected` with a message a person can act on; parsers of untrusted files
raise all sorts of exceptions, so each parse step catches broadly and reports "damaged".
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from smartapp.fhir.text_extract import normalise
from smartapp.sources.files import rejections as r

TXT, PDF = "text/plain", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LABEL = {TXT: "TXT", PDF: "PDF", DOCX: "DOCX"}
_EXTENSIONS = {".txt": TXT, ".text": TXT, ".pdf": PDF, ".docx": DOCX}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: .doc, or an encrypted .docx
# Control characters other than tab, newline, form feed and carriage return mean "binary".
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Extracted:
    media_type: str
    text: str
    encoding: str | None = None   # TXT only: how the bytes were decoded
    pages: int | None = None      # PDF only


def media_type_of(filename: str, data: bytes) -> str:
    """TXT, PDF or DOCX by extension, or by the first bytes when the name has no extension."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if not suffix:
        if data.startswith(b"%PDF-"):
            return PDF
        if data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]:
            return DOCX
        if not _CONTROL.search(data[:4096].decode("latin-1")) or data.startswith((codecs.BOM_UTF16_LE,
                                                                                  codecs.BOM_UTF16_BE)):
            return TXT
    raise r.unsupported(suffix)


def extract(filename: str, data: bytes) -> Extracted:
    """The note text of one uploaded file. Raises UploadRejected."""
    if not data:
        raise r.empty()
    kind = media_type_of(filename, data)
    if kind == PDF:
        return _pdf(data)
    if kind == DOCX:
        return _docx(data)
    return _txt(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding): a BOM wins; else UTF-16 without BOM when every other byte is NUL;
    else UTF-8; else cp1252 (Windows exports); else Latin-1, which decodes anything."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    sample = data[:2000]
    # Mostly-ASCII UTF-16 has a NUL in every other byte (and would pass as UTF-8, NULs and all).
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) * 0.4 and not sample[0::2].count(0):
        encodings = ["utf-16-le"]
    elif len(sample) >= 4 and sample[0::2].count(0) > len(sample) * 0.4 and not sample[1::2].count(0):
        encodings = ["utf-16-be"]
    else:
        encodings = []
    for encoding in [*encodings, "utf-8", "cp1252"]:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _txt(data: bytes) -> Extracted:
    text, encoding = decode_text(data)
    if _CONTROL.search(text):
        raise r.not_text()
    text = normalise(text)
    if not text:
        raise r.no_text("TXT")
    return Extracted(TXT, text, encoding=encoding)


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader  # imported lazily: only PDFs pay for it

    if not data.lstrip()[:5] == b"%PDF-":
        raise r.corrupt("PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted
    except Exception as exc:   # noqa: BLE001 - any parse failure of an untrusted file is "damaged"
        raise r.corrupt("PDF") from exc
    if locked:
        try:
            opened = bool(reader.decrypt(""))   # an owner password alone still lets anyone read it
        except Exception:   # noqa: BLE001 - unsupported encryption is as unreadable as a password
            opened = False
        if not opened:
            raise r.encrypted("PDF")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:   # noqa: BLE001
        raise r.corrupt("PDF") from exc
    if not pages:
        raise r.corrupt("PDF")
    text = normalise("\n\n".join(pages))
    if not text:
        raise r.no_text("PDF")
    return Extracted(PDF, text, pages=len(pages))


def _docx(data: bytes) -> Extracted:
    if data.startswith(_OLE):
        raise r.encrypted("DOCX")   # Office wraps a password-protected .docx in a compound file
    import docx  # python-docx, imported lazily
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(" | ".join(c.text.strip() for c in row.cells) for row in block.rows)
            else:
                lines.append(block.text)
    except Exception as exc:   # noqa: BLE001 - zip, XML or package errors all mean "damaged"
        raise r.corrupt("DOCX") from exc
    text = normalise("\n".join(lines))
    if not text:
        raise r.no_text("DOCX")
    return Extracted(DOCX, text)
