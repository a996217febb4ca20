"""Export for audits: the documents a user may see that match a query and filters -> one file
an inspection can take away, and the check of such a file later.

Input: an open `ScopedSearcher` (the user's scope -- nothing else is read from the index), a
query or None, `filters.SearchFilters` (as `search` takes). Output, by format:
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
import datetime as dt
import hashlib
import json
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from archsearch.engine.filters import SearchFilters
from archsearch.errors import ArchsearchError, ExitCode
from archsearch.export.rows import COLUMNS, RowWriter, document_row, level_of
from archsearch.export.target import (
    MARKINGS, OutputPlan, create_temporary, marked_path, move_into_place, open_target_directory, remove_if_ours,
    unnamed_spool,
)
from archsearch.export.verify import CHUNK, COVER_JSON, VERIFY_MAX_COVER_BYTES, VERIFY_MAX_MEMBERS, sha256_of
from archsearch.levels import Level
from archsearch.trust.users import User, os_account

BUNDLE_FORMAT = "archsearch-export/1"
COVER_TXT = "EXPORT.txt"
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSONL = "manifest.jsonl"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time leaks in
MEMBER_MODE = 0o600

# The stamp the cover carries at its top and bottom, as on a paper document.
STAMPS = {Level.CONFIDENTIAL: "MẬT", Level.SECRET: "TỐI MẬT", Level.TOP_SECRET: "TUYỆT MẬT"}
BUNDLE_COLUMNS = ["file", "text_file"]  # added to the manifests inside a zip


@dataclass(frozen=True)


class ExportProgress:
    """One step of an export, for a progress display: numbers as numbers, never in the text."""

    event: str  # "document" (one more written), "warning" (an original left out), "done"
    detail: str  # the document's path; the warning; the final path
    done: int  # documents written so far


Progress = Callable[[ExportProgress], None]


class ExportError(ArchsearchError):
    """A source changed while it was being exported, or the bundle would be too large to
    verify: nothing was written under the final name."""

    exit_code = ExitCode.EXPORT


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
        found = sha256_of(handle)
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
    level = Level.from_id(highest) if highest else None
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


def exporter_identity(acting: User) -> dict:
    """Who exports, for the cover: the user, their clearance (also in Vietnamese) and
    compartments, the OS account running the export and the tool's version."""
    identity = acting.to_json()
    return {
        "user": acting.name,
        "clearance": identity["clearance"],
        "clearance_vi": acting.clearance.vietnamese if acting.clearance is not None else None,
        "compartments": identity["compartments"],
        "os_account": os_account(),
        "tool": f"archsearch {_version()}",
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("archsearch")
    except PackageNotFoundError:
        return "unknown"


# -- the export --------------------------------------------------------------------------


def write_export(
    searcher,
    query: str | None,
    filters: SearchFilters,
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
    notify = progress or (lambda step: None)
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
        tmp_name, fd = create_temporary(dir_fd, plan.out.name)
        with os.fdopen(fd, "w+b") as handle:
            written = os.fstat(handle.fileno())
            ours = (written.st_dev, written.st_ino)
            matches = searcher.matches(query, filter_query=filter_query)
            if plan.format in ("csv", "jsonl"):
                columns = COLUMNS + (["score"] if query else [])
                rows = RowWriter(handle, plan.format, columns)
                for score, fields in matches:
                    rows.write(document_row(fields, score, bool(query)))
                    ids.append(fields["id"])
                    highest = max(highest, level_of(fields)) if highest is not None else level_of(fields)
                    _tick(notify, len(ids), fields)
                rows.finish()
            else:
                highest = _write_bundle(handle, dir_fd, matches, query, filters, exporter, exported_at,
                                        ids, warnings, notify)
            handle.flush()
            os.fsync(handle.fileno())
            handle.seek(0)
            digest = sha256_of(handle)
        final = marked_path(plan.out, highest)
        move_into_place(dir_fd, tmp_name, final, plan.force)
        tmp_name = None
        with contextlib.suppress(OSError):  # the rename reaches the disk; O_PATH or odd file systems refuse
            os.fsync(dir_fd)
        result = ExportResult(final, plan.format, len(ids), ids, highest, digest, warnings)
        notify(ExportProgress("done", str(final), len(ids)))
        if on_complete is not None:
            on_complete(result)
    except BaseException:
        # Whatever stopped the export (an error, the audit refused, Ctrl-C): leave nothing behind,
        # and no final file that the audit log does not record.
        if tmp_name is not None:  # created with O_EXCL under a random name: ours
            with contextlib.suppress(OSError):
                os.unlink(tmp_name, dir_fd=dir_fd)
        if final is not None:
            remove_if_ours(dir_fd, final.name, ours)
        raise
    finally:
        os.close(dir_fd)
    return result


def _tick(notify: Progress, done: int, fields: dict) -> None:
    notify(ExportProgress("document", fields["path"], done))


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
    with unnamed_spool(dir_fd) as csv_spool, unnamed_spool(dir_fd) as jsonl_spool:
        csv_rows, jsonl_rows = RowWriter(csv_spool, "csv", columns), RowWriter(jsonl_spool, "jsonl", columns)
        for score, fields in matches:
            collection, relpath = fields.get("collection") or "", fields.get("relpath") or Path(fields["path"]).name
            file_member = _safe_member("files", collection, relpath)
            text_member = _safe_member("text", collection, relpath) + ".txt"
            problem = _add_original(bundle, file_member, fields["path"], fields.get("content_hash"))
            if problem:
                warnings.append({"id": fields["id"], "path": fields["path"], "problem": problem})
                notify(ExportProgress("warning", f"{fields['path']}: {problem}; original left out, its text is included", len(ids)))
                file_member = None
            bundle.add_bytes(text_member, (fields.get("text") or "").encode("utf-8"))
            row = document_row(fields, score, bool(query))
            row.update(file=file_member, text_file=text_member)
            csv_rows.write(row)
            jsonl_rows.write(row)
            ids.append(fields["id"])
            level = level_of(fields)
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
