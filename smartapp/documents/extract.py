"""Document bytes → plain text: text/plain in any common encoding, HTML/XHTML, RTF, PDF and DOCX.

Standard library HTML parsing; striprtf for RTF; pypdf for PDF text layers; python-docx for DOCX;
charset-normalizer to guess encodings nobody declared. Layout is kept just enough for section
detection downstream: block elements and headings start new lines, list items get a dash, table
cells are separated.

Each caller decides which formats it takes (`accept`) and how large a document may be; every failure
is an `ExtractionError` with a stable `reason` for programs and a message for the skipped list.
Parsers of untrusted files raise all sorts of exceptions, so each parse step catches broadly and
reports the file as unreadable.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser

from striprtf.striprtf import rtf_to_text as _striprtf

from smartapp.documents.limits import DocumentLimits, TooComplex, check_archive, check_pdf

PLAIN, HTML, RTF, PDF = "text/plain", "text/html", "text/rtf", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = (PLAIN, HTML, RTF, PDF, DOCX)
LABEL = {PLAIN: "TXT", HTML: "HTML", RTF: "RTF", PDF: "PDF", DOCX: "DOCX"}
_ALIASES = {
    "text/plain": PLAIN,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "text/rtf": RTF,
    "application/rtf": RTF,
    "application/x-rtf": RTF,
    "text/richtext": RTF,
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    DOCX: DOCX,
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: .doc, or an encrypted .docx
# Control characters other than tab, newline, form feed and carriage return mean "binary".
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A guessed encoding is trusted only when it reads this many letters of a non-Latin script.
_MIN_SCRIPT_LETTERS = 4
_GUESS_SAMPLE = 64 * 1024


class ExtractionError(Exception):
    """The content could not be turned into text; the message says why (for the skipped list).

    `reason` is one of unsupported, corrupt, encrypted, no_text, not_text, too_complex; `kind` the
    format's label.
    """

    def __init__(self, reason: str, kind: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.kind = reason, kind


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


@dataclass(frozen=True)
class Extracted:
    media_type: str
    text: str
    encoding: str | None = None   # text formats: how the bytes were decoded
    pages: int | None = None      # PDF only


def media_type(content_type: str | None) -> str:
    """Normalised media type without parameters ('Text/HTML; charset=x' → 'text/html')."""
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def charset_of(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*\"?([\w.:\-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def sniff(data: bytes) -> str | None:
    """Guess a media type from the first bytes, for documents with no or a generic type."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return PDF
    if head.startswith(b"{\\rtf"):
        return RTF
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]:
        return DOCX
    if head.startswith((b"<!doctype html", b"<html", b"<div", b"<p", b"<body")):
        return HTML
    return None


def is_binary(text: str) -> bool:
    """Whether decoded text holds control characters no text file has (it is binary data)."""
    return _CONTROL.search(text) is not None


def decode(data: bytes, charset: str | None = None) -> Decoded:
    """Bytes → text. A BOM wins; else the declared charset (when Python knows it and the bytes fit);
    else UTF-16 without BOM when every other byte is NUL; else UTF-8; else charset-normalizer's
    guess when it reads a non-Latin script (Cyrillic, Greek, CJK…); else cp1252 (Windows exports,
    the usual undeclared encoding here); else Latin-1, which decodes anything."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                break
    if charset:
        try:
            return Decoded(data.decode(charset), charset)
        except (LookupError, UnicodeDecodeError):
            pass
    sample = data[:2000]
    # Mostly-ASCII UTF-16 has a NUL in every other byte (and would pass as UTF-8, NULs and all).
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) * 0.4 and not sample[0::2].count(0):
        encodings = ["utf-16-le"]
    elif len(sample) >= 4 and sample[0::2].count(0) > len(sample) * 0.4 and not sample[1::2].count(0):
        encodings = ["utf-16-be"]
    else:
        encodings = []
    for encoding in [*encodings, "utf-8"]:
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    if guessed := _guess(data):
        return guessed
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def _guess(data: bytes) -> Decoded | None:
    """charset-normalizer's reading, if it is in a non-Latin script. Between the Latin code pages
    (cp1252, cp1250, Latin-1…) a short note gives it too little to choose from, so those go to cp1252."""
    from charset_normalizer import from_bytes  # imported lazily: only undeclared non-UTF-8 text pays

    # The guess reads a sample (seconds on a whole 10 MB file), cut at a line end: no multi-byte
    # encoding uses the newline byte inside a character.
    cut = data.rfind(b"\n", 0, _GUESS_SAMPLE) if len(data) > _GUESS_SAMPLE else len(data)
    best = from_bytes(data[:cut if cut > 0 else _GUESS_SAMPLE]).best()
    if best is None:
        return None
    letters = sum(1 for ch in str(best) if ord(ch) > 0x24F and ch.isalpha()
                  and not unicodedata.name(ch, "LATIN").startswith("LATIN"))
    if letters < _MIN_SCRIPT_LETTERS:
        return None
    try:
        return Decoded(data.decode(best.encoding), best.encoding)
    except (LookupError, UnicodeDecodeError):   # the rest of the file does not fit the sample's guess
        return None


def extract(data: bytes, content_type: str | None, accept: Collection[str] = FORMATS,
            limits: DocumentLimits | None = None) -> Extracted:
    """The text of a document. `content_type` may carry a charset; when it is missing or not one of
    `accept`, the first bytes decide. Archives and PDFs beyond `limits` are refused before they are
    parsed. Raises ExtractionError."""
    limits = limits or DocumentLimits()
    kind = media_type(content_type)
    if kind not in accept:
        kind = sniff(data) or kind
    if kind not in accept:
        raise ExtractionError("unsupported", kind, f"unsupported content type {kind or 'unknown'}")
    if kind == PDF:
        text, pages = _pdf(data, limits)
        return Extracted(PDF, text, pages=pages)
    if kind == DOCX:
        return Extracted(DOCX, _nonempty(_docx(data, limits), DOCX))
    decoded = decode(data, charset_of(content_type))
    if is_binary(decoded.text):
        raise ExtractionError("not_text", LABEL[kind], "the document holds binary data, not text")
    if kind == HTML:
        text = html_to_text(decoded.text)
    elif kind == RTF:
        text = rtf_to_text(decoded.text)
    else:
        text = normalise(decoded.text)
    return Extracted(kind, _nonempty(text, kind), encoding=decoded.encoding)


def _nonempty(text: str, kind: str) -> str:
    if not text:
        raise ExtractionError("no_text", LABEL[kind], "the document is empty")
    return text


def rtf_to_text(rtf: str) -> str:
    try:
        return normalise(_striprtf(rtf, errors="ignore"))
    except Exception as exc:  # noqa: BLE001 - striprtf raises assorted errors on malformed input
        raise ExtractionError("corrupt", "RTF", "the RTF document could not be read") from exc


def _too_complex(kind: str, error: TooComplex) -> ExtractionError:
    return ExtractionError("too_complex", kind, str(error))


def _pdf(data: bytes, limits: DocumentLimits) -> tuple[str, int]:
    from pypdf import PdfReader  # imported lazily: only PDFs pay for it

    unreadable = ExtractionError("corrupt", "PDF", "the PDF could not be read")
    if not data.lstrip()[:5] == b"%PDF-":
        raise unreadable
    try:
        check_pdf(data, limits)
    except TooComplex as exc:
        raise _too_complex("PDF", exc) from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted
    except Exception as exc:   # noqa: BLE001 - any parse failure of an untrusted file is "damaged"
        raise unreadable from exc
    if locked:
        try:
            opened = bool(reader.decrypt(""))   # an owner password alone still lets anyone read it
        except Exception:   # noqa: BLE001 - unsupported encryption is as unreadable as a password
            opened = False
        if not opened:
            raise ExtractionError("encrypted", "PDF", "the PDF is password protected")
    try:
        count = len(reader.pages)
    except Exception as exc:   # noqa: BLE001
        raise unreadable from exc
    if count > limits.max_pdf_pages:
        raise ExtractionError("too_complex", "PDF", f"the PDF has {count} pages (the limit is {limits.max_pdf_pages})")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except MemoryError as exc:   # the child process's memory limit (smartapp/documents/isolated.py)
        raise ExtractionError("too_complex", "PDF", "reading the PDF needed more memory than allowed") from exc
    except Exception as exc:   # noqa: BLE001
        raise unreadable from exc
    if not pages:
        raise unreadable
    text = normalise("\n\n".join(pages))
    if not text:
        raise ExtractionError("no_text", "PDF", "the PDF has no text layer (scanned image?)")
    return text, len(pages)


def _docx(data: bytes, limits: DocumentLimits) -> str:
    if data.startswith(_OLE):
        # Office wraps a password-protected .docx in a compound file.
        raise ExtractionError("encrypted", "DOCX", "the DOCX is password protected")
    try:
        check_archive(data, limits)   # from the zip's directory, before anything is decompressed
    except TooComplex as exc:
        raise _too_complex("DOCX", exc) from exc
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
    except MemoryError as exc:   # the child process's memory limit (smartapp/documents/isolated.py)
        raise ExtractionError("too_complex", "DOCX", "reading the DOCX needed more memory than allowed") from exc
    except Exception as exc:   # noqa: BLE001 - zip, XML or package errors all mean "damaged"
        raise ExtractionError("corrupt", "DOCX", "the DOCX could not be read") from exc
    return normalise("\n".join(lines))


_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "thead", "tbody", "hr",
}
_SKIP = {"script", "style", "head", "title"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # decodes &amp; &#176; &nbsp; …
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def _newline(self) -> None:
        # Block boundaries need one line break, not one per nested tag.
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self._newline()
            self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in _BLOCK:
            self._newline()
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self._newline()
        if tag == "pre":
            self._pre = max(0, self._pre - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return normalise("".join(parser.parts))


def normalise(text: str) -> str:
    """Unify newlines, trim each line, collapse runs of blank lines, and drop table-cell leaders."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        if line.startswith("| "):
            line = line[2:]
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
