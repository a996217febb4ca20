"""Retrieval quality of archsearch against two plainly configured engines, on a judged collection.

    python bench/quality.py [--set W_BIGRAM=0 ...] [--json]

Collection: bench/quality_data/ (documents/*.txt and queries.jsonl, built by
bench/make_quality_data.py). Systems, all over the same documents and queries, in one run:
- archsearch: the real pipeline (api.index on the .txt files, ScopedSearcher.search);
- whoosh-standard: Whoosh 2.7.4, one TEXT field with StandardAnalyzer, default BM25F, the query
  parsed by QueryParser with OR grouping (the default AND grouping finds nothing for most
  questions, which would make the baseline a straw man);
- sqlite-fts5: FTS5 with `unicode61 remove_diacritics 2`, the query's words OR'ed, bm25().
Metrics: nDCG@10 (gain 2^grade - 1), Recall@10 and MRR (first relevant document), per query
group and overall. `--set NAME=VALUE` overrides a weight of archsearch.engine.query for an experiment.

Levels: the documents carry their own secrecy stamps (three of them do), and a query is typed
by a user of the level in its "user" key (top-secret, who sees everything, when absent).
archsearch searches as a registered user of that level; each baseline gets the same view: its
ranking with the documents that user may not see removed (as if each level had its own index),
the visible set taken from archsearch's scope for that user.

Held-out check: a second table gives nDCG@10 on two fixed halves of the queries. A query's half
is set by the first byte of the SHA-256 of its text folded (NFD, combining marks dropped,
đ→d), lower-cased and with whitespace collapsed: even -> "tuning", odd -> "held-out". Folding
keeps a query and its form without diacritics (and 821/QĐ-BQP and 821/qd-bqp) in the same
half, so a tuned-on query never reappears, retyped, in the held-out half. Tune weights on the
tuning half only, then read the held-out column. The exit status depends on the first table
only: 0 when archsearch beats both baselines on nDCG@10 in every group and overall, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

DATA = HERE / "quality_data"
K = 10
GROUP_ORDER = ["diacritics", "no_diacritics", "number", "abbreviation", "paraphrase", "ocr", "question", "citation"]
DEFAULT_USER = "top-secret"
HALVES = ("tuning", "held-out")


def load() -> tuple[dict[str, str], list[dict]]:
    docs = {p.stem: p.read_text(encoding="utf-8") for p in sorted((DATA / "documents").glob("*.txt"))}
    queries = [json.loads(line) for line in (DATA / "queries.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return docs, queries


# ---------------------------------------------------------------------------------------------
class Archsearch:
    name = "archsearch"

    def __init__(self, docs: dict[str, str]):
        from archsearch import api
        from archsearch.trust.access import scope_for
        from archsearch.config import Settings
        from archsearch.engine.index import IndexHome
        from archsearch.engine.searcher import ScopedSearcher
        from archsearch.trust.users import UserRegistry

        self._tmp = tempfile.TemporaryDirectory()
        settings = Settings.from_env(Path(self._tmp.name) / "home")
        summary = api.index(settings, [DATA / "documents"])
        if summary.failures:
            raise SystemExit(f"archsearch failed to index: {summary.failures}")
        self.searchers = {}
        for level in ("unclassified", "confidential", "secret", "top-secret"):
            api.add_user(settings, f"bench-{level}", level)
            user = UserRegistry(settings.index_dir).get(f"bench-{level}")
            self.searchers[level] = ScopedSearcher(IndexHome.open(settings.index_dir), scope_for(user))

    def visible(self, level: str) -> set[str]:
        """The documents a user of `level` may see, from archsearch's own scope."""
        return {Path(fields["path"]).stem for _score, fields in self.searchers[level].matches(None)}

    def search(self, query: str, level: str = DEFAULT_USER) -> list[str]:
        result = self.searchers[level].search(query, limit=K)
        return [Path(hit.path).stem for hit in result.hits]


class WhooshStandard:
    name = "whoosh-standard"

    def __init__(self, docs: dict[str, str]):
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import RamStorage
        from whoosh.qparser import OrGroup, QueryParser

        schema = Schema(id=ID(stored=True), content=TEXT(analyzer=StandardAnalyzer()))
        self.index = RamStorage().create_index(schema)
        with self.index.writer() as writer:
            for doc_id, text in docs.items():
                writer.add_document(id=doc_id, content=text)
        self.parser = QueryParser("content", schema, group=OrGroup)
        self.searcher = self.index.searcher()

    def search(self, query: str) -> list[str]:
        """The whole ranking (the caller removes what the user may not see, then keeps K)."""
        try:
            parsed = self.parser.parse(query)
        except Exception:
            return []
        return [hit["id"] for hit in self.searcher.search(parsed, limit=None)]


class SqliteFts5:
    name = "sqlite-fts5"

    def __init__(self, docs: dict[str, str]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, content, "
                        "tokenize = 'unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO docs VALUES (?, ?)", docs.items())

    def search(self, query: str) -> list[str]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)", (match,))
        return [row[0] for row in rows]


def half(query: str) -> str:
    """The query's half of the held-out split ("tuning" or "held-out"); see the module docstring.
    Defined here, not with archsearch's own folding, so the split never moves with the engine."""
    decomposed = unicodedata.normalize("NFD", query.replace("đ", "d").replace("Đ", "D"))
    key = " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
    return HALVES[hashlib.sha256(key.encode("utf-8")).digest()[0] % 2]


# ---------------------------------------------------------------------------------------------
def ndcg(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:K]))
    ideal = sorted(relevant.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], relevant: dict[str, int]) -> float:
    return len(set(ranked[:K]) & set(relevant)) / len(relevant)


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    for i, d in enumerate(ranked):
        if d in relevant:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(systems, queries) -> dict:
    """{system: {group: {"ndcg", "recall", "mrr", "n"}}} plus per-query rankings. systems[0] is
    archsearch, which searches as the query's user; the baselines' rankings are cut to the
    documents that user may see."""
    levels = {q.get("user", DEFAULT_USER) for q in queries}
    visible = {level: systems[0].visible(level) for level in levels}
    scores: dict = {}
    per_query: dict = {}
    for system in systems:
        by_group: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        started = time.perf_counter()
        for q in queries:
            level = q.get("user", DEFAULT_USER)
            if system is systems[0]:
                ranked = system.search(q["query"], level)
            else:
                ranked = [d for d in system.search(q["query"]) if d in visible[level]][:K]
            row = (ndcg(ranked, q["relevant"]), recall(ranked, q["relevant"]), reciprocal_rank(ranked, q["relevant"]))
            by_group[q["group"]].append(row)
            by_group["overall"].append(row)
            per_query.setdefault(q["id"], {})[system.name] = (row, ranked)
        elapsed = time.perf_counter() - started
        scores[system.name] = {
            group: {"ndcg": sum(r[0] for r in rows) / len(rows), "recall": sum(r[1] for r in rows) / len(rows),
                    "mrr": sum(r[2] for r in rows) / len(rows), "n": len(rows)}
            for group, rows in by_group.items()
        }
        scores[system.name]["_seconds"] = elapsed
    return {"scores": scores, "per_query": per_query}


def render(result: dict, names: list[str]) -> str:
    scores = result["scores"]
    groups = [g for g in GROUP_ORDER if g in scores[names[0]]] + ["overall"]
    header = "| group | n | " + " | ".join(f"{n} nDCG@10 / R@10 / MRR" for n in names) + " |"
    lines = [header, "|" + "---|" * (2 + len(names))]
    for group in groups:
        cells = []
        best = max(scores[n][group]["ndcg"] for n in names)
        for n in names:
            s = scores[n][group]
            mark = "**" if s["ndcg"] == best else ""
            cells.append(f"{mark}{s['ndcg']:.3f}{mark} / {s['recall']:.3f} / {s['mrr']:.3f}")
        lines.append(f"| {group} | {scores[names[0]][group]['n']} | " + " | ".join(cells) + " |")
    ours = scores["archsearch"]
    if "diacritics" in ours and "no_diacritics" in ours:
        ratio = ours["no_diacritics"]["ndcg"] / ours["diacritics"]["ndcg"]
        lines.append("")
        lines.append(f"archsearch without diacritics reaches {ratio:.1%} of the nDCG@10 of the same queries with them.")
    return "\n".join(lines)


def render_halves(result: dict, queries: list[dict], names: list[str]) -> str:
    """nDCG@10 of each system on the tuning and held-out halves, per group and overall."""
    rows: dict = defaultdict(lambda: defaultdict(list))  # (group, half) -> system -> [nDCG]
    for q in queries:
        for group in (q["group"], "overall"):
            for n in names:
                rows[(group, half(q["query"]))][n].append(result["per_query"][q["id"]][n][0][0])
    mean = lambda values: sum(values) / len(values) if values else float("nan")  # noqa: E731
    groups = [g for g in GROUP_ORDER if any((g, h) in rows for h in HALVES)] + ["overall"]
    header = "| group | n tuning / held-out | " + " | ".join(f"{n} tuning / held-out" for n in names) + " |"
    lines = [header, "|" + "---|" * (2 + len(names))]
    for group in groups:
        counts = [len(rows[(group, h)][names[0]]) for h in HALVES]
        cells = []
        for n in names:
            parts = []
            for h in HALVES:
                value = mean(rows[(group, h)][n])
                best = max(mean(rows[(group, h)][m]) for m in names)
                mark = "**" if value == best else ""
                parts.append(f"{mark}{value:.3f}{mark}")
            cells.append(" / ".join(parts))
        lines.append(f"| {group} | {counts[0]} / {counts[1]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a weight in archsearch.engine.query (experiments)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--failures", action="store_true", help="list queries where archsearch loses")
    args = parser.parse_args()
    from archsearch.engine import query as query_module

    for assignment in args.set:
        name, _, value = assignment.partition("=")
        if not hasattr(query_module, name):
            raise SystemExit(f"archsearch.engine.query has no {name}")
        setattr(query_module, name, float(value))
    docs, queries = load()
    systems = [Archsearch(docs), WhooshStandard(docs), SqliteFts5(docs)]
    result = evaluate(systems, queries)
    names = [s.name for s in systems]
    if args.json:
        print(json.dumps(result["scores"], indent=2))
    else:
        print(f"{len(docs)} documents, {len(queries)} queries, k={K}\n")
        print(render(result, names))
        print("\nnDCG@10 on the two halves of the held-out split (weights are to be tuned on the first):\n")
        print(render_halves(result, queries, names))
    if args.failures:
        for q in queries:
            rows = result["per_query"][q["id"]]
            ours = rows["archsearch"][0][0]
            if ours < max(rows[n][0][0] for n in names) or ours < 0.5:
                print(f"{q['id']} [{q['group']}, {half(q['query'])}] {q['query']!r} ours={ours:.2f} "
                      + " ".join(f"{n}={rows[n][0][0]:.2f}" for n in names[1:]), "top:", rows["archsearch"][1][:5])
    ours = result["scores"]["archsearch"]
    beaten = all(ours[g]["ndcg"] > result["scores"][n][g]["ndcg"] for n in names[1:] for g in ours if not g.startswith("_"))
    return 0 if beaten else 1


if __name__ == "__main__":
    sys.exit(main())
