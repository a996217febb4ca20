"""Manifests: a `manifest.csv` in any directory of a collection, one row per document below it.

Stage: metadata & classification (declared.py holds the field rules shared with sidecars and the
precedence rule). Columns: path,classification,title,doc_number,date,doc_type,issuer,compartments;
the name in any case (discovery skips it in any case), two spellings in one directory are an
error. A row's path is relative to the manifest's directory and must stay below it.

Every manifest above a document counts, not only the nearest: the level is the strictest of
them, the compartments the union, descriptive fields come from the nearest that gives them. A
manifest (or a row) that cannot be read makes the documents it covers fail (MetadataError).

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     root = pathlib.Path(folder).resolve()
...     (root / "sub").mkdir()
...     _ = (root / "manifest.csv").write_text("path,classification\\nsub/qd.pdf,Mật\\n", encoding="utf-8")
...     _ = (root / "sub" / "manifest.csv").write_text("path,classification,title\\nqd.pdf,Thường,Quy chế\\n", encoding="utf-8")
...     row = load_manifests(root).lookup(root / "sub" / "qd.pdf")
>>> row.classification.id, row.title
('confidential', 'Quy chế')
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterable

from archsearch.ingest.declared import (
    FIELDS,
    MetadataError,
    decode_declaration,
    declared_from_values,
    first_given,
    normalise_compartments,
)
from archsearch.levels import stricter
from archsearch.normalise import nfc
from archsearch.records import DeclaredMetadata

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("path",) + FIELDS


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
            content = decode_declaration(data)
        except ValueError as error:
            raise _Unusable(str(error)) from error
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
            row = declared_from_values({k: (v if v.strip() else None) for k, v in values.items()}, where, in_manifest=True)
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
            title=first_given(*(row.title for row in rows)),
            doc_number=first_given(*(row.doc_number for row in rows)),
            date=first_given(*(row.date for row in rows)),
            doc_type=first_given(*(row.doc_type for row in rows)),
            issuer=first_given(*(row.issuer for row in rows)),
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
