"""The preparation of one file, as an ordered list of named stages.

    LOOK_UP   (in the indexing process)  read: size limit, content hash, unchanged check,
                                         extraction cache (cached text goes on to DESCRIBE)
    EXTRACT   (in a worker)              detect: content type; extract: text (time-limited),
                                         then the content hash again
    DESCRIBE  (in a worker)              metadata: text fields, sidecar and manifest -> Document

Each stage takes the file's `Work` and returns None to go on, or the `Outcome` that settles the
file. A stage that raises fails the file with the stage's label ("read", "detect", "extract",
"metadata": what the summary's failures and `index --report` say), and the batch goes on.

The local worker processes (`run_locally`) and the Dask workers (cluster.py) run the same
lists: `look_up` in the indexer, then `extract_file` wherever the text is extracted.
"""

from __future__ import annotations

import enum
import hashlib
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from archsearch.errors import ArchsearchError, ExtractionError
from archsearch.ingest.cache import ExtractionCache
from archsearch.ingest.catalog import CatalogEntry
from archsearch.ingest.declared import resolve
from archsearch.ingest.detect import detect_mime, kind_for_mime
from archsearch.ingest.extract import ExtractLimits, extract
from archsearch.ingest.text_fields import parse_text_fields
from archsearch.levels import Level
from archsearch.records import DeclaredMetadata, Document, Extracted, SourceFile

# Extensions that promise a binary format; content that disagrees is reported, not guessed at.
KIND_BY_SUFFIX = {
    ".pdf": "pdf", ".docx": "docx", ".png": "image", ".tif": "image", ".tiff": "image",
    ".jpg": "image", ".jpeg": "image",
}


class Status(enum.StrEnum):
    """How the preparation of one file ended (a str, so JSON and reports hold the plain word)."""

    INDEXED = "indexed"
    UNCHANGED = "unchanged"  # same content and metadata as the copy indexed before
    FAILED = "failed"


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
    cache_dir: str
    size: int
    mtime_ns: int


@dataclass
class Outcome:
    task: Task
    status: Status
    document: Document | None = None
    stage: str = ""  # the failing stage's label
    reason: str = ""
    content_hash: str = ""
    from_cache: bool = False
    worker: str = ""  # the cluster worker that extracted it (index --cluster)


@dataclass
class Work:
    """One file on its way through the stages: what the stages before found out."""

    task: Task
    path: Path  # the file read: the source, or a cluster worker's private copy of it
    content_hash: str = ""
    mime: str = ""
    kind: str = ""
    extracted: Extracted | None = None
    from_cache: bool = False


class Stage(NamedTuple):
    label: str  # reported as the failure's "stage"
    run: Callable[[Work], Outcome | None]


# -- the stages, in the order they run --------------------------------------------------------

def refuse_oversized(work: Work) -> None:
    # Before any reading, hashing included: a 2 GB file must not stall the batch.
    limit = work.task.limits.max_file_bytes
    if work.task.size > limit:
        raise ExtractionError(f"file too large ({work.task.size} bytes > limit {limit})")


def hash_content(work: Work) -> None:
    work.content_hash = hash_file(work.path)


def skip_unchanged(work: Work) -> Outcome | None:
    """Same content and metadata as the copy indexed before (only its stat changed)."""
    previous, task = work.task.previous, work.task
    if (previous is not None and previous.content_hash == work.content_hash
            and previous.meta_hash == task.meta_hash and not previous.retry):
        return Outcome(task, Status.UNCHANGED, content_hash=work.content_hash)
    return None


def reuse_cached_text(work: Work) -> Outcome | None:
    """Text extracted before from the same content (any path) skips EXTRACT."""
    cache = ExtractionCache(Path(work.task.cache_dir), work.task.limits.ocr_language)
    work.extracted = cache.get(work.content_hash)
    if work.extracted is None:
        return None
    work.from_cache = True
    return run_stages(DESCRIBE, work)


def detect_kind(work: Work) -> None:
    work.mime = detect_mime(work.path)
    work.kind = kind_for_mime(work.mime, work.path)
    if work.kind is None:
        raise ExtractionError(f"unsupported file type {work.mime}")
    source = work.task.source
    named = KIND_BY_SUFFIX.get(source.path.suffix.lower())
    if named is not None and named != work.kind:
        # A ".pdf" that is not a PDF is a damaged or mislabelled record the archivist must see.
        raise ExtractionError(f"named {source.path.suffix} but the content is {work.mime}")


def extract_text(work: Work) -> None:
    limits = work.task.limits
    with _time_limit(limits.max_seconds_per_file):
        work.extracted = extract(work.path, work.kind, limits, mime=work.mime)


def recheck_hash(work: Work) -> None:
    """The text is of the content look_up hashed (and the catalog will record), not of a
    file rewritten half-way through."""
    if hash_file(work.path) != work.content_hash:
        raise ExtractionError("the file changed while it was being read; it will be indexed on the next run")


def describe(work: Work) -> Outcome:
    """The extracted text, the sidecar and the manifest row -> a Document."""
    task, extracted, source = work.task, work.extracted, work.task.source
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
        mime=extracted.mime,
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
        ocr_failed_pages=sum(1 for page in extracted.pages if page.ocr_failed),
        content_hash=work.content_hash,
        meta_hash=task.meta_hash,
        doc_numbers=_numbers(resolved.doc_number, fields.doc_numbers_cited),
        warnings=warnings,
        declassified=resolved.declassified,
    )
    return Outcome(task, Status.INDEXED, document=doc, content_hash=work.content_hash, from_cache=work.from_cache)


# In the indexing process: it reads the source and the index home (never sent to a worker).
LOOK_UP = (
    Stage("read", refuse_oversized),
    Stage("read", hash_content),
    Stage("read", skip_unchanged),
    Stage("read", reuse_cached_text),
)
# Wherever the text is extracted: a local worker process, or a Dask worker on its copy.
EXTRACT = (
    Stage("detect", detect_kind),
    Stage("extract", extract_text),
    Stage("extract", recheck_hash),
)
DESCRIBE = (
    Stage("metadata", describe),
)


def run_stages(stages: tuple[Stage, ...], work: Work) -> Outcome | None:
    """Run `stages` in order until one settles the file; a stage that raises fails it."""
    for stage in stages:
        try:
            outcome = stage.run(work)
        except Exception as error:
            return _failed(work.task, stage.label, error)
        if outcome is not None:
            return outcome
    return None


# -- the three ways in ---------------------------------------------------------------------

def prepare(task: Task) -> Outcome:
    """Read one file into a Document, all stages in this process. Never raises for a bad file."""
    looked_up = look_up(task)
    if isinstance(looked_up, Outcome):
        return looked_up
    outcome, extracted = extract_file(task, task.source.path, looked_up)
    if extracted is not None:
        ExtractionCache(Path(task.cache_dir), task.limits.ocr_language).put(looked_up, extracted)
    return outcome


def look_up(task: Task) -> Outcome | str:
    """The LOOK_UP stages. Returns the Outcome when they settle the file, else its content
    hash (the file must be extracted: `extract_file`)."""
    work = Work(task, task.source.path)
    return run_stages(LOOK_UP, work) or work.content_hash


def extract_file(task: Task, path: Path, content_hash: str) -> tuple[Outcome, Extracted | None]:
    """The EXTRACT and DESCRIBE stages on the file at `path` (the source itself, or a cluster
    worker's copy of it), whose content must hash to `content_hash`. Returns the Outcome and,
    when it succeeded, what was extracted (for the cache). Never raises for a bad file."""
    work = Work(task, path, content_hash)
    outcome = run_stages(EXTRACT + DESCRIBE, work)
    return outcome, (work.extracted if outcome.status == Status.INDEXED else None)


def run_locally(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Prepare documents, in worker processes when jobs > 1; yields as they finish. At most a
    few tasks per worker are in flight, so memory stays bounded whatever the collection size."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield prepare(task)
        return
    pending = iter(tasks)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        in_flight = {}
        for task in pending:
            in_flight[pool.submit(prepare, task)] = task
            if len(in_flight) >= jobs * 4:
                break
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                task = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield Outcome(task, Status.FAILED, stage="extract", reason="the worker process died while reading this file")
                next_task = next(pending, None)
                if next_task is not None:
                    try:
                        in_flight[pool.submit(prepare, next_task)] = next_task
                    except BrokenProcessPool:
                        yield Outcome(next_task, Status.FAILED, stage="extract", reason="the worker pool broke before this file")


def _failed(task: Task, stage: str, error: Exception) -> Outcome:
    """A file's failure as an Outcome; a bug or a library's surprise must not stop the batch."""
    if isinstance(error, ArchsearchError):
        return Outcome(task, Status.FAILED, stage=stage, reason=getattr(error, "reason", None) or str(error))
    if isinstance(error, FileNotFoundError):
        return Outcome(task, Status.FAILED, stage=stage, reason="the file vanished while it was being indexed")
    if isinstance(error, OSError):
        return Outcome(task, Status.FAILED, stage=stage, reason=f"cannot read file: {error.strerror or error}")
    return Outcome(task, Status.FAILED, stage=stage, reason=f"unexpected {type(error).__name__}: {error}")


class FileTimeLimit(ExtractionError):
    """Extracting one file took longer than `ExtractLimits.max_seconds_per_file`."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise FileTimeLimit in this process after `seconds` of wall-clock time.

    Uses SIGALRM, so it works where a signal handler may be installed (the main thread of a
    worker process, or of the indexing process with --jobs 1); elsewhere no limit applies.
    A subprocess running when it fires (Tesseract) is killed by subprocess.run's clean-up."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise FileTimeLimit(f"took longer than {seconds:g} s to extract (the per-file limit)")

    previous = signal.signal(signal.SIGALRM, expired)
    # Fires again every quarter second until the block ends: a raise that lands in a library's
    # `except Exception` (pdfminer has some) is swallowed, the next one is not always.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except FileTimeLimit:  # fired again while the first one was unwinding
                continue


def _numbers(own: str | None, cited: list[str]) -> list[str]:
    numbers = [own] if own else []
    return numbers + [n for n in cited if n not in numbers]


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
