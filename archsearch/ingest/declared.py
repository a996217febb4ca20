"""Declared metadata (sidecars, manifests) and the one precedence rule that merges it with the text.

Stage: metadata & classification. Input: a document's path, its collection root, and the
`TextFields` parsed from its text. Output: `DeclaredMetadata` per sidecar or manifest row, and a
`ResolvedMetadata` for the document.

Sources:
- a sidecar `X.meta.json` next to a document `X` (a JSON object);
- a `manifest.csv` (any case; two spellings in one directory are an error) in any directory of
  a collection, one row per document below that directory
  (columns path,classification,title,doc_number,date,doc_type,issuer,compartments).

Precedence for descriptive fields: sidecar > nearest manifest row > farther rows > text; the
title falls back to the file name. Security markings are never taken from one source alone:
the declared level is the strictest of the sidecar and every manifest row listing the document,
its compartments the union of all of them; the effective level is
`classification.effective_level(declared, stamp, default)`.

Declared levels control who may read a document, so every doubt is resolved on the strict side:
an unparseable level becomes top-secret, and a sidecar or manifest that cannot be read (compartments
included: anything but a list of valid names, `normalise.compartment_name`) makes the documents it
covers fail (MetadataError) rather than be indexed at a guessed, lower level.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterable, Mapping

from archsearch.ingest.classification import effective_level
from archsearch.errors import ExtractionError
from archsearch.levels import Level, parse_document_level, stricter
from archsearch.normalise import COMPARTMENT_SEPARATOR, compartment_name, nfc
from archsearch.records import DeclaredMetadata, TextFields

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.csv"
# A sidecar holds a few fields; anything bigger is not a sidecar (and is not read into memory).
MAX_SIDECAR_BYTES = 1 << 20

FIELDS = ("classification", "title", "doc_number", "date", "doc_type", "issuer", "compartments")
MANIFEST_COLUMNS = ("path",) + FIELDS


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

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_declared_date(value: str) -> dt.date | None:
    """A declared date, "YYYY-MM-DD" or "DD/MM/YYYY"; None when it is neither or not a real date.

    >>> parse_declared_date("1987-06-08"), parse_declared_date("8/6/1987")
    (datetime.date(1987, 6, 8), datetime.date(1987, 6, 8))
    >>> parse_declared_date("2020-02-30") is None
    True
    """
    value = value.strip()
    try:
        if match := _ISO_DATE.fullmatch(value):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _VN_DATE.fullmatch(value):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


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


def _declared(values: Mapping[str, object], where: str, in_manifest: bool = False) -> DeclaredMetadata:
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


# ---------------------------------------------------------------------------------------------
# Sidecars
# ---------------------------------------------------------------------------------------------


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            # last-one-wins would let a second "classification" silently lower the level
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def read_sidecar(path: Path, names_in_directory: Iterable[str] | None = None) -> DeclaredMetadata | None:
    """The sidecar `X.meta.json` of the document `X`, or None when there is none.

    Raises MetadataError when the sidecar exists but cannot be used (unreadable, over 1 MiB,
    not UTF-8, invalid JSON, duplicate keys, not an object): its declared level is unknown.
    Also when a file named like it in another case exists (`X.META.JSON`): discovery skips it
    as a sidecar, so it must not be skipped as a declaration either. `names_in_directory`: the
    names in the document's directory, when the caller has listed it already.
    Field problems (unknown key, bad date, unknown level) are warnings on the result.
    """
    sidecar = sidecar_path(Path(path))
    name = sidecar.name

    def fail(problem: str) -> MetadataError:
        return MetadataError(f"sidecar {name}: {problem}")

    if names_in_directory is None:
        try:
            names_in_directory = os.listdir(sidecar.parent)
        except OSError:
            names_in_directory = [name] if os.path.lexists(sidecar) else []
    spellings = sorted(n for n in names_in_directory if n.casefold() == name.casefold() and n != name)
    if spellings:
        raise fail(f"also spelled {', '.join(spellings)} in the same directory; a sidecar is named "
                   f"exactly after its document: keep one {name}")
    if not os.path.lexists(sidecar):
        return None
    if not sidecar.is_file():  # a directory, a dangling link: declared but unreadable
        raise fail("not a regular file")
    try:
        with open(sidecar, "rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read ({error.strerror or error})") from error
    if len(data) > MAX_SIDECAR_BYTES:
        raise fail(f"larger than {MAX_SIDECAR_BYTES} bytes")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise fail(f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from error
    try:
        values = json.loads(content, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise fail(f"invalid JSON at line {error.lineno} column {error.colno}") from error
    except ValueError as error:  # from _no_duplicate_keys
        raise fail(str(error)) from error
    if not isinstance(values, dict):
        raise fail(f"expected a JSON object, got {type(values).__name__}")
    return _declared(values, f"sidecar {name}")


# ---------------------------------------------------------------------------------------------
# Manifests
# ---------------------------------------------------------------------------------------------


def _is_absolute(raw: str) -> bool:
    return PurePosixPath(raw).is_absolute() or PureWindowsPath(raw).is_absolute() or bool(PureWindowsPath(raw).drive)


@dataclass
class Manifest:
    """One manifest.csv: its rows by resolved document path, or the error that made it unusable."""

    path: Path  # the manifest.csv file
    directory: Path  # resolved; row paths are relative to it
    rows: dict[Path, DeclaredMetadata] = field(default_factory=dict)
    # rows naming a document whose declaration cannot be read (its compartments): it fails
    row_errors: dict[Path, str] = field(default_factory=dict)
    error: str | None = None  # set when the manifest could not be read at all
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.path.name} at {self.directory}"

    @classmethod
    def load(cls, csv_path: Path) -> Manifest:
        """Read one manifest; never raises -- an unusable manifest keeps its error instead."""
        csv_path = Path(csv_path)
        manifest = cls(path=csv_path, directory=csv_path.parent.resolve())
        try:
            manifest._read()
        except _Unusable as problem:
            manifest.rows = {}
            manifest.error = f"{manifest.label}: {problem}"
            manifest.warnings.append(manifest.error + "; documents under it will fail")
        return manifest

    def _read(self) -> None:
        if self.path.is_symlink():
            raise _Unusable("is a symbolic link (not followed)")
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise _Unusable(f"cannot read ({error.strerror or error})") from error
        try:
            content = data.decode("utf-8-sig")  # Excel writes a BOM
        except UnicodeDecodeError as error:
            raise _Unusable(f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from error
        # strict: a stray or unclosed quote is an error, not a row silently glued to the next
        reader = csv.reader(io.StringIO(content, newline=""), strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise _Unusable("empty file (a header row naming a 'path' column is required)")
            columns = [nfc(name).strip().lower().lstrip("\ufeff") for name in header]
            if "path" not in columns:
                raise _Unusable("the header row has no 'path' column")
            duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
            if duplicated:
                raise _Unusable(f"duplicate column {duplicated[0]!r}")
            for column in columns:
                if column and column not in MANIFEST_COLUMNS:
                    self.warnings.append(f"{self.label}: unknown column {column!r} ignored")
            # spreadsheet numbering: the header is row 1, the first document row is row 2
            for number, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                self._add_row(number, columns, cells)
        except csv.Error as error:
            raise _Unusable(f"CSV error at line {reader.line_num}: {error}") from error

    def _add_row(self, number: int, columns: list[str], cells: list[str]) -> None:
        where = f"{self.label} row {number}"
        if len(cells) > len(columns):
            self.warnings.append(f"{where}: {len(cells) - len(columns)} cell(s) beyond the header ignored")
        values = {c: cells[i] for i, c in enumerate(columns) if i < len(cells) and c in FIELDS}
        raw = cells[columns.index("path")].strip() if columns.index("path") < len(cells) else ""
        target = self._target(raw, where)
        if target is None:
            return
        try:
            row = _declared({k: (v if v.strip() else None) for k, v in values.items()}, where, in_manifest=True)
        except MetadataError as error:
            self.row_errors.setdefault(target, error.reason)
            return
        previous = self.rows.get(target)
        if previous is not None:
            # two rows for one file: keep the first, but never let the second declare less
            self.warnings.append(f"{where}: {raw!r} is listed again; merged with the first row (stricter level)")
            previous.classification = stricter(previous.classification, row.classification)
            previous.compartments = normalise_compartments(previous.compartments + row.compartments)
            previous.warnings.extend(row.warnings)
            return
        self.rows[target] = row

    def _target(self, raw: str, where: str) -> Path | None:
        """The resolved path a row names, or None (with a warning) when it is not below the manifest."""
        if not raw:
            self.warnings.append(f"{where}: empty path; row ignored")
            return None
        if _is_absolute(raw):
            self.warnings.append(f"{where}: absolute path {raw!r}; row ignored")
            return None
        relative = posixpath.normpath(raw.replace("\\", "/"))
        if relative == ".." or relative.startswith("../"):
            self.warnings.append(f"{where}: path {raw!r} escapes the manifest's directory; row ignored")
            return None
        target = (self.directory / relative).resolve()
        if target == self.directory or self.directory not in target.parents:
            # a symbolic link inside the tree pointing out of it
            self.warnings.append(f"{where}: path {raw!r} resolves outside the manifest's directory; row ignored")
            return None
        return target


class _Unusable(Exception):
    """Internal: why a manifest cannot be used at all."""


@dataclass
class ManifestSet:
    """Every manifest of one collection, by directory."""

    root: Path
    manifests: dict[Path, Manifest] = field(default_factory=dict)
    walk_warnings: list[str] = field(default_factory=list)
    searched_above: set[Path] = field(default_factory=set)  # directories above root already read

    @property
    def warnings(self) -> list[str]:
        """Manifest-level warnings: rejected rows, unknown columns, unusable manifests."""
        found = list(self.walk_warnings)
        for directory in sorted(self.manifests):
            found.extend(self.manifests[directory].warnings)
        return found

    def extend_up_to(self, top: Path) -> None:
        """Also read the manifests of the directories above the root, up to `top` (an ancestor):
        a file indexed before from `top` keeps what top's manifests declared when only a
        subdirectory is indexed now."""
        top = Path(top).resolve()
        directory = self.root
        while directory != top and top in directory.parents:
            directory = directory.parent
            if directory not in self.searched_above:
                self.searched_above.add(directory)
                _load_directory(self, directory, _names(directory))

    def lookup(self, path: Path) -> DeclaredMetadata | None:
        """The declaration of every manifest listing a document, merged; None when none does.

        Every manifest counts, not only the nearest: a manifest deeper in the tree cannot
        lower the level (or drop a compartment) that one above it declares. The level is the
        strictest, the compartments the union; descriptive fields come from the nearest
        manifest that gives them. Raises MetadataError when any manifest in a directory above
        the document could not be read, or its row for the document could not: it might have
        declared a stricter level or a compartment.
        """
        path = Path(path).resolve()
        covering = [self.manifests[d] for d in path.parents if d in self.manifests]  # nearest first
        for manifest in covering:
            if manifest.error is not None:
                raise MetadataError(manifest.error)
        for manifest in covering:
            if path in manifest.row_errors:
                raise MetadataError(manifest.row_errors[path])
        listed = [m for m in covering if path in m.rows]
        if not listed:
            return None
        rows = [m.rows[path] for m in listed]
        if len(rows) == 1:
            return rows[0]
        level = None
        for row in rows:
            level = stricter(level, row.classification)
        warnings = [w for row in rows for w in row.warnings]
        if len({row.classification for row in rows if row.classification is not None}) > 1:
            declared = ", ".join(f"{row.classification} in {m.label}" for m, row in zip(listed, rows)
                                 if row.classification is not None)
            warnings.append(f"manifests disagree ({declared}): using the strictest, {level}")
        return DeclaredMetadata(
            title=_first(*(row.title for row in rows)),
            doc_number=_first(*(row.doc_number for row in rows)),
            date=_first(*(row.date for row in rows)),
            doc_type=_first(*(row.doc_type for row in rows)),
            issuer=_first(*(row.issuer for row in rows)),
            classification=level,
            compartments=normalise_compartments(c for row in rows for c in row.compartments),
            warnings=warnings,
        )


def load_manifests(root: Path) -> ManifestSet:
    """Every manifest.csv under a collection root (links not followed, hidden directories skipped
    like discovery does). Never raises: unusable manifests are remembered for `lookup`."""
    root = Path(root).resolve()
    found = ManifestSet(root=root)

    def report(error: OSError) -> None:
        found.walk_warnings.append(f"cannot read directory {error.filename}: {error.strerror}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        _load_directory(found, Path(dirpath), filenames)
    return found


def _names(directory: Path) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _load_directory(found: ManifestSet, directory: Path, filenames: Iterable[str]) -> None:
    """The manifest of one directory into `found`, if it has one."""
    # discovery skips "manifest.csv" in any case, so read it in any case too
    spellings = sorted(name for name in filenames if name.lower() == MANIFEST_NAME)
    if not spellings:
        return
    manifest = Manifest.load(directory / spellings[0])
    if len(spellings) > 1:
        # Which one an archivist meant is unknown, and either may declare the stricter level.
        manifest.rows, manifest.row_errors = {}, {}
        manifest.error = (f"{manifest.label}: {len(spellings)} manifests in one directory "
                          f"({', '.join(spellings)}); keep one")
        manifest.warnings.append(manifest.error + "; documents under it will fail")
    found.manifests[manifest.directory] = manifest


# ---------------------------------------------------------------------------------------------
# Precedence
# ---------------------------------------------------------------------------------------------


def _first(*values):
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

    title = _first(side.title, row.title, text.title) or Path(filename).stem or filename
    return ResolvedMetadata(
        title=title,
        doc_number=_first(side.doc_number, row.doc_number, text.doc_number),
        date=_first(side.date, row.date, text.date),
        doc_type=_first(side.doc_type, row.doc_type, text.doc_type),
        issuer=_first(side.issuer, row.issuer, text.issuer),
        classification=level,
        classification_source=source,
        compartments=normalise_compartments(side.compartments + row.compartments),
        declassified=text.declassified,
        warnings=warnings,
    )
