"""The index home: one Whoosh index per classification level, the schema, and the only writer.

Layout of the index home (created owner-only, 0700; files 0600; checked by
homesafety.check_index_home before anything in it is read):
    current.json              {"generation": "gen-000001", "schema_version": N}, checked on open
    gen-000001/<level-id>/    one Whoosh index per level (unclassified ... top-secret); each
                              commit flushed to the disk, the previous one kept (durable.py)
    gen-000001/catalog.sqlite what the indexer knows of each file (catalog.py)
    cache/                    extracted text by content hash (cache.py)
    users.json                the user registry (users.py)
    audit.log, audit.head     the audit trail (audit.py)
    last_run.json             summary of the last indexing run
    index.lock                held by the one indexing run allowed at a time

Levels are physically separate so that a search opens only the partitions a user is cleared
for: no hit, count, ranking statistic or term list is ever computed from a document above the
user's clearance (shared notes, "One index per level, searched together").
"""

from __future__ import annotations

import datetime as dt
import json
import fcntl
import os
import re
import shutil
import struct
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.writing import LockError

from archsearch.engine.analysis import (
    doc_number_key,
    exact_analyzer,
    exact_bigram_analyzer,
    folded_analyzer,
    folded_bigram_analyzer,
)
from archsearch.engine.durable import Partition, create_partition, open_partition, recover
from archsearch.engine.posting_arrays import RANKED_FIELDS, Collector, path_for
from archsearch.engine.posting_arrays import write as write_posting_arrays_file
from archsearch.engine.postings import write_posting_arrays
from archsearch.engine.whoosh_private import use_postings_writer
from archsearch.errors import IndexStateError
from archsearch.trust.home_check import check_index_home, create_index_home
from archsearch.levels import ALL_LEVELS, Level
from archsearch.normalise import fold
from archsearch.trust.private_files import make_dir, write_private

if TYPE_CHECKING:  # the writer's types; a search never builds a Document (start-up, bench/cli.py)
    from archsearch.ingest.catalog import Catalog
    from archsearch.records import Document

# Bump when fields or analyzers change: an index built with another version must be rebuilt.
SCHEMA_VERSION = 7  # 2: syllable bigrams, whole document numbers, doc_type_key, issuer_folded
# 3: no character offsets in `text` (snippets re-read the stored text; nothing used them)
# 4: syllable pairs span a single line break (wrapped lines), not a blank line
# 5: no positions in text, text_folded, title_folded; phrases are checked on text_positions
#    and on the positions of title_bigrams_folded
# 6: compartments stored and indexed as a list of exact names (they were split on commas)
# 7: article structure (articles, article_keys; articles.py)
CURRENT_FILE = "current.json"
LOCK_FILE = "index.lock"
LAST_RUN = "last_run.json"
# What may already sit in a directory adopted as a new index home.
# archsearch's own records, which may come before the first index run (users, their web
# passwords and sessions, and the audit records of those changes).
_NOT_INDEX_CONTENT = {"README.md", "users.json", LOCK_FILE, "audit.log", "audit.head", "sessions.json",
                      "throttle.json", "saved.json"}
_GENERATION = re.compile(r"^gen-[0-9]{6}$")


class ArrayPositions(Positions):
    """Word positions stored as little-endian 32-bit integers rather than Whoosh's pickled list
    of gaps: a phrase check reads the positions of every candidate document (dense.py), and
    joined, these decode into one array in one call instead of one unpickle per document."""

    def encode(self, poslist):
        return struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring):
        return list(struct.unpack(f"<{len(valuestring) // 4}I", valuestring))

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost


def _positional(field: TEXT) -> TEXT:
    field.format = ArrayPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        relpath=STORED(),
        collection=ID(stored=True),
        mime=ID(stored=True),
        # The exact title is ranked only by phrases, and keeps positions to check accented
        # ones; the folded title is ranked by every word and keeps none (folded title phrases
        # are checked on the positions of title_bigrams_folded).
        title=_positional(TEXT(analyzer=exact_analyzer(), stored=True, field_boost=2.0)),
        title_folded=TEXT(analyzer=folded_analyzer(), phrase=False),
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
        # One exact term per name, given as a list (Whoosh indexes a list's items as they are,
        # and stores the list): a comma or space is part of a name, never a separator.
        compartments=KEYWORD(stored=True, analyzer=IDTokenizer()),
        page_count=NUMERIC(stored=True),
        ocr_pages=NUMERIC(stored=True),
        ocr=BOOLEAN(stored=True),
        content_hash=ID(stored=True),
        meta_hash=STORED(),
        indexed_at=STORED(),
        warnings=STORED(),
        # The body's two ranked views carry no word positions: a search decodes every posting
        # of a common syllable, and Whoosh unpickles a block's positions with its docnums
        # (four times the cost per posting, shared notes on speed). Phrases are checked on
        # text_positions instead, read only for documents already holding every pair.
        text=TEXT(analyzer=exact_analyzer(), stored=True, phrase=False),
        text_folded=TEXT(analyzer=folded_analyzer(), phrase=False),
        text_positions=_positional(TEXT(analyzer=folded_analyzer())),  # folded syllables with positions; not ranked
        # Adjacent-syllable pairs: proximity and phrase evidence as plain term lookups.
        text_bigrams=TEXT(analyzer=exact_bigram_analyzer(), phrase=False),
        text_bigrams_folded=TEXT(analyzer=folded_bigram_analyzer(), phrase=False),
        title_bigrams_folded=_positional(TEXT(analyzer=folded_bigram_analyzer())),  # positions: a pair at its first syllable's
        # Điều / khoản of the text (articles.py): spans in `text`, and "d5", "d5k2" terms that a
        # citation in a query ("khoản 2 Điều 5 …") matches.
        articles=STORED(),
        article_keys=KEYWORD(commas=True),
    )


SCHEMA = build_schema()


def document_fields(doc: Document) -> dict:
    from archsearch.ingest.articles import article_keys, find_articles  # the writer's; never a search's

    keys = [doc_number_key(n) for n in doc.doc_numbers]
    articles = find_articles(doc.text)
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
        compartments=list(doc.compartments),
        page_count=doc.page_count,
        ocr_pages=doc.ocr_pages,
        ocr=doc.ocr_pages > 0,
        content_hash=doc.content_hash,
        meta_hash=doc.meta_hash,
        indexed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        warnings=list(doc.warnings),
        text=doc.text,
        text_folded=doc.text,
        text_positions=doc.text,
        text_bigrams=doc.text,
        text_bigrams_folded=doc.text,
        title_bigrams_folded=doc.title,
        articles=[a.to_stored() for a in articles],
        article_keys=",".join(article_keys(articles)),
    )


def doc_type_key(doc_type: str) -> str:
    """The term of a document type in `doc_type_key`: "Quyết định" -> "quyet dinh"."""
    return " ".join(fold(doc_type).lower().replace("-", " ").replace("_", " ").split())


class IndexHome:
    """The index home and its current generation. Opening never modifies or wipes anything.

    `current.json` names the generation searches read (`gen-000001/`, one Whoosh index per
    level plus the catalog) and its schema version. A `--full` rebuild fills a new generation
    beside it and publishes it by replacing `current.json` atomically, so searches answer from
    the old generation until the new one is complete, and a failed rebuild changes nothing.
    """

    def __init__(self, root: Path, generation: str, schema_version: int = SCHEMA_VERSION):
        self.root = Path(root)
        self.generation = generation
        self.schema_version = schema_version

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def create_or_open(cls, root: Path) -> "IndexHome":
        """Open the index home for writing, creating it (owner-only) when it does not exist."""
        root = Path(root)
        check_index_home(root)
        if not (root / CURRENT_FILE).exists():
            # gen-NNNNNN: left by a creation interrupted before current.json was published
            # (publish() removes it).
            if root.exists() and any(p.name not in _NOT_INDEX_CONTENT and not _GENERATION.match(p.name)
                                     for p in root.iterdir()):
                raise IndexStateError(
                    f"{root} exists and is not an archsearch index home (no {CURRENT_FILE}); "
                    "choose another --index-dir"
                )
            make_dir(root)
            cls._new_generation(root).publish()
        return cls.open(root)

    @classmethod
    def open(cls, root: Path) -> "IndexHome":
        """Open the current generation; a clear error when there is none or its schema differs."""
        root = Path(root)
        # Before anything in it is read: a planted TOC runs code when it is unpickled.
        check_index_home(root)
        try:
            current = json.loads((root / CURRENT_FILE).read_text())
            generation, version = current["generation"], current["schema_version"]
        except FileNotFoundError:
            raise IndexStateError(
                f"no index at {root}: run `archsearch index PATH` first "
                "(or point --index-dir / ARCHSEARCH_INDEX_DIR at an index home)"
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexStateError(f"{root / CURRENT_FILE} is unreadable ({error}); rebuild with `archsearch index --full`")
        if version != SCHEMA_VERSION:
            raise IndexStateError(
                f"the index at {root} was built with schema version {version}, this archsearch "
                f"uses {SCHEMA_VERSION}: rebuild it with `archsearch index --full PATH...`"
            )
        home = cls(root, generation, version)
        if not home.generation_dir.is_dir():
            raise IndexStateError(f"generation {generation} named by {root / CURRENT_FILE} is missing; rebuild with `archsearch index --full`")
        return home

    @classmethod
    def begin_rebuild(cls, root: Path) -> "IndexHome":
        """A new, empty generation beside the current one (whatever its schema version);
        searches do not see it until publish()."""
        root = Path(root)
        check_index_home(root)
        if not (root / CURRENT_FILE).exists():
            cls.create_or_open(root)
        return cls._new_generation(root)

    @classmethod
    def _new_generation(cls, root: Path) -> "IndexHome":
        numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
        home = cls(root, f"gen-{max(numbers, default=0) + 1:06d}")
        make_dir(home.generation_dir)
        for level in ALL_LEVELS:
            create_partition(home.partition_dir(level), SCHEMA)
        return home

    def publish(self) -> None:
        """Make this generation the one searches read (one atomic rename), then remove the
        generations before the one it replaces. The replaced one is kept until the next
        publish: a search that read current.json just before the swap can still open it."""
        try:
            previous = json.loads((self.root / CURRENT_FILE).read_text())["generation"]
        except (OSError, ValueError, KeyError):
            previous = None
        write_private(self.root / CURRENT_FILE, json.dumps({"generation": self.generation, "schema_version": self.schema_version}))
        for old in self.root.glob("gen-*"):
            if old.name not in (self.generation, previous):
                shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Remove this (unpublished) generation after a failed rebuild."""
        shutil.rmtree(self.generation_dir, ignore_errors=True)

    @property
    def generation_dir(self) -> Path:
        return self.root / self.generation

    def partition_dir(self, level: Level) -> Path:
        return self.generation_dir / level.id

    def partition(self, level: Level) -> Partition:
        """The Whoosh index of one level, opened with our schema (never the pickled one), at
        its newest commit -- or at the one before, masked, when the newest is damaged
        (durable.open_partition; `.note` says so)."""
        return open_partition(self.partition_dir(level), SCHEMA, level.id)

    def partition_notes(self) -> list[str]:
        """Why a partition opens at an older commit than its newest (empty when none does)."""
        return [note for level in ALL_LEVELS if (note := self.partition(level).note)]

    def recover_partitions(self, reread: Callable[[list[str]], None]) -> list[str]:
        """For the indexer, before it reads the catalog: commit the state of every partition
        that fell back to an older commit (durable.recover), after `reread` was given the ids
        it masked (in that order: a run killed between the two then re-reads them once more,
        never not at all). Returns what was done, one line per partition recovered."""
        done = []
        for level in ALL_LEVELS:
            partition = self.partition(level)
            if partition.note:
                reread(partition.masked)
                recover(partition)
                done.append(f"partition {level.id}: its newest commit was unreadable ({partition.damage}); rolled "
                            f"back to the commit before it, and the {len(partition.masked)} document(s) the "
                            "damaged commit changed are read again by this run")
        return done

    # -- what is indexed (for the indexer and status; never for a user's search) ---------
    def catalog(self) -> Catalog:
        from archsearch.ingest.catalog import Catalog  # sqlite3: indexing and status only, not a search

        return Catalog(self.generation_dir)

    def partition_counts(self) -> dict[str, int]:
        """Documents in each level's partition, straight from Whoosh."""
        counts = {}
        for level in ALL_LEVELS:
            with self.partition(level).reader() as reader:
                counts[level.id] = reader.doc_count()
        return counts

    def ids_by_level(self) -> dict[Level, set[str]]:
        """The ids in each level's partition (a deleted one may linger until a merge): where
        the indexer must delete a document before it adds it at its level."""
        found = {}
        for level in ALL_LEVELS:
            with self.partition(level).reader() as reader:
                found[level] = {t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("id")}
        return found

    def disk_usage(self) -> int:
        return sum(p.stat().st_size for p in self.generation_dir.rglob("*") if p.is_file())

    def complete_posting_arrays(self) -> int:
        """For the indexer, at the end of a run: write the posting-arrays file
        (posting_arrays.py) of every segment committed without one (by an earlier version);
        returns how many were written. A commit writes its own segment's."""
        written = 0
        for level in ALL_LEVELS:
            with self.partition(level).reader() as reader:
                for leaf, _offset in reader.leaf_readers():
                    written += write_posting_arrays(leaf)
        return written

    def record_run(self, summary: dict) -> None:
        write_private(self.root / LAST_RUN, json.dumps(summary, ensure_ascii=False, indent=2))

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


# Segments with fewer documents are merged into the one a commit writes.
SMALL_SEGMENT_DOCS = 1000


class PostingsCodec(W3Codec):
    """Whoosh's codec, its posting blocks stored uncompressed and sized by what reads them. A
    search decodes every block of its terms' posting lists (dense.py), and each block costs an
    unpickle (and with Whoosh's defaults a zlib inflate) whatever its size: at 50k documents a
    three-word query read 2,700 blocks of 128, so the ranked fields' blocks hold 1,024
    postings. A phrase check reads positions only in the blocks holding a candidate, so the
    positional fields keep blocks of 128. The postings take more disk."""

    RANKED_BLOCK = 1024
    POSITIONS_BLOCK = 128

    def __init__(self):
        super().__init__(blocklimit=self.RANKED_BLOCK, compression=0)

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)


class _FieldWriter(W3FieldWriter):
    """Whoosh's field writer, with positional blocks of their own size, that also keeps the
    postings of the ranked fields as they go by and writes them as the segment's posting arrays
    (posting_arrays.py) when it closes: one of the segment's files, flushed and size-checked
    with the others (durable.py), written without reading anything back."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._storage_folder, self._new_segment = storage.folder, segment
        self._collected = Collector(self._storage_folder)
        self._collecting = False

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        if fieldobj.format.supports("positions"):
            use_postings_writer(self, blocklimit=PostingsCodec.POSITIONS_BLOCK)
        self._collecting = fieldname in RANKED_FIELDS
        self._collecting_field = fieldname

    def start_term(self, text):
        super().start_term(text)
        if self._collecting:
            self._collected.start_term(self._collecting_field, text)

    def add(self, docnum, weight, vbytes, length):
        super().add(docnum, weight, vbytes, length)
        if self._collecting:
            self._collected.add(docnum, weight)

    def finish_term(self):
        super().finish_term()
        if self._collecting:
            self._collected.finish_term()

    def close(self):
        super().close()
        segment, collected = self._new_segment, self._collected
        self._collected = Collector(self._storage_folder)
        if segment.doc_count_all():  # not a writer cancelled before it added anything
            write_posting_arrays_file(path_for(self._storage_folder, segment.segment_id()), segment.segment_id(),
                                      segment.doc_count_all(), collected)
        else:
            collected.close()


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy: fold every segment under SMALL_SEGMENT_DOCS into the new segment,
    keep the bigger ones as they are.

    Every segment is searched on its own, so many small ones slow each query; but merging
    rewrites every posting of what it merges (as slow as indexing it again), and Whoosh's own
    policy re-merges the growing tail of a big run over and over (measured at 10k documents:
    the run took twice the bare writer's time). Big batches (Settings.commit_every) make big
    segments that are written once; the small ones left by incremental runs are cheap to fold.
    """
    from whoosh.reading import SegmentReader

    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]



@contextmanager
def index_lock(root: Path) -> Iterator[None]:
    """One indexing run at a time per index home; a second is refused at once, clearly."""
    root = Path(root)
    create_index_home(root)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexStateError(f"another archsearch index run is using {root}; try again when it ends")
        yield
    finally:
        os.close(fd)


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
                # compound=False: a reader of a compound segment copies the whole file into
                # memory on open (measured: 5.2 MB against 36 KB for 1,500 documents), and every
                # search opens the user's partitions afresh. limitmb: four writers' buffers are
                # most of the indexer's memory (at 128 MB each, 50k documents peaked at 1,033 MB
                # over the indexer and its workers, bench/ingest.py).
                self._writers[level] = self.home.partition(level).writer(timeout=0, limitmb=96, compound=False,
                                                                         codec=PostingsCodec())
            except LockError:
                raise IndexStateError(f"another archsearch process is writing to {self.home.root}; try again when it ends")
        return self._writers[level]

    def add(self, doc: Document, new: bool = False) -> None:
        """Index `doc` in its level's partition, replacing a document with the same id there.
        `new`: the caller knows the partition holds no document with this id, so the lookup
        that replacing needs is skipped."""
        writer = self._writer(doc.classification)
        if new:
            writer.add_document(**document_fields(doc))
        else:
            writer.update_document(**document_fields(doc))

    def delete(self, doc_id: str, level: Level) -> None:
        self._writer(level).delete_by_term("id", doc_id)

    def commit(self) -> None:
        for level in sorted(self._writers):
            self._writers.pop(level).commit(mergetype=merge_small_segments)

    def cancel(self) -> None:
        for level in list(self._writers):
            self._writers.pop(level).cancel()
