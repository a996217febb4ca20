"""Extraction on a Dask distributed cluster (`archsearch index --cluster ADDRESS`).

Input: the Tasks of an indexing run. Output: their Outcomes, as they complete, exactly as the
local worker processes give them (pipeline.Extractor), so the run commits the same batches.

Only the EXTRACT and DESCRIBE stages (stages.py: detection, extraction, OCR, metadata) run on
the cluster's workers. The LOOK_UP stages (size limit, hashing, the unchanged check, the
extraction cache) stay in the indexing process (`stages.look_up`): a file whose text is
cached is never sent, and the cache is written here, by the only writer. A worker gets the
file's bytes with its task (at most `max_file_bytes`, and at most `max_bytes_in_flight` of
them in flight), or with `--shared-root` opens the same file on its own mount and checks its
content hash against the indexer's.

Extracted text of classified documents crosses the network, so an address that is not
loopback must be `tls://` with mutual TLS (a CA, a client certificate for the indexer, node
certificates for the scheduler and workers: `cluster_certs.make_certificates`), unless the caller insists
(`insecure`), which the run's summary then says. Dask pickles tasks and results: whoever holds
a certificate the CA signed can run code on the workers and in the indexer, so certificates go
only to machines as trusted as the index owner's account.

The only module that imports dask and distributed, lazily: archsearch runs without them.
"""

from __future__ import annotations

import ctypes
import logging
import os
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from archsearch import __version__
from archsearch.config import is_loopback_host
from archsearch.ingest.cache import EXTRACTOR_VERSION, ExtractionCache
from archsearch.ingest.cluster_certs import CA_FILE, CLIENT_CERT, CLIENT_KEY, INSTALL_HINT
from archsearch.config import Settings
from archsearch.errors import ArchsearchError, ExitCode, UsageError
from archsearch.ingest.progress import Progress, ProgressEvent, ProgressKind
from archsearch.ingest.stages import Outcome, Status, Task, extract_file, hash_file, look_up
from archsearch.records import Extracted

CLUSTER_ENV = "ARCHSEARCH_CLUSTER"
# What --cluster-tls DIR holds for the indexer; `make_certificates` writes these and the
# scheduler's and workers' node.pem / node-key.pem.


class ClusterError(ArchsearchError):
    """The cluster cannot be used or went away; batches committed before stand."""

    exit_code = ExitCode.CLUSTER


@dataclass(frozen=True)
class ClusterOptions:
    address: str
    tls_dir: Path | None = None
    shared_root: tuple[Path, str] | None = None  # (LOCAL, REMOTE): workers open REMOTE/<path under LOCAL>
    insecure: bool = False
    connect_timeout: float = 30.0
    # Tasks in flight per worker: one running, one waiting, so a worker never idles.
    per_worker: int = 2
    # File bytes travelling with tasks at once (one file larger than this still goes alone).
    max_bytes_in_flight: int = 256 * 2**20


def parse_shared_root(value: str) -> tuple[Path, str]:
    """`LOCAL=REMOTE` -> (absolute LOCAL, REMOTE); REMOTE is a path on the workers."""
    local, sep, remote = value.partition("=")
    if not sep or not local or not remote or not remote.startswith("/"):
        raise UsageError(f"--shared-root must be LOCAL=REMOTE with an absolute REMOTE path, not {value!r}")
    return Path(local).resolve(), remote.rstrip("/") or "/"


def check_address(options: ClusterOptions) -> str | None:
    """Refuse an address the extracted text must not cross in clear. Returns the warning the
    run carries when the caller insisted on plain tcp:// beyond this machine, else None.

    Only literal loopback addresses (127.0.0.0/8, ::1) and `localhost` count as loopback: a
    name is never resolved to decide, since DNS can say anything."""
    scheme, sep, rest = options.address.partition("://")
    if not sep:
        scheme, rest = "tcp", options.address  # Dask's default protocol
    if scheme not in ("tcp", "tls"):
        raise UsageError(f"--cluster must be a tls:// (or loopback tcp://) address, not {options.address!r}")
    host = _host(rest)
    if not host:
        raise UsageError(f"--cluster address has no host: {options.address!r}")
    if scheme == "tls":
        if options.tls_dir is None:
            raise UsageError(f"{options.address} is tls://: give --cluster-tls DIR holding {CA_FILE}, {CLIENT_CERT} and {CLIENT_KEY}")
        return None
    if options.tls_dir is not None:
        raise UsageError(f"--cluster-tls needs a tls:// address, not {options.address}")
    if is_loopback_host(host):
        return None
    if not options.insecure:
        raise UsageError(
            f"refusing to send documents in clear to {options.address}: use a tls:// address with "
            "--cluster-tls DIR (see `archsearch cluster certs`), or --insecure-cluster on a network "
            "you trust")
    return (f"extracted text crossed the network in clear (tcp:// to {host}, --insecure-cluster): "
            "anyone on the path could read it")


def _host(rest: str) -> str:
    if rest.startswith("["):  # [::1]:8786
        return rest[1:rest.find("]")] if "]" in rest else ""
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


def _distributed():
    try:
        import distributed
    except ImportError as error:
        raise UsageError(f"--cluster needs Dask distributed, which is not installed: {INSTALL_HINT}") from error
    return distributed


def security_for(options: ClusterOptions):
    """Dask's Security for the indexer's connection: mutual TLS from --cluster-tls DIR, or None
    for tcp://. Files missing, or a private key others can read, are refused."""
    if options.tls_dir is None:
        return None
    tls_dir = Path(options.tls_dir)
    files = [tls_dir / name for name in (CA_FILE, CLIENT_CERT, CLIENT_KEY)]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise UsageError(f"--cluster-tls {tls_dir} lacks {', '.join(missing)} (`archsearch cluster certs DIR` makes them)")
    if files[2].stat().st_mode & 0o077:
        raise UsageError(f"{files[2]} can be read by other accounts: chmod 600 it")
    distributed = _distributed()
    return distributed.Security(tls_ca_file=str(files[0]), tls_client_cert=str(files[1]),
                                tls_client_key=str(files[2]), require_encryption=True)


# -- on the workers ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RemoteJob:
    """One file for a worker: its task, the content hash the indexer read, and either the bytes
    or the path on the worker's shared mount."""

    task: Task
    content_hash: str
    data: bytes | None
    remote_path: str | None
    version: tuple[str, int]


def _worker_version() -> tuple[str, int]:
    return (__version__, EXTRACTOR_VERSION)


def extract_on_worker(job: RemoteJob) -> tuple[Outcome, Extracted | None, str]:
    """Runs on a Dask worker: extract one file and describe it. Returns the Outcome, what was
    extracted (the indexer caches it) and the worker's address. Never raises for a bad file."""
    from distributed import get_worker

    worker = get_worker().address
    task = job.task
    if _worker_version() != job.version:
        return (Outcome(task, Status.FAILED, stage="extract", reason=(
            f"worker {worker} runs archsearch {_worker_version()[0]} (extractor "
            f"{_worker_version()[1]}), the indexer {job.version[0]} (extractor {job.version[1]})")),
            None, worker)
    if job.data is None:
        outcome, extracted = _within_limit(
            task, lambda: _extract_shared(task, Path(job.remote_path), job.content_hash))
    else:
        # A private directory: the file is a classified document; it is gone when the task ends.
        with tempfile.TemporaryDirectory(prefix="archsearch-") as private:
            copy = Path(private) / ("document" + task.source.path.suffix.lower())
            descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(job.data)
            outcome, extracted = _within_limit(task, lambda: extract_file(task, copy, job.content_hash))
    return outcome, extracted, worker


class _PastDeadline(BaseException):
    """Raised asynchronously in a worker thread at max_seconds_per_file. A BaseException, so
    no `except Exception` on the way (pdfminer's, a page's, a library's) takes it for a bad page."""


class _Deadline:
    """max_seconds_per_file for a task in a Dask worker thread, where ingest's timer signal
    cannot reach: past the limit a timer thread raises _PastDeadline in the task's thread, and
    again every quarter second until the task has stopped (a raise that lands in a garbage
    collector callback is swallowed). Like the signal it interrupts Python code (pdfminer) and
    waits for a call into C to return (a Tesseract page returns within ocr_timeout)."""

    def __init__(self, seconds: float):
        self.target = ctypes.c_ulong(threading.get_ident())
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.timer = threading.Thread(target=self._run, args=(seconds,), daemon=True)
        self.timer.start()

    def _run(self, seconds: float) -> None:
        if self.stopped.wait(seconds):
            return
        while True:
            with self.lock:
                if self.stopped.is_set():
                    return
                ctypes.pythonapi.PyThreadState_SetAsyncExc(self.target, ctypes.py_object(_PastDeadline))
            if self.stopped.wait(0.25):
                return

    def stop(self) -> None:
        while True:
            try:
                with self.lock:
                    self.stopped.set()
                    # Set as the task ended but not raised yet: it must not land in Dask's code.
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(self.target, None)
                return
            except _PastDeadline:
                continue


def _within_limit(task: Task, extract_one) -> tuple[Outcome, Extracted | None]:
    seconds = task.limits.max_seconds_per_file
    if seconds <= 0:
        return extract_one()
    deadline = _Deadline(seconds)
    try:
        try:
            return extract_one()
        finally:
            deadline.stop()
    except _PastDeadline:
        deadline.stop()
        return Outcome(task, Status.FAILED, stage="extract",
                       reason=f"took longer than {seconds:g} s to extract (the per-file limit)"), None


def _extract_shared(task: Task, path: Path, content_hash: str) -> tuple[Outcome, Extracted | None]:
    try:
        found = hash_file(path)
    except OSError as error:
        return Outcome(task, Status.FAILED, stage="read", reason=(
            f"the worker cannot read {path} on its shared mount: {error.strerror or error}")), None
    if found != content_hash:
        return Outcome(task, Status.FAILED, stage="read", reason=(
            f"{path} on the worker's shared mount differs from the indexer's file (content hash mismatch)")), None
    return extract_file(task, path, content_hash)


def preflight(tesseract: str = "tesseract", language: str = "vie") -> dict:
    """Runs on every worker at the start of a run: what it would extract with."""
    report = {"archsearch": __version__, "extractor": EXTRACTOR_VERSION, "tesseract": None, "languages": []}
    try:
        version = subprocess.run([tesseract, "--version"], capture_output=True, timeout=30, check=False)
        langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return report
    lines = (version.stdout or version.stderr).decode("utf-8", "replace").splitlines()
    report["tesseract"] = lines[0].strip() if lines else "unknown version"
    report["languages"] = [line.strip() for line in langs.stdout.decode("utf-8", "replace").splitlines()[1:]]
    return report


# -- in the indexer -------------------------------------------------------------------------

@dataclass
class DaskExtractor:
    """A pipeline.Extractor that runs extraction on a Dask cluster; `report` describes the
    cluster for the run's summary once it has run."""

    settings: Settings
    options: ClusterOptions
    progress: Progress | None = None
    report: dict = field(default_factory=dict)

    def __post_init__(self):
        self.warning = check_address(self.options)
        self.security = security_for(self.options)
        _distributed()  # say what to install before any work starts

    def __enter__(self) -> "DaskExtractor":
        """Connect and check every worker, before the index home is touched."""
        distributed = _distributed()
        self.report = {"address": self.options.address, "tls": self.security is not None,
                       "insecure": self.warning is not None, "warnings": [self.warning] if self.warning else [],
                       "preflight": {}}
        # Dask logs a lost scheduler with tracebacks on stderr while it retries; the run says
        # it once, as an error with its exit code.
        self._logs = {name: logging.getLogger(name).level for name in ("distributed", "distributed.client")}
        for name in self._logs:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            self.client = self._connect(distributed)
            try:
                self._preflight(self.client)
            except BaseException:
                self._close()
                raise
        except BaseException:
            self._restore_logs()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()
        self._restore_logs()

    def _restore_logs(self) -> None:
        for name, level in self._logs.items():
            logging.getLogger(name).setLevel(level)

    def _close(self) -> None:
        try:
            self.client.close(timeout=5)
        except Exception:  # closing a client whose scheduler is gone must not hide why
            pass

    def __call__(self, tasks: list[Task]) -> Iterator[Outcome]:
        return self._extract(_distributed(), self.client, tasks)

    def _connect(self, distributed):
        try:
            return distributed.Client(self.options.address, security=self.security,
                                      timeout=self.options.connect_timeout, set_as_default=False)
        except Exception as error:
            raise ClusterError(f"cannot connect to the Dask scheduler at {self.options.address}: "
                               f"{_reason(error)}. Nothing was indexed") from error

    def _preflight(self, client) -> None:
        limits = self.settings.limits
        try:
            client.wait_for_workers(1, timeout=self.options.connect_timeout)
            found = client.run(preflight, limits.tesseract, limits.ocr_language)
        except Exception as error:
            raise ClusterError(f"the Dask cluster at {self.options.address} has no worker ready: "
                               f"{_reason(error)}. Nothing was indexed") from error
        self.report["preflight"] = found
        problems = []
        for worker, info in sorted(found.items()):
            if (info["archsearch"], info["extractor"]) != _worker_version():
                problems.append(f"{worker} runs archsearch {info['archsearch']} (extractor {info['extractor']}), "
                                f"this indexer {__version__} (extractor {EXTRACTOR_VERSION}): install the same version")
            if info["tesseract"] is None:
                problems.append(f"{worker} has no Tesseract: apt-get install tesseract-ocr tesseract-ocr-{limits.ocr_language}")
            else:
                for lang in limits.ocr_language.split("+"):
                    if lang not in info["languages"]:
                        problems.append(f"{worker} has {info['tesseract']} without the '{lang}' language: "
                                        f"apt-get install tesseract-ocr-{lang}")
        if problems:
            raise ClusterError("workers not fit to extract; nothing was indexed:\n  " + "\n  ".join(problems))
        if self.progress is not None:
            versions = sorted({info["tesseract"] for info in found.values()})
            self.progress(ProgressEvent(ProgressKind.START, detail=(
                f"cluster {self.options.address}: {len(found)} workers ready ({', '.join(versions)})"
                + (f"; WARNING: {self.warning}" if self.warning else ""))))

    def _extract(self, distributed, client, tasks: list[Task]) -> Iterator[Outcome]:
        pending = iter(tasks)
        in_flight: dict = {}  # future -> (task, bytes sent, job)
        # Dask blames every task a dying worker held, not only the one it was running: a task
        # killed alongside others may be innocent, so it runs again alone (nothing else in
        # flight) before a poison file is named.
        suspects: list[tuple[Task, RemoteJob]] = []
        alone: set = set()
        cache = ExtractionCache(self.settings.index_dir, self.settings.limits.ocr_language)
        sent = 0
        workers, counted = len(self.report["preflight"]), time.monotonic()

        def send(task: Task, job: RemoteJob):
            nonlocal sent
            size = len(job.data or b"")
            key = f"archsearch-extract-{task.doc_id}-{uuid.uuid4().hex[:8]}"
            future = self._submit(client, job, key)
            in_flight[future] = (task, size, job)
            completed.add(future)
            sent += size
            return future

        def refill() -> Iterator[Outcome]:
            nonlocal workers, counted
            if suspects:
                if not in_flight:
                    alone.add(send(*suspects.pop(0)))
                return
            if time.monotonic() - counted > 10:  # workers come and go: keep each one busy
                workers, counted = self._workers(client, workers), time.monotonic()
            limit = max(1, workers) * self.options.per_worker
            while len(in_flight) < limit and (sent < self.options.max_bytes_in_flight or not in_flight):
                task = next(pending, None)
                if task is None:
                    return
                looked_up = look_up(task)
                if isinstance(looked_up, Outcome):
                    yield looked_up  # unchanged, cached, or failed: nothing to send
                    continue
                job = self._job(task, looked_up)
                if isinstance(job, Outcome):
                    yield job
                    continue
                send(task, job)

        completed = distributed.as_completed(loop=client.loop)
        yield from refill()
        while in_flight:
            # A lost scheduler cancels every future, which completes them here too.
            future = next(completed)
            task, size, job = in_flight.pop(future)
            sent -= size
            received = self._result(client, future, task, blame=future in alone)
            if received is None:  # killed with other tasks on its worker: try it alone
                suspects.append((task, job))
            else:
                if received.outcome.status == Status.INDEXED and received.extracted is not None:
                    cache.put(received.outcome.content_hash, received.extracted)
                yield received.outcome
            yield from refill()

    @staticmethod
    def _workers(client, known: int) -> int:
        try:
            return len(client.scheduler_info(n_workers=-1)["workers"])
        except Exception:  # a lost scheduler is noticed by the futures; keep the last count
            return known

    def _submit(self, client, job: RemoteJob, key: str):
        try:
            return client.submit(extract_on_worker, job, key=key, pure=False)
        except Exception as error:
            raise self._gone(_reason(error)) from error

    def _job(self, task: Task, content_hash: str) -> RemoteJob | Outcome:
        version = _worker_version()
        for_worker = replace(task, previous=None, cache_dir="")  # the worker needs neither the catalog nor the index home
        shared = self.options.shared_root
        if shared is not None and task.source.path.is_relative_to(shared[0]):
            relative = task.source.path.relative_to(shared[0]).as_posix()
            return RemoteJob(for_worker, content_hash, None, f"{shared[1].rstrip('/')}/{relative}", version)
        try:
            with open(task.source.path, "rb") as handle:
                # Never more than the limit look_up checked, even if the file grew since.
                data = handle.read(task.limits.max_file_bytes + 1)
        except OSError as error:
            return Outcome(task, Status.FAILED, stage="read", reason=f"cannot read file: {error.strerror or error}")
        if len(data) > task.limits.max_file_bytes:
            return Outcome(task, Status.FAILED, stage="read", reason=(
                f"file too large to send to the cluster (> limit {task.limits.max_file_bytes} bytes)"))
        # A file that changed since it was hashed fails on the worker ("the file changed while
        # it was being read"), as it does locally.
        return RemoteJob(for_worker, content_hash, data, None, version)

    def _result(self, client, future, task: Task, blame: bool = True) -> "_Received | None":
        """The task's outcome; None when its worker died while it shared that worker with other
        tasks and `blame` is off (it may not be the one that killed it)."""
        distributed = _distributed()
        try:
            outcome, extracted, worker = future.result()
        except distributed.KilledWorker as error:
            if not blame:
                return None
            tries = error.allowed_failures + 1
            return _Received(Outcome(task, Status.FAILED, stage="extract", reason=(
                f"worker died {tries} times while extracting (last {error.last_worker.address}); "
                "the rest of the run goes on")), None)
        except Exception as error:
            if future.status == "cancelled" or client.status != "running":
                raise self._gone("the connection was lost") from error
            return _Received(Outcome(task, Status.FAILED, stage="extract", reason=f"on the cluster: {_reason(error)}"), None)
        # The worker's copy of the task named its private copy of the file; the run keys on ours.
        outcome = replace(outcome, task=task, worker=worker)
        return _Received(outcome, extracted)

    def _gone(self, why: str) -> ClusterError:
        return ClusterError(
            f"lost the Dask scheduler at {self.options.address} ({why}). Every batch committed before "
            "stands and stays searchable; run again (on the cluster once it is back, or locally) "
            "to finish the job")


@dataclass
class _Received:
    outcome: Outcome
    extracted: Extracted | None  # for the extraction cache


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
