"""Start-up benchmark: the wall time of one `archsearch search` against the bare cost of the
libraries it cannot avoid, in the same run.

A search from the command line pays Python's start-up and its imports before it reads a single
posting. The floor is `python -c "import numpy, whoosh.index, whoosh.searching, click"`; the
target (issue #13) is `archsearch search` p50 <= 1.35x that floor's p50, which holds only when
a command imports what it needs when it runs (not ingest, export, ... for a search).

Both commands run as fresh processes, interleaved run by run so a noisy shared machine loads
them alike, over a small index built here (four documents, one per level).

    .venv/bin/python bench/cli.py              # 15 runs of each
    .venv/bin/python bench/cli.py --runs 40
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.35
FLOOR = "import numpy, whoosh.index, whoosh.searching, click"

DOCUMENTS = {
    "qd-thuong.txt": "QUYẾT ĐỊNH\nVề việc bảo quản vũ khí trang bị kỹ thuật tại kho K1\n\nGiao kho K1 bảo quản.\n",
    "bc-mat.txt": "MẬT\n\nBÁO CÁO\nVề tình hình thông gió kho đạn\n\nKho đạn thông gió tốt.\n",
    "kh-toimat.txt": "TỐI MẬT\n\nKẾ HOẠCH\nDi chuyển kho xăng dầu\n\nDi chuyển kho về khu vực B.\n",
    "nq-tuyetmat.txt": "TUYỆT MẬT\n\nNGHỊ QUYẾT\nVề nhiệm vụ đặc biệt\n\nThực hiện tại kho C.\n",
}


def archsearch_command() -> list[str]:
    script = Path(sys.executable).with_name("archsearch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "archsearch.cli.main"]


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="archsearch-cli-bench-") as tmp:
        work = Path(tmp)
        docs = work / "docs"
        docs.mkdir()
        for name, text in DOCUMENTS.items():
            (docs / name).write_text(text, encoding="utf-8")
        env = {**os.environ, "ARCHSEARCH_INDEX_DIR": str(work / "home"), "PAGER": "cat"}
        cli = archsearch_command()
        subprocess.run([*cli, "index", str(docs), "--jobs", "1"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([*cli, "users", "add", "top", "--clearance", "top-secret"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        commands = {
            "python + numpy, whoosh, click (floor)": [sys.executable, "-c", FLOOR],
            "archsearch search kho --user top": [*cli, "search", "kho", "--user", "top", "--no-color"],
            "archsearch --help": [*cli, "--help"],
        }
        for command in commands.values():  # warm the page cache and .pyc files
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, env))

    floor = statistics.median(times[next(iter(commands))])
    print(f"archsearch CLI start-up, {dt.date.today()}, {os.cpu_count()} cores, {args.runs} runs each, interleaved\n")
    print("| command | p50 ms | p95 ms | p50 / floor | target | met |")
    print("|---|---|---|---|---|---|")
    met = True
    for name, samples in times.items():
        p50 = statistics.median(samples)
        p95 = sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]
        ratio = p50 / floor
        target, ok = "", ""
        if name.startswith("archsearch search"):
            target = f"≤ {TARGET_RATIO:.2f}× floor"
            ok = "yes" if ratio <= TARGET_RATIO else "no"
            met = met and ratio <= TARGET_RATIO
        print(f"| {name} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {ratio:.2f} | {target} | {ok} |")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
