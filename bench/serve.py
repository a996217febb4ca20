"""The web front end under load: `archsearch serve --workers 2` driven over HTTP from other
processes (loopback only, bounded request counts and time). Prints a Markdown table.

    python bench/serve.py --size 2000 --seconds 20

Measures, on the synthetic archive of bench/synthetic.py at --size documents (built and
indexed under --work if missing):
  - one user at a time: search page p50/p95 for 1-3-word queries, per level;
  - --users concurrent users (mixed levels; search pages, page 2, a facet link, a document
    view; facets on every search page, the default, and 20 % follow a facet's link) for --seconds: throughput against 2 x single-user
    throughput, p95, errors;
  - a commit of a concurrent `archsearch index` run: visible to the next search, and searches
    during it do not fail;
  - peak RSS of the server (master and workers, sampled);
  - the 404 of a document page for a hidden id (a compartment the user lacks, in a partition
    their searcher opens; and a level above theirs), a missing id and a malformed one: p50/p95
    over --not-found requests of each, interleaved, one user at a time;
  - beside it, the same queries through bare Whoosh (in process) and the CLI's wall time per
    search (`archsearch search`, start-up included).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402
from bench.ingest import DEFAULT_WORK, bare_run, bare_schema, index_run, log  # noqa: E402

LEVELS = ["unclassified", "confidential", "secret", "top-secret"]
PASSWORD = "bench-mat-khau-1"
ARCHSEARCH = [sys.executable, "-m", "archsearch.cli.main"]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


class Client:
    """A signed-in browser without the browser: cookies, CSRF token from the login form."""

    def __init__(self, base: str, user: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": user, "password": PASSWORD, "csrf_token": token}).encode()
        self.opener.open(base + "/login", data=data, timeout=30).read()

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def timed(self, path: str) -> tuple[float, str]:
        started = time.perf_counter()
        body = self.get(path)
        return time.perf_counter() - started, body


def _search_path(query: str, **extra) -> str:
    return "/?" + urllib.parse.urlencode({"q": query, **extra})


def single_user(base: str, level: str, queries: list[str]) -> list[float]:
    client = Client(base, f"bench-{level}")
    client.get(_search_path(queries[0]))  # warm this worker's caches
    return [client.timed(_search_path(q))[0] for q in queries]


def mixed_user(args) -> dict:
    base, seed, seconds, queries = args
    rng = random.Random(seed)
    client = Client(base, f"bench-{rng.choice(LEVELS)}")
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        query = rng.choice(queries)
        kind = rng.random()
        try:
            if kind < 0.15:
                elapsed, body = client.timed(_search_path(query, page=2))
            elif kind < 0.35:  # a search with facets, then one facet's link
                elapsed, body = client.timed(_search_path(query, facets=1))
                facet = re.search(r'<a href="\?([^"]*type=[^"]*)"', body)
                if facet:
                    latencies.append(elapsed)
                    elapsed, body = client.timed("/?" + facet.group(1).replace("&amp;", "&"))
            else:
                elapsed, body = client.timed(_search_path(query))
                ids = re.findall(r'data-id="([^"]+)"', body)
                if kind < 0.65 and ids:  # open one of the hits
                    latencies.append(elapsed)
                    elapsed, body = client.timed("/doc/" + rng.choice(ids))
            latencies.append(elapsed)
        except Exception:
            errors += 1
    return {"latencies": latencies, "errors": errors}


NOT_FOUND_USER = "bench-404"  # secret, holding no compartment


def not_found_ids(settings, root: Path, collection: str) -> dict[str, str]:
    """A document id of each kind for NOT_FOUND_USER: hidden by a compartment (a confidential or
    secret document carrying one), hidden by its level (top secret), missing, malformed. The
    hidden ones are taken from the generator's truth and checked to be in the index."""
    from archsearch import api
    from archsearch.errors import NotFoundError
    from archsearch.ingest.pipeline import document_id

    rows = synthetic.read_truth(root)

    def indexed(pick) -> str:
        for row in rows:
            if pick(row):
                doc_id = document_id(collection, row.relpath)
                try:
                    api.show(settings, doc_id, user="bench-top-secret")
                    return doc_id
                except NotFoundError:
                    continue
        raise SystemExit("no document of the kind a 404 row needs in this archive")

    return {
        "hidden (compartment)": indexed(lambda row: row.compartments and row.level in ("confidential", "secret")),
        "hidden (level above)": indexed(lambda row: row.level == "top-secret"),
        "missing": "0123456789ab",
        "malformed": "..%2F..%2Fetc%2Fpasswd%3Cx%3E",
    }


def not_found_times(base: str, ids: dict[str, str], count: int) -> dict[str, list[float]]:
    """Each id's document page `count` times, the kinds interleaved (in a shuffled order each
    round, so drift and load hit them alike); every answer must be a 404."""
    client = Client(base, NOT_FOUND_USER)
    rng = random.Random(404)
    times: dict[str, list[float]] = {kind: [] for kind in ids}
    for round_ in range(count + 5):  # 5 rounds of warm-up, not kept
        kinds = list(ids)
        rng.shuffle(kinds)
        for kind in kinds:
            started = time.perf_counter()
            try:
                client.get(f"/doc/{ids[kind]}")
                raise SystemExit(f"/doc/{ids[kind]} ({kind}) answered 200, not 404")
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise
                error.read()
            if round_ >= 5:
                times[kind].append(time.perf_counter() - started)
    return times


def server_rss_mb(pid: int) -> float:
    """RSS of the server process and its children (the workers), from /proc."""
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def bare_whoosh_times(directory: Path, queries: list[str]) -> list[float]:
    """The same queries through a plain Whoosh searcher (its query parser, OR of the words, top
    10 with stored fields read), in this process, searcher opened once: the floor a web page
    stands on."""
    from whoosh import index as whoosh_index
    from whoosh.qparser import OrGroup, QueryParser

    ix = whoosh_index.open_dir(str(directory), schema=bare_schema())
    parser = QueryParser("text", bare_schema(), group=OrGroup)
    times = []
    with ix.searcher() as searcher:
        searcher.search(parser.parse(queries[0]), limit=10)
        for query in queries:
            started = time.perf_counter()
            [hit["title"] for hit in searcher.search(parser.parse(query), limit=10)]
            times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="Archive size (the issue's target: 50000).")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of the concurrent run.")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--per-kind", type=int, default=10, help="Queries per kind (1, 2, 3 words) per level.")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--not-found", type=int, default=200, help="Requests per kind of 404 id.")
    options = parser.parse_args()

    from archsearch.trust import accounts
    from archsearch import api
    from archsearch.config import Settings

    root = options.work / f"n{options.size}"
    archive = synthetic.ensure_archive(root, options.size, progress=log)
    home = root / "home"
    if not (home / "current.json").exists():
        log(f"indexing {options.size} documents")
        index_run(home, [archive], options.jobs)
    if not (root / "bare" / "_MAIN_1.toc").exists() and not list((root / "bare").glob("_MAIN_*.toc")):
        log(f"indexing {options.size} documents with the bare Whoosh writer")
        bare_run(root, root / "bare")
    settings = Settings.from_env(home)
    for level in LEVELS:
        api.add_user(settings, f"bench-{level}", level, ["CNQP-A", "CNQP-B"])
        accounts.set_password(settings, f"bench-{level}", PASSWORD)
    api.add_user(settings, NOT_FOUND_USER, "secret", [])
    accounts.set_password(settings, NOT_FOUND_USER, PASSWORD)
    missing_ids = not_found_ids(settings, root, archive.name)
    kinds = synthetic.queries(options.per_kind)
    queries = kinds["1 word"] + kinds["2 words"] + kinds["3 words"]

    bare = bare_whoosh_times(root / "bare", queries)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*ARCHSEARCH, "--index-dir", str(home), "serve", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], server_rss_mb(server.pid))
            time.sleep(0.25)

    threading.Thread(target=sample, daemon=True).start()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        rows = []
        single_rate = []
        for level in LEVELS:
            times = single_user(base, level, queries)
            single_rate.append(len(times) / sum(times))
            rows.append((f"one user, {level}", len(times), percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000))
        log(f"404s: {options.not_found} requests per kind of id")
        missing_times = not_found_times(base, missing_ids, options.not_found)
        log(f"{options.users} concurrent users for {options.seconds:.0f} s")
        started = time.monotonic()
        with ProcessPoolExecutor(options.users) as pool:
            results = list(pool.map(mixed_user, [(base, i, options.seconds, queries) for i in range(options.users)]))
        wall = time.monotonic() - started
        latencies = [t for r in results for t in r["latencies"]]
        errors = sum(r["errors"] for r in results)
        throughput = len(latencies) / wall
        single = statistics.mean(single_rate)

        # a commit by a concurrent `archsearch index`: visible to the next search, no failed search meanwhile
        marker = f"bench{int(time.time())}moc"
        extra = root / "extra"
        extra.mkdir(exist_ok=True)
        (extra / f"{marker}.txt").write_text(f"Thông báo kiểm tra {marker} về bảo quản kho.", encoding="utf-8")
        probe = Client(base, "bench-unclassified")
        failures, during = 0, 0
        indexer = subprocess.Popen([*ARCHSEARCH, "--index-dir", str(home), "index", str(extra), "--jobs", "1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while indexer.poll() is None:
            try:
                probe.get(_search_path(queries[during % len(queries)]))
            except Exception:
                failures += 1
            during += 1
        visible = f'id="total">1 kết quả' in probe.get(_search_path(marker))

        cli = []
        for query in queries[:5]:
            t = time.perf_counter()
            subprocess.run([*ARCHSEARCH, "--index-dir", str(home), "search", query, "--user", "bench-secret", "--json"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            cli.append(time.perf_counter() - t)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=20)

    print(f"\n`bench/serve.py --size {options.size} --seconds {options.seconds:.0f} --users {options.users}`, "
          f"{os.cpu_count()} cores, server `archsearch serve --workers 2`, {len(queries)} queries of 1-3 words\n")
    print("| measure | requests | p50 ms | p95 ms | note |")
    print("|---|---:|---:|---:|---|")
    for name, count, p50, p95 in rows:
        print(f"| {name} | {count} | {p50:.0f} | {p95:.0f} | target p50 ≤ 60, p95 ≤ 150 |")
    print(f"| {options.users} users, mixed pages | {len(latencies)} | {percentile(latencies, 0.5) * 1000:.0f} | "
          f"{percentile(latencies, 0.95) * 1000:.0f} | {throughput:.1f} req/s = {throughput / (2 * single):.2f} × "
          f"(2 × single-user {single:.1f} req/s); {errors} errors; target ≥ 0.8, p95 ≤ 500 |")
    print(f"| bare Whoosh, same queries (in process, searcher open) | {len(bare)} | {percentile(bare, 0.5) * 1000:.0f} | "
          f"{percentile(bare, 0.95) * 1000:.0f} | all levels in one index, no scope, no audit |")
    print(f"| CLI `archsearch search` (start-up included) | {len(cli)} | {statistics.median(cli) * 1000:.0f} | "
          f"{max(cli) * 1000:.0f} | per search, wall time |")
    print(f"| concurrent `archsearch index` commit | {during} | - | - | searches during it: {failures} failed; "
          f"new document visible to the next search: {'yes' if visible else 'NO'} |")
    for kind, times in missing_times.items():
        print(f"| 404 document page, {kind} id | {len(times)} | {percentile(times, 0.5) * 1000:.1f} | "
              f"{percentile(times, 0.95) * 1000:.1f} | one user (secret, no compartment), kinds interleaved; "
              f"the same page and work for every kind |")
    print(f"| peak RSS, server (master + 2 workers) | - | - | - | {peak[0]:.0f} MB (target ≤ 1500 MB at 50k) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
