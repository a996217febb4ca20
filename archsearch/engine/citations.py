"""Citations in a query: "khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP", "Điều 12 Luật Chăn nuôi",
"theo Chỉ thị 17/CT-TCCNQP năm 1993".

Stage: query building (query.build_query calls `citation_clause`; search.py takes a hit's
snippet from the cited article). Input: the NFC query text. Output: the reference found
(`find_citation`) and a Whoosh clause that puts the cited document first, and among documents
sharing its designator (the articles of one law filed one per file) the one holding the cited
Điều (the `article_keys` terms written at indexing, articles.py).

A reference is an article part — `Điều N`, `khoản M Điều N`, `điểm a khoản M Điều N`, or
`Điều N khoản M` — plus a document designator before or after it:
- a số ký hiệu ("305/QĐ-TCCNQP", "32/2018/QH14"): that document's own number;
- a type and a number ("Thông tư số 52", "Chỉ thị 17 năm 1993"): a document of that type whose
  number starts with it (and of that year, when one is given). A full number that matches no
  document also gets this reading ("Chỉ thị 17/CT-TCCNQP năm 1993" finds Chỉ thị 17/CT-BQP of
  1993), weighing less than the exact number;
- a law name ("Luật Chăn nuôi", with or without its year or number): a Luật with those words in
  its title.
A document alone ("theo Chỉ thị 17/CT-TCCNQP năm 1993") is a reference too; "Điều 5" with no
document is not (it names no document, and its words are searched as typed).

Nothing here reads an index: the clause is built from the query alone, and the searcher that
runs it sees only the user's partitions, so a citation of a document the user may not see
finds exactly what a citation of a missing one finds.

>>> c = find_citation("khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP")
>>> (c.article, c.clause, c.point, c.number, c.doc_type)
(5, 2, None, '305/QĐ-TCCNQP', 'quyet dinh')
>>> c = find_citation("luat chan nuoi nam 2018 dieu 54")
>>> (c.article, c.doc_type, c.law_name, c.year)
(54, 'luat', ('chan', 'nuoi'), 2018)
>>> c = find_citation("theo Chỉ thị 17/CT-TCCNQP năm 1993")
>>> (c.article, c.doc_type, c.short_number, c.year)
(None, 'chi thi', '17', 1993)
>>> find_citation("Điều 5 nói gì") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.query import And, NumericRange, Prefix, Query
from whoosh.query import Or as WhooshOr

from archsearch.engine.analysis import doc_number_key
from archsearch.normalise import fold
from archsearch.engine.bm25f import BoostedTerm as Term

# Weights (bench/quality.py, "citation" group). The article on top of the document dwarfs the
# document-number clause (W_NUMBER_OWN 60), so among the 60 articles of one law the cited one
# comes first; the document alone still beats documents that merely cite it.
W_CITED_ARTICLE = 40.0
W_CITED_CLAUSE = 4.0  # the khoản too, when the document's structure has it
# The document by type + number, or a law by its name. 8 left "Điều 7 Thông tư số 52" under a
# công văn quoting those very words (tuning half: 0.80 -> 1); 30 puts the document first.
W_CITED_DOCUMENT = 30.0
W_CITED_LOOSE = 0.5  # share of W_CITED_DOCUMENT for type + number when a full number was typed

# Document types a citation names, folded; the key is the stored doc_type_key (index.py).
DOC_TYPES = ("bo luat", "luat", "phap lenh", "hien phap", "nghi dinh", "nghi quyet", "thong tu lien tich",
             "thong tu", "quyet dinh", "chi thi", "quy che", "quy dinh", "cong van", "thong bao", "ke hoach",
             "huong dan", "bao cao", "to trinh", "bien ban")
_TYPE = "|".join(t.replace(" ", r"\s+") for t in DOC_TYPES)

# On the folded, lower-case query.
_ARTICLE = re.compile(
    r"(?<!\w)(?:diem\s+(?P<point>[a-z])\s+)?(?:khoan\s+(?P<clause>\d{1,2})\s+)?"
    r"dieu\s+(?P<article>\d{1,3})(?:\s+khoan\s+(?P<clause_after>\d{1,2}))?(?!\w)"
)
# A type followed by a short number ("thong tu so 52"), not by a whole số ký hiệu ("52/2015/…").
_TYPE_NUMBER = re.compile(rf"(?<!\w)(?P<type>{_TYPE})\s+(?:so\s+)?(?P<number>\d{{1,5}})(?![\w/\-])")
_TYPE_ONLY = re.compile(rf"(?<!\w)(?P<type>{_TYPE})(?!\w)")
_YEAR = re.compile(r"(?<![\w/\-])(?:nam\s+)?(?P<year>(?:19|20)\d\d)(?![\w/\-])")
# A law's name: the words after "luat" up to a number, a year, or a word of the reference.
_LAW_NAME = re.compile(r"(?<!\w)luat\s+(?P<name>(?:(?!so\b|nam\b|dieu\b|khoan\b|diem\b|cua\b|theo\b)[a-z]+\s*){1,8})")
_NAME_STOP = {"so", "nam", "dieu", "khoan", "diem", "cua", "theo", "ve", "tai", "va"}


@dataclass(frozen=True)
class Citation:
    article: int | None
    clause: int | None
    point: str | None
    number: str | None  # a whole số ký hiệu as typed
    doc_type: str | None  # doc_type_key ("quyet dinh")
    short_number: str | None  # "52" of "Thông tư số 52" (or the lead of a whole number)
    year: int | None
    law_name: tuple[str, ...] | None  # folded title words of a Luật ("chan", "nuoi")


def find_citation(text: str) -> Citation | None:
    """The reference in a query (see the module docstring), or None when it holds none."""
    from archsearch.engine.query import MAX_QUERY_CHARS  # read as build_query reads it
    from archsearch.engine.query_language import QUERY_NUMBER  # the query language's own reading

    text = text[:MAX_QUERY_CHARS]  # as build_query reads it
    folded = " ".join(fold(text).lower().split())
    numbers = [m.group(0) for m in QUERY_NUMBER.finditer(text)]
    article = _ARTICLE.search(folded)
    typed = _TYPE_NUMBER.search(folded)
    type_only = typed
    law = _LAW_NAME.search(folded)
    law_name = None
    if law:
        words = []
        for word in law.group("name").split():
            if word in _NAME_STOP:
                break
            words.append(word)
        law_name = tuple(words) or None
    number = numbers[0] if numbers else None
    # The type that names the document: the one before a short number, else a Luật with a
    # name, else the last type word before the whole number ("theo quy định tại …" is prose).
    if not typed:
        type_only = None
        if law_name:
            type_only = law
        else:
            where = folded.find(fold(number).lower()) if number else len(folded)
            before = [m for m in _TYPE_ONLY.finditer(folded) if m.end() <= where]
            type_only = before[-1] if before else None
    doc_type = (" ".join(type_only.group("type").split()) if type_only is not law else "luat") if type_only else None
    short = typed.group("number") if typed else None
    if number and short is None and doc_type:
        lead = re.match(r"\d+", number.strip())
        short = lead.group(0) if lead else None
    if not (number or (doc_type and (short or law_name))):
        return None  # no document named
    year = None
    for match in _YEAR.finditer(folded):
        if article and article.start() <= match.start() < article.end():
            continue
        year = int(match.group("year"))
    clause = None
    if article:
        clause = article.group("clause") or article.group("clause_after")
    return Citation(
        article=int(article.group("article")) if article else None,
        clause=int(clause) if clause else None,
        point=article.group("point") if article else None,
        number=number,
        doc_type=doc_type,
        short_number=short,
        year=year,
        law_name=law_name if doc_type == "luat" else None,
    )


def citation_clause(citation: Citation) -> Query | None:
    """A ranked clause for the cited document and article (None when there is nothing to add:
    a bare document number is already looked up by query.py)."""
    documents: list[tuple[Query, float]] = []  # (clause, weight)
    if citation.number:
        documents.append((Term("doc_number_key", doc_number_key(citation.number)), 1.0))
    loose = W_CITED_LOOSE if citation.number else 1.0
    if citation.doc_type and citation.short_number:
        parts: list[Query] = [Term("doc_type_key", citation.doc_type),
                              WhooshOr([Prefix("doc_number_key", citation.short_number + "/"),
                                        Prefix("doc_number_key", citation.short_number + "-")])]
        if citation.year:
            parts.append(NumericRange("year", citation.year, citation.year))
        documents.append((And(parts), loose))
    if citation.law_name:
        parts = [Term("doc_type_key", "luat"), *(Term("title_folded", w) for w in citation.law_name)]
        documents.append((And(parts), 1.0))
    if not documents:
        return None
    clauses: list[Query] = []
    for document, weight in documents:
        if citation.article is not None:
            article: list[Query] = [Term("article_keys", f"d{citation.article}", boost=W_CITED_ARTICLE * weight)]
            if citation.clause is not None:
                article.append(Term("article_keys", f"d{citation.article}k{citation.clause}",
                                    boost=W_CITED_CLAUSE * weight))
            clauses.append(And([document, WhooshOr(article) if len(article) > 1 else article[0]]))
        if document is not documents[0][0] or not citation.number:
            # The whole number's own clause is query.py's; a type + number or a law name needs one.
            clauses.append(_boosted(document, W_CITED_DOCUMENT * weight))
    if not clauses:
        return None
    return WhooshOr(clauses) if len(clauses) > 1 else clauses[0]


def _boosted(query: Query, boost: float) -> Query:
    query = query.copy() if hasattr(query, "copy") else query
    query.boost = boost
    return query
