"""Scoped reading of the index: search, show. The only module that opens a Whoosh searcher.

Every read starts from `ScopedSearcher(home, scope)`, which opens the partitions of the
levels the user is cleared for -- and nothing else -- and combines their segments into one
searcher, so hits, totals, BM25 statistics, snippets and term lists come only from documents
the user may see. Documents in those partitions that carry a compartment the user lacks are
masked inside the search, never dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from whoosh import highlight
from whoosh.query import Every, Term
from whoosh.reading import MultiReader
from whoosh.searching import Searcher

from .access import Scope, compartment_mask, may_see
from .errors import NotFoundError
from .index import SCHEMA, IndexHome
from .levels import Level
from .query import build_query


@dataclass
class Hit:
    rank: int
    score: float
    id: str
    path: str
    title: str
    classification: str
    doc_number: str | None
    date: str | None
    snippet: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResult:
    query: str
    user: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"query": self.query, "user": self.user, "total": self.total, "hits": [h.to_json() for h in self.hits]}


@dataclass
class DocumentView:
    id: str
    path: str
    collection: str
    title: str
    classification: str
    classification_source: str
    compartments: list[str]
    doc_number: str | None
    date: str | None
    doc_type: str | None
    issuer: str | None
    mime: str
    page_count: int
    ocr_pages: int
    indexed_at: str
    warnings: list[str]
    text: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


class _Marker(highlight.Formatter):
    """Marks matched words with «» in plain text, which reads well in a terminal and in JSON."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return "«" + highlight.get_text(text, token, replace) + "»"


class ScopedSearcher:
    """A Whoosh searcher over exactly the partitions in `scope`; use as a context manager."""

    def __init__(self, home: IndexHome, scope: Scope):
        self.scope = scope
        self._readers = []
        self.searcher: Searcher | None = None
        self.mask = None
        if scope.sees_nothing:
            return
        for level in scope.levels:
            self._readers.append(home.partition(level).reader())
        # Flatten to segment readers: a MultiReader nested in another fails to search.
        leaves = [leaf for reader in self._readers for leaf, _offset in reader.leaf_readers()]
        if not leaves:
            return
        combined = leaves[0] if len(leaves) == 1 else MultiReader(leaves)
        # The partition readers are closed by close(); the combined one only borrows their segments.
        self.searcher = Searcher(combined, closereader=False)
        present = {term.decode() if isinstance(term, bytes) else term for term in combined.lexicon("compartments")}
        self.mask = compartment_mask(scope, present)

    def __enter__(self) -> "ScopedSearcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        for reader in self._readers:
            reader.close()

    def search(self, query_text: str, limit: int = 10, offset: int = 0) -> SearchResult:
        result = SearchResult(query=query_text, user=self.scope.user.name, total=0)
        query = build_query(query_text)
        if self.searcher is None:
            return result
        page = self.searcher.search(query, limit=offset + limit, mask=self.mask, terms=True)
        page.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        page.formatter = _Marker()
        result.total = len(page)
        for rank, hit in enumerate(page[offset : offset + limit], start=offset + 1):
            result.hits.append(
                Hit(
                    rank=rank,
                    score=round(float(hit.score), 4),
                    id=hit["id"],
                    path=hit["path"],
                    title=hit.get("title") or "",
                    classification=hit["classification"],
                    doc_number=hit.get("doc_number"),
                    date=hit.get("date"),
                    snippet=_snippet(hit),
                )
            )
        return result

    def matches(
        self, query_text: str | None, batch: int = 500, filter_query=None
    ) -> Iterator[tuple[float | None, dict]]:
        """Every document the user may see that matches `query_text` (all of them when None),
        best first, as (score, stored fields); pages through the results `batch` at a time so
        memory stays bounded for a whole-archive export.

        `filter_query` (a Whoosh query) restricts the matches inside the search (`filter=`, next to the
        compartment mask), so it narrows what the scope allows and never widens it; it does not
        change scores. With no query the order is by path, so it does not depend on how the
        index happens to be segmented.
        """
        if self.searcher is None:
            return
        query = build_query(query_text) if query_text else Every()
        extra = {"filter": filter_query} if filter_query is not None else {}
        if not query_text:
            extra["sortedby"] = "path"
        page_number = 1
        while True:
            page = self.searcher.search_page(query, page_number, pagelen=batch, mask=self.mask, **extra)
            for hit in page:
                yield (round(float(hit.score), 4) if query_text else None), hit.fields()
            if page.is_last_page():
                return
            page_number += 1

    def document(self, doc_id: str) -> DocumentView:
        """One document the user may see; a hidden one is reported exactly like a missing one."""
        missing = NotFoundError(f"no document with id {doc_id!r}")
        if self.searcher is None:
            raise missing
        found = self.searcher.search(Term("id", doc_id), limit=1, mask=self.mask)
        if not found:
            raise missing
        fields = found[0].fields()
        level = Level[fields["classification"].upper().replace("-", "_")]
        compartments = set(filter(None, (fields.get("compartments") or "").split(",")))
        if not may_see(self.scope, level, compartments):  # belt and braces: partition + mask did this
            raise missing
        return DocumentView(
            id=fields["id"],
            path=fields["path"],
            collection=fields["collection"],
            title=fields.get("title") or "",
            classification=fields["classification"],
            classification_source=fields.get("classification_source") or "",
            compartments=sorted(compartments),
            doc_number=fields.get("doc_number"),
            date=fields.get("date"),
            doc_type=fields.get("doc_type"),
            issuer=fields.get("issuer") or None,
            mime=fields.get("mime") or "",
            page_count=fields.get("page_count") or 0,
            ocr_pages=fields.get("ocr_pages") or 0,
            indexed_at=fields.get("indexed_at") or "",
            warnings=list(fields.get("warnings") or []),
            text=fields.get("text") or "",
        )


def _snippet(hit) -> str:
    """Highlighted fragment of the body, or the opening of the text.

    A query with diacritics is highlighted on the exact view first, so "mật" marks mật and not
    mắt; otherwise (or when only folded terms matched) on the folded view, which marks words
    typed without diacritics; offsets point into the stored NFC text.
    """
    text = hit.get("text") or ""
    snippet = hit.highlights("text", text=text, top=2) or hit.highlights("text_folded", text=text, top=2)
    if not snippet:
        snippet = " ".join(text.split())[:200]
    return " ".join(snippet.split())
