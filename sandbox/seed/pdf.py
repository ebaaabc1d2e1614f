"""A minimal text PDF writer for seed documents (no PDF library can write text without new deps).

Produces a valid PDF 1.4 with one Helvetica text stream per page (WinAnsi encoding, so cp1252
characters such as "°" and "é" survive) and a correct cross-reference table, which is all a text
extractor like pypdf needs. Layout is plain: one line of text per line of output, wrapped at
`WRAP` characters, `LINES_PER_PAGE` lines per A4 page.
"""

from __future__ import annotations

import textwrap

WRAP = 95
LINES_PER_PAGE = 60
_FONT_SIZE = 10
_LEADING = 12


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        out.extend(textwrap.wrap(line, WRAP) or [""])
    return out or [""]


def _page_stream(lines: list[str]) -> bytes:
    body = [b"BT", f"/F1 {_FONT_SIZE} Tf {_LEADING} TL 50 800 Td".encode()]
    for line in lines:
        body.append(b"(" + _escape(line) + b") Tj T*")
    body.append(b"ET")
    return b"\n".join(body)


def text_pdf(text: str, title: str = "Clinical note") -> bytes:
    """A PDF whose text layer is `text`, line for line."""
    lines = _lines(text)
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    # Object numbers: 1 catalog, 2 page tree, 3 font, 4 info, then a (page, content) pair per page.
    page_ids = [5 + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(f"{p} 0 R".encode() for p in page_ids)
        + f"] /Count {len(pages)} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Title (" + _escape(title) + b") /Producer (RevRX sandbox) >>",
    }
    for page_id, page_lines in zip(page_ids, pages, strict=True):
        stream = _page_stream(page_lines)
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)
