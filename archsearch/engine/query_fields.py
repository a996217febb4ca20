"""The fields of the query language: `so:`, `loai:`, `coquan:`, `nam:`, `ngay:`, `muc:` -> a Whoosh clause.

A field typed in a query (query.py) and the same restriction given as an option (filters.py)
are built here, by `field_query`, so both select exactly the same documents. A field only
filters: it never ranks, and `muc:` only narrows the partitions a user may see. A malformed
value raises UsageError with an example of the right form.

>>> field_query("nam", "2015..2020")
NumericRange('year', 2015, 2020, False, False, boost=1.0, constantscore=True)
>>> field_query("loai", "QĐ")  # the ký-hiệu group and the name it stands for
Or([BoostedTerm('doc_type_key', 'qd'), BoostedTerm('doc_type_key', 'quyet dinh')])
>>> field_query("nam", "2020..2015")
Traceback (most recent call last):
...
archsearch.errors.UsageError: empty range '2020..2015': the first bound is after the second
"""

from __future__ import annotations

import datetime as dt
import re

from whoosh.query import And, NumericRange, Or, Prefix, Query, TermRange

from archsearch.dates import numeric_date_parts
from archsearch.engine.abbreviations import abbreviations
from archsearch.engine.analysis import doc_number_key, syllables
from archsearch.engine.bm25f import BoostedTerm as Term
from archsearch.engine.index import doc_type_key
from archsearch.engine.query_language import FIELD_NAMES
from archsearch.errors import UsageError
from archsearch.levels import parse_level

_YEAR = re.compile(r"^(\d{4})$")


def field_query(name: str, value: str) -> Query:
    """The clause of one field of the language (`so`, `loai`, `coquan`, `nam`, `ngay`, `muc`)
    for `value`: what filters given as options use, so they select exactly what the field typed
    in a query selects. Raises UsageError for a malformed value."""
    if name not in FIELD_NAMES.values():
        raise UsageError(f"unknown field {name}:")
    return _field_query(name, value)


def _field_query(name: str, value: str) -> Query:
    value = value.strip()
    if name == "so":
        key = doc_number_key(value)
        if not key:
            raise UsageError("so: needs a document number, e.g. so:821/QĐ-BQP or so:821")
        return Or([Term("doc_number_key", key), Prefix("doc_number_key", key + "/"), Prefix("doc_number_key", key + "-")])
    if name == "loai":
        return _type_query(value)
    if name == "coquan":
        return _issuer_query(value)
    if name == "nam":
        first, last = _range(value, _parse_year, "nam: expects a year or a range of years, e.g. nam:2015 or nam:2015..2020")
        return NumericRange("year", first[0] if first else None, last[1] if last else None)
    if name == "ngay":
        first, last = _range(value, parse_date_bounds, "ngay: expects dates or years, e.g. ngay:2020-03-05, ngay:05/03/2020 or ngay:2015..2020")
        return TermRange("date", first[0].isoformat() if first else None, last[1].isoformat() if last else None)
    if name == "muc":
        return Term("classification", parse_level(value.replace("-", " ").replace("_", " ")).id)
    raise UsageError(f"unknown field {name}:")  # pragma: no cover - FIELD_NAMES guards this


def _range(value: str, parse, message: str):
    """(first, last) bounds, each a (start, end) pair or None for an open side."""
    if ".." in value:
        low, _, high = value.partition("..")
        first = parse(low, message) if low else None
        last = parse(high, message) if high else None
        if first is None and last is None:
            raise UsageError(message)
        if first and last and first[0] > last[1]:
            raise UsageError(f"empty range {value!r}: the first bound is after the second")
        return first, last
    bounds = parse(value, message)
    return bounds, bounds


def _parse_year(text: str, message: str) -> tuple[int, int]:
    match = _YEAR.match(text.strip())
    if not match:
        raise UsageError(message)
    year = int(match.group(1))
    return year, year


def parse_date_bounds(text: str, message: str) -> tuple[dt.date, dt.date]:
    text = text.strip()
    parts = numeric_date_parts(text, separators="/.-", partial=True)
    if parts is None:
        raise UsageError(message)
    year, month, day = int(parts[0]), parts[1], parts[2]
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        month = int(month)
        if day is None:
            start = dt.date(year, month, 1)
            end = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
            return start, end
        day_date = dt.date(year, month, int(day))
        return day_date, day_date
    except ValueError:
        raise UsageError(f"{text!r} is not a valid date; {message}") from None


def _type_query(value: str) -> Query:
    names = set()
    from archsearch.ingest.doc_numbers import type_of_group  # the ký-hiệu table of NĐ 30/2020 Phụ lục III

    typed = type_of_group(value.strip())
    if typed:
        names.add(doc_type_key(typed))
    names.add(doc_type_key(value))
    return Or([Term("doc_type_key", name) for name in sorted(names)]) if len(names) > 1 else Term("doc_type_key", names.pop())


def _issuer_query(value: str) -> Query:
    folded = tuple(syllables(value, folded=True))
    if not folded:
        raise UsageError("coquan: needs the name or abbreviation of an issuing body, e.g. coquan:BQP")
    alternatives = {folded}
    for entry in abbreviations():
        if folded == entry.abbreviation or folded in entry.expansions:
            alternatives.update([entry.abbreviation, *entry.expansions])
    clauses = []
    for alternative in sorted(alternatives):
        terms = [Term("issuer_folded", s) for s in alternative]
        clauses.append(And(terms) if len(terms) > 1 else terms[0])
    return Or(clauses) if len(clauses) > 1 else clauses[0]
