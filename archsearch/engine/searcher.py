"""Scoped reading of the index: search (with filters, sorting, facets), show, similar. The only
module that opens a Whoosh searcher.

Every read starts from `ScopedSearcher(home, scope)`, which opens the partitions of the
levels the user is cleared for -- and nothing else -- and combines their segments into one
searcher, so hits, totals, BM25 statistics, snippets and term lists come only from documents
the user may see. Documents in those partitions that carry a compartment the user lacks are
masked inside the search, never dropped afterwards. Filters given as options (`filters.py`)
are applied inside the search the same way, and facets are counted over the matches of the same
search (facets.py), so they see exactly the hits the user sees.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import numpy as np
from whoosh.idsets import BitSet
from whoosh.query import AndNot, Every, Not, Or, Phrase, Query, Term
from whoosh.reading import MultiReader
from whoosh.searching import Searcher

from archsearch.engine import scoring as dense
from archsearch.engine import open_readers, visible
from archsearch.engine.facets import FACETS, count as facet_counts
from archsearch.trust.access import Scope, hidden_compartments, may_see, stored_compartments
from archsearch.engine.citations import find_citation
from archsearch.normalise import nfc
from archsearch.errors import NotFoundError, UsageError
from archsearch.engine.filters import SearchFilters
from archsearch.engine.index import IndexHome
from archsearch.levels import Level
from archsearch.engine.query import W_BIGRAM, W_EXACT, build_query
from archsearch.engine.bm25f import SegmentLengthsBM25F
from archsearch.engine.query import Or as RankedOr
from archsearch.engine.phrases import PairPhrase
from archsearch.engine.postings import live_docs, sorted_array, term_arrays
from archsearch.engine.snippets import snippet

if TYPE_CHECKING:  # articles.py is loaded by show and a citation's hits only, not by every search
    from archsearch.ingest.articles import Article

SORTS = ("relevance", "date", "-date", "number")


def check_sort(sort: str) -> None:
    """Refuse a sort order that is not one of SORTS (UsageError naming them)."""
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")


SIMILAR_TERMS = 24  # key terms per view of the seed document
# A seed's key terms on the folded view weigh this much of the exact view's. It was the query
# weight W_FOLDED until that was lowered on bench/quality.py, which measures typed queries, not
# similar documents: a seed's text is whole words, not a query's marks to tell apart.
SIMILAR_W_FOLDED = 0.5
# Bounds on the work of picking a seed's key terms: analysing its text costs a few microseconds
# a token and view, and weighing a distinct term one lookup per segment, so a 4 MiB draft of
# ordinary words took 15 s (#12 item 10). The first SIMILAR_MAX_CHARS characters (a long
# report; cut at a space) are read, and the SIMILAR_MAX_DISTINCT most frequent distinct terms
# of each view are weighed; a draft or document within both is read whole.
SIMILAR_MAX_CHARS = 50_000
SIMILAR_MAX_DISTINCT = 2_000


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
    # Shown in a terminal, not part of the JSON of a hit (its keys are a published contract).
    issuer: str | None = None
    doc_type: str | None = None

    JSON_KEYS = ("rank", "score", "id", "path", "title", "classification", "doc_number", "date", "snippet")

    def to_json(self) -> dict:
        return {key: getattr(self, key) for key in self.JSON_KEYS}


@dataclass
class SearchResult:
    query: str
    user: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] | None = None  # only when asked for

    def to_json(self) -> dict:
        data = {"query": self.query, "user": self.user, "total": self.total, "hits": [h.to_json() for h in self.hits]}
        if self.facets is not None:
            data["facets"] = self.facets
        return data


@dataclass
class SimilarResult:
    seed: str | None  # the seed document's id, or None for a text
    user: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"seed": self.seed, "user": self.user, "total": self.total, "hits": [h.to_json() for h in self.hits]}


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
    # Điều spans in `text` (articles.py); not part of the JSON. `article` is set by
    # `with_article` and is in the JSON only then.
    articles: list[Article] = field(default_factory=list, repr=False)
    article: dict | None = None

    def to_json(self) -> dict:
        data = {key: value for key, value in self.__dict__.items() if key not in ("articles", "article")}
        if self.article is not None:
            data["article"] = self.article
        return data

    def with_article(self, number: int, clause: int | None = None) -> "DocumentView":
        """This view with `article` = {"number", "clause", "text"} of Điều `number` (its khoản
        `clause`); NotFoundError when the document has no such article."""
        from archsearch.ingest.articles import article_text

        text = article_text(self.text, self.articles, number, clause)
        if text is None:
            where = f"khoản {clause} Điều {number}" if clause is not None else f"Điều {number}"
            raise NotFoundError(f"document {self.id} has no {where}")
        self.article = {"number": number, "clause": clause, "text": text}
        return self


class ScopedSearcher:
    """A Whoosh searcher over exactly the partitions in `scope`; use as a context manager."""

    def __init__(self, home: IndexHome, scope: Scope):
        self.scope = scope
        self._readers = []
        self.searcher: Searcher | None = None
        self.mask = None
        self.statistics: visible.VisibleStatistics | None = None
        self._hidden_docs: set[int] | None = None
        self._hidden_sorted: np.ndarray | None = None
        if scope.sees_nothing:
            return
        try:
            for level in scope.levels:
                # The reader of the partition's newest commit this process already has open, if
                # any (open_readers.py): a segment's derived arrays are computed once per process.
                self._readers.append(open_readers.lease(home.partition_dir(level),
                                                        lambda level=level: home.partition(level).reader()))
        except BaseException:  # a partition that cannot be opened: give back those that were
            self.close()
            raise
        # Flatten to segment readers: a MultiReader nested in another fails to search.
        leaves = [leaf for reader in self._readers for leaf, _offset in reader.leaf_readers()]
        if not leaves:
            return
        combined = leaves[0] if len(leaves) == 1 else MultiReader(leaves)
        # The partition readers are closed by close(); the combined one only borrows their segments.
        self.searcher = Searcher(combined, closereader=False, weighting=SegmentLengthsBM25F())
        present = {term.decode() if isinstance(term, bytes) else term for term in combined.lexicon("compartments")}
        hidden = hidden_compartments(scope, present)
        # Never an empty Or: Whoosh reads a falsy mask as "hide nothing", which is what no
        # hidden compartment means anyway, so None is said explicitly.
        self.mask = Or([Term("compartments", name) for name in hidden]) if hidden else None
        # Every ranking statistic counts only what the mask leaves (and live documents).
        self.statistics = visible.install(self.searcher, self._hidden)

    def __enter__(self) -> "ScopedSearcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        for reader in self._readers:
            open_readers.release(reader)
        self._readers = []

    def search(
        self,
        query_text: str,
        limit: int = 10,
        offset: int = 0,
        filters: SearchFilters | None = None,
        sort: str = "relevance",
        facets: bool = False,
    ) -> SearchResult:
        """One page of hits (`offset`, `limit`) for `query_text`, narrowed by `filters` inside the
        search; `sort` is relevance (best first), date, -date (undated last either way) or number.
        With `facets`, counts per year, type, issuer and level over every hit (not just the page),
        over the matches of this same masked, filtered search (facets.py)."""
        check_sort(sort)
        result = SearchResult(query=query_text, user=self.scope.user.name, total=0,
                              facets={name: {} for name in FACETS} if facets else None)
        query = build_query(query_text)
        filter_query = filters.to_query(self.scope.levels) if filters else None
        if self.searcher is None:
            return result
        extra = {}
        if filter_query is not None:
            allowed = self._filter_docs(filter_query)
            if allowed is None:
                return result
            extra["filter"] = allowed
        whole = sort != "relevance"  # a sort needs every match; Whoosh's sorting drops the scores
        ranked = self._ranked(query, None if whole else offset + limit, extra.get("filter"), self._hidden(),
                              keep_matches=facets)
        if whole:
            keys = self._sort_keys(sort)
            missing = (1,)
            ranked.top.sort(key=lambda item: (keys.get(item[1], missing), -item[0], item[1]))
        result.total = ranked.total
        result.hits = self._hits(ranked.top, offset, limit, _snippet_words(query), _cited_article(query_text))
        if facets:
            result.facets = facet_counts(ranked.matches)
        return result

    def _hidden(self) -> set[int]:
        """The docnums the compartment mask hides, counted once per searcher."""
        if self._hidden_docs is None:
            self._hidden_docs = self._docs(self.mask) if self.mask is not None else set()
        return self._hidden_docs

    def _ranked(self, query: Query, limit: int | None, allowed: BitSet | None, hidden: set[int],
                keep_matches: bool = False) -> dense.Ranked:
        """The exact top `limit` matches (every match when None) as (score, docnum), best
        first, ties in index order, and the total; `allowed` and `hidden` (docnums) apply
        inside the search, before anything is counted or ranked. Every posting list of the
        query is scored whole, as arrays (dense.py), so page 2 is always the next slice of the
        same ranking and the total is exact. With `keep_matches`, every match too (the facets)."""
        return dense.rank(self.searcher, query, limit, allowed, hidden, keep_matches)

    def _docs(self, query: Query) -> set[int]:
        return dense.matching(self.searcher, query)

    def _hits(self, top: list[tuple[float, int]], offset: int, limit: int,
              words: tuple[frozenset[str], frozenset[str]], cited: tuple[int, int | None] | None = None) -> list[Hit]:
        """Hits with snippets; with `cited` (Điều, khoản) the snippet of a document holding that
        article is taken from it (its khoản when it has one)."""
        exact, folded = words
        hits = []
        for rank, (score, docnum) in enumerate(top[offset : offset + limit], start=offset + 1):
            fields = self.searcher.stored_fields(docnum)
            text = fields.get("text") or ""
            if cited is not None and fields.get("articles"):
                from archsearch.ingest.articles import article_text

                stored = _stored_articles(fields["articles"])
                text = (cited[1] is not None and article_text(text, stored, cited[0], cited[1])) \
                    or article_text(text, stored, cited[0]) or text
            hits.append(
                Hit(
                    rank=rank,
                    score=round(score, 4),
                    id=fields["id"],
                    path=fields["path"],
                    title=fields.get("title") or "",
                    classification=fields["classification"],
                    doc_number=fields.get("doc_number"),
                    date=fields.get("date"),
                    snippet=snippet(text, exact, folded),
                    issuer=fields.get("issuer") or None,
                    doc_type=fields.get("doc_type"),
                )
            )
        return hits

    def _filter_docs(self, filter_query: Query) -> BitSet | None:
        """The documents a filter allows, or None when it allows none. Whoosh reads an empty
        allow-set as "no filter" when it counts (a total of every document in scope), so a filter
        that matches nothing must end the search here, never reach Whoosh."""
        allowed = BitSet(self.searcher.docs_for_query(filter_query), size=self.searcher.doc_count_all())
        return allowed if allowed else None

    def _sort_keys(self, sort: str) -> dict[int, tuple]:
        """docnum -> sort key from the scoped reader's own terms (no stored fields read); a
        document without a date or number has no key and sorts last."""
        reader = self.searcher.reader()
        keys: dict[int, tuple] = {}
        field_name = "doc_number_key" if sort == "number" else "date"
        if field_name not in reader.indexed_field_names():
            return keys
        for raw in reader.lexicon(field_name):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if sort == "number":
                lead = re.match(r"\d+", text)
                key = (0, int(lead.group(0)) if lead else 1 << 62, text)
            else:
                try:
                    ordinal = dt.date.fromisoformat(text).toordinal()
                except ValueError:
                    continue
                key = (0, ordinal if sort == "date" else -ordinal)
            for docnum in reader.postings(field_name, raw).all_ids():
                keys[docnum] = key
        return keys

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
        extra = {}
        if filter_query is not None:
            allowed = self._filter_docs(filter_query)
            if allowed is None:
                return
            extra["filter"] = allowed
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

    def similar(self, doc_id: str | None = None, text: str | None = None, limit: int = 10) -> SimilarResult:
        """Documents like a seed: the document `doc_id` (never among the hits) or a `text`.

        The seed's key terms are weighed on the exact, folded and syllable-pair views by this
        searcher's own reader, so only the user's partitions give terms, weights and hits; a
        seed the user may not see is reported exactly like a missing one (as `document`)."""
        result = SimilarResult(seed=doc_id, user=self.scope.user.name, total=0)
        if doc_id is not None:
            seed = self.document(doc_id)
            text = f"{seed.title}\n{seed.text}"
        if self.searcher is None or not (text or "").strip():
            return result
        query = self._key_terms_query(_seed_excerpt(text))
        if query is None:
            return result
        hidden = self._hidden()
        if doc_id is not None:  # the seed itself is never a hit
            hidden = hidden | self._docs(Term("id", doc_id))
        ranked = self._ranked(query, limit, None, hidden)
        result.total = ranked.total
        result.hits = self._hits(ranked.top, 0, limit, _snippet_words(query))
        return result

    def _key_terms_query(self, text: str) -> Query | None:
        """The text's key terms as a ranked OR, None when it has none. Terms and weights come
        from the text and the statistics of the visible live documents only (visible.py): a
        word only hidden or deleted documents hold counts as one that exists nowhere."""
        views = (("text", W_EXACT), ("text_folded", SIMILAR_W_FOLDED), ("text_bigrams_folded", W_BIGRAM * SIMILAR_W_FOLDED))
        clauses = []
        for field_name, weight in views:
            for term, score in self.statistics.key_terms(field_name, text, SIMILAR_TERMS,
                                                         max_distinct=SIMILAR_MAX_DISTINCT):
                clauses.append(Term(field_name, term, boost=weight * score))
        return RankedOr(clauses) if clauses else None

    def _visible_docnum(self, doc_id: str) -> int | None:
        """The docnum of the live document `doc_id` the user may see, or None. A hidden id and
        a missing one take the same steps and stop at the same point: one term-dictionary
        lookup per segment (a missing id finds no entry; a hidden one finds its entry and its
        one posting), then the same array operations over what was found (nothing, for a
        missing id). Nothing else is read of a document that is not both live and visible:
        Whoosh's own search, used before, made two more term lookups and opened a posting
        reader for a masked id before the mask refused it (#14)."""
        try:
            text = self.searcher.schema["id"].to_bytes(doc_id)
        except UnicodeEncodeError:  # a lone surrogate: bytes no indexed (UTF-8) id has, same steps
            text = doc_id.encode("utf-8", "surrogatepass")
        hidden = self._hidden_array()
        for reader, offset in self.searcher.reader().leaf_readers():
            found = term_arrays(reader, "id", text)
            docnums = found[0] if found is not None else np.zeros(0, dtype=np.int64)
            visible = docnums[live_docs(reader)[docnums] & ~np.isin(docnums + offset, hidden)]
            if len(visible):
                return int(visible[0]) + offset
        return None

    def _hidden_array(self) -> np.ndarray:
        if self._hidden_sorted is None:
            self._hidden_sorted = sorted_array(self._hidden())
        return self._hidden_sorted

    def document(self, doc_id: str) -> DocumentView:
        """One document the user may see; a hidden one is reported exactly like a missing one."""
        missing = NotFoundError(f"no document with id {doc_id!r}")
        if self.searcher is None:
            raise missing
        docnum = self._visible_docnum(doc_id)
        if docnum is None:
            raise missing
        fields = self.searcher.stored_fields(docnum)
        level = Level.from_id(fields["classification"])
        compartments = stored_compartments(fields.get("compartments"))
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
            articles=_stored_articles(fields.get("articles")),
        )


def _stored_articles(rows: list | None) -> list[Article]:
    """The Điều spans stored with a document (index.document_fields). articles.py is imported
    here, when a document is shown or a citation's hit is cut: a plain search never loads its
    patterns and records (1.7 ms of every search command's start-up, bench/cli.py)."""
    from archsearch.ingest.articles import Article

    return [Article.from_stored(row) for row in rows or []]


def _cited_article(query_text: str) -> tuple[int, int | None] | None:
    """(Điều, khoản) of a reference to a document's article in the query (citations.py)."""
    citation = find_citation(nfc(query_text or ""))
    if citation is None or citation.article is None:
        return None
    return citation.article, citation.clause


def _snippet_words(query: Query) -> tuple[frozenset[str], frozenset[str]]:
    """The body words a snippet marks: exact and folded views of the query's words, never
    those it excludes ("-word", NOT "phrase")."""
    exact, folded = set(), set()
    views = {"text": exact, "text_folded": folded}

    def walk(node: Query) -> None:
        if isinstance(node, AndNot):
            walk(node.a)
        elif isinstance(node, Not):
            return
        elif isinstance(node, PairPhrase):
            views.get(node.word_field, set()).update(node.words)
        elif isinstance(node, Term):
            views.get(node.fieldname, set()).add(node.text)
        elif isinstance(node, Phrase):
            views.get(node.fieldname, set()).update(node.words)
        else:
            for child in node.children():
                walk(child)

    walk(query)
    return frozenset(exact), frozenset(folded)


def _seed_excerpt(text: str) -> str:
    """The part of a seed's text its key terms are picked from: at most SIMILAR_MAX_CHARS
    characters, cut at the last white space before the limit so no word is halved."""
    if len(text) <= SIMILAR_MAX_CHARS:
        return text
    cut = text[:SIMILAR_MAX_CHARS]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space > SIMILAR_MAX_CHARS // 2 else cut
