"""Uploaded files → note text: each supported type, the common text encodings, and a clear error for
each bad case (scanned, password-protected, damaged, empty, unsupported, binary)."""

from __future__ import annotations

import pytest

from smartapp.sources.files.extract import DOCX, PDF, TXT, extract
from smartapp.sources.files.rejections import UploadRejected
from tests.support import upload_samples as samples

NOTE = samples.note()


@pytest.mark.parametrize(("name", "data", "media_type"), [
    ("visit.txt", NOTE.encode(), TXT),
    ("visit.pdf", samples.pdf(NOTE), PDF),
    ("visit.docx", samples.docx_file(NOTE), DOCX),
    ("VISIT.PDF", samples.pdf(NOTE), PDF),
    ("no-extension", samples.pdf(NOTE), PDF),
])
def test_each_supported_type_gives_the_note_text(name: str, data: bytes, media_type: str) -> None:
    extracted = extract(name, data)
    assert extracted.media_type == media_type
    assert "Provider: Dr. Alice Moreno, MD" in extracted.text
    assert "1. Essential hypertension. Continue lisinopril 20 mg daily." in extracted.text


def test_docx_tables_are_kept_as_text() -> None:
    assert "Blood pressure | 132/84" in extract("visit.docx", samples.docx_file(NOTE)).text


@pytest.mark.parametrize(("data", "encoding"), [
    ("Temp 38.5 °C, café, naïve\n".encode(), "utf-8"),
    ("\ufeffTemp 38.5 °C, café, naïve\n".encode(), "utf-8-sig"),
    ("Temp 38.5 °C, café, naïve\n".encode("utf-16"), "utf-16"),           # with BOM
    ("Temp 38.5 °C, café, naïve\n".encode("utf-16-le"), "utf-16-le"),     # Notepad "Unicode" without BOM
    ("Temp 38.5 °C, café, naïve – “quoted”\n".encode("cp1252"), "cp1252"),
])
def test_text_in_any_common_encoding(data: bytes, encoding: str) -> None:
    extracted = extract("note.txt", data)
    assert extracted.encoding == encoding
    assert extracted.text.startswith("Temp 38.5 °C, café, naïve")


def test_bytes_cp1252_cannot_decode_fall_back_to_latin1() -> None:
    extracted = extract("note.txt", b"Pain score \x81\x8d 7/10")
    assert extracted.encoding == "latin-1" and "Pain score" in extracted.text


@pytest.mark.parametrize(("name", "data", "code", "words"), [
    ("scan.pdf", samples.scanned_pdf(), "no_text", "scanned image"),
    ("locked.pdf", samples.encrypted_pdf(NOTE), "encrypted", "password protected"),
    ("broken.pdf", samples.corrupt_pdf(), "corrupt", "damaged"),
    ("fake.pdf", b"just some text pretending to be a PDF", "corrupt", "damaged"),
    ("broken.docx", samples.corrupt_docx(), "corrupt", "damaged"),
    ("locked.docx", samples.encrypted_docx(), "encrypted", "password protected"),
    ("empty.txt", b"", "empty", "empty"),
    ("blank.txt", b"  \r\n\t\n", "no_text", "no note text"),
    ("binary.txt", bytes(range(256)), "not_text", "binary"),
    ("photo.png", b"\x89PNG\r\n\x1a\n0000", "unsupported_type", ".png"),
    ("old.doc", samples.encrypted_docx(), "unsupported_type", ".doc"),
    ("note.rtf", b"{\\rtf1 Hypertension}", "unsupported_type", "TXT, PDF and DOCX"),
])
def test_each_bad_file_gets_a_clear_reason(name: str, data: bytes, code: str, words: str) -> None:
    with pytest.raises(UploadRejected) as caught:
        extract(name, data)
    assert caught.value.code == code
    assert words in caught.value.detail


def test_a_pdf_with_only_an_owner_password_is_read() -> None:
    """Owner passwords restrict printing and editing, not reading: such PDFs open for anyone."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf(NOTE))))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "Essential hypertension" in extract("restricted.pdf", out.getvalue()).text


@pytest.mark.parametrize(("text", "encoding", "found"), [
    ("Диагноз: гипертоническая болезнь. План: контроль давления через две недели.\n", "cp1251", "cp1251"),
    ("Διάγνωση: αρτηριακή υπέρταση. Επανέλεγχος σε δύο εβδομάδες.\n", "cp1253", "cp1253"),
    ("Ärztlicher Befund: Übelkeit, Blutdruck 150/95.\n", "latin-1", "cp1252"),   # same letters in cp1252
], ids=["cp1251", "cp1253", "latin-1"])
def test_text_in_an_undeclared_encoding_is_recognised(text: str, encoding: str, found: str) -> None:
    extracted = extract("note.txt", text.encode(encoding))
    assert (extracted.text, extracted.encoding) == (text.strip(), found)
