"""Peak memory of `archsearch export` over a synthetic archive (default 10,000 documents).

Builds an index with the test helpers (real source files on disk, so the zip copies them),
then runs each export in its own child process and reads that child's peak RSS from
`wait4`. Prints a table; exits 1 when any export peaks above the target (300 MB).

    .venv/bin/python bench/export.py                # 10,000 documents
    .venv/bin/python bench/export.py --docs 2000 --keep /tmp/bench-export
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archsearch import api  # noqa: E402
from archsearch.config import Settings  # noqa: E402
from archsearch.levels import Level  # noqa: E402
from tests.helpers import build_index, make_document  # noqa: E402

TARGET_MB = 300
WORDS = (
    "quyết định kiểm kê kho niêm cất khí tài quang học công nghiệp quốc phòng bảo quản vũ khí "
    "trang bị kỹ thuật đạn dược thuốc phóng nhà máy phân xưởng công nhân kế hoạch báo cáo "
    "tổng cục chỉ thị nghị quyết thông báo tờ trình phòng cháy chữa cháy an toàn lao động"
).split()
TYPES = ["Quyết định", "Công văn", "Báo cáo", "Kế hoạch", "Chỉ thị"]


def build(root: Path, count: int) -> Settings:
    rng = random.Random(6)
    source = root / "kho"
    docs = []
    for i in range(count):
        collection = f"hop-{i % 20:02d}"
        directory = source / collection
        directory.mkdir(parents=True, exist_ok=True)
        text = f"TÀI LIỆU SỐ {i}\n" + "\n".join(
            " ".join(rng.choice(WORDS) for _ in range(14)) for _ in range(rng.randint(15, 40))
        )
        path = directory / f"tl-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        docs.append(make_document(
            f"b{i:07d}", text, Level(rng.randint(0, 3)), collection=collection, path=path,
            date=dt.date(1990 + i % 35, 1 + i % 12, 1 + i % 28), doc_type=TYPES[i % len(TYPES)],
        ))
    settings = Settings.from_env(root / "home")
    started = time.perf_counter()
    build_index(settings.index_dir, docs)
    print(f"indexed {count} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    del docs
    api.add_user(settings, "bench", "top-secret")
    return settings


def measure(settings: Settings, out: Path, args: list[str]) -> tuple[float, float, int, int]:
    """(peak RSS in MB, seconds, output bytes, documents) of one `archsearch export` in a child process.

    The child reports its own VmHWM: `wait4`'s ru_maxrss would include the RSS this (forking)
    parent had before the child's exec."""
    command = [sys.executable, __file__, "--child", "--index-dir", str(settings.index_dir), "export",
               *args, "--user", "bench", "--out", str(out), "--force"]
    started = time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}:\n{child.stderr}")
    lines = child.stderr.strip().splitlines()
    peak_kb = int(lines[-1].split()[1])
    count = next(int(line.split()[1]) for line in lines if line.startswith("exported ") and "document(s)" in line)
    return peak_kb / 1024, seconds, Path(child.stdout.strip()).stat().st_size, count


def child(argv: list[str]) -> int:
    """Run the CLI in this process, then print this process's peak RSS (VmHWM) on stderr."""
    from archsearch.cli.main import main as cli

    try:
        cli.main(argv, prog_name="archsearch", standalone_mode=False)
    finally:
        status = Path("/proc/self/status").read_text()
        peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        print(f"VmHWM {peak.split()[1]} kB", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build in this directory and keep it (default: a temporary one).")
    options = parser.parse_args()
    root = options.keep or Path(tempfile.mkdtemp(prefix="bench-export-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        settings = build(root, options.docs)
        out = root / "out"
        out.mkdir(exist_ok=True)
        runs = [
            ("csv, everything", ["--format", "csv"], "all.csv"),
            ("jsonl, everything", ["--format", "jsonl"], "all.jsonl"),
            ("zip, everything", ["--format", "zip"], "all.zip"),
            ("zip, query", ["công nghiệp quốc phòng", "--format", "zip"], "query.zip"),
            ("zip, filters", ["--format", "zip", "--from", "2000-01-01", "--to", "2015-12-31", "--type", "Báo cáo"], "filtered.zip"),
        ]
        rows = []
        for label, args, name in runs:
            peak, seconds, size, count = measure(settings, out / name, args)
            rows.append((label, count, peak, seconds, size))
            print(f"  {label}: {peak:.0f} MB", file=sys.stderr)
        print(f"\nexport of {options.docs} synthetic documents (peak RSS of the export process; target < {TARGET_MB} MB)\n")
        print(f"| {'export':<18} | {'documents':>9} | {'peak RSS':>9} | {'time':>7} | {'output':>9} |")
        print(f"|{'-' * 20}|{'-' * 11}|{'-' * 11}|{'-' * 9}|{'-' * 11}|")
        for label, count, peak, seconds, size in rows:
            print(f"| {label:<18} | {count:>9} | {peak:>6.0f} MB | {seconds:>5.1f} s | {size / 1e6:>6.1f} MB |")
        worst = max(row[2] for row in rows)
        print(f"\nworst peak {worst:.0f} MB: {'within' if worst < TARGET_MB else 'ABOVE'} the {TARGET_MB} MB target")
        if rows[0][1] != options.docs:
            print(f"the full export found {rows[0][1]} of {options.docs} documents: the measurement is void", file=sys.stderr)
            return 1
        return 0 if worst < TARGET_MB else 1
    finally:
        if options.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(child(sys.argv[2:]) if sys.argv[1:2] == ["--child"] else main())
