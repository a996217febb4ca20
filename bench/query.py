"""Query benchmark: latency of `ScopedSearcher.search` per clearance level, against bare Whoosh and
SQLite FTS5 over the same synthetic archive, in the same process and run.

- archsearch: `ScopedSearcher(home, scope).search(query, limit=10)` -- what `archsearch search`
  runs once the searcher is open: query building, the search over the user's partitions, the
  total, stored fields and highlighted snippets of the 10 hits. One user per level (Thường ...
  Tuyệt mật, no compartments, so documents carrying one are masked).
- bare Whoosh: one index over every document (built by bench/ingest.py with our fields and
  analyzers and Whoosh's defaults: word positions in the body, its codec; no partitions, no
  clearance), Whoosh's QueryParser on the `text` field with OR grouping, top 10 and their
  titles; no total, no snippets. It runs in a process of its own (bench/bare_whoosh.py), so
  archsearch's corrections to Whoosh's matchers never apply to it; it times itself.
- SQLite FTS5: `unicode61 remove_diacritics 2` over the same texts, words OR'ed or the phrase,
  `ORDER BY bm25` top 10.

Queries (bench/synthetic.queries) are typed with diacritics: single words drawn by corpus
frequency, runs of 2 and 3 adjacent words, and quoted phrases of 2-4 words. Each query runs
once per engine, the engines interleaved query by query so load on a shared machine hits
them alike; the table gives p50/p95 and the ratio to bare Whoosh of the same run.

    .venv/bin/python bench/query.py                    # N = 50,000 (builds what bench/ingest.py has not)
    .venv/bin/python bench/query.py --size 2000 --per-kind 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402
from bench.bare_whoosh import BareWhoosh  # noqa: E402
from bench.ingest import DEFAULT_WORK, bare_run, index_run, log  # noqa: E402

TERMS_P95_MS = 150.0
PHRASE_P95_MS = 400.0


def build_fts(root: Path) -> Path:
    path = root / "fts5.sqlite"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2')")
    with db:
        db.executemany("INSERT INTO docs (title, text) VALUES (?, ?)",
                       ((t.title, (root / t.text_file).read_text(encoding="utf-8")) for t in synthetic.read_truth(root)))
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    db.close()
    tmp.rename(path)
    return path


def fts_query(text: str) -> str:
    if text.startswith('"'):
        return text
    return " OR ".join(f'"{w}"' for w in text.split())


def question_queries(per_kind: int, seed: int = 11) -> list[str]:
    """40-syllable questions as staff type them: 35 words of running corpus text framed as
    "có … không, đúng hay sai?" (ranked like words: p95 target of the word queries)."""
    rng = random.Random(seed)
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", "\n".join(synthetic.corpus_texts()))]
    questions = []
    for _ in range(per_kind):
        start = rng.randrange(len(words) - 35)
        body = words[start:start + 35]
        questions.append(f"{' '.join(body[:5])} có {' '.join(body[5:])} không, đúng hay sai?")
    return questions


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="Archive size (default 50000).")
    parser.add_argument("--per-kind", type=int, default=50, help="Queries per kind (default 50).")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"Working directory shared with bench/ingest.py (default {DEFAULT_WORK}).")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--without-posting-arrays", action="store_true",
                        help="Read every posting list from Whoosh's own files, as for a segment without its posting-arrays "
                             "file (engine/posting_arrays.py): the comparison run.")
    options = parser.parse_args()

    from whoosh import index as whoosh_index

    from archsearch.trust.access import scope_for
    from archsearch.engine.index import IndexHome
    from archsearch.levels import ALL_LEVELS
    from archsearch.engine.searcher import ScopedSearcher
    from archsearch.trust.users import User

    from archsearch.engine.allocation import keep_freed_memory

    keep_freed_memory()  # as `archsearch serve` does in its master (api.warm_search_caches)
    if options.without_posting_arrays:
        from archsearch.engine import postings
        postings.posting_arrays_of = lambda reader: None

    options.work.mkdir(parents=True, exist_ok=True)
    root = options.work / f"n{options.size}"
    archive = synthetic.ensure_archive(root, options.size, progress=log)
    if not (root / "home" / "current.json").exists():
        log(f"indexing {options.size} documents with archsearch")
        index_run(root / "home", [archive], options.jobs)
    if not whoosh_index.exists_in(str(root / "bare")):
        log(f"indexing {options.size} documents with the bare Whoosh writer")
        bare_run(root, root / "bare")
    log("building the SQLite FTS5 table")
    fts = sqlite3.connect(build_fts(root))

    home = IndexHome.open(root / "home")
    users = {level: User(f"bench-{level.id}", level) for level in ALL_LEVELS}
    opened = {}
    searchers = {}
    for level, user in users.items():
        times = []
        for _ in range(5):
            started = time.perf_counter()
            searcher = ScopedSearcher(home, scope_for(user))
            times.append(time.perf_counter() - started)
            searcher.close()
        opened[level] = statistics.median(times) * 1000
        searchers[level] = ScopedSearcher(home, scope_for(user))
    # Timed in a process of its own, which never loads archsearch's matcher fixes.
    bare = BareWhoosh(root / "bare")

    def run_fts(text: str) -> int:
        return len(fts.execute("SELECT rowid, title FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
                               (fts_query(text),)).fetchall())

    engines = {"bare Whoosh": bare.time, "SQLite FTS5": run_fts}
    for level, searcher in searchers.items():
        engines[level.id] = (lambda s: lambda text: len(s.search(text, limit=10).hits))(searcher)

    kinds = synthetic.queries(options.per_kind)
    kinds["question"] = question_queries(options.per_kind)
    log("warming up")
    for text in [q for qs in kinds.values() for q in qs[:5]]:
        for run in engines.values():
            run(text)
    timings: dict[str, dict[str, list[float]]] = {kind: {name: [] for name in engines} for kind in kinds}
    started_all = time.perf_counter()
    for kind, texts in kinds.items():
        log(f"timing {len(texts)} queries: {kind}")
        for text in texts:
            for name, run in engines.items():
                if name == "bare Whoosh":  # timed inside its own process
                    timings[kind][name].append(run(text))
                    continue
                started = time.perf_counter()
                run(text)
                timings[kind][name].append((time.perf_counter() - started) * 1000)

    print(f"\narchsearch query benchmark, {dt.date.today().isoformat()}, {os.cpu_count()} cores, N = {options.size:,}, "
          f"{options.per_kind} queries per kind, `{' '.join(['bench/query.py', *sys.argv[1:]])}` "
          f"({time.perf_counter() - started_all:.0f} s)\n")
    print("| query | searcher | p50 ms | p95 ms | p50 / bare | p95 / bare | target (p95) | met |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for kind in kinds:
        base = timings[kind]["bare Whoosh"]
        b50, b95 = percentile(base, 0.5), percentile(base, 0.95)
        for name in engines:
            values = timings[kind][name]
            p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
            target, met = "", ""
            if name not in ("bare Whoosh", "SQLite FTS5"):
                if kind == "phrase":
                    target = f"≤ {PHRASE_P95_MS:.0f} ms and ≤ bare / 3"
                    ok = p95 <= PHRASE_P95_MS and p95 <= b95 / 3
                else:
                    target = f"≤ {TERMS_P95_MS:.0f} ms and ≤ bare"
                    ok = p95 <= TERMS_P95_MS and p95 <= b95
                met = "yes" if ok else "NO"
                verdicts.append(ok)
            label = name if name in ("bare Whoosh", "SQLite FTS5") else f"archsearch, {name} user"
            print(f"| {kind} | {label} | {p50:.1f} | {p95:.1f} | {p50 / b50:.2f} | {p95 / b95:.2f} | {target} | {met} |")
    print(f"\nposting lists read from {'Whoosh' if options.without_posting_arrays else 'posting-arrays'} files")
    print("\nopening the searcher (median of 5, not in the latencies above): "
          + ", ".join(f"{level.id} {ms:.0f} ms" for level, ms in opened.items()))
    print(f"targets met: {sum(verdicts)} of {len(verdicts)}")
    for searcher in searchers.values():
        searcher.close()
    bare.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
