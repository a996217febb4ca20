"""Small dataclasses that flow between the ingestion stages. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from archsearch.levels import Level


@dataclass(frozen=True)
class SourceFile:
    """A file found by discovery, inside one collection."""

    path: Path  # absolute, resolved
    collection: str  # collection name
    root: Path  # the collection's root directory (absolute, resolved)

    @property
    def relpath(self) -> str:
        return self.path.relative_to(self.root).as_posix()


@dataclass
class PageText:
    """The text of one page, and how it was obtained."""

    number: int  # 1-based
    text: str
    ocr: bool = False  # text came from Tesseract
    ocr_failed: bool = False  # the page needed OCR but OCR could not run or timed out


@dataclass
class Extracted:
    """What an extractor returns: the text page by page, plus notes for the report."""

    mime: str
    pages: list[PageText]
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # for text formats: the encoding the bytes were decoded with

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def ocr_pages(self) -> int:
        return sum(1 for page in self.pages if page.ocr)


@dataclass
class TextFields:
    """What the text of an administrative document says about itself (all optional)."""

    doc_number: str | None = None  # as written, normalised: "821/QĐ-BQP"
    date: dt.date | None = None  # the issue date
    doc_type: str | None = None  # "Quyết định", "Công văn", ...
    issuer: str | None = None  # "BỘ QUỐC PHÒNG"
    title: str | None = None  # tên loại + trích yếu: "Quyết định về việc ..."
    stamp: Level | None = None  # MẬT / TỐI MẬT / TUYỆT MẬT found near the top
    doc_numbers_cited: list[str] = field(default_factory=list)  # every number in the text
    declassified: dt.date | None = None  # the date on a GIẢI MẬT stamp, if any


@dataclass
class DeclaredMetadata:
    """Metadata declared outside the text: a sidecar FILE.meta.json or a manifest.csv row."""

    title: str | None = None
    doc_number: str | None = None
    date: dt.date | None = None
    doc_type: str | None = None
    issuer: str | None = None
    classification: Level | None = None
    compartments: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One document ready to index: everything the index stores about it."""

    id: str
    path: Path
    collection: str
    relpath: str
    mime: str
    text: str
    classification: Level
    classification_source: str  # "declared", "stamp", "declared+stamp", "default"
    compartments: tuple[str, ...]
    title: str
    doc_number: str | None
    date: dt.date | None
    doc_type: str | None
    issuer: str | None
    page_count: int
    ocr_pages: int
    content_hash: str
    meta_hash: str
    doc_numbers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    declassified: dt.date | None = None  # date of a GIẢI MẬT stamp, when the text carries one
    ocr_failed_pages: int = 0  # pages that needed OCR but could not get it
