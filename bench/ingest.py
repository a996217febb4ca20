"""Ingest benchmark: throughput, OCR scaling, no-change reindex and peak memory of `archsearch index`.

Over a deterministic synthetic archive (bench/synthetic.py) of N documents, measured in one run
and side by side:
- docs/s of `archsearch index` (a fresh index home, the CLI as archivists run it) against the bare
  Whoosh writer fed the same pre-extracted text with the same fields and analyzers
  (`bare_schema()`, `document_fields`, one writer, one commit): the cost of our pipeline;
- a second, no-change `archsearch index` of the same archive;
- peak RSS of the indexer, sampled from /proc over its whole process tree (writer + workers);
- OCR pages/s over scanned pages with `--jobs 1` and `--jobs 2` (fresh index homes: no cache).

Every engine runs in its own child process. The machine is shared and noisy: compare ratios.

    .venv/bin/python bench/ingest.py                         # N = 10,000 and 50,000 (~40 min)
    .venv/bin/python bench/ingest.py --sizes 2000 --ocr-pages 4
    .venv/bin/python bench/ingest.py --work /tmp/archbench   # keep archives and indexes for bench/query.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402
from bench.children import run_child  # noqa: E402

ARCHSEARCH = [sys.executable, "-m", "archsearch.cli.main"]
TARGETS = {"overhead": 0.25, "ocr_speedup": 1.7, "reindex_s": 20.0, "rss_mb": 1024}
DEFAULT_WORK = Path(tempfile.gettempdir()) / "archsearch-bench"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def index_run(home: Path, paths: list[Path], jobs: int, extra: list[str] = ()) -> dict:
    """One `archsearch index --json` in a child process; the summary plus wall time and peak RSS."""
    run = run_child([*ARCHSEARCH, "--index-dir", str(home), "index", *map(str, paths), "--jobs", str(jobs), "--json", *extra])
    summary = json.loads(run["stdout"])
    if summary["failed"]:
        raise SystemExit(f"indexing failed for {summary['failed']} file(s): {summary['failures'][:3]}")
    return {**summary, "wall": run["wall"], "peak_tree_mb": run["peak_tree_mb"]}


def bare_run(root: Path, out: Path) -> dict:
    run = run_child([sys.executable, __file__, "--child-bare", str(root), str(out)])
    return {**json.loads(run["stdout"]), "wall": run["wall"], "peak_tree_mb": run["peak_tree_mb"]}


def bare_schema():
    """Our schema as a plain Whoosh user would write it: the same fields and analyzers, the
    body's two views with Whoosh's default word positions (what its phrase queries read)
    rather than archsearch's separate `text_positions` field."""
    from whoosh.fields import TEXT

    from archsearch.engine.analysis import exact_analyzer, folded_analyzer
    from archsearch.engine.index import build_schema

    schema = build_schema()
    schema.remove("text_positions")
    schema.remove("text")
    schema.remove("text_folded")
    schema.add("text", TEXT(analyzer=exact_analyzer(), stored=True))
    schema.add("text_folded", TEXT(analyzer=folded_analyzer()))
    return schema


def child_bare(root: Path, out: Path) -> int:
    """The baseline: the bare Whoosh writer (one writer, default settings, one commit) fed the
    generator's pre-extracted text and metadata through `bare_schema()` and `document_fields`."""
    import hashlib

    from whoosh import index as whoosh_index

    from archsearch.engine.index import document_fields
    from archsearch.ingest.pipeline import document_id
    from archsearch.levels import parse_level
    from archsearch.records import Document

    truths = synthetic.read_truth(root)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(out), bare_schema())
    writer = ix.writer()
    for t in truths:
        text = (root / t.text_file).read_text(encoding="utf-8")
        doc = Document(
            id=document_id("archive", t.relpath), path=root / "archive" / t.relpath, collection="archive",
            relpath=t.relpath, mime=t.mime, text=text, classification=parse_level(t.level),
            classification_source="declared", compartments=tuple(t.compartments), title=t.title,
            doc_number=t.doc_number, date=dt.date.fromisoformat(t.date), doc_type=t.doc_type, issuer=t.issuer,
            page_count=1, ocr_pages=0, content_hash=hashlib.sha256(text.encode()).hexdigest(), meta_hash="",
            doc_numbers=[t.doc_number],
        )
        fields = document_fields(doc)
        del fields["text_positions"]
        writer.add_document(**fields)
    writer.commit()
    seconds = time.perf_counter() - started
    print(json.dumps({"indexed": len(truths), "seconds": round(seconds, 2)}))
    return 0


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------
def measure_size(work: Path, n: int, jobs: int, concurrent: bool = False) -> dict:
    """Index N documents with archsearch and with the bare writer: one after the other, or
    (`concurrent`) side by side, so that on a shared machine both runs see the same load."""
    root = work / f"n{n}"
    log(f"N={n}: generating the archive (cached in {root})")
    archive = synthetic.ensure_archive(root, n, progress=log)
    bare_dir, home = root / "bare", root / "home"
    shutil.rmtree(home, ignore_errors=True)
    if concurrent:
        log(f"N={n}: archsearch index --jobs {jobs} and the bare Whoosh writer side by side")
        with ThreadPoolExecutor(2) as pool:
            ours_run, bare_job = pool.submit(index_run, home, [archive], jobs), pool.submit(bare_run, root, bare_dir)
            ours, bare = ours_run.result(), bare_job.result()
    else:
        log(f"N={n}: archsearch index --jobs {jobs}")
        ours = index_run(home, [archive], jobs)
    log(f"N={n}: archsearch {ours['indexed'] / ours['seconds']:.1f} docs/s, peak {ours['peak_tree_mb']:.0f} MB; no-change reindex")
    again = index_run(home, [archive], jobs)
    log(f"N={n}: no-change reindex {again['seconds']:.1f} s")
    if not concurrent:
        log(f"N={n}: bare Whoosh writer")
        bare = bare_run(root, bare_dir)
    log(f"N={n}: bare {bare['indexed'] / bare['seconds']:.1f} docs/s")
    if ours["indexed"] != n or again["unchanged"] != n:
        raise SystemExit(f"expected {n} documents: indexed {ours['indexed']}, then unchanged {again['unchanged']}")
    return {"n": n, "bare": bare, "ours": ours, "again": again}


def measure_ocr(work: Path, pages: int) -> dict:
    scans = synthetic.ensure_scans(work, pages)
    result = {}
    for jobs in (1, 2):
        home = work / f"ocr-home-{jobs}"
        shutil.rmtree(home, ignore_errors=True)  # a fresh home: an empty extraction cache
        log(f"OCR: {pages} pages with --jobs {jobs}")
        run = index_run(home, [scans], jobs)
        if run["ocr_pages"] != pages:
            raise SystemExit(f"expected {pages} OCR'd pages, got {run['ocr_pages']}")
        result[jobs] = run
        shutil.rmtree(home, ignore_errors=True)
    return result


def table(sizes: list[dict], ocr: dict | None, jobs: int) -> str:
    rows = [
        "| measurement | N | archsearch | bare Whoosh | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in sizes:
        ours_rate = s["ours"]["indexed"] / s["ours"]["seconds"]
        bare_rate = s["bare"]["indexed"] / s["bare"]["seconds"]
        overhead = bare_rate / ours_rate - 1  # extra time per document over the bare writer
        rows.append(f"| ingest, text layer (docs/s, --jobs {jobs}) | {s['n']:,} | {ours_rate:.1f} | {bare_rate:.1f} | "
                    f"overhead {overhead:+.0%} | ≤ +25 % | {'yes' if overhead <= TARGETS['overhead'] else 'NO'} |")
    for s in sizes:
        mb = s["ours"]["peak_tree_mb"]
        rows.append(f"| peak RSS while indexing (MB, all processes) | {s['n']:,} | {mb:.0f} | {s['bare']['peak_tree_mb']:.0f} | "
                    f"{mb / s['bare']['peak_tree_mb']:.2f}× | ≤ 1024 | {'yes' if mb <= TARGETS['rss_mb'] else 'NO'} |")
    for s in sizes:
        sec = s["again"]["seconds"]
        rows.append(f"| no-change reindex (s) | {s['n']:,} | {sec:.1f} | – | – | ≤ 20 | {'yes' if sec <= TARGETS['reindex_s'] else 'NO'} |")
    if ocr:
        one, two = (ocr[j]["ocr_pages"] / ocr[j]["seconds"] for j in (1, 2))
        speedup = two / one
        rows.append(f"| OCR pages/s, --jobs 1 → --jobs 2 | {ocr[1]['ocr_pages']} pages | {one:.2f} → {two:.2f} | – | "
                    f"{speedup:.2f}× | ≥ 1.7× | {'yes' if speedup >= TARGETS['ocr_speedup'] else 'NO'} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="Comma-separated archive sizes (default 10000,50000).")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the text-layer runs (default 2).")
    parser.add_argument("--ocr-pages", type=int, default=12, help="Scanned pages for the OCR measurement (0: skip).")
    parser.add_argument("--concurrent", action="store_true",
                        help="Run archsearch and the bare writer side by side (same load on a shared machine).")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help=f"Working directory; archives are kept and reused (default {DEFAULT_WORK}).")
    options = parser.parse_args()
    options.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in options.sizes.split(",") if s]
    started = time.perf_counter()
    results = [measure_size(options.work, n, options.jobs, options.concurrent) for n in sizes]
    ocr = measure_ocr(options.work, options.ocr_pages) if options.ocr_pages else None
    (options.work / "ingest-results.json").write_text(json.dumps({"sizes": results, "ocr": ocr}, indent=1, default=str))
    print(f"\narchsearch ingest benchmark, {dt.date.today().isoformat()}, {os.cpu_count()} cores, "
          f"`{' '.join(['bench/ingest.py', *sys.argv[1:]])}` ({time.perf_counter() - started:.0f} s)\n")
    print(table(results, ocr, options.jobs))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child-bare"]:
        sys.exit(child_bare(Path(sys.argv[2]), Path(sys.argv[3])))
    sys.exit(main())
