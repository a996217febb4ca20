"""Declared metadata (sidecars, manifests) and the one precedence rule that merges it with the text.

Stage: metadata & classification. Input: a document's path, its collection root, and the
`TextFields` parsed from its text. Output: `DeclaredMetadata` per sidecar or manifest row, and a
`ResolvedMetadata` for the document.

Sources (each read in its own module; this one holds what they share and the precedence rule):
- a sidecar `X.meta.json` next to a document `X` (a JSON object): sidecars.py;
- a `manifest.csv` (any case; two spellings in one directory are an error) in any directory of
  a collection, one row per document below that directory
  (columns path,classification,title,doc_number,date,doc_type,issuer,compartments): manifests.py.

Precedence for descriptive fields: sidecar > nearest manifest row > farther rows > text; the
title falls back to the file name. Security markings are never taken from one source alone:
the declared level is the strictest of the sidecar and every manifest row listing the document,
its compartments the union of all of them; the effective level is
`classification.effective_level(declared, stamp, default)`.

Declared levels control who may read a document, so every doubt is resolved on the strict side:
an unparseable level becomes top-secret, and a sidecar or manifest that cannot be read (compartments
included: anything but a list of valid names, `normalise.compartment_name`) makes the documents it
covers fail (MetadataError) rather than be indexed at a guessed, lower level.

>>> row = declared_from_values({"classification": "Mật", "title": "Quy chế"}, "manifest.csv row 2", in_manifest=True)
>>> side = declared_from_values({"classification": "Tối mật", "compartments": ["cnqp"]}, "sidecar qd.pdf.meta.json")
>>> resolved = resolve(side, row, TextFields(), Level.UNCLASSIFIED, "qd.pdf")
>>> resolved.title, resolved.classification.id, resolved.compartments
('Quy chế', 'secret', ('CNQP',))
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from archsearch.dates import make_date, numeric_date_parts
from archsearch.errors import ExtractionError
from archsearch.ingest.classification import effective_level
from archsearch.levels import Level, parse_document_level, stricter
from archsearch.normalise import COMPARTMENT_SEPARATOR, compartment_name, nfc
from archsearch.records import DeclaredMetadata, TextFields

FIELDS = ("classification", "title", "doc_number", "date", "doc_type", "issuer", "compartments")


class MetadataError(ExtractionError):
    """A sidecar or manifest that cannot be read: the documents it covers must not be indexed."""


@dataclass
class ResolvedMetadata:
    """The metadata a document is indexed with, after precedence."""

    title: str
    doc_number: str | None
    date: dt.date | None
    doc_type: str | None
    issuer: str | None
    classification: Level
    classification_source: str  # "declared", "stamp", "declared+stamp", "default"
    compartments: tuple[str, ...]
    declassified: dt.date | None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Field values (shared by sidecars and manifest rows)
# ---------------------------------------------------------------------------------------------


def parse_declared_date(value: str) -> dt.date | None:
    """A declared date, "YYYY-MM-DD" or "DD/MM/YYYY"; None when it is neither or not a real date.

    >>> parse_declared_date("1987-06-08"), parse_declared_date("8/6/1987")
    (datetime.date(1987, 6, 8), datetime.date(1987, 6, 8))
    >>> parse_declared_date("2020-02-30") is None
    True
    """
    parts = numeric_date_parts(value.strip(), separators="/", partial=False)
    return make_date(*parts) if parts else None


def normalise_compartments(names: Iterable[str]) -> tuple[str, ...]:
    """Canonical (normalise.compartment_name), deduplicated and sorted compartment names.
    ValueError when any of them is not a valid name: a declaration that cannot be read
    must not lose a compartment.

    >>> normalise_compartments([" ab ", "AB", "cnqp", "x,y"])
    ('AB', 'CNQP', 'X,Y')
    """
    return tuple(sorted({compartment_name(name) for name in names}))


def _text(value: object, key: str, warn) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        warn(f"{key}: expected text, got {type(value).__name__}; ignored")
        return None
    value = re.sub(r"\s+", " ", nfc(value)).strip()
    return value or None


def _compartments(value: object, in_manifest: bool) -> tuple[str, ...]:
    """Declared compartments: a JSON list of names in a sidecar, a `;`-separated cell in a
    manifest. Anything else raises ValueError: a compartment that cannot be read would
    otherwise be dropped, and the document shown to users who lack it."""
    if value is None:
        return ()
    if in_manifest:
        names = value.split(COMPARTMENT_SEPARATOR)
    elif isinstance(value, list):
        names = value
    else:
        raise ValueError(f"expected a list of names, got {type(value).__name__}")
    try:
        return normalise_compartments(names)
    except ValueError as error:
        raise ValueError(f"{error} (in {value!r})" if in_manifest else str(error)) from None


def declared_from_values(values: Mapping[str, object], where: str, in_manifest: bool = False) -> DeclaredMetadata:
    """DeclaredMetadata from already-decoded key/values; problems become warnings naming `where`,
    except unreadable compartments, which raise MetadataError (naming `where`)."""
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(f"{where}: {message}")

    for key in values:
        if key not in FIELDS:
            warn(f"unknown key {key!r} ignored")

    try:
        compartments = _compartments(values.get("compartments"), in_manifest)
    except ValueError as error:
        raise MetadataError(f"{where}: compartments: {error}") from None

    raw_level = values.get("classification")
    if raw_level is None or isinstance(raw_level, str):
        level, problem = parse_document_level(raw_level)
    else:  # a number is a level id ("1"); anything else is unparseable -> top-secret
        level, problem = parse_document_level(
            str(raw_level) if isinstance(raw_level, int) and not isinstance(raw_level, bool) else json.dumps(raw_level)
        )
    if problem:
        warn(problem)

    date = None
    raw_date = _text(values.get("date"), "date", warn)
    if raw_date is not None:
        date = parse_declared_date(raw_date)
        if date is None:
            warn(f"date {raw_date!r} is not a valid YYYY-MM-DD or DD/MM/YYYY date; ignored")

    return DeclaredMetadata(
        title=_text(values.get("title"), "title", warn),
        doc_number=_text(values.get("doc_number"), "doc_number", warn),
        date=date,
        doc_type=_text(values.get("doc_type"), "doc_type", warn),
        issuer=_text(values.get("issuer"), "issuer", warn),
        classification=level,
        compartments=compartments,
        warnings=warnings,
    )


def decode_declaration(data: bytes) -> str:
    """The text of a sidecar or manifest: UTF-8, with or without the BOM Excel writes. ValueError
    naming the first bad byte otherwise (the caller says which file).

    >>> decode_declaration("\\ufeffpath".encode())
    'path'
    >>> decode_declaration(b"path\\xff")
    Traceback (most recent call last):
    ...
    ValueError: not UTF-8 (byte 0xff at offset 4)
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from None


# ---------------------------------------------------------------------------------------------
# Precedence
# ---------------------------------------------------------------------------------------------


def first_given(*values):
    """The first value a source gives (not None): the nearer source wins a descriptive field."""
    return next((value for value in values if value is not None), None)


def resolve(
    sidecar: DeclaredMetadata | None,
    manifest_row: DeclaredMetadata | None,
    text: TextFields,
    default_level: Level,
    filename: str,
) -> ResolvedMetadata:
    """Merge the sources of one document: sidecar > manifest > text for descriptive fields;
    the stricter of every declared level and the stamp for the classification; the union of
    declared compartments."""
    side = sidecar or DeclaredMetadata()
    row = manifest_row or DeclaredMetadata()
    warnings = list(side.warnings) + list(row.warnings)

    declared = stricter(side.classification, row.classification)
    if side.classification is not None and row.classification is not None and side.classification != row.classification:
        warnings.append(
            f"sidecar declares {side.classification}, manifest declares {row.classification}: using {declared}"
        )
    level, source = effective_level(declared, text.stamp, default_level)
    if text.stamp is not None and declared is not None and text.stamp > declared:
        warnings.append(
            f"stamp {text.stamp.vietnamese.upper()} is stricter than declared {declared}: using {level}"
        )

    title = first_given(side.title, row.title, text.title) or Path(filename).stem or filename
    return ResolvedMetadata(
        title=title,
        doc_number=first_given(side.doc_number, row.doc_number, text.doc_number),
        date=first_given(side.date, row.date, text.date),
        doc_type=first_given(side.doc_type, row.doc_type, text.doc_type),
        issuer=first_given(side.issuer, row.issuer, text.issuer),
        classification=level,
        classification_source=source,
        compartments=normalise_compartments(side.compartments + row.compartments),
        declassified=text.declassified,
        warnings=warnings,
    )
