"""Export for audits: the documents a user may see that match a query and filters -> one file
an inspection can take away, and the check of such a file later.

Input: an open `ScopedSearcher` (the user's scope -- nothing else is read from the index), a
query or None, `ExportFilters` (= `filters.SearchFilters`). Output, by format:
  csv    one row per document, UTF-8 with a BOM (spreadsheet programs then show Vietnamese)
  jsonl  one JSON object per document
  zip    a bundle: `files/<collection>/<relpath>` (the originals), `text/<collection>/<relpath>.txt`
         (the indexed text), `manifest.csv`, `manifest.jsonl`, then the cover `EXPORT.txt`
         (readable) and `EXPORT.json` (who, clearance, OS account, when, query, filters, count,
         highest level, warnings, SHA-256 and size of every other member).

Rules (README, "Export for audits"):
- Marking. The highest level among the exported documents goes into the file name, before the
  extension: `.MAT`, `.TOI-MAT`, `.TUYET-MAT` (`bundle.zip` -> `bundle.TOI-MAT.zip`). A marking
  the given name already carries is replaced by the right one, so the name never under- or
  over-states the content; unclassified content is unmarked. The caller is told the final path.
- Determinism. Members are written in the order of `ScopedSearcher.matches` (rank for a query,
  path without), with a fixed time stamp (1980-01-01), mode 0600 and deflate: the same export of
  the same index gives byte-identical members; only `EXPORT.json`/`EXPORT.txt` differ (the time).
- Sources. An original whose SHA-256 differs from the indexed `content_hash`, or that is gone, is
  left out of the bundle -- its indexed text and manifest row stay -- and the cover lists it under
  warnings. One that changes while it is being copied aborts the export.
- Streaming. Documents are read one page of hits at a time and written as they come; manifests
  are spooled to unnamed temporary files in the target directory. The output is written to a
  hidden temporary name beside the target and renamed at the end, so the final name never holds
  a partial file. Files are created 0600.
- The target directory is opened once, each component of its resolved path without following a
  link, and checked on that descriptor (not inside the index home); every file is then created,
  renamed and removed relative to it. Whoever can write a directory on the way to the target
  (`/tmp/d`) cannot turn it into a link into the index home between the check and the write.
"""

from __future__ import annotations

import contextlib
import errno
import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from archsearch.trust.access import stored_compartments
from archsearch.errors import ArchsearchError, UsageError
from archsearch.engine.filters import SearchFilters
from archsearch.levels import Level

FORMATS = ("csv", "jsonl", "zip")
BUNDLE_FORMAT = "archsearch-export/1"
COVER_JSON = "EXPORT.json"
COVER_TXT = "EXPORT.txt"
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSONL = "manifest.jsonl"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time leaks in
MEMBER_MODE = 0o600
CHUNK = 1 << 20

# File-name markings: the Vietnamese stamp, folded to ASCII so every file system and mail
# gateway keeps it.
MARKINGS = {Level.CONFIDENTIAL: "MAT", Level.SECRET: "TOI-MAT", Level.TOP_SECRET: "TUYET-MAT"}
STAMPS = {Level.CONFIDENTIAL: "MẬT", Level.SECRET: "TỐI MẬT", Level.TOP_SECRET: "TUYỆT MẬT"}

COLUMNS = [
    "id", "path", "title", "doc_number", "date", "doc_type", "issuer", "classification",
    "compartments", "page_count", "ocr", "sha256",
]
BUNDLE_COLUMNS = ["file", "text_file"]  # added to the manifests inside a zip

Progress = Callable[[str, str], None]  # (event, detail): "document", "warning", "done"


class ExportError(ArchsearchError):
    """A source changed while it was being exported, or the bundle would be too large to
    verify: nothing was written under the final name."""

    exit_code = 8


# The filters are shared with search and saved searches (filters.py); the export's name stays.
ExportFilters = SearchFilters


@dataclass
class ExportResult:
    path: Path  # the final, marked path
    format: str
    count: int
    ids: list[str]
    highest_level: Level | None
    sha256: str  # of the whole output file
    warnings: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "path": str(self.path), "format": self.format, "count": self.count,
            "highest_level": self.highest_level.id if self.highest_level is not None else None,
            "sha256": self.sha256, "warnings": self.warnings,
        }


@dataclass(frozen=True)
class OutputPlan:
    out: Path  # absolute, as given (before marking)
    format: str
    force: bool
    index_dir: Path  # the index home: the target directory is checked again, when opened


# -- where the output goes ---------------------------------------------------------------

def plan_output(out: Path, fmt: str | None, index_dir: Path, force: bool) -> OutputPlan:
    """Check the target before any work: known format, existing directory, outside the index
    home, not already there (unless `force`). Early answers only: `write_export` opens the
    directory itself and checks again on what it opened."""
    out = Path(os.path.abspath(out))
    if fmt is None:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UsageError(f"cannot tell the format from {out.name!r}: add --format csv, jsonl or zip")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use csv, jsonl or zip")
    home = Path(index_dir).resolve()
    try:
        resolved = out.parent.resolve() / out.name
    except OSError as error:  # a link on the way vanished while it was read
        raise UsageError(f"cannot resolve the directory {out.parent}: {error.strerror}") from None
    if resolved == home or home in resolved.parents:
        raise UsageError(f"{out} is inside the index home {home}: write the export somewhere else")
    if not out.parent.is_dir():
        raise UsageError(f"the directory {out.parent} does not exist")
    if out.is_dir():
        raise UsageError(f"{out} is a directory: give a file name with --out")
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError(f"{out} exists: choose another --out, or add --force to replace it")
    return OutputPlan(out, fmt, force, Path(index_dir))


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# A component on the way only needs to be searched, not read (a 0711 home directory).
_O_WALK = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_NOFOLLOW | _O_CLOEXEC


def open_target_directory(directory: Path, index_dir: Path) -> int:
    """A descriptor of `directory` for creating the export in, or UsageError.

    The path is resolved once (links the owner of the path put there are followed here); then
    every component of the resolved path is opened from `/`, relative to the previous one and
    without following a link, so a component swapped for a link after the resolution is
    refused, not followed. What was opened is then checked: not the index home or inside it."""
    try:
        resolved = os.path.realpath(directory)
    except OSError as error:  # a link on the way vanished while it was read
        raise UsageError(f"cannot resolve the directory {directory}: {error.strerror}") from None
    fd = os.open("/", _O_WALK)
    try:
        parts = PurePosixPath(resolved).parts[1:]
        for number, part in enumerate(parts, start=1):
            last = number == len(parts)
            flags = (os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _O_CLOEXEC) if last else _O_WALK
            try:
                child = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                raise UsageError(f"the directory {directory} does not exist") from None
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    raise UsageError(
                        f"{directory} changed while it was being opened (a part of it is now a link or not a "
                        "directory): the export was refused; write it to a directory only you can change"
                    ) from None
                raise UsageError(f"cannot open the directory {directory}: {error.strerror}") from None
            os.close(fd)
            fd = child
        if _is_within(fd, Path(index_dir)):
            raise UsageError(f"{directory} is inside the index home {index_dir}: write the export somewhere else")
        return fd
    except BaseException:
        os.close(fd)
        raise


def _is_within(fd: int, home: Path) -> bool:
    """True when the directory open as `fd` is `home` or below it, walking `..` up from the
    descriptor itself (no path is looked up again)."""
    try:
        target = os.stat(home)
    except FileNotFoundError:
        return False
    wanted = (target.st_dev, target.st_ino)
    current = os.open(".", _O_WALK, dir_fd=fd)
    try:
        for _ in range(PATH_DEPTH_LIMIT):
            here = os.fstat(current)
            if (here.st_dev, here.st_ino) == wanted:
                return True
            parent = os.open("..", _O_WALK, dir_fd=current)
            above = os.fstat(parent)
            os.close(current)
            current = parent
            if (above.st_dev, above.st_ino) == (here.st_dev, here.st_ino):  # "/" is its own parent
                return False
        return True  # deeper than any real path: take the stricter reading
    finally:
        os.close(current)


PATH_DEPTH_LIMIT = 4096


def _create_temporary(dir_fd: int, name: str) -> tuple[str, int]:
    """A new hidden file beside the target, 0600, never a link followed: (its name, its fd)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _O_CLOEXEC
    for _ in range(100):
        candidate = f".{name}.{secrets.token_hex(6)}.part"
        try:
            return candidate, os.open(candidate, flags, 0o600, dir_fd=dir_fd)
        except FileExistsError:
            continue
    raise UsageError(f"cannot create a temporary file beside {name}: too many name collisions")


def _spool(dir_fd: int):
    """An unnamed read-write file in the target directory (nothing to clean up)."""
    if hasattr(os, "O_TMPFILE"):
        try:
            return os.fdopen(os.open(".", os.O_TMPFILE | os.O_RDWR | _O_CLOEXEC, 0o600, dir_fd=dir_fd), "w+b")
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    name, fd = _create_temporary(dir_fd, "spool")
    os.unlink(name, dir_fd=dir_fd)
    return os.fdopen(fd, "w+b")


def marked_path(out: Path, highest: Level | None) -> Path:
    """`out` with the marking of `highest` before its extension, replacing any marking it had.

    >>> marked_path(Path("/x/bundle.zip"), Level.SECRET).name
    'bundle.TOI-MAT.zip'
    >>> marked_path(Path("/x/bundle.TUYET-MAT.zip"), Level.CONFIDENTIAL).name
    'bundle.MAT.zip'
    >>> marked_path(Path("/x/bundle.MAT.csv"), Level.UNCLASSIFIED).name
    'bundle.csv'
    """
    suffix = out.suffix
    stem = out.name[: -len(suffix)] if suffix else out.name
    base, dot, last = stem.rpartition(".")
    if dot and last.upper() in MARKINGS.values():
        stem = base
    marking = MARKINGS.get(highest) if highest is not None else None
    return out.with_name(f"{stem}.{marking}{suffix}" if marking else f"{stem}{suffix}")


def marking_of(name: str) -> str | None:
    """The marking a file name carries, or None."""
    path = PurePosixPath(name)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    _base, dot, last = stem.rpartition(".")
    return last.upper() if dot and last.upper() in MARKINGS.values() else None


# -- rows --------------------------------------------------------------------------------

def _compartments(fields: dict) -> list[str]:
    return sorted(stored_compartments(fields.get("compartments")))


def _level(fields: dict) -> Level:
    return Level[fields["classification"].upper().replace("-", "_")]


def document_row(fields: dict, score: float | None, with_score: bool) -> dict:
    """One document as a manifest row (the same keys in csv, jsonl and the bundle)."""
    row = {
        "id": fields["id"],
        "path": fields["path"],
        "title": fields.get("title") or "",
        "doc_number": fields.get("doc_number") or None,
        "date": fields.get("date") or None,
        "doc_type": fields.get("doc_type") or None,
        "issuer": fields.get("issuer") or None,
        "classification": fields["classification"],
        "compartments": _compartments(fields),
        "page_count": int(fields.get("page_count") or 0),
        "ocr": bool(fields.get("ocr") or (fields.get("ocr_pages") or 0) > 0),
        "sha256": fields.get("content_hash") or None,
    }
    if with_score:
        row["score"] = score
    return row


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: titles come from documents,
    # so a hostile one could run in the auditor's Calc. A leading apostrophe keeps it text.
    if text[:1] in ("=", "+", "-", "@") and not isinstance(value, (int, float)):
        return "'" + text
    return text


class _RowWriter:
    """Writes rows as CSV (UTF-8 with BOM, CRLF) or JSON lines to a binary handle."""

    def __init__(self, handle, fmt: str, columns: list[str]):
        self.fmt, self.columns = fmt, columns
        self.text = io.TextIOWrapper(handle, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="", write_through=False)
        if fmt == "csv":
            self.csv = csv.writer(self.text, lineterminator="\r\n")
            self.csv.writerow(columns)

    def write(self, row: dict) -> None:
        if self.fmt == "csv":
            self.csv.writerow([_cell(row.get(c)) for c in self.columns])
        else:
            self.text.write(json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False) + "\n")

    def finish(self):
        """Flush and hand back the underlying binary handle (the wrapper is detached)."""
        self.text.flush()
        return self.text.detach()


# -- zip members -------------------------------------------------------------------------

def _member_info(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the mode below is honoured on extraction
    info.external_attr = (stat.S_IFREG | MEMBER_MODE) << 16
    info.file_size = size
    return info


def _safe_member(*parts: str) -> str:
    """A member name from collection and relative path: posix, no '.', '..' or empty parts."""
    pieces = [p for part in parts for p in PurePosixPath(part.replace("\\", "/")).parts
              if p not in ("", ".", "..", "/")]
    return "/".join(pieces)


class _Bundle:
    """A zip being written member by member, remembering each member's SHA-256 and size."""

    def __init__(self, handle):
        self.zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.members: list[dict] = []

    def add_bytes(self, name: str, data: bytes) -> None:
        self.zip.writestr(_member_info(name, len(data)), data)
        self.members.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})

    def add_stream(self, name: str, source, size: int) -> str:
        digest = hashlib.sha256()
        written = 0
        with self.zip.open(_member_info(name, size), "w") as target:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                target.write(chunk)
                written += len(chunk)
        self.members.append({"name": name, "sha256": digest.hexdigest(), "size": written})
        return digest.hexdigest()

    def close(self) -> None:
        self.zip.close()


def _sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _add_original(bundle: _Bundle, name: str, path: str, expected: str | None) -> str | None:
    """Copy one source file into the bundle if it is still what was indexed; else the reason
    it was left out."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "source file is gone since indexing"
    except OSError as error:
        return f"source file unreadable: {error.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "source path is no longer a regular file"
    try:
        handle = open(path, "rb")
    except OSError as error:
        return f"source file unreadable: {error.strerror}"
    with handle:
        found = _sha256_of(handle)
        if not expected or found != expected:
            return f"source file changed since indexing (SHA-256 {found}, indexed {expected})"
        handle.seek(0)
        copied = bundle.add_stream(name, handle, os.fstat(handle.fileno()).st_size)
    if copied != expected:
        raise ExportError(f"{path} changed while it was being exported; run the export again")
    return None


# -- the cover ---------------------------------------------------------------------------

def _cover_text(cover: dict, members: list[dict]) -> str:
    highest = cover["highest_level"]
    level = Level[highest.upper().replace("-", "_")] if highest else None
    stamp = STAMPS.get(level) if level is not None else None
    who = cover["exported_by"]
    lines = []
    if stamp:
        lines += [stamp, ""]
    lines += [
        "BIÊN BẢN XUẤT TÀI LIỆU / EXPORT RECORD",
        "",
        f"Người xuất / exported by:   {who['user']} (OS account {who['os_account']})",
        f"Độ mật được phép / clearance: {who['clearance']}"
        + (f" ({who['clearance_vi']})" if who.get("clearance_vi") else "")
        + (f", compartments {', '.join(who['compartments'])}" if who["compartments"] else ""),
        f"Thời điểm / exported at:    {cover['exported_at']}",
        f"Truy vấn / query:           {cover['query'] if cover['query'] is not None else '(none: every visible document)'}",
        "Bộ lọc / filters:           " + (", ".join(f"{k}={v}" for k, v in cover["filters"].items() if v) or "(none)"),
        f"Số tài liệu / documents:    {cover['count']}",
        f"Độ mật cao nhất / highest level: {highest or '(no documents)'}"
        + (f" ({cover['highest_level_vi']})" if cover.get("highest_level_vi") else ""),
        f"Công cụ / tool:             {cover['tool']}",
        "",
    ]
    if cover["warnings"]:
        lines.append(f"CẢNH BÁO / WARNINGS: {len(cover['warnings'])} original(s) NOT included")
        for warning in cover["warnings"]:
            lines.append(f"  {warning['id']}  {warning['path']}: {warning['problem']}")
        lines.append("")
    lines.append("SHA-256 of every member (check with `archsearch export verify BUNDLE`):")
    for member in members:
        lines.append(f"{member['sha256']}  {member['size']:>12}  {member['name']}")
    if stamp:
        lines += ["", stamp]
    return "\n".join(lines) + "\n"


# -- the export --------------------------------------------------------------------------

def write_export(
    searcher,
    query: str | None,
    filters: ExportFilters,
    plan: OutputPlan,
    exporter: dict,
    progress: Progress | None = None,
    on_complete: Callable[[ExportResult], None] | None = None,
) -> ExportResult:
    """Write the export and move it to its marked final name; then call `on_complete` (the
    audit record). If `on_complete` raises, the final file is removed and the error propagates.

    `searcher` is a `ScopedSearcher`; `exporter` describes who exports (user, clearance,
    clearance_vi, compartments, os_account) for the cover.
    """
    notify = progress or (lambda event, detail: None)
    filter_query = filters.to_query(searcher.scope.levels)
    query = query if query and query.strip() else None
    exported_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    dir_fd = open_target_directory(plan.out.parent, plan.index_dir)
    tmp_name: str | None = None
    ours: tuple[int, int] | None = None  # (device, inode) of the file written
    final: Path | None = None
    ids: list[str] = []
    warnings: list[dict] = []
    highest: Level | None = None
    try:
        tmp_name, fd = _create_temporary(dir_fd, plan.out.name)
        with os.fdopen(fd, "w+b") as handle:
            written = os.fstat(handle.fileno())
            ours = (written.st_dev, written.st_ino)
            matches = searcher.matches(query, filter_query=filter_query)
            if plan.format in ("csv", "jsonl"):
                columns = COLUMNS + (["score"] if query else [])
                rows = _RowWriter(handle, plan.format, columns)
                for score, fields in matches:
                    rows.write(document_row(fields, score, bool(query)))
                    ids.append(fields["id"])
                    highest = max(highest, _level(fields)) if highest is not None else _level(fields)
                    _tick(notify, len(ids), fields)
                rows.finish()
            else:
                highest = _write_bundle(handle, dir_fd, matches, query, filters, exporter, exported_at,
                                        ids, warnings, notify)
            handle.flush()
            os.fsync(handle.fileno())
            handle.seek(0)
            digest = _sha256_of(handle)
        final = marked_path(plan.out, highest)
        _move_into_place(dir_fd, tmp_name, final, plan.force)
        tmp_name = None
        with contextlib.suppress(OSError):  # the rename reaches the disk; O_PATH or odd file systems refuse
            os.fsync(dir_fd)
        result = ExportResult(final, plan.format, len(ids), ids, highest, digest, warnings)
        notify("done", f"{len(ids)} document(s) -> {final}")
        if on_complete is not None:
            on_complete(result)
    except BaseException:
        # Whatever stopped the export (an error, the audit refused, Ctrl-C): leave nothing behind,
        # and no final file that the audit log does not record.
        if tmp_name is not None:  # created with O_EXCL under a random name: ours
            with contextlib.suppress(OSError):
                os.unlink(tmp_name, dir_fd=dir_fd)
        if final is not None:
            _remove_if_ours(dir_fd, final.name, ours)
        raise
    finally:
        os.close(dir_fd)
    return result


def _remove_if_ours(dir_fd: int, name: str, ours: tuple[int, int] | None) -> None:
    """Remove `name` in the target directory if it is the file this export wrote."""
    with contextlib.suppress(OSError):
        found = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if ours is not None and (found.st_dev, found.st_ino) == ours:
            os.unlink(name, dir_fd=dir_fd)


def _tick(notify: Progress, done: int, fields: dict) -> None:
    notify("document", f"{done} {fields['path']}")


def _write_bundle(handle, dir_fd: int, matches, query, filters, exporter, exported_at,
                  ids: list[str], warnings: list[dict], notify: Progress) -> Level | None:
    bundle = _Bundle(handle)
    try:
        return _fill_bundle(bundle, dir_fd, matches, query, filters, exporter, exported_at, ids, warnings, notify)
    except BaseException:
        with contextlib.suppress(Exception):  # the temporary file is deleted by the caller
            bundle.close()
        raise


def _fill_bundle(bundle: "_Bundle", dir_fd: int, matches, query, filters, exporter, exported_at,
                 ids: list[str], warnings: list[dict], notify: Progress) -> Level | None:
    columns = COLUMNS + (["score"] if query else []) + BUNDLE_COLUMNS
    highest: Level | None = None
    # Manifests are spooled to unnamed files (nothing to clean up) and added after the documents.
    with _spool(dir_fd) as csv_spool, _spool(dir_fd) as jsonl_spool:
        csv_rows, jsonl_rows = _RowWriter(csv_spool, "csv", columns), _RowWriter(jsonl_spool, "jsonl", columns)
        for score, fields in matches:
            collection, relpath = fields.get("collection") or "", fields.get("relpath") or Path(fields["path"]).name
            file_member = _safe_member("files", collection, relpath)
            text_member = _safe_member("text", collection, relpath) + ".txt"
            problem = _add_original(bundle, file_member, fields["path"], fields.get("content_hash"))
            if problem:
                warnings.append({"id": fields["id"], "path": fields["path"], "problem": problem})
                notify("warning", f"{fields['path']}: {problem}; original left out, its text is included")
                file_member = None
            bundle.add_bytes(text_member, (fields.get("text") or "").encode("utf-8"))
            row = document_row(fields, score, bool(query))
            row.update(file=file_member, text_file=text_member)
            csv_rows.write(row)
            jsonl_rows.write(row)
            ids.append(fields["id"])
            level = _level(fields)
            highest = level if highest is None else max(highest, level)
            _tick(notify, len(ids), fields)
            if len(bundle.members) + 4 > VERIFY_MAX_MEMBERS:  # + manifests and covers
                raise ExportError(f"more than {len(ids) - 1:,} documents do not fit one verifiable bundle: narrow the "
                                  "export with a query or filters, or use --format csv")
        for name, rows in ((MANIFEST_CSV, csv_rows), (MANIFEST_JSONL, jsonl_rows)):
            spool = rows.finish()
            size = spool.seek(0, os.SEEK_END)
            spool.seek(0)
            bundle.add_stream(name, spool, size)
    cover = {
        "bundle_format": BUNDLE_FORMAT,
        "exported_at": exported_at,
        "exported_by": exporter,
        "query": query,
        "filters": filters.to_json(),
        "count": len(ids),
        "highest_level": highest.id if highest is not None else None,
        "highest_level_vi": highest.vietnamese if highest is not None else None,
        "marking": MARKINGS.get(highest) if highest is not None else None,
        "warnings": warnings,
        "tool": exporter.get("tool", "archsearch"),
    }
    bundle.add_bytes(COVER_TXT, _cover_text(cover, bundle.members).encode("utf-8"))
    cover["members"] = bundle.members  # EXPORT.txt included; EXPORT.json cannot list itself
    text = json.dumps(cover, ensure_ascii=False, indent=1) + "\n"
    data = text.encode("utf-8")
    if len(data) > VERIFY_MAX_COVER_BYTES:
        raise ExportError(f"the bundle's {COVER_JSON} would exceed {VERIFY_MAX_COVER_BYTES:,} bytes, more than "
                          "`export verify` reads: narrow the export with a query or filters")
    bundle.zip.writestr(_member_info(COVER_JSON, len(data)), data)
    bundle.close()
    return highest


def _move_into_place(dir_fd: int, tmp_name: str, final: Path, force: bool) -> None:
    """Give the temporary file its final name in the target directory. Without `force` an
    existing name (a file, a link, anything) is never replaced: a hard link fails if the name
    exists; where hard links are not supported the name is reserved with O_EXCL first."""
    exists = UsageError(f"{final} exists: choose another --out, or add --force to replace it")
    if force:
        try:
            os.rename(tmp_name, final.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except (IsADirectoryError, NotADirectoryError):
            raise UsageError(f"{final} is a directory") from None
        return
    try:
        os.link(tmp_name, final.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
    except FileExistsError:
        raise exists from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        # No hard links on this file system: reserve the name (fails if anything holds it),
        # then rename over our own reservation.
        try:
            os.close(os.open(final.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _O_CLOEXEC,
                             0o600, dir_fd=dir_fd))
        except FileExistsError:
            raise exists from None
        os.rename(tmp_name, final.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        return
    os.unlink(tmp_name, dir_fd=dir_fd)


# -- verify ------------------------------------------------------------------------------

@dataclass
class VerifyReport:
    path: Path
    sha256: str = ""  # of the whole bundle: compare with `export_sha256` in the audit log
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)  # {"name", "reason"}
    problems: list[str] = field(default_factory=list)  # about the bundle as a whole
    cover: dict | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.altered or self.problems)

    def to_json(self) -> dict:
        cover = self.cover or {}
        return {
            "path": str(self.path), "ok": self.ok, "sha256": self.sha256, "checked": self.checked,
            "missing": self.missing, "extra": self.extra, "altered": self.altered, "problems": self.problems,
            "exported_by": cover.get("exported_by"), "exported_at": cover.get("exported_at"),
            "count": cover.get("count"), "highest_level": cover.get("highest_level"),
        }


# A bundle comes from elsewhere and is read by an inspector's account: what verifying it may
# cost is bounded by these, whatever its headers say (a 1 MB bundle whose EXPORT.json inflated
# to 1 GiB took 2.1 GB to verify, #12 item 10). A bundle holds two members per document and
# four more; an export that would exceed them is refused when it is written.
VERIFY_MAX_MEMBERS = 200_000
VERIFY_MAX_COVER_BYTES = 64 * 2**20
# Structural characters (, [ {) the cover may hold per member: a member's entry has four, a
# name with commas a few more. Bounds the objects json.loads builds from a cover of small ones.
_COVER_ELEMENTS_PER_MEMBER = 8


def verify_bundle(path: Path, max_members: int = VERIFY_MAX_MEMBERS,
                  max_cover_bytes: int = VERIFY_MAX_COVER_BYTES) -> VerifyReport:
    """Recompute every member's SHA-256 against EXPORT.json; name missing, extra and altered
    members. EXPORT.json itself is covered by the bundle's SHA-256 in the audit record.

    Bounded work: only a regular file is read; the central directory is counted before it is
    parsed (at most `max_members`); EXPORT.json is read only up to `max_cover_bytes`, by its
    header and again while inflating; members are hashed in chunks, never read whole, and no
    further than the size the cover gives them."""
    path = Path(path)
    report = VerifyReport(path)
    try:
        handle = _open_regular(path)
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist")
    except OSError as error:
        report.problems.append(f"not a readable zip file: {error.strerror or error}")
        return report
    with handle:
        try:
            report.sha256 = _sha256_of(handle)
            members = _central_directory_entries(handle, max_members)
            if members is not None and members > max_members:
                report.problems.append(f"more than {max_members:,} members: not an archsearch export bundle "
                                       "(verify refuses to read it)")
                return report
            handle.seek(0)
            archive = zipfile.ZipFile(handle)
        except (OSError, zipfile.BadZipFile, EOFError) as error:
            report.problems.append(f"not a readable zip file: {error}")
            return report
        with archive:
            _verify_members(archive, report, max_cover_bytes)
    return report


def _open_regular(path: Path):
    """`path` opened for reading if it is a regular file (a FIFO is not waited on, a device
    not read); OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _central_directory_entries(handle, limit: int) -> int | None:
    """How many entries the zip's central directory holds, walked record by record without
    keeping them (zipfile builds an object for each); stops counting past `limit`. None when
    no end record is found: zipfile then says what is wrong."""
    size = handle.seek(0, os.SEEK_END)
    tail_size = min(size, 22 + 0xFFFF)  # the end record, and a comment of at most 64 KiB
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    end = size - tail_size + at
    cd_size, _ = struct.unpack("<II", tail[at + 12:at + 20])
    if at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":  # zip64: the real sizes are elsewhere
        (record_at,) = struct.unpack("<Q", tail[at - 12:at - 4])
        handle.seek(record_at)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            (cd_size,) = struct.unpack("<Q", record[40:48])
            end = record_at
    start = end - cd_size
    if start < 0:
        return None
    handle.seek(start)
    count, walked = 0, 0
    while walked + 46 <= cd_size and count <= limit:
        header = handle.read(46)
        if len(header) < 46 or header[:4] != b"PK\x01\x02":
            return None  # damaged: zipfile reports it
        name, extra, comment = struct.unpack("<HHH", header[28:34])
        handle.seek(name + extra + comment, os.SEEK_CUR)
        walked += 46 + name + extra + comment
        count += 1
    return count


def _read_cover(archive: zipfile.ZipFile, limit: int) -> bytes:
    """EXPORT.json's bytes, refused beyond `limit` by its header and by what it inflates to."""
    info = archive.getinfo(COVER_JSON)
    too_big = _CoverTooLarge(f"{COVER_JSON} inflates to more than {limit:,} bytes: not an archsearch export "
                             "bundle (verify refuses to read it)")
    if info.file_size > limit:
        raise too_big
    data = bytearray()
    with archive.open(info) as member:
        # In chunks: zipfile inflates as much as one read asks for before it trims to the size
        # the header declares.
        while chunk := member.read(min(CHUNK, limit + 1 - len(data))):
            data += chunk
            if len(data) > limit:
                raise too_big
    elements = data.count(b",") + data.count(b"[") + data.count(b"{")
    if elements > _COVER_ELEMENTS_PER_MEMBER * (len(archive.infolist()) + 1) + 1000:
        raise _CoverTooLarge(f"{COVER_JSON} holds far more entries than the bundle has members: "
                             "not an archsearch export bundle (verify refuses to read it)")
    return bytes(data)


class _CoverTooLarge(Exception):
    pass


def _verify_members(archive: zipfile.ZipFile, report: VerifyReport, max_cover_bytes: int) -> None:
    infos = archive.infolist()
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            report.problems.append(f"member {info.filename} appears more than once")
        seen.add(info.filename)
    try:
        cover = json.loads(_read_cover(archive, max_cover_bytes).decode("utf-8"))
        expected = {m["name"]: m for m in cover["members"]}
        if not all(isinstance(m, dict) and isinstance(m.get("name"), str) and isinstance(m.get("sha256"), str)
                   and isinstance(m.get("size"), int) for m in expected.values()):
            raise ValueError("a member's entry lacks its name, sha256 or size")
    except KeyError:
        report.problems.append(f"no readable {COVER_JSON}: not an archsearch export bundle, or its cover is damaged")
        return
    except _CoverTooLarge as error:
        report.problems.append(str(error))
        return
    except (zipfile.BadZipFile, zlib.error, ValueError, TypeError, EOFError, RecursionError,
            NotImplementedError, RuntimeError) as error:
        report.problems.append(f"{COVER_JSON} is damaged: {error}")
        return
    report.cover = cover
    for info in infos:
        name = info.filename
        if name == COVER_JSON:
            continue
        if name not in expected:
            report.extra.append(name)
            continue
        try:
            digest, size = _member_digest(archive, info, expected[name]["size"])
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as error:
            report.altered.append({"name": name, "reason": f"unreadable ({error})"})
            continue
        report.checked += 1
        if digest != expected[name]["sha256"] or size != expected[name]["size"]:
            report.altered.append({"name": name, "reason": "SHA-256 differs from EXPORT.json"})
    report.missing = sorted(set(expected) - seen)
    _check_marking(report, cover)


def _member_digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, expected_size: int) -> tuple[str, int]:
    """SHA-256 and size of a member, read in chunks; reading stops a chunk past the size the
    cover gives (the member differs then anyway)."""
    bound = max(expected_size, 0) + 1
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if size >= bound:
                break
    return digest.hexdigest(), size


def _check_marking(report: VerifyReport, cover: dict) -> None:
    highest = cover.get("highest_level")
    try:
        level = Level[highest.upper().replace("-", "_")] if highest else None
    except KeyError:
        report.problems.append(f"{COVER_JSON} names an unknown level {highest!r}")
        return
    wanted = MARKINGS.get(level) if level is not None else None
    carried = marking_of(report.path.name)
    if carried != wanted:
        report.problems.append(
            f"the file name carries marking {carried or '(none)'} but the cover says the highest level "
            f"is {highest or '(no documents)'}: it should be named {marked_path(report.path, level).name}"
        )
