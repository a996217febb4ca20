"""Extract stage: a file of a detected kind -> its text, page by page.

Input: a path, the kind chosen by `detect.kind_for_mime` ("pdf", "image", "docx", "text",
"html") and ExtractLimits. Output: `records.Extracted`, every page's text passed through
`normalise.clean_text` (NFC, control characters dropped). Every failure of a bad file surfaces
as ExtractionError (OcrUnavailable for an image that cannot be OCR'd) with a human reason; the
caller records it and goes on with the batch.

One module per kind; pdfminer, pypdfium2 and the Tesseract subprocess stay inside this package.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from archsearch.config import ExtractLimits  # the limits are settings (Settings.limits)
from archsearch.errors import ExtractionError
from archsearch.normalise import clean_text
from archsearch.records import Extracted


def _pdf(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    from archsearch.ingest.extract.pdf import extract_pdf  # pdfminer and pdfium load only when a PDF is met

    return extract_pdf(path, limits, mime)


def _image(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    from archsearch.ingest.extract.image import extract_image

    return extract_image(path, limits, mime)


def _docx(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    from archsearch.ingest.extract.office import extract_docx

    return extract_docx(path, limits, mime)


def _text(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    from archsearch.ingest.extract.text import extract_text

    return extract_text(path, limits, mime)


def _html(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    from archsearch.ingest.extract.text import extract_text

    return extract_text(path, limits, mime, html=True)


_EXTRACTORS: dict[str, Callable[[Path, ExtractLimits, str], Extracted]] = {
    "pdf": _pdf,
    "image": _image,
    "docx": _docx,
    "text": _text,
    "html": _html,
}
# The MIME recorded when the caller does not pass the detected one.
_DEFAULT_MIMES = {
    "pdf": "application/pdf",
    "image": "image/unknown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
    "html": "text/html",
}
KINDS = frozenset(_EXTRACTORS)
_MAX_REASON = 300


def extract(path: Path, kind: str, limits: ExtractLimits, mime: str | None = None) -> Extracted:
    """Text of `path` read as `kind`, one PageText per page, every page clean_text'ed.

    `mime` is the detected MIME type to record (defaults to a generic one per kind).
    Raises ExtractionError (or its subclass OcrUnavailable) for any bad file; an unexpected
    library exception is wrapped here, at this one place, with its type and message.
    MemoryError and KeyboardInterrupt propagate. A ValueError means an unknown `kind`."""
    try:
        extractor = _EXTRACTORS[kind]
    except KeyError:
        raise ValueError(f"unknown extractor kind {kind!r}; expected one of {sorted(KINDS)}") from None
    try:
        extracted = extractor(Path(path), limits, mime or _DEFAULT_MIMES[kind])
    except (ExtractionError, MemoryError):
        raise
    except RecursionError as exc:  # a pathologically nested file, not a bug of ours
        raise ExtractionError(f"{kind}: structure nested too deeply") from exc
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}".strip()
        if len(reason) > _MAX_REASON:
            reason = reason[: _MAX_REASON - 1] + "…"
        raise ExtractionError(f"cannot read {kind} file: {reason}") from exc
    extracted.pages = [replace(page, text=clean_text(page.text)) for page in extracted.pages]
    return extracted
