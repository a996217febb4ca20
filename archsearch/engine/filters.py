"""Filters given as options (search, export, saved searches) -> one Whoosh filter query.

Input: what the command line or an API caller gave (`--from/--to`, `--type`, `--issuer`,
`--collection`, `--level`). Output: a Whoosh query applied *inside* the search (`filter=`, next
to the compartment mask), or None when nothing was given. The type, issuer and date clauses are
built by the query language's own field handling (`loai:`, `coquan:`, `ngay:` in query_fields.py), so an
option and the same field typed in a query always select the same documents.

Invariants:
- A filter only narrows the user's scope: a level outside it is refused, never dropped, and a
  filter never opens a partition.
- `to_query` never returns a falsy query (an empty `Or` is read by Whoosh as "no filter"); each
  clause comes from a value that was given, so the result is None or a real restriction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from whoosh.query import And, Or, Term

from archsearch.errors import UsageError
from archsearch.levels import Level, parse_level
from archsearch.normalise import nfc
from archsearch.engine.query_fields import field_query


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied inside the search, on top of the user's scope (never a widening)."""

    collection: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive, on the document's date
    date_to: str | None = None
    doc_type: str | None = None  # a type name or its abbreviation: "Quyết định", "quyet dinh", "QĐ"
    levels: tuple[Level, ...] = ()
    issuer: str | None = None  # an issuing body or its abbreviation: "Bộ Quốc phòng", "BQP"

    def __post_init__(self):
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    flag = "--from" if name == "date_from" else "--to"
                    raise UsageError(f"{flag} {value!r} is not a date: use YYYY-MM-DD, e.g. 2015-01-01") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UsageError(f"--from {self.date_from} is after --to {self.date_to}")
        levels = tuple(level if isinstance(level, Level) else parse_level(level) for level in self.levels)
        object.__setattr__(self, "levels", levels)

    @classmethod
    def from_json(cls, data: dict | None) -> "SearchFilters":
        data = data or {}
        return cls(collection=data.get("collection"), date_from=data.get("from"), date_to=data.get("to"),
                   doc_type=data.get("type"), levels=tuple(data.get("levels") or ()), issuer=data.get("issuer"))

    def to_json(self) -> dict:
        data = {
            "collection": self.collection, "from": self.date_from, "to": self.date_to,
            "type": self.doc_type, "levels": [level.id for level in sorted(self.levels)],
        }
        if self.issuer:  # only when given, so records written before it existed keep their shape
            data["issuer"] = self.issuer
        return data

    def __bool__(self) -> bool:
        return any([self.collection, self.date_from, self.date_to, self.doc_type, self.levels, self.issuer])

    def check_levels(self, allowed: Iterable[Level]) -> None:
        """Refuse a level outside `allowed` (the user's scope): --level only narrows."""
        allowed = set(allowed)
        above = [level for level in self.levels if level not in allowed]
        if above:
            raise UsageError(
                f"--level {', '.join(l.id for l in sorted(above))}: outside your clearance "
                f"({', '.join(l.id for l in sorted(allowed)) or 'none'}); --level only narrows"
            )

    def to_query(self, allowed: Iterable[Level]):
        """The Whoosh filter for these restrictions, or None when there are none."""
        self.check_levels(allowed)
        parts = []
        if self.collection:
            parts.append(Term("collection", nfc(self.collection).strip()))
        if self.date_from or self.date_to:
            parts.append(field_query("ngay", f"{self.date_from or ''}..{self.date_to or ''}"))
        if self.doc_type:
            parts.append(field_query("loai", nfc(self.doc_type)))
        if self.issuer:
            parts.append(field_query("coquan", nfc(self.issuer)))
        if self.levels:
            parts.append(Or([Term("classification", level.id) for level in sorted(set(self.levels))]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)
