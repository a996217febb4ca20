"""Whoosh partitions on the disk: owner-only files, flushed before a commit counts, and the
previous commit kept to fall back to.

Whoosh 2.7.4's FileStorage creates files with plain `open()` (the umask decides their mode:
0666 under `umask 000`) and never calls fsync, so a power cut during a commit can leave a
table of contents (TOC) naming segment files that never reached the disk. `PrivateStorage`
creates every file with `os.open(..., 0o600)` (the umask is process-wide, so setting it around a
writer would race with other threads; a chmod after the commit would leave the files readable
until then) and opens nothing through a symlink. `DurableWriter` commits in this order:

1. the new segment's files are written and closed (Whoosh), its posting arrays among them
   (posting_arrays.py);
2. the ids this commit added, replaced or deleted are written to
   `archsearch-touched-<gen>.json` (flushed);
3. before the new TOC is renamed into place, every file the writer created and the TOC itself
   are fsync'ed, then the rename, then the directory is fsync'ed: a TOC on the disk never names
   a file that is not there;
4. only then are files no longer needed removed -- except the previous TOC and its segments,
   kept until the next commit.

Each segment's TOC entry records the size of each of its files. `open_partition` reads the
newest TOC and checks those sizes; when the TOC is unreadable or a file is missing or has the
wrong size, it opens the previous TOC instead, with every document the damaged commit added,
replaced or deleted masked out (the previous TOC may still hold a copy at a looser marking: a
document since moved up, or given a compartment), and says so. The indexer's next run makes
that state the committed one and re-indexes those documents: the catalog, which still lists
them, is told to read them again (index.IndexHome.recover_partitions, Catalog.mark_retry).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.codec.base import Segment
from whoosh.index import TOC, FileIndex
from whoosh.util.filelock import FileLock
from whoosh.writing import SegmentWriter

from archsearch.engine.pickled_paths import register_former_paths
from archsearch.engine import whoosh_fixes, whoosh_private
from archsearch.engine.whoosh_private import route_commit_toc, route_read_toc, set_schema, storage_path
from archsearch.errors import IndexStateError, warn
from archsearch.trust.private_files import DIR_MODE, FILE_MODE, fsync_dir, fsync_file, make_dir, write_private

INDEXNAME = "MAIN"
_TOC = re.compile(rf"^_{INDEXNAME}_([0-9]+)\.toc$")
_SEGMENT_FILE = re.compile(rf"^({INDEXNAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
_TOUCHED = re.compile(r"^archsearch-touched-([0-9]+)\.json$")
# Set on each segment object pickled into a TOC: {file name: size in bytes}.
SIZES = "archsearch_files"


def touched_name(generation: int) -> str:
    return f"archsearch-touched-{generation}.json"


class PrivateStorage(FileStorage):
    """A FileStorage whose files are created 0600 and directories 0700 whatever the umask,
    never opened through a symlink, and which remembers what it wrote until `flush`."""

    def __init__(self, path: str | Path):
        super().__init__(str(path))
        self.written: set[str] = set()

    def create(self):
        make_dir(Path(self.folder))
        return self

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        # The flags open(path, mode) would use ("wb", "w+b"), with O_EXCL as FileStorage's excl.
        flags = os.O_CREAT | os.O_NOFOLLOW | (os.O_RDWR if "+" in mode or excl else os.O_WRONLY)
        flags |= os.O_EXCL if excl else os.O_TRUNC
        fd = os.open(storage_path(self, name), flags, FILE_MODE)
        os.fchmod(fd, FILE_MODE)
        self.written.add(name)
        return StructFile(os.fdopen(fd, mode), name=name, **kwargs)

    def open_file(self, name, **kwargs):
        fd = os.open(storage_path(self, name), os.O_RDONLY | os.O_NOFOLLOW)
        return _PositionalFile(os.fdopen(fd, "rb"), name=name, **kwargs)

    def lock(self, name):
        # FileLock creates its file with the umask's mode (0777 under umask 000): create it first.
        fd = os.open(storage_path(self, name), os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, FILE_MODE)
        os.fchmod(fd, FILE_MODE)
        os.close(fd)
        return FileLock(storage_path(self, name))

    def temp_storage(self, name=None):
        name = name or f"{os.urandom(8).hex()}.tmp"
        return PrivateStorage(os.path.join(self.folder, name)).create()

    def rename_file(self, oldname, newname, safe=False):
        publishing = bool(_TOC.match(newname))
        if publishing:
            self.flush()  # the segment files and the TOC itself, before the TOC can be found
        super().rename_file(oldname, newname, safe=safe)
        if publishing:
            fsync_dir(Path(self.folder))

    def flush(self) -> None:
        """fsync every file this storage wrote that still exists, then its directory."""
        for name in sorted(self.written):
            try:
                fsync_file(Path(storage_path(self, name)))
            except FileNotFoundError:
                pass  # a temporary Whoosh already removed
        fsync_dir(Path(self.folder))
        self.written.clear()


class _PositionalFile(StructFile):
    """A segment file read by position with one pread: Whoosh reads its term dictionary and
    our postings.py reads posting lists by `get(position, length)`, which a buffered file does
    as a seek (dropping its buffer) and a refill of 8 KiB for a few bytes: five such reads per
    term looked up, most of a long question's time (cProfile, 20k documents). Sequential
    reads (seek, read) still go through the buffered file."""

    def get(self, position, length):
        return os.pread(self.file.fileno(), length, position)


def create_partition(directory: Path, schema) -> None:
    """A new, empty partition (TOC generation 0), flushed to the disk."""
    make_dir(directory, DIR_MODE)
    storage = PrivateStorage(directory)
    FileIndex.create(storage, schema, INDEXNAME)


class Partition(FileIndex):
    """A Whoosh index opened at a chosen, checked TOC (see `open_partition`)."""

    def __init__(self, storage: PrivateStorage, schema, toc: TOC, note: str | None):
        self.storage = storage
        set_schema(self, schema)
        self.indexname = INDEXNAME
        self.toc = toc
        self.note = note  # why an older commit was opened; None when the newest one was
        self.masked: list[str] = []  # ids masked out of that older commit
        self.damaged_generation: int | None = None
        self.fallback_generation: int | None = None  # the older commit's own number
        self.damage: str | None = None  # what is wrong with the newest commit

    def latest_generation(self):
        return self.toc.generation

    def writer(self, **kwargs):
        return DurableWriter(self, **kwargs)

    def read_toc(self):
        return self.toc


route_read_toc(Partition, Partition.read_toc)  # Whoosh asks for the TOC; the checked one is the answer


def open_partition(directory: Path, schema, label: str) -> Partition:
    """The partition at its newest readable commit; `label` names it in messages."""
    # Once per process: the private Whoosh attributes the engine relies on are as expected, and
    # Whoosh's matchers carry archsearch's corrections, before anything is read or searched.
    whoosh_private.self_check()
    whoosh_fixes.apply()
    register_former_paths()  # a TOC pickled before a class moved still names its old module
    storage = PrivateStorage(directory)
    generations = sorted((int(m.group(1)) for m in map(_TOC.match, storage.list()) if m), reverse=True)
    if not generations:
        raise IndexStateError(f"partition {label} is missing under {directory.parent}; rebuild with `archsearch index --full`")
    newest = generations[0]
    try:
        return Partition(storage, schema, _checked_toc(storage, newest, schema), None)
    except _Damaged as damage:
        problem = str(damage)
    if len(generations) < 2:
        raise IndexStateError(f"partition {label} is damaged ({problem}) and has no earlier commit to fall back to; "
                              "rebuild with `archsearch index --full`")
    previous = generations[1]
    try:
        touched = json.loads((Path(directory) / touched_name(newest)).read_text(encoding="utf-8"))["ids"]
        toc = _checked_toc(storage, previous, schema)
    except (OSError, ValueError, KeyError, TypeError, _Damaged) as error:
        # Without the list of what the damaged commit changed, the previous commit may show a
        # document at a marking since made stricter: refuse rather than guess.
        raise IndexStateError(f"partition {label} is damaged ({problem}) and its previous commit cannot be used "
                              f"safely ({error}); rebuild with `archsearch index --full`")
    _mask(storage, schema, toc, touched)
    # Numbered as the damaged one, so the next commit gets a number above it.
    toc.generation = newest
    note = (f"partition {label}: its newest commit is unreadable ({problem}); searching its previous "
            f"commit without the {len(touched)} document(s) the damaged commit changed. Run "
            "`archsearch index` on the collections to re-index them")
    warn("archsearch: %s", note)
    partition = Partition(storage, schema, toc, note)
    partition.masked = sorted(set(touched))
    partition.damaged_generation = newest
    partition.fallback_generation = previous
    partition.damage = problem
    return partition


def recover(partition: Partition) -> None:
    """Make a fallen-back partition's state (the previous commit, masked) the committed one:
    a commit with nothing added writes it as a new TOC numbered above the damaged one, whose
    cleaning removes the damaged TOC and its segment files. Until that commit is on the disk
    the damaged TOC stays the newest, so every open keeps falling back and masking."""
    writer = partition.writer(timeout=0)
    # Listed as changed by this commit: should it be damaged in turn, the fall back to the
    # commit before still masks them.
    writer.touched.update(partition.masked)
    writer.commit(merge=False)


class _Damaged(Exception):
    pass


def _checked_toc(storage: PrivateStorage, generation: int, schema) -> TOC:
    try:
        toc = TOC.read(storage, INDEXNAME, gen=generation, schema=schema)
    except Exception as error:  # a truncated or garbled TOC fails anywhere in struct or pickle
        raise _Damaged(f"table of contents {generation}: {type(error).__name__}: {error}") from error
    try:
        _check_segments(toc.segments)
    except TypeError as error:  # a damaged TOC unpickles to anything: fail here, not deep in a search
        raise _Damaged(f"table of contents {generation}: TypeError: {error}") from error
    for segment in toc.segments:
        for name, size in (getattr(segment, SIZES, None) or {}).items():
            try:
                actual = os.stat(storage_path(storage, name)).st_size
            except OSError as error:
                raise _Damaged(f"{name}: {error.strerror}") from error
            if actual != size:
                raise _Damaged(f"{name} holds {actual} bytes, its commit wrote {size}")
    return toc


def _mask(storage: PrivateStorage, schema, toc: TOC, ids: list[str]) -> None:
    """Mark deleted, in the TOC's in-memory segments, every document with one of `ids`."""
    from whoosh.reading import SegmentReader

    wanted = set(ids)
    for segment in toc.segments:
        reader = SegmentReader(storage, schema, segment)
        try:
            for doc_id in wanted:
                if ("id", doc_id) in reader:
                    for docnum in reader.postings("id", doc_id).all_ids():
                        segment.delete_document(docnum)
        finally:
            reader.close()


class DurableWriter(SegmentWriter):
    """A SegmentWriter whose commit is on the disk before it returns, keeping the previous
    commit's TOC and segments (see the module docstring for the order)."""

    def __init__(self, ix: Partition, **kwargs):
        super().__init__(ix, **kwargs)
        # The commit to keep for falling back to: the one this writer starts from (after a
        # fall back, the older commit itself, not the damaged one numbered above it).
        self._previous_generation = ix.fallback_generation if ix.fallback_generation is not None else ix.toc.generation
        self._previous_segments = {segment.segment_id() for segment in self.segments}
        self.touched: set[str] = set()

    def delete_by_term(self, fieldname, text, searcher=None):
        if fieldname == "id":
            self.touched.add(text)
        return super().delete_by_term(fieldname, text, searcher=searcher)

    def add_document(self, **fields):
        # Also reached through update_document, which first deletes committed copies by docnum.
        self.touched.add(fields["id"])
        return super().add_document(**fields)

    def commit_toc(self, segments):
        names = self.storage.list()
        for segment in segments:
            if getattr(segment, SIZES, None) is None:
                # New here (or written before sizes were recorded): record and flush its files.
                prefix = segment.segment_id() + "."
                files = [name for name in names if name.startswith(prefix)]
                setattr(segment, SIZES, {name: os.stat(storage_path(self.storage, name)).st_size for name in files})
                self.storage.written.update(files)
        write_private(Path(self.storage.folder) / touched_name(self.generation),
                      json.dumps({"ids": sorted(self.touched)}))
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        self._clean(segments)

    def _clean(self, segments) -> None:
        keep_segments = {segment.segment_id() for segment in segments} | self._previous_segments
        keep_generations = {self.generation, self._previous_generation}
        for name in self.storage.list():
            toc, segment, touched = _TOC.match(name), _SEGMENT_FILE.match(name), _TOUCHED.match(name)
            if toc:
                doomed = int(toc.group(1)) not in keep_generations
            elif touched:
                doomed = int(touched.group(1)) != self.generation
            elif segment:
                doomed = segment.group(1) not in keep_segments
            else:
                continue
            if doomed:
                try:
                    self.storage.delete_file(name)
                except OSError:
                    pass  # still open elsewhere; the next commit removes it


route_commit_toc(DurableWriter, DurableWriter.commit_toc)  # Whoosh's commit writes the TOC through it


def _check_segments(segments) -> None:
    """The segment list of a partition's table of contents holds Whoosh segments: a damaged
    one (a dict, numbers, a string) otherwise fails later, deep in a search, as a traceback."""
    if not isinstance(segments, list):
        raise TypeError(f"its segment list is a {type(segments).__name__}")
    for segment in segments:
        if not isinstance(segment, Segment):
            raise TypeError(f"its segment list holds a {type(segment).__name__}")
    for segment in segments:
        if not isinstance(segment.segment_id(), str) or not isinstance(segment.doc_count_all(), int) \
                or not isinstance(segment.deleted_count(), int):
            raise TypeError(f"segment {segment.segment_id()!r} is malformed")
