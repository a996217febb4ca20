"""Ingestion: the run. Decides the work, farms out each file's stages, writes the results.

    discover                      the files under the paths given (discover.py)
    deciding the work             declared metadata, cheap stat check against the catalog -> Tasks
    each file's stages            look-up, extraction, metadata (stages.py), in local worker
                                  processes or on a Dask cluster (cluster.py)
    applying the results          one writer: partitions, then the catalog, in batches

A file that fails at any stage is recorded with its stage and reason and the batch goes on;
nothing is written for it, and documents already indexed stay as they were -- except when the
failure may hide a stricter level (a declaration that cannot be read, or a stricter one whose
file cannot be): that file's indexed copy is withdrawn from every partition until it can be
read. Writes are committed in batches (partitions first, then the catalog), so an interrupted
run keeps every batch it finished and the next run picks up the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from archsearch.config import Settings
from archsearch.engine.index import SCHEMA_VERSION, IndexHome, PartitionWriter, index_lock
from archsearch.errors import IndexStateError
from archsearch.ingest.catalog import Catalog, CatalogEntry
from archsearch.ingest.declared import MetadataError
from archsearch.ingest.discover import discover
from archsearch.ingest.manifests import load_manifests
from archsearch.ingest.progress import IndexSummary, Progress, ProgressEvent, ProgressKind
from archsearch.ingest.sidecars import read_sidecar
from archsearch.ingest.stages import Outcome, Status, Task, run_locally
from archsearch.levels import Level, stricter
from archsearch.records import Document, SourceFile


def document_id(collection: str, relpath: str) -> str:
    """Stable id of a document first seen at this place in its collection (a move keeps it).
    Two collections may share a name (2019/quyet-dinh, 2020/quyet-dinh): `_Run._new_id` gives
    the second file another id rather than let it replace the first."""
    return hashlib.sha256(f"{collection}\0{relpath}".encode()).hexdigest()[:12]


def _distinct_id(collection: str, relpath: str, path: str, attempt: int) -> str:
    """The id of a file whose `document_id` belongs to another file: its absolute path decides."""
    return hashlib.sha256(f"{collection}\0{relpath}\0{path}\0{attempt}".encode()).hexdigest()[:12]


# Runs each task's stages (stages.prepare, or look_up + extract_file) over the tasks and yields their Outcomes as they complete (any order), with
# a bounded number in flight; the local process pool by default, a Dask cluster with --cluster.
Extractor = Callable[[list[Task]], Iterator[Outcome]]


def index_paths(
    settings: Settings,
    paths: Iterable[Path],
    default_level: Level = Level.UNCLASSIFIED,
    collection: str | None = None,
    progress: Progress | None = None,
    full: bool = False,
    prune: bool = False,
    extractor: Extractor | None = None,
) -> IndexSummary:
    """Index files and directories into the index home of `settings`; returns the summary.

    Incremental by default; `full` rebuilds everything into a new generation that replaces
    the current one atomically when complete; `prune` removes documents whose files are gone
    from the directories scanned. `extractor` replaces the local worker processes (cluster.py).
    """
    paths = [Path(p) for p in paths]
    extractor = extractor or (lambda tasks: run_locally(tasks, settings.jobs))
    with index_lock(settings.index_dir):
        try:
            if full:
                home = IndexHome.begin_rebuild(settings.index_dir)
                try:
                    summary = _Run(settings, home, default_level, collection, progress, prune, extractor).run(paths)
                except BaseException:
                    home.discard()
                    raise
                summary.full = True
                home.publish()
            else:
                home = IndexHome.create_or_open(settings.index_dir)
                summary = _Run(settings, home, default_level, collection, progress, prune, extractor).run(paths)
            home.record_run(summary.to_json())
        except (OSError, sqlite3.OperationalError) as error:
            # Reading a source file fails inside its stages, per file; what reaches here is a
            # write to the index home (a full disk, a read-only or failing device).
            reason = getattr(error, "strerror", None) or str(error)
            raise IndexStateError(
                f"cannot write the index home {settings.index_dir}: {reason}. The batch being "
                "written was not committed; every batch committed before stands and stays "
                "searchable. Free space (or fix the device) and run again to finish the job"
            ) from error
        return summary


class _Run:
    """One indexing run: decides the work, farms it out, writes the results in batches."""

    def __init__(self, settings, home, default_level, collection, progress, prune, extractor):
        self.settings = settings
        self.extractor = extractor
        self.home = home
        self.default_level = default_level
        self.collection = collection
        self.notify = progress or (lambda event: None)
        self.prune = prune
        self.summary = IndexSummary(started_at=_now())
        self.started = time.monotonic()
        self.done = 0
        self.total = 0

    def run(self, paths: list[Path]) -> IndexSummary:
        summary = self.summary
        summary.paths = [str(p.absolute()) for p in paths]
        found = discover(paths, collection=self.collection, exclude=[self.settings.index_dir])
        for path, reason in found.failures:
            self._fail(str(path), "discover", reason)
        scanned_roots = {str(p.resolve()) for p in paths if p.is_dir()}
        with self.home.catalog() as catalog:
            # A partition whose newest commit was damaged opens at the one before, without what
            # that commit changed: commit that state, and read those documents again.
            for note in self.home.recover_partitions(reread=catalog.mark_retry):
                self._warn(str(self.home.root), "recover", note)
            known = catalog.entries()
            self.withdrawn = catalog.withdrawn()
            self.withdrawals: list[tuple[str, str, CatalogEntry | None, str]] = []
            # Where each id sits now: a run killed between two partitions' commits can leave a
            # copy the catalog does not know of (it is written after the partitions).
            self.present = self.home.ids_by_level()
            self.added: set[str] = set()
            tasks = list(self._tasks(found.files, known))
            self.total = len(tasks)
            self.notify(ProgressEvent(ProgressKind.START, detail=f"{len(tasks)} files to index, {summary.unchanged} unchanged", total=self.total))
            vanished = self._vanished(known, scanned_roots)
            with self.home.writer() as writer:
                batch = _Batch(writer, catalog)
                for path, doc_id, previous, reason in self.withdrawals:
                    self._withdraw(batch, path, doc_id, previous, reason)
                for outcome in self.extractor(tasks):
                    self._apply(outcome, batch, vanished)
                    if batch.size >= self.settings.commit_every:
                        batch.commit()
                        self.notify(ProgressEvent(ProgressKind.COMMIT, done=self.done, total=self.total, pages=summary.pages))
                self._remove_missing(vanished, batch)
                if self.prune:  # a withdrawn file that is gone has nothing left to come back to
                    for gone in self.withdrawn:
                        if any(gone.startswith(root + os.sep) for root in scanned_roots) and not os.path.lexists(gone):
                            batch.restore(gone)
                batch.commit()
        self.home.complete_posting_arrays()
        cluster = getattr(self.extractor, "report", None)  # cluster.DaskExtractor's
        if cluster:
            summary.cluster = cluster
            for warning in cluster["warnings"]:
                self._warn(cluster["address"], "cluster", warning)
        summary.seconds = round(time.monotonic() - self.started, 2)
        return summary

    # -- deciding the work ---------------------------------------------------------------
    def _tasks(self, files: list[SourceFile], known: dict[str, CatalogEntry]) -> Iterator[Task]:
        manifests = {}
        by_path = {entry.path: entry for entry in known.values()}
        # Which file each id belongs to: the catalog's, then every id handed out in this run.
        self.id_owners = {entry.id: entry.path for entry in known.values()}
        for withdrawn_path, record in self.withdrawn.items():
            self.id_owners.setdefault(record["id"], withdrawn_path)
        cache_dir = str(self.settings.index_dir)
        self.run_paths = {str(source.path) for source in files}
        self.listings: dict[Path, frozenset[str] | None] = {}
        for source in files:
            path = str(source.path)
            try:
                if source.root not in manifests:
                    manifests[source.root] = load_manifests(source.root)
                    for warning in manifests[source.root].warnings:
                        self._warn(str(source.root), "metadata", warning)
                sidecar = read_sidecar(source.path, self._names_in(source.path.parent))
                indexed_from = by_path[path].root if path in by_path else None
                if indexed_from is not None and Path(indexed_from) in source.root.parents:
                    # indexed before from a directory above: its manifests still count
                    manifests[source.root].extend_up_to(Path(indexed_from))
                row = manifests[source.root].lookup(source.path)
                stat = source.path.stat()
            except MetadataError as error:
                self._fail(path, "metadata", error.reason)
                # Its declaration may now say a stricter level than the copy indexed before.
                previous = by_path.get(path)
                doc_id = previous.id if previous is not None else self._new_id(source)
                self.withdrawals.append((path, doc_id, previous, error.reason))
                continue
            except OSError as error:
                self._fail(path, "discover", f"cannot read file: {error.strerror or error}")
                continue
            meta_hash = _hash_json([_plain(sidecar), _plain(row), self.default_level.id, SCHEMA_VERSION])
            previous = by_path.get(path)
            if (
                previous is not None
                and previous.size == stat.st_size
                and previous.mtime_ns == stat.st_mtime_ns
                and previous.meta_hash == meta_hash
                and not previous.retry
                and previous.collection == source.collection
            ):
                self.summary.unchanged += 1
                continue
            doc_id = previous.id if previous is not None else self._new_id(source)
            yield Task(source, doc_id, sidecar, row, self.default_level, meta_hash, previous,
                       self.settings.limits, cache_dir, stat.st_size, stat.st_mtime_ns)

    def _names_in(self, directory: Path) -> frozenset[str] | None:
        """The names in a document's directory, listed once per run (for sidecar spellings)."""
        if directory not in self.listings:
            try:
                self.listings[directory] = frozenset(os.listdir(directory))
            except OSError:
                self.listings[directory] = None
        return self.listings[directory]

    def _new_id(self, source: SourceFile) -> str:
        """An id for a file the catalog does not know. Ids are unique per file: one already
        owned by another file that still exists (same collection name and relative path under
        another root), or handed out earlier in this run, is never reused -- the second file
        would replace the first in the catalog and its partition, silently. An id whose file
        is gone is reused (a collection directory moved as a whole keeps its ids)."""
        path = str(source.path)
        if path in self.withdrawn and self.id_owners.get(self.withdrawn[path]["id"]) == path:
            return self.withdrawn[path]["id"]  # back from a withdrawal: the id it had
        doc_id = document_id(source.collection, source.relpath)
        attempt = 0
        while (owner := self.id_owners.get(doc_id)) is not None and owner != path and (
                owner in self.run_paths or os.path.lexists(owner)):
            attempt += 1
            taken, doc_id = doc_id, _distinct_id(source.collection, source.relpath, path, attempt)
            self._warn(path, "discover", f"id {taken} already belongs to {owner} (same collection name "
                                         f"and relative path); this file gets id {doc_id}")
        self.id_owners[doc_id] = path
        return doc_id

    @staticmethod
    def _vanished(known: dict[str, CatalogEntry], scanned_roots: set[str]) -> dict[str, CatalogEntry]:
        """Indexed documents of the scanned collections whose files are gone, by content hash:
        candidates for a move (same content found elsewhere) or for pruning."""
        gone = {}
        for entry in known.values():
            if entry.root in scanned_roots and not os.path.exists(entry.path):
                gone.setdefault(entry.content_hash, entry)
        return gone

    # -- applying results ----------------------------------------------------------------
    def _apply(self, outcome: Outcome, batch: "_Batch", vanished: dict[str, CatalogEntry]) -> None:
        summary, task = self.summary, outcome.task
        path = str(task.source.path)
        self.done += 1
        if outcome.status == Status.FAILED:
            self._fail(path, outcome.stage, outcome.reason)
            previous = task.previous
            declared = stricter(task.sidecar and task.sidecar.classification,
                                task.manifest_row and task.manifest_row.classification)
            if previous is not None and declared is not None and declared > previous.level:
                # Declared stricter than the copy indexed before, and unreadable now: the old
                # copy must not stay visible below the new level until the file can be read.
                self._withdraw(batch, path, previous.id, previous,
                               f"now declared {declared}, and could not be indexed: {outcome.reason}")
            return
        if outcome.status == Status.UNCHANGED:  # touched but identical: remember the new stat only
            summary.unchanged += 1
            batch.catalog_put(dataclasses.replace(task.previous, size=task.size, mtime_ns=task.mtime_ns))
            self.notify(ProgressEvent(ProgressKind.UNCHANGED, path, done=self.done, total=self.total, pages=summary.pages))
            return
        doc = outcome.document
        previous = task.previous
        moved_from = vanished.get(outcome.content_hash) if previous is None else None
        if moved_from is not None and self.id_owners.get(moved_from.id, moved_from.path) != moved_from.path:
            moved_from = None  # its id went to another new file of this run (_new_id): not a move
        if moved_from is not None:
            del vanished[outcome.content_hash]
            doc = dataclasses.replace(doc, id=moved_from.id)
            previous = moved_from
            summary.moved += 1
            summary.moves.append({"from": moved_from.path, "to": path})
            self.notify(ProgressEvent(ProgressKind.MOVED, path, f"from {moved_from.path}", self.done, self.total, summary.pages))
        # Every other copy goes, not only the one at the catalog's level: after a kill between
        # partition commits an old version can sit at a level the catalog never recorded, and
        # would otherwise stay visible there (below the document's level) for good.
        copies = self._copies(doc.id, previous)
        for level in copies - {doc.classification}:
            batch.delete(doc.id, level)
        if previous is not None and previous.level != doc.classification:
            declassified = doc.declassified if doc.classification < previous.level else None
            batch.level_change(doc.id, path, previous.level, doc.classification, declassified)
            summary.level_changes.append({"path": path, "from": previous.level.id, "to": doc.classification.id})
        # Not in its partition when the run began, nor added since: a plain add, without
        # update_document's delete-by-id lookup (~15 % of indexing time, bench/ingest.py).
        root = str(task.source.root)
        if previous is not None and Path(previous.root) in task.source.root.parents:
            root = previous.root  # indexed from a directory above before: its manifests keep counting
        new_here = doc.classification not in copies and doc.id not in self.added
        self.added.add(doc.id)
        if path in self.withdrawn:
            batch.restore(path)
        batch.add(doc, CatalogEntry(
            id=doc.id, level=doc.classification, collection=doc.collection, root=root,
            path=path, size=task.size, mtime_ns=task.mtime_ns, content_hash=doc.content_hash,
            meta_hash=doc.meta_hash, mime=doc.mime, pages=doc.page_count, ocr_pages=doc.ocr_pages,
            retry=int(doc.ocr_failed_pages > 0),
            indexed_at=_now(),
        ), new=new_here)
        summary.indexed += 1
        summary.pages += doc.page_count
        summary.ocr_pages += doc.ocr_pages
        if outcome.from_cache:
            summary.from_cache += 1
        else:
            summary.extracted += 1
            if outcome.worker:
                summary.workers[outcome.worker] = summary.workers.get(outcome.worker, 0) + 1
        for warning in doc.warnings:
            self._warn(path, "extract", warning)
        if moved_from is None:
            self.notify(ProgressEvent(ProgressKind.INDEXED, path, doc.classification.id, self.done, self.total, summary.pages))

    def _withdraw(self, batch: "_Batch", path: str, doc_id: str, previous: CatalogEntry | None, reason: str) -> None:
        """Take a file out of every partition (and the catalog's documents) and record why: its
        level is unknown, so no copy may stay below top-secret, and none at top-secret either
        (its compartments are unknown too). The next run that can read it indexes it again."""
        copies = self._copies(doc_id, previous)
        for level in copies:
            batch.delete(doc_id, level)
        if previous is not None:
            batch.catalog_remove(doc_id)
        batch.withdraw(path, doc_id, reason)
        if previous is not None:  # (a copy deleted by an earlier run may linger in `present`)
            self._warn(path, "metadata", f"withdrawn from search (it was indexed as {previous.level}) "
                                         "until it can be read again")

    def _copies(self, doc_id: str, previous: CatalogEntry | None) -> set[Level]:
        """The levels whose partitions may hold `doc_id`."""
        levels = {level for level, ids in self.present.items() if doc_id in ids}
        if previous is not None:
            levels.add(previous.level)
        return levels

    def _remove_missing(self, vanished: dict[str, CatalogEntry], batch: "_Batch") -> None:
        for entry in sorted(vanished.values(), key=lambda e: e.path):
            if self.prune:
                for level in self._copies(entry.id, entry):
                    batch.delete(entry.id, level)
                batch.catalog_remove(entry.id)
                self.summary.removed += 1
                self.notify(ProgressEvent(ProgressKind.REMOVED, entry.path, "file is gone", self.done, self.total))
            else:
                self.summary.missing.append(entry.path)
                self._warn(entry.path, "discover", "file is gone; its document stays indexed until a run with --prune")

    def _fail(self, path: str, stage: str, reason: str) -> None:
        self.summary.failed += 1
        self.summary.failures.append({"path": path, "stage": stage, "reason": reason})
        self.notify(ProgressEvent(ProgressKind.FAILED, path, reason, self.done, self.total))

    def _warn(self, path: str, stage: str, warning: str) -> None:
        self.summary.warnings.append({"path": path, "stage": stage, "warning": warning})


class _Batch:
    """Writes waiting for the next commit: partitions first, then the catalog, so the catalog
    is never ahead of what is searchable."""

    def __init__(self, writer: PartitionWriter, catalog: Catalog):
        self.writer, self.catalog = writer, catalog
        self.entries: list[CatalogEntry] = []
        self.removals: list[str] = []
        self.changes: list[tuple] = []
        self.withdrawals: list[tuple[str, str, str]] = []
        self.restored: list[str] = []
        self.size = 0

    def add(self, doc: Document, entry: CatalogEntry, new: bool = False) -> None:
        self.writer.add(doc, new=new)
        self.entries.append(entry)
        self.size += 1

    def delete(self, doc_id: str, level: Level) -> None:
        self.writer.delete(doc_id, level)

    def catalog_put(self, entry: CatalogEntry) -> None:
        self.entries.append(entry)

    def catalog_remove(self, doc_id: str) -> None:
        self.removals.append(doc_id)

    def level_change(self, *change) -> None:
        self.changes.append(change)

    def withdraw(self, path: str, doc_id: str, reason: str) -> None:
        self.withdrawals.append((path, doc_id, reason))

    def restore(self, path: str) -> None:
        self.restored.append(path)

    def commit(self) -> None:
        self.writer.commit()
        self.catalog.remove(self.removals)
        self.catalog.put(self.entries)
        for change in self.changes:
            self.catalog.record_level_change(*change)
        self.catalog.withdraw(self.withdrawals)
        self.catalog.restore(self.restored)
        self.entries, self.removals, self.changes, self.size = [], [], [], 0
        self.withdrawals, self.restored = [], []


def _plain(value) -> object:
    return dataclasses.asdict(value) if value is not None else None


def _hash_json(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
