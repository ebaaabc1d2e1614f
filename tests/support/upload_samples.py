"""Note files for upload tests, made in code: text PDFs (the sandbox's own PDF writer), a password-
protected PDF and a scanned (image-only) PDF (pypdf), DOCX (python-docx), TXT in several encodings,
and the bad cases (empty, corrupt, unsupported, too large)."""

from __future__ import annotations

import functools
import io

import docx
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from sandbox.seed.pdf import text_pdf

NOTE = """Provider: Dr. Alice Moreno, MD
Date of service: 03/14/2025

CHIEF COMPLAINT
Follow-up of blood pressure and diabetes.

HISTORY OF PRESENT ILLNESS
Mr. Jonah Wexler is a 58-year-old man seen for follow-up of hypertension and type 2 diabetes.
He checks his blood pressure at home and readings run 130s over 80s. No chest pain.

ASSESSMENT AND PLAN
1. Essential hypertension. Continue lisinopril 20 mg daily.
2. Type 2 diabetes mellitus without complications. Continue metformin 500 mg twice daily.
Return in 3 months.
"""


def note(marker: str = "") -> str:
    """The sample note; `marker` makes the content (and so its SHA-256) unique to one test."""
    return NOTE + (f"\nReference {marker}\n" if marker else "")


def pdf(text: str) -> bytes:
    return text_pdf(text)


def encrypted_pdf(text: str, password: str = "s3cret") -> bytes:  # noqa: S107 - a test file's password
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(text))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf(marker: str = "") -> bytes:
    """One page that is a picture of a note: an image and no text layer, as a scanner makes."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    image = DecodedStreamObject()
    image.set_data(bytes(range(64)) * 4 + marker.encode())
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(16), NameObject("/Height"): NumberObject(16),
                  NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                  NameObject("/BitsPerComponent"): NumberObject(8)})
    content = DecodedStreamObject()
    content.set_data(b"q 500 0 0 700 50 50 cm /Im1 Do Q")
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)})})
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_file(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Blood pressure", "132/84"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted_docx() -> bytes:
    """What Office saves for a password-protected .docx: a compound file, not a zip."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage" + b"\x00" * 1024


def corrupt_pdf() -> bytes:
    return text_pdf(NOTE)[:300]   # cut off mid-file: no page tree, no xref


def corrupt_docx() -> bytes:
    return b"PK\x03\x04" + b"this is not really a zip archive" * 10


def too_large(limit: int) -> bytes:
    return (NOTE * (limit // len(NOTE) + 2)).encode()[: limit + 1024]


@functools.lru_cache(maxsize=4)
def zip_bomb_docx(expanded_mb: int = 1024, entries: int = 0) -> bytes:
    """A valid DOCX whose document.xml expands to `expanded_mb` MB of one repeated run of text (the
    issue's 2.3 MB DOCX took the web process to 5.9 GB). `entries` adds that many tiny parts beyond the
    package's own."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx_file("Chief complaint: cough.")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item.filename, source.read(item))
        chunk = b"<w:p><w:r><w:t>" + b"A" * 1048576 + b"</w:t></w:r></w:p>"
        with bomb.open("word/document.xml", "w", force_zip64=True) as xml:
            xml.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                      b'wordprocessingml/2006/main"><w:body>')
            for _ in range(expanded_mb):
                xml.write(chunk)
            xml.write(b"</w:body></w:document>")
        for n in range(entries):
            bomb.writestr(f"revrx-extra/part{n}.xml", b"<x/>")
    return out.getvalue()
