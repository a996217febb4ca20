"""Detect stage: which extractor reads a file, decided from its content, never its name.

Input: a path to a regular file. Output: a libmagic MIME type (`detect_mime`) and one of the
extractor kinds "pdf", "image", "docx", "text", "html" (`kind_for_mime`), or None when the file
type is unsupported (the caller reports "unsupported file type <mime>").

A file named `.pdf` that holds text is "text"; libmagic's answer is refined only where it is
known to be vague: DOCX (sometimes plain `application/zip` or `application/octet-stream`) and
HTML (sometimes `text/plain` or `text/xml`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import magic

from archsearch.errors import ExtractionError

# libmagic needs only the first few KB for every type we support.
_SNIFF_BYTES = 8192
_HTML_SNIFF_BYTES = 1024
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_IMAGE_MIMES = frozenset({"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/x-ms-bmp"})
_PDF_MIMES = frozenset({"application/pdf", "application/x-pdf"})
# Containers that may be a DOCX libmagic did not recognise: confirmed by the zip's members.
_MAYBE_DOCX_MIMES = frozenset({DOCX_MIME, "application/zip", "application/octet-stream"})
_TEXTUAL_MIMES = frozenset({"application/xml", "application/json", "application/csv"})


def detect_mime(path: Path) -> str:
    """The MIME type libmagic reads from the file's first 8 KB. Raises ExtractionError for an
    empty file (libmagic would call it `application/x-empty`, which no extractor reads)."""
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head:
        raise ExtractionError("empty file")
    return magic.from_buffer(head, mime=True)


def kind_for_mime(mime: str, path: Path) -> str | None:
    """Map a MIME type to an extractor kind; None means unsupported. Reads `path` only to
    confirm a DOCX (zip holding word/document.xml) or to sniff HTML in the first KB."""
    if mime in _PDF_MIMES:
        return "pdf"
    if mime in _IMAGE_MIMES:
        return "image"
    if mime in _MAYBE_DOCX_MIMES:
        # A zip that is not a Word document (or binary junk) is unsupported.
        return "docx" if _is_docx(path) else None
    if mime == "text/html" or mime == "application/xhtml+xml":
        return "html"
    if mime.startswith("text/") or mime in _TEXTUAL_MIMES:
        return "html" if _looks_like_html(path) else "text"
    return None


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return False
    return True


def _looks_like_html(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(_HTML_SNIFF_BYTES).lower()
    # Dropping NULs lets the ASCII markers match UTF-16 text as well.
    head = head.replace(b"\x00", b"")
    return any(marker in head for marker in _HTML_MARKERS)
