"""Document bytes → plain text: text/plain, HTML/XHTML, RTF and PDF.

Standard library HTML parsing (no new dependencies); striprtf for RTF; pypdf for PDF text layers.
Layout is kept just enough for section detection downstream: block elements and headings start new
lines, list items get a dash, table cells are separated.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from striprtf.striprtf import rtf_to_text as _striprtf

PLAIN, HTML, RTF, PDF = "text/plain", "text/html", "text/rtf", "application/pdf"
# Best first: the less conversion a format needs, the more faithful the text.
PREFERENCE = (PLAIN, HTML, RTF, PDF)
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
}


class ExtractionError(Exception):
    """The content could not be turned into text; the message says why (for the skipped list)."""


def media_type(content_type: str | None) -> str:
    """Normalised media type without parameters ('Text/HTML; charset=x' → 'text/html')."""
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def charset_of(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*\"?([\w.:\-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def sniff(data: bytes) -> str | None:
    """Guess a media type from the first bytes, for attachments with no or a generic contentType."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return PDF
    if head.startswith(b"{\\rtf"):
        return RTF
    if head.startswith((b"<!doctype html", b"<html", b"<div", b"<p", b"<body")):
        return HTML
    return None


def decode_text(data: bytes, content_type: str | None = None) -> str:
    """Bytes → str: the declared charset, else UTF-8 (BOM aware), else cp1252 with replacement."""
    declared = charset_of(content_type)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-generated notes are usually cp1252; replacement keeps the rest readable.
        return data.decode("cp1252", errors="replace")


def extract_text(data: bytes, content_type: str | None) -> str:
    """Text of a document in any supported format. Raises ExtractionError."""
    kind = media_type(content_type)
    if kind not in PREFERENCE:
        kind = sniff(data) or kind
    if kind == PLAIN:
        return normalise(decode_text(data, content_type))
    if kind == HTML:
        return html_to_text(decode_text(data, content_type))
    if kind == RTF:
        return rtf_to_text(decode_text(data, content_type))
    if kind == PDF:
        return pdf_to_text(data)
    raise ExtractionError(f"unsupported content type {kind or 'unknown'}")


def rtf_to_text(rtf: str) -> str:
    try:
        return normalise(_striprtf(rtf, errors="ignore"))
    except Exception as exc:  # striprtf raises assorted errors on malformed input
        raise ExtractionError("the RTF document could not be read") from exc


def pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader  # imported lazily: only PDFs pay for it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("the PDF is password protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionError("the PDF could not be read") from exc
    text = normalise("\n\n".join(pages))
    if not text:
        raise ExtractionError("the PDF has no text layer (scanned image?)")
    return text


_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "caption",
    "thead",
    "tbody",
    "hr",
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
