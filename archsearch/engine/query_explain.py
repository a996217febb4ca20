"""`--explain`: the structure of a built Whoosh query as indented lines.

Built from the query alone; nothing here reads an index.

>>> from archsearch.engine.query import build_query
>>> print("\\n".join(describe_query(build_query("so:821/QĐ-BQP"))))
OR (any of, ranked)
  doc_number_key:821/qd-bqp
  prefix doc_number_key:821/qd-bqp/
  prefix doc_number_key:821/qd-bqp-
"""

from __future__ import annotations

from whoosh.query import And, AndMaybe, AndNot, FuzzyTerm, NumericRange, Phrase, Prefix, Query, TermRange
from whoosh.query import Or as WhooshOr
from whoosh.query import Term as WhooshTerm

from archsearch.engine.phrases import PairPhrase


def describe_query(query: Query, indent: str = "") -> list[str]:
    """The structure of a built query as indented lines ("OR", "AND", "field:term ^boost"): what
    `--explain` prints. Built from the query alone; nothing here reads an index."""
    name = type(query).__name__
    boost = f" ^{query.boost:g}" if getattr(query, "boost", 1.0) != 1.0 else ""
    if isinstance(query, (WhooshTerm, Prefix, FuzzyTerm)):
        kind = {"Prefix": "prefix ", "FuzzyTerm": "fuzzy "}.get(name, "")
        return [f"{indent}{kind}{query.fieldname}:{query.text}{boost}"]
    if isinstance(query, Phrase):
        return [f"{indent}phrase {query.fieldname}:\"{' '.join(query.words)}\"{boost}"]
    if isinstance(query, PairPhrase):
        return [f"{indent}phrase {query.word_field}:\"{' '.join(query.words)}\" (by {query.pair_field} pairs){boost}"]
    if isinstance(query, (TermRange, NumericRange)):
        start = "" if query.start is None else query.start
        end = "" if query.end is None else query.end
        return [f"{indent}range {query.fieldname}:{start}..{end}{boost}"]
    if isinstance(query, (AndMaybe, AndNot)):
        label = "AND-MAYBE (required, then optional)" if isinstance(query, AndMaybe) else "AND-NOT (kept, then excluded)"
        return [f"{indent}{label}{boost}", *describe_query(query.a, indent + "  "), *describe_query(query.b, indent + "  ")]
    if isinstance(query, (And, WhooshOr)):
        label = "AND (all of)" if isinstance(query, And) else "OR (any of, ranked)"
        lines = [f"{indent}{label}{boost}"]
        for sub in query.subqueries:
            lines.extend(describe_query(sub, indent + "  "))
        return lines
    return [f"{indent}{query!r}"]
