"""The catalog: what the indexer knows about every indexed file, in SQLite beside the partitions.

The indexer needs, for every document, its level, path, size, mtime and hashes to decide what
changed -- without reading the stored text out of Whoosh (50k documents' stored fields take
minutes to read). The catalog is written *after* the partitions commit: if the process dies in
between, the catalog is behind, the next run re-processes those files, and nothing is lost.
It is never read to answer a user's search (search.py reads only the scoped partitions).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from archsearch.levels import Level

CATALOG_FILE = "catalog.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    collection TEXT NOT NULL,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    meta_hash TEXT NOT NULL,
    mime TEXT NOT NULL,
    pages INTEGER NOT NULL,
    ocr_pages INTEGER NOT NULL,
    indexed_at TEXT NOT NULL,
    retry INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS level_changes (
    id TEXT NOT NULL,
    path TEXT NOT NULL,
    from_level TEXT NOT NULL,
    to_level TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    declassified_on TEXT
);
-- Files whose declaration (sidecar, manifest) could not be read: taken out of every partition
-- until it can be, since it may declare a stricter level than the copy indexed before. The id
-- is kept for the file's return.
CREATE TABLE IF NOT EXISTS withdrawn (
    path TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    reason TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    level: Level
    collection: str
    root: str
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    meta_hash: str
    mime: str
    pages: int
    ocr_pages: int
    indexed_at: str
    # 1 when a page's OCR failed (Tesseract missing or timed out): the next run reads the file
    # again even though it is unchanged, instead of keeping the page empty for good.
    retry: int = 0


_COLUMNS = [f for f in CatalogEntry.__dataclass_fields__]


class Catalog:
    def __init__(self, directory: Path):
        self.path = Path(directory) / CATALOG_FILE
        # SQLite creates the file with the umask's mode (0666 under umask 000); its journal
        # copies the database's mode, so creating the database 0600 first covers both.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
        self._db = sqlite3.connect(self.path, timeout=30)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def entries(self) -> dict[str, CatalogEntry]:
        rows = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM documents")
        return {row[0]: _entry(row) for row in rows}

    def content_hash(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def put(self, entries: Iterable[CatalogEntry]) -> None:
        placeholders = ", ".join("?" for _ in _COLUMNS)
        with self._db:
            self._db.executemany(
                f"INSERT OR REPLACE INTO documents ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                [tuple(e.level.id if c == "level" else getattr(e, c) for c in _COLUMNS) for e in entries],
            )

    def remove(self, ids: Iterable[str]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in ids])

    def mark_retry(self, ids: Iterable[str]) -> None:
        """Have the next run read these documents again even if their files are unchanged
        (their partition lost them: durable.open_partition)."""
        with self._db:
            self._db.executemany("UPDATE documents SET retry = 1 WHERE id = ?", [(i,) for i in ids])

    def record_level_change(self, entry_id: str, path: str, old: Level, new: Level, declassified_on: dt.date | None) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO level_changes VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, path, old.id, new.id, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 declassified_on.isoformat() if declassified_on else None),
            )

    def withdraw(self, records: Iterable[tuple[str, str, str]]) -> None:
        """Remember (path, id, reason) of files taken out of every partition."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO withdrawn VALUES (?, ?, ?, ?)",
                                 [(path, doc_id, reason, now) for path, doc_id, reason in records])

    def restore(self, paths: Iterable[str]) -> None:
        """Forget withdrawals of files indexed again (or gone for good)."""
        with self._db:
            self._db.executemany("DELETE FROM withdrawn WHERE path = ?", [(p,) for p in paths])

    def withdrawn(self) -> dict[str, dict]:
        """path -> {"id", "reason", "withdrawn_at"} of every withdrawn file."""
        rows = self._db.execute("SELECT path, id, reason, withdrawn_at FROM withdrawn ORDER BY path")
        return {path: {"id": doc_id, "reason": reason, "withdrawn_at": at} for path, doc_id, reason, at in rows}

    def level_changes(self) -> list[dict]:
        rows = self._db.execute("SELECT id, path, from_level, to_level, changed_at, declassified_on FROM level_changes ORDER BY rowid")
        keys = ["id", "path", "from", "to", "changed_at", "declassified_on"]
        return [dict(zip(keys, row)) for row in rows]

    def summary(self) -> dict:
        """Counts per level, collection and MIME type, and OCR'd pages."""
        db = self._db
        return {
            "per_level": dict(db.execute("SELECT level, COUNT(*) FROM documents GROUP BY level")),
            "per_collection": _nested(db.execute("SELECT collection, level, COUNT(*) FROM documents GROUP BY collection, level")),
            "per_type": dict(db.execute("SELECT mime, COUNT(*) FROM documents GROUP BY mime")),
            "pages": db.execute("SELECT COALESCE(SUM(pages), 0) FROM documents").fetchone()[0],
            "ocr_pages": db.execute("SELECT COALESCE(SUM(ocr_pages), 0) FROM documents").fetchone()[0],
        }


def _entry(row) -> CatalogEntry:
    values = dict(zip(_COLUMNS, row))
    values["level"] = Level[values["level"].upper().replace("-", "_")]
    return CatalogEntry(**values)


def _nested(rows) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for outer, inner, count in rows:
        result.setdefault(outer, {})[inner] = count
    return result
