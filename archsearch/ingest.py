"""Ingestion: runs the stages for every discovered file and writes the results.

discover -> (per file, in worker processes) hash -> detect -> extract -> normalise ->
text fields -> metadata & classification -> (one writer, this process) index.

A file that fails at any stage is recorded with its reason and the batch goes on; nothing is
written for it, and documents already indexed stay as they were. Writes are committed in
batches, so an interrupted run keeps every batch it finished.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .config import Settings
from .detect import detect_mime, kind_for_mime
from .discover import discover
from .errors import ArchsearchError, ExtractionError
from .extract import ExtractLimits, extract
from .index import SCHEMA_VERSION, CatalogEntry, IndexHome
from .levels import Level
from .metadata import MetadataError, load_manifests, read_sidecar, resolve
from .records import DeclaredMetadata, Document, SourceFile
from .textmeta import parse_text_fields

# Extensions that promise a binary format; content that disagrees is reported, not guessed at.
KIND_BY_SUFFIX = {
    ".pdf": "pdf", ".docx": "docx", ".png": "image", ".tif": "image", ".tiff": "image",
    ".jpg": "image", ".jpeg": "image",
}

Progress = Callable[[str, str, str], None]  # (event, path, detail)


@dataclass
class IndexSummary:
    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[dict] = field(default_factory=list)  # {"path", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "warning"}
    started_at: str = ""
    paths: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Task:
    """Everything a worker needs for one file; picklable."""

    source: SourceFile
    doc_id: str
    sidecar: DeclaredMetadata | None
    manifest_row: DeclaredMetadata | None
    default_level: Level
    meta_hash: str
    previous: CatalogEntry | None
    limits: ExtractLimits


@dataclass
class Outcome:
    task: Task
    status: str  # "indexed" | "unchanged" | "failed"
    document: Document | None = None
    reason: str = ""


def document_id(collection: str, relpath: str) -> str:
    """Stable id of a document: its place in its collection."""
    return hashlib.sha256(f"{collection}\0{relpath}".encode()).hexdigest()[:12]


def index_paths(
    settings: Settings,
    paths: Iterable[Path],
    default_level: Level = Level.UNCLASSIFIED,
    collection: str | None = None,
    progress: Progress | None = None,
) -> IndexSummary:
    """Index files and directories into the index home of `settings`; returns the summary."""
    started = time.monotonic()
    notify = progress or (lambda *_: None)
    summary = IndexSummary(started_at=_now(), paths=[str(Path(p).absolute()) for p in paths])
    home = IndexHome.create_or_open(settings.index_dir)
    found = discover([Path(p) for p in paths], collection=collection, exclude=[settings.index_dir])
    for path, reason in found.failures:
        _fail(summary, notify, str(path), reason)

    catalog = home.catalog()
    tasks = list(_tasks(found.files, catalog, default_level, settings.limits, summary, notify))
    notify("start", "", f"{len(tasks)} files to check")
    with home.writer() as writer:
        pending = 0
        for outcome in _run(tasks, settings.jobs):
            path = str(outcome.task.source.path)
            if outcome.status == "failed":
                _fail(summary, notify, path, outcome.reason)
                continue
            if outcome.status == "unchanged":
                summary.unchanged += 1
                notify("unchanged", path, "")
                continue
            doc = outcome.document
            previous = outcome.task.previous
            if previous is not None and previous.level != doc.classification:
                writer.delete(doc.id, previous.level)
            writer.add(doc)
            summary.indexed += 1
            summary.warnings.extend({"path": path, "warning": w} for w in doc.warnings)
            notify("indexed", path, doc.classification.id)
            pending += 1
            if pending >= settings.commit_every:
                writer.commit()
                pending = 0
    summary.seconds = round(time.monotonic() - started, 2)
    home.record_run(summary.to_json())
    return summary


def _tasks(files, catalog, default_level, limits, summary, notify) -> Iterator[Task]:
    manifests = {}
    for source in files:
        path = str(source.path)
        try:
            if source.root not in manifests:
                manifests[source.root] = load_manifests(source.root)
                for warning in manifests[source.root].warnings:
                    summary.warnings.append({"path": str(source.root), "warning": warning})
            sidecar = read_sidecar(source.path)
            row = manifests[source.root].lookup(source.path)
        except MetadataError as error:
            _fail(summary, notify, path, error.reason)
            continue
        doc_id = document_id(source.collection, source.relpath)
        meta_hash = _hash_json([_plain(sidecar), _plain(row), default_level.id, SCHEMA_VERSION])
        yield Task(source, doc_id, sidecar, row, default_level, meta_hash, catalog.get(doc_id), limits)


def _run(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Prepare documents, in worker processes when jobs > 1; yields as they finish."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield prepare(task)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(task, pool.submit(prepare, task)) for task in tasks]
        for task, future in futures:
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Outcome(task, "failed", reason="the worker process died while reading this file")


def prepare(task: Task) -> Outcome:
    """Read one file into a Document (runs in a worker). Never raises for a bad file."""
    source = task.source
    try:
        content_hash = _hash_file(source.path)
        previous = task.previous
        if (
            previous is not None
            and previous.content_hash == content_hash
            and previous.meta_hash == task.meta_hash
            and previous.path == str(source.path)
        ):
            return Outcome(task, "unchanged")
        if source.path.stat().st_size > task.limits.max_file_bytes:
            raise ExtractionError(
                f"file too large ({source.path.stat().st_size} bytes > limit {task.limits.max_file_bytes})"
            )
        mime = detect_mime(source.path)
        kind = kind_for_mime(mime, source.path)
        if kind is None:
            raise ExtractionError(f"unsupported file type {mime}")
        named = KIND_BY_SUFFIX.get(source.path.suffix.lower())
        if named is not None and named != kind:
            # A ".pdf" that is not a PDF is a damaged or mislabelled record the archivist must see.
            raise ExtractionError(f"named {source.path.suffix} but the content is {mime}")
        extracted = extract(source.path, kind, task.limits, mime=mime)
        text = extracted.text
        fields = parse_text_fields(text)
        resolved = resolve(task.sidecar, task.manifest_row, fields, task.default_level, source.path.name)
        warnings = list(extracted.warnings) + list(resolved.warnings)
        if not text.strip():
            warnings.append("no text could be extracted")
        doc = Document(
            id=task.doc_id,
            path=source.path,
            collection=source.collection,
            relpath=source.relpath,
            mime=mime,
            text=text,
            classification=resolved.classification,
            classification_source=resolved.classification_source,
            compartments=resolved.compartments,
            title=resolved.title,
            doc_number=resolved.doc_number,
            date=resolved.date,
            doc_type=resolved.doc_type,
            issuer=resolved.issuer,
            page_count=extracted.page_count,
            ocr_pages=extracted.ocr_pages,
            content_hash=content_hash,
            meta_hash=task.meta_hash,
            doc_numbers=_numbers(resolved.doc_number, fields.doc_numbers_cited),
            warnings=warnings,
        )
        return Outcome(task, "indexed", document=doc)
    except ArchsearchError as error:
        return Outcome(task, "failed", reason=getattr(error, "reason", None) or str(error))
    except OSError as error:
        return Outcome(task, "failed", reason=f"cannot read file: {error.strerror or error}")
    except Exception as error:  # a bug or a library's surprise must not stop the batch
        return Outcome(task, "failed", reason=f"unexpected {type(error).__name__}: {error}")


def _numbers(own: str | None, cited: list[str]) -> list[str]:
    numbers = [own] if own else []
    return numbers + [n for n in cited if n not in numbers]


def _fail(summary: IndexSummary, notify: Progress, path: str, reason: str) -> None:
    summary.failed += 1
    summary.failures.append({"path": path, "reason": reason})
    notify("failed", path, reason)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _plain(value) -> object:
    return dataclasses.asdict(value) if value is not None else None


def _hash_json(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
