"""Why a file was not accepted: a stable code for programs and a title and message for people."""

from __future__ import annotations

import math


class UploadRejected(Exception):
    """One file cannot become an encounter; the other files of the same upload go on."""

    def __init__(self, code: str, title: str, detail: str) -> None:
        super().__init__(f"{code}: {title}")
        self.code, self.title, self.detail = code, title, detail


def too_large(size: int, limit: int) -> UploadRejected:
    shown = math.ceil(size / 1048576 * 10) / 10   # rounded up: a file just over the limit never reads "10.0 of 10"
    return UploadRejected("too_large", "File too large",
                          f"The file is {shown:.1f} MB; the limit is {limit / 1048576:g} MB per file. "
                          "Upload a smaller export (one visit per file).")


def empty() -> UploadRejected:
    return UploadRejected("empty", "Empty file", "The file is empty (0 bytes). Check the export and upload it again.")


def unsupported(extension: str) -> UploadRejected:
    what = f"a {extension} file" if extension else "a file of unknown type"
    return UploadRejected("unsupported_type", "Unsupported file type",
                          f"Only TXT, PDF and DOCX notes can be uploaded; this is {what}. "
                          "Save it as PDF, DOCX or plain text first.")


def corrupt(kind: str) -> UploadRejected:
    return UploadRejected("corrupt", f"Damaged {kind} file",
                          f"The {kind} file is damaged or incomplete and could not be read. Export it again.")


def encrypted(kind: str) -> UploadRejected:
    return UploadRejected("encrypted", f"Password-protected {kind}",
                          f"The {kind} file is password protected. Remove the password and upload it again.")


def no_text(kind: str) -> UploadRejected:
    if kind == "PDF":
        return UploadRejected("no_text", "No text in the PDF",
                              "The PDF has no text layer: it is probably a scanned image. Upload the note as "
                              "text (or run it through OCR first).")
    return UploadRejected("no_text", f"No text in the {kind} file",
                          f"The {kind} file contains no note text.")


def too_complex(kind: str, why: str) -> UploadRejected:
    return UploadRejected("too_complex", f"{kind} file too complex to read",
                          f"The {kind} file was not read: {why}. This is what a \"zip bomb\" looks like; a "
                          "clinic note is far smaller. Export the note again, or save it as PDF or plain text.")


def not_text() -> UploadRejected:
    return UploadRejected("not_text", "Not a text file",
                          "The file is named .txt but holds binary data, not text. Upload the note itself.")


def already_written_back() -> UploadRejected:
    return UploadRejected("already_written_back", "Already written back",
                          "This file's encounter was already written back to the EHR, so it is not replaced. "
                          "Upload it with \"keep both\" to code it again as a new version.")


def storage_failed() -> UploadRejected:
    return UploadRejected("storage_failed", "Could not store the file",
                          "The file could not be stored, so nothing was saved. Try again in a moment.")
