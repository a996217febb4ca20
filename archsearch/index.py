"""The index home: one Whoosh index per classification level, the schema, and the only writer.

Layout of the index home (created owner-only, 0700):
    schema.json               {"schema_version": N} -- checked on every open
    partitions/<level-id>/    one Whoosh index per level (unclassified ... top-secret)
    users.json                the user registry (users.py)
    last_run.json             summary of the last indexing run

Levels are physically separate so that a search opens only the partitions a user is cleared
for: no hit, count, ranking statistic or term list is ever computed from a document above the
user's clearance (shared notes, "One index per level, searched together").
"""

from __future__ import annotations

import datetime as dt
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.writing import LockError

from .analysis import (
    doc_number_key,
    exact_analyzer,
    exact_bigram_analyzer,
    folded_analyzer,
    folded_bigram_analyzer,
)
from .errors import IndexStateError
from .levels import ALL_LEVELS, Level
from .normalise import fold
from .records import Document

# Bump when fields or analyzers change: an index built with another version must be rebuilt.
SCHEMA_VERSION = 2  # 2: syllable bigrams, whole document numbers, doc_type_key, issuer_folded
SCHEMA_FILE = "schema.json"
PARTITIONS = "partitions"
LAST_RUN = "last_run.json"


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        relpath=STORED(),
        collection=ID(stored=True),
        mime=ID(stored=True),
        title=TEXT(analyzer=exact_analyzer(), stored=True, field_boost=2.0),
        title_folded=TEXT(analyzer=folded_analyzer()),
        doc_number=STORED(),
        # Keys of the document's own number and of every number it cites ("821/qd-bqp").
        doc_number_key=ID(),
        cited_numbers=KEYWORD(commas=True),
        date=ID(stored=True),  # YYYY-MM-DD, sorts as text
        year=NUMERIC(stored=True),
        doc_type=ID(stored=True),
        doc_type_key=ID(),  # folded, lower case: "quyet dinh" (query field loai:)
        issuer=TEXT(analyzer=exact_analyzer(), stored=True),
        issuer_folded=TEXT(analyzer=folded_analyzer()),  # query field coquan:
        classification=ID(stored=True),
        classification_source=STORED(),
        compartments=KEYWORD(stored=True, commas=True),
        page_count=NUMERIC(stored=True),
        ocr_pages=NUMERIC(stored=True),
        ocr=BOOLEAN(stored=True),
        content_hash=ID(stored=True),
        meta_hash=STORED(),
        indexed_at=STORED(),
        warnings=STORED(),
        text=TEXT(analyzer=exact_analyzer(), stored=True, chars=True),
        text_folded=TEXT(analyzer=folded_analyzer()),
        # Adjacent-syllable pairs: proximity and phrase evidence as plain term lookups.
        text_bigrams=TEXT(analyzer=exact_bigram_analyzer(), phrase=False),
        text_bigrams_folded=TEXT(analyzer=folded_bigram_analyzer(), phrase=False),
        title_bigrams_folded=TEXT(analyzer=folded_bigram_analyzer(), phrase=False),
    )


SCHEMA = build_schema()


def document_fields(doc: Document) -> dict:
    keys = [doc_number_key(n) for n in doc.doc_numbers]
    return dict(
        id=doc.id,
        path=str(doc.path),
        relpath=doc.relpath,
        collection=doc.collection,
        mime=doc.mime,
        title=doc.title,
        title_folded=doc.title,
        doc_number=doc.doc_number,
        doc_number_key=doc_number_key(doc.doc_number) if doc.doc_number else None,
        cited_numbers=",".join(keys),
        date=doc.date.isoformat() if doc.date else None,
        year=doc.date.year if doc.date else None,
        doc_type=doc.doc_type,
        doc_type_key=doc_type_key(doc.doc_type) if doc.doc_type else None,
        issuer=doc.issuer or "",
        issuer_folded=doc.issuer or "",
        classification=doc.classification.id,
        classification_source=doc.classification_source,
        compartments=",".join(doc.compartments),
        page_count=doc.page_count,
        ocr_pages=doc.ocr_pages,
        ocr=doc.ocr_pages > 0,
        content_hash=doc.content_hash,
        meta_hash=doc.meta_hash,
        indexed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        warnings=list(doc.warnings),
        text=doc.text,
        text_folded=doc.text,
        text_bigrams=doc.text,
        text_bigrams_folded=doc.text,
        title_bigrams_folded=doc.title,
    )


def doc_type_key(doc_type: str) -> str:
    """The term of a document type in `doc_type_key`: "Quyết định" -> "quyet dinh"."""
    return " ".join(fold(doc_type).lower().replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class CatalogEntry:
    """What the indexer needs to know about an indexed document to decide what changed."""

    id: str
    level: Level
    path: str
    content_hash: str
    meta_hash: str


class IndexHome:
    """The directory holding every partition. Opening never modifies or wipes anything."""

    def __init__(self, root: Path):
        self.root = Path(root)

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def create_or_open(cls, root: Path) -> "IndexHome":
        """Open the index home for writing, creating it (owner-only) when it does not exist."""
        home = cls(root)
        if (home.root / SCHEMA_FILE).exists():
            home.check_version()
        else:
            if home.root.exists() and any(p.name != "README.md" for p in home.root.iterdir()):
                raise IndexStateError(
                    f"{home.root} exists and is not an archsearch index home (no {SCHEMA_FILE}); "
                    "choose another --index-dir"
                )
            home.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(home.root, 0o700)
            _write_private(home.root / SCHEMA_FILE, json.dumps({"schema_version": SCHEMA_VERSION}))
        for level in ALL_LEVELS:
            directory = home.partition_dir(level)
            if not whoosh_index.exists_in(directory):
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                whoosh_index.create_in(str(directory), SCHEMA)
        return home

    @classmethod
    def open(cls, root: Path) -> "IndexHome":
        """Open an existing index home for reading; a clear error when there is none."""
        home = cls(root)
        if not (home.root / SCHEMA_FILE).exists():
            raise IndexStateError(
                f"no index at {home.root}: run `archsearch index PATH` first "
                "(or point --index-dir / ARCHSEARCH_INDEX_DIR at an index home)"
            )
        home.check_version()
        return home

    def check_version(self) -> None:
        try:
            found = json.loads((self.root / SCHEMA_FILE).read_text())["schema_version"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexStateError(f"{self.root / SCHEMA_FILE} is unreadable ({error}); rebuild with `archsearch index --full`")
        if found != SCHEMA_VERSION:
            raise IndexStateError(
                f"the index at {self.root} was built with schema version {found}, this archsearch "
                f"uses {SCHEMA_VERSION}: rebuild it with `archsearch index --full PATH...`"
            )

    def partition_dir(self, level: Level) -> Path:
        return self.root / PARTITIONS / level.id

    def partition(self, level: Level):
        """The Whoosh index of one level, opened with our schema (never the pickled one)."""
        directory = self.partition_dir(level)
        if not whoosh_index.exists_in(directory):
            raise IndexStateError(f"partition {level.id} is missing under {self.root}; rebuild with `archsearch index --full`")
        return whoosh_index.open_dir(str(directory), schema=SCHEMA)

    # -- reading what is indexed (for the indexer and status; never for a user's search) --
    def catalog(self) -> dict[str, CatalogEntry]:
        entries: dict[str, CatalogEntry] = {}
        for level in ALL_LEVELS:
            with self.partition(level).reader() as reader:
                for _docnum, fields in reader.iter_docs():
                    entries[fields["id"]] = CatalogEntry(
                        fields["id"], level, fields["path"], fields["content_hash"], fields.get("meta_hash", "")
                    )
        return entries

    def counts(self) -> dict:
        """Documents per level and per collection (stored fields only)."""
        per_level: dict[str, int] = {}
        per_collection: dict[str, dict[str, int]] = {}
        for level in ALL_LEVELS:
            with self.partition(level).reader() as reader:
                per_level[level.id] = reader.doc_count()
                for _docnum, fields in reader.iter_docs():
                    by_level = per_collection.setdefault(fields["collection"], {})
                    by_level[level.id] = by_level.get(level.id, 0) + 1
        return {"per_level": per_level, "per_collection": per_collection}

    def record_run(self, summary: dict) -> None:
        _write_private(self.root / LAST_RUN, json.dumps(summary, ensure_ascii=False, indent=2))

    def last_run(self) -> dict | None:
        try:
            return json.loads((self.root / LAST_RUN).read_text())
        except (OSError, ValueError):
            return None

    @contextmanager
    def writer(self) -> Iterator["PartitionWriter"]:
        writer = PartitionWriter(self)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


class PartitionWriter:
    """Writes documents into their level's partition; one Whoosh writer per touched level.

    Commits go in ascending level order: a document moved up is deleted from the lower
    partition before it appears in the higher one, so it is never visible below its level.
    """

    def __init__(self, home: IndexHome):
        self.home = home
        self._writers: dict[Level, object] = {}

    def _writer(self, level: Level):
        if level not in self._writers:
            try:
                self._writers[level] = self.home.partition(level).writer(timeout=0, limitmb=128)
            except LockError:
                raise IndexStateError(f"another archsearch process is writing to {self.home.root}; try again when it ends")
        return self._writers[level]

    def add(self, doc: Document) -> None:
        self._writer(doc.classification).update_document(**document_fields(doc))

    def delete(self, doc_id: str, level: Level) -> None:
        self._writer(level).delete_by_term("id", doc_id)

    def commit(self) -> None:
        for level in sorted(self._writers):
            self._writers.pop(level).commit()

    def cancel(self) -> None:
        for level in list(self._writers):
            self._writers.pop(level).cancel()


def _write_private(path: Path, content: str) -> None:
    """Write a file atomically, readable by the owner only."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.replace(tmp, path)
