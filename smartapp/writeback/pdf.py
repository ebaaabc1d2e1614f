"""A small PDF writer for text reports: headings and wrapped paragraphs in Helvetica, paged.

No dependencies: PDF 1.4 written by hand (catalog, pages, two standard fonts, one content stream
per page, a cross-reference table). Text is WinAnsi (cp1252); characters outside it print as '?'.
Enough for a coding report that opens in any viewer and that an EHR can store as an attachment.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import UTC, datetime

PAGE_W, PAGE_H = 612, 792        # US Letter, points
MARGIN = 54
STYLES = {"h1": ("F2", 16, 24), "h2": ("F2", 12, 20), "p": ("F1", 10, 14), "small": ("F1", 8, 11)}
# Characters per line for each size, from Helvetica's average advance (~0.5 em) and the text width.
_WRAP = {size: int((PAGE_W - 2 * MARGIN) / (size * 0.52)) for _font, size, _lead in STYLES.values()}


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _layout(blocks: Sequence[tuple[str, str]]) -> list[list[tuple[str, int, int, str]]]:
    """Blocks → pages of (font, size, y, text) lines, wrapping and breaking pages as needed."""
    pages: list[list[tuple[str, int, int, str]]] = [[]]
    y = PAGE_H - MARGIN
    for style, text in blocks:
        font, size, lead = STYLES.get(style, STYLES["p"])
        if style in ("h1", "h2") and pages[-1]:
            y -= lead // 3
        wrapped = textwrap.wrap(text, _WRAP[size], break_long_words=True) or [""]
        for line in wrapped:
            if y - lead < MARGIN:
                pages.append([])
                y = PAGE_H - MARGIN
            y -= lead
            pages[-1].append((font, size, y, line))
    return pages


def _stream(lines: list[tuple[str, int, int, str]], page_no: int, page_count: int) -> bytes:
    out = [b"BT"]
    for font, size, y, text in lines:
        out.append(b"/%s %d Tf 1 0 0 1 %d %d Tm (%s) Tj" % (font.encode(), size, MARGIN, y, _escape(text)))
    out.append(b"/F1 8 Tf 1 0 0 1 %d %d Tm (%s) Tj" % (PAGE_W - MARGIN - 60, MARGIN // 2,
                                                    _escape(f"Page {page_no} of {page_count}")))
    out.append(b"ET")
    return b"\n".join(out)


def render(blocks: Sequence[tuple[str, str]], title: str, created: datetime | None = None) -> bytes:
    """A PDF of `blocks` [(style, text)], style one of h1, h2, p, small."""
    pages = _layout(blocks)
    when = (created or datetime.now(UTC)).strftime("D:%Y%m%d%H%M%SZ")
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in once the page object numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (%s) /Producer (RevRX SMART) /CreationDate (%s) >>" % (_escape(title), when.encode()),
    ]
    kids = []
    for number, lines in enumerate(pages, start=1):
        content = _stream(lines, number, len(pages))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_ref = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (PAGE_W, PAGE_H, content_ref))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))

    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(body)
