"""The bare-Whoosh baseline of bench/query.py, in a process of its own.

archsearch corrects two of Whoosh 2.7.4's matchers (archsearch/engine/whoosh_fixes.py) when its
engine opens a partition (whoosh_fixes.apply), and those corrections are process-wide: a baseline timed in the same
process as archsearch would run with them. So the baseline runs in a fresh interpreter (spawn)
that never opens an archsearch searcher, checks that Whoosh's matchers are its own before it
answers, and times each query itself (the pipe to it is not in the figure). The parent sends
the queries one by one, interleaved with its own engines, so both see the same load.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _serve(index_dir: str, connection) -> None:
    sys.path.insert(0, str(REPO))
    from whoosh import index as whoosh_index
    from whoosh.matching import binary
    from whoosh.qparser import OrGroup, QueryParser

    from bench.ingest import bare_schema

    methods = {"AndNotMatcher._find_first": binary.AndNotMatcher._find_first,
               "AndMaybeMatcher.skip_to": binary.AndMaybeMatcher.skip_to}
    patched = [name for name, method in methods.items() if not method.__module__.startswith("whoosh.")]
    # Importing archsearch's engine (bench/ingest.py does) does not apply the fixes; opening a
    # partition does (whoosh_fixes.apply), which this process never does: the methods must be Whoosh's.
    if patched:
        connection.send(("error", f"the bare baseline would run with archsearch's matcher fixes: {patched}"))
        return
    schema = bare_schema()
    searcher = whoosh_index.open_dir(index_dir, schema=schema).searcher()
    parser = QueryParser("text", schema, group=OrGroup)
    connection.send(("ready", None))
    while True:
        text = connection.recv()
        if text is None:
            break
        started = time.perf_counter()
        titles = [hit["title"] for hit in searcher.search(parser.parse(text), limit=10)]
        connection.send(((time.perf_counter() - started) * 1000, len(titles)))
    searcher.close()


class BareWhoosh:
    """`BareWhoosh(index_dir).time(text)` -> milliseconds for Whoosh's QueryParser (OR
    grouping) and the top 10 titles, measured inside the bare process."""

    def __init__(self, index_dir: Path):
        context = multiprocessing.get_context("spawn")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(str(index_dir), theirs), daemon=True)
        self._process.start()
        status, detail = self._connection.recv()
        if status != "ready":
            self.close()
            raise RuntimeError(detail)

    def time(self, text: str) -> float:
        self._connection.send(text)
        elapsed, _count = self._connection.recv()
        return elapsed

    def close(self) -> None:
        if self._process.is_alive():
            try:
                self._connection.send(None)
            except (BrokenPipeError, OSError):
                pass
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
