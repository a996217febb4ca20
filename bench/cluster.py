"""Cluster benchmark: `archsearch index --cluster` against today's local `--jobs 2`.

- OCR pages/s over the same scanned pages (bench/synthetic.py renders them), fresh index homes
  (no cache): local `--jobs 2`, a Dask cluster of 2 workers (the overhead of the cluster path,
  target <= 10 %) and of 1 worker (the scaling, target >= 1.7x).
- Peak RSS of the indexing process while N text documents go through the cluster, against the
  local run (its own process, and its process tree with the local workers).

The scheduler and workers are the real `dask scheduler` / `dask worker --nthreads 1` processes,
on loopback, started as the README says (OMP_THREAD_LIMIT=1; Dask's statistical profiler off
and its event-loop tick at 1 s: CLUSTER_ENV). They are up, every worker ready, before the clock
starts; they share the machine's cores with the indexer, as a real cluster's would not.

What is timed (the headline, the issue's definition): the wall time of the `archsearch index`
process over the same pages, from its start to its exit: interpreter start and imports,
connecting to the scheduler and the preflight on every worker included. Printed beside it, for
information: each run's own `seconds` (its summary: discovery to the last commit, without
those fixed costs), and the CPU the Dask processes themselves used on the same cores.

Not a test: it prints a table. The machine is shared and noisy: compare ratios, and run it
twice (or with --repeat) when they matter.

    .venv/bin/python bench/cluster.py                       # 24 pages, 4,000 documents
    .venv/bin/python bench/cluster.py --ocr-pages 8 --docs 1000
    .venv/bin/python bench/cluster.py --repeat 3 --docs 0   # OCR only, the median of 3 rounds
    .venv/bin/python bench/cluster.py --dask-defaults       # and 2 workers with Dask's own settings
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402
from bench.children import cpu_seconds, process_tree, run_child  # noqa: E402
from bench.ingest import log  # noqa: E402

ARCHSEARCH = [sys.executable, "-m", "archsearch.cli.main"]
# The environment of the scheduler and the workers, as the README's "Cluster" starts them.
# Tesseract is fastest on one thread. Dask's statistical profiler samples a worker's running
# task every 10 ms for a dashboard that --no-dashboard turns off, and every Dask process checks
# its event loop every 20 ms: together about 0.15 of a core here, taken from OCR when the
# cluster shares the cores (2 workers, 6 pages, 15 s: 2.3-3.0 CPU-s of Dask's own processes by
# default, 1.0-1.1 with these settings). Neither changes what Dask does with the tasks.
CLUSTER_ENV = {"OMP_THREAD_LIMIT": "1", "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
               "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s"}
DASK_DEFAULTS_ENV = {"OMP_THREAD_LIMIT": "1"}  # --dask-defaults: what those settings save


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """`dask scheduler` and `dask worker --nworkers N --nthreads 1` on loopback."""

    def __init__(self, workers: int, settings: dict[str, str] = CLUSTER_ENV):
        self.address = f"tcp://127.0.0.1:{free_port()}"
        env = {**os.environ, **settings}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True, "env": env}
        self.processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                            "--port", self.address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)]
        self.processes.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", self.address,
                                                "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"], **quiet))
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)

    def cpu_seconds(self) -> float:
        """CPU seconds the scheduler and the worker processes (the launcher, its nannies, the
        workers' Python) have used so far; Tesseract's, reaped by the workers, not counted."""
        total = 0.0
        for pid in {self.processes[0].pid, *process_tree(self.processes[1].pid)}:
            try:
                total += cpu_seconds(pid)[0]
            except OSError:  # a process that has just gone
                pass
        return total

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def index_run(home: Path, paths: list[Path], extra: list[str]) -> dict:
    """One `archsearch index --json` in a child; its summary, wall time, and the peak RSS of the
    indexing process alone and of its process tree (local workers included), sampled at 10 Hz."""
    run = run_child([*ARCHSEARCH, "--index-dir", str(home), "index", *map(str, paths), "--json", *extra])
    summary = json.loads(run["stdout"])
    if summary["failed"]:
        raise SystemExit(f"{summary['failed']} file(s) failed: {summary['failures'][:3]}")
    return {**summary, "wall": run["wall"], "own_mb": run["peak_own_mb"], "tree_mb": run["peak_tree_mb"]}


def run(work: Path, label: str, paths: list[Path], workers: int | None, settings: dict[str, str] = CLUSTER_ENV) -> dict:
    home = work / f"home-{label}"
    shutil.rmtree(home, ignore_errors=True)  # a fresh home: an empty extraction cache
    if workers is None:
        log(f"{label}: local --jobs 2")
        result = index_run(home, paths, ["--jobs", "2"])
    else:
        log(f"{label}: cluster of {workers} worker(s)")
        cluster = Cluster(workers, settings)
        try:
            before = cluster.cpu_seconds()
            result = index_run(home, paths, ["--cluster", cluster.address])
            result["cluster_cpu"] = cluster.cpu_seconds() - before
        finally:
            cluster.close()
    shutil.rmtree(home, ignore_errors=True)
    return result


NAMES = {"local": "local `--jobs 2`", "cluster-2": "cluster, 2 workers", "cluster-1": "cluster, 1 worker",
         "defaults-2": "cluster, 2 workers, Dask's default settings"}
WORKERS = {"local": 2, "cluster-2": 2, "cluster-1": 1, "defaults-2": 2}


def _median(results: list[dict]) -> dict:
    """One run's result with the median of every timing over the rounds."""
    median = dict(results[0])
    for key in ("wall", "seconds", "cluster_cpu"):
        if key in median:
            median[key] = statistics.median(result[key] for result in results)
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ocr-pages", type=int, default=24)
    parser.add_argument("--docs", type=int, default=4000, help="text documents for the memory measurement (0: skip it)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the OCR runs (local, 2 workers, 1 worker, in turn); the median of each is printed")
    parser.add_argument("--dask-defaults", action="store_true",
                        help="add a round of 2 workers started with Dask's default settings (profiler on, 20 ms tick)")
    parser.add_argument("--work", type=Path, help="keep the generated archives here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="archsearch-cluster-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    scans = synthetic.ensure_scans(work, args.ocr_pages)
    plan = [("local", None, CLUSTER_ENV), ("cluster-2", 2, CLUSTER_ENV), ("cluster-1", 1, CLUSTER_ENV)]
    if args.dask_defaults:
        plan.append(("defaults-2", 2, DASK_DEFAULTS_ENV))
    rounds: dict[str, list[dict]] = {label: [] for label, _, _ in plan}
    for _ in range(max(1, args.repeat)):  # in turn, so a change in the machine's load hits every run alike
        for label, workers, settings in plan:
            result = run(work, f"ocr-{label}", [scans], workers, settings)
            if result["ocr_pages"] != args.ocr_pages:
                raise SystemExit(f"{label}: expected {args.ocr_pages} OCR'd pages, got {result['ocr_pages']}")
            rounds[label].append(result)
    ocr = {label: _median(results) for label, results in rounds.items()}
    text = None
    if args.docs:
        log(f"building {args.docs} text documents")
        archive = synthetic.ensure_archive(work / f"archive-{args.docs}", args.docs)
        text = {label: run(work, f"text-{label}", [archive], workers)
                for label, workers in (("local", None), ("cluster-2", 2))}

    pages = args.ocr_pages
    rate = {label: pages / result["wall"] for label, result in ocr.items()}
    of_rounds = f"; the median of {len(rounds['local'])} rounds" if len(rounds["local"]) > 1 else ""
    print(f"OCR, {pages} scanned pages (fresh index homes; wall time of the `archsearch index` process, "
          f"start-up included: interpreter, imports, connecting and the workers' preflight{of_rounds})")
    print()
    print("| run | wall | pages/s | s/page/worker | vs local --jobs 2 |")
    print("|---|---|---|---|---|")
    for label in ("local", "cluster-2", "cluster-1"):
        result, workers = ocr[label], WORKERS[label]
        print(f"| {NAMES[label]} | {result['wall']:.1f} s | {rate[label]:.2f} | {result['wall'] * workers / pages:.2f} | "
              f"{ocr['local']['wall'] / result['wall']:.2f}x |")
    overhead = ocr["cluster-2"]["wall"] / ocr["local"]["wall"] - 1
    scaling = ocr["cluster-1"]["wall"] / ocr["cluster-2"]["wall"]
    print()
    print(f"cluster overhead vs local: {overhead * 100:+.1f} % (target <= 10 %); "
          f"2 workers vs 1: {scaling:.2f}x (target >= 1.7x)")
    print()
    print("For information, without the fixed start-up: each run's own `seconds` (its summary: discovery "
          "to the last commit), and the CPU the Dask processes (scheduler, nannies, the workers' Python; "
          "Tesseract not counted) took from the same cores during the run")
    print()
    print("| run | wall | of it the run itself | start-up and exit | Dask's own CPU |")
    print("|---|---|---|---|---|")
    for label in ocr:
        result = ocr[label]
        dask = (f"{result['cluster_cpu']:.1f} CPU-s ({result['cluster_cpu'] / result['wall']:.2f} of a core)"
                if "cluster_cpu" in result else "–")
        print(f"| {NAMES[label]} | {result['wall']:.1f} s | {result['seconds']:.1f} s | "
              f"{result['wall'] - result['seconds']:.1f} s | {dask} |")
    print()
    print(f"cluster overhead vs local without start-up: {(ocr['cluster-2']['seconds'] / ocr['local']['seconds'] - 1) * 100:+.1f} % "
          "(for information: the target is on the wall time above)")
    if "defaults-2" in ocr:
        print(f"cluster overhead vs local with Dask's default settings: "
              f"{(ocr['defaults-2']['wall'] / ocr['local']['wall'] - 1) * 100:+.1f} % (wall)")
    if text is not None:
        print()
        print(f"Memory, {text['local']['indexed']} text documents")
        print()
        print("| run | wall | indexing process peak RSS | with its local workers |")
        print("|---|---|---|---|")
        for label in ("local", "cluster-2"):
            result = text[label]
            print(f"| {NAMES[label]} | {result['wall']:.1f} s | {result['own_mb']:.0f} MB | {result['tree_mb']:.0f} MB |")
    per_page = ocr["cluster-1"]["wall"] / pages
    print()
    print(f"At {per_page:.2f} s per page per worker process: 1,000,000 pages take "
          f"{per_page * 1e6 / 3600:.0f} worker-hours; on N machines of 2 worker processes each, "
          f"{per_page * 1e6 / 3600 / 2:.0f}/N hours (N=10: {per_page * 1e6 / 3600 / 20:.1f} h).")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
