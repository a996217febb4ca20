"""Facet benchmark: what counting the facets (year, type, issuer, level over every match) adds to a
search, per clearance level, on an index built by bench/ingest.py (or any index home).

Every search opens its `ScopedSearcher`, as a request of the web front end does; the readers
(open_readers.py) and the facet codes (facets.py) it
derives stay in the process, so only the first search with facets after they were emptied
builds the codes: it is timed apart ("first"). Each query then runs without and with facets,
interleaved; the table gives the medians, the median of the differences, and that as a share
of the search; "count p50" times the count alone, where the searcher calls it. With --cold,
those process caches are emptied before every search: what a search costs in a worker that
has just started, or just after a commit for the segments it wrote.

    .venv/bin/python bench/facets.py --home /path/to/home --per-kind 10

The home is only read (searchers open it; nothing is written); copy it first to be certain.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True, help="An index home (opened read-only).")
    parser.add_argument("--per-kind", type=int, default=10, help="Queries of each kind (1-3 words, phrase).")
    parser.add_argument("--rounds", type=int, default=3, help="Runs of each query, with and without facets.")
    parser.add_argument("--cold", action="store_true", help="Empty the process's caches before every search.")
    options = parser.parse_args()

    from archsearch.engine import open_readers
    from archsearch.engine import searcher as searcher_module
    from archsearch.engine.index import IndexHome
    from archsearch.engine.searcher import ScopedSearcher
    from archsearch.levels import ALL_LEVELS
    from archsearch.trust.access import scope_for
    from archsearch.trust.users import User

    try:
        from archsearch.engine import facets as facet_codes
    except ImportError:  # the code before facets.py (a before/after run): no codes kept
        facet_codes = None

    def empty_caches() -> None:
        open_readers.forget_all()
        if facet_codes is not None:
            facet_codes.CACHE.clear()

    # The count alone, timed where the searcher calls it (when it does: not before facets.py).
    counted: list[float] = []
    count = getattr(searcher_module, "facet_counts", None)
    if count is not None:
        def timed_count(matches):
            started = time.perf_counter()
            try:
                return count(matches)
            finally:
                counted.append(time.perf_counter() - started)
        searcher_module.facet_counts = timed_count

    home = IndexHome.open(options.home)
    queries = [q for qs in synthetic.queries(options.per_kind).values() for q in qs]
    print(f"{len(queries)} queries x {options.rounds} rounds, home {options.home}")
    print(f"{'level':<14}{'search p50':>12}{'+facets p50':>13}{'facets p50':>12}{'share':>8}{'first':>10}"
          f"{'count p50':>11}")
    for level in ALL_LEVELS:
        scope = scope_for(User(f"bench-{level.id}", level))

        def search(query: str, facets: bool) -> None:
            if options.cold:
                empty_caches()
            with ScopedSearcher(home, scope) as searcher:
                searcher.search(query, limit=10, facets=facets)

        empty_caches()
        started = time.perf_counter()
        search(queries[0], True)
        first = time.perf_counter() - started
        plain, faceted, extra = [], [], []
        counted.clear()
        for _round in range(options.rounds):
            for query in queries:
                started = time.perf_counter()
                search(query, False)
                middle = time.perf_counter()
                search(query, True)
                ended = time.perf_counter()
                plain.append(middle - started)
                faceted.append(ended - middle)
                extra.append((ended - middle) - (middle - started))
        p50, f50, e50 = (statistics.median(x) * 1000 for x in (plain, faceted, extra))
        alone = f"{statistics.median(counted) * 1000:>9.2f}ms" if counted else f"{'-':>11}"
        print(f"{level.id:<14}{p50:>10.1f}ms{f50:>11.1f}ms{e50:>10.1f}ms{e50 / p50:>8.0%}{first * 1000:>8.0f}ms{alone}")


if __name__ == "__main__":
    main()
