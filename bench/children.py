"""Benchmarks run what they measure as child processes: their wall time and memory, read from /proc.

Shared by bench/ingest.py, bench/cluster.py (and, through ingest.py's index_run, query.py and
serve.py), so every table measures memory the same way.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it (children of each of its threads), as /proc lists them now."""
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except OSError:
            pass
    return pids


def rss_kb(pid: int) -> int:
    """Resident set of one process in kB; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of one process so far: its own, and its reaped children's."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()  # the name may hold spaces and parentheses
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def run_child(command: list[str], env: dict | None = None) -> dict:
    """Run `command` in REPO; returns its stdout and stderr, wall seconds, and the peaks (sampled
    every 0.1 s) of its own RSS and of its whole process tree's summed RSS. A non-zero exit
    ends the benchmark with the child's stderr."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                             env={**os.environ, **(env or {})})
    own, tree = [0], [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            own[0] = max(own[0], rss_kb(child.pid))
            tree[0] = max(tree[0], sum(rss_kb(p) for p in process_tree(child.pid)))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} exited {child.returncode}:\n{err[-3000:]}")
    return {"stdout": out, "stderr": err, "wall": seconds, "peak_own_mb": own[0] / 1024, "peak_tree_mb": tree[0] / 1024}
