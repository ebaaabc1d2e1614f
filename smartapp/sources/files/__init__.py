"""Uploaded note files: type detection and text extraction, storage, and the rules that
read provider and date of service from the text. No Flask here; the upload service ties it together."""
