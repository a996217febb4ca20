"""search --facets on sample_docs/: every count equals a brute-force count of the visible matching
documents, for each level of user (with and without compartments, and a user cleared for nothing)."""

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli.main import main
from archsearch.engine.filters import SearchFilters
from archsearch.ingest.pipeline import document_id
from archsearch.levels import ALL_LEVELS, parse_level

from .conftest import ALL_COMPARTMENTS, SAMPLE_DOCS

USERS = ["none"] + [level.id for level in ALL_LEVELS] + [f"{level.id}-all" for level in ALL_LEVELS]
QUERIES = [
    ("kho thuốc phóng", None),
    ("quoc phong", None),  # folded: nearly every document
    ("giống vật nuôi", None),
    ("an toàn", SearchFilters(date_from="2000-01-01", date_to="2020-12-31")),
    ("sản xuất", SearchFilters(doc_type="Báo cáo")),
]


@pytest.fixture(scope="module")
def archive(sample_index, sample_expected):
    """id -> (level, compartments, metadata as shown to the all-seeing user)."""
    settings, _ = sample_index
    docs = {}
    for doc in sample_expected:
        doc_id = document_id(SAMPLE_DOCS.name, doc["path"])
        view = api.show(settings, doc_id, user="top-secret-all")
        docs[doc_id] = (parse_level(doc["level"]), {c.upper() for c in doc["compartments"]}, view)
    return settings, docs


def visible_to(user: str, level, compartments) -> bool:
    if user == "none":
        return False
    clearance = parse_level(user.removesuffix("-all"))
    held = set(ALL_COMPARTMENTS) if user.endswith("-all") else set()
    return level <= clearance and compartments <= held


def brute_force(docs: dict, matching: list[str], user: str) -> tuple[int, dict]:
    counts = {"year": Counter(), "doc_type": Counter(), "issuer": Counter(), "level": Counter()}
    seen = 0
    for doc_id in matching:
        level, compartments, view = docs[doc_id]
        if not visible_to(user, level, compartments):
            continue
        seen += 1
        for name, value in [("year", view.date[:4] if view.date else None), ("doc_type", view.doc_type),
                            ("issuer", view.issuer), ("level", view.classification)]:
            if value:
                counts[name][value] += 1
    return seen, {name: dict(counter) for name, counter in counts.items()}


@pytest.mark.parametrize("query,filters", QUERIES)
def test_facet_counts_equal_a_brute_force_count_for_each_user(archive, query, filters):
    settings, docs = archive
    everything = api.search(settings, query, user="top-secret-all", limit=1000, filters=filters)
    matching = [hit.id for hit in everything.hits]
    assert len(matching) == everything.total and matching
    for user in USERS:
        result = api.search(settings, query, user=user, limit=3, filters=filters, facets=True)
        total, expected = brute_force(docs, matching, user)
        assert result.total == total, (query, user)
        assert set(result.facets) == {"year", "doc_type", "issuer", "level"}
        for name, counts in expected.items():
            assert result.facets[name] == counts, (query, user, name)
        levels_seen = set(result.facets["level"])
        cleared = {level.id for level in ALL_LEVELS if user != "none" and level <= parse_level(user.removesuffix("-all"))}
        assert levels_seen <= cleared, (query, user)


def test_facets_json_keeps_every_search_key_and_adds_facets(archive):
    settings, _ = archive
    runner = CliRunner()
    args = ["--index-dir", str(settings.index_dir), "search", "kho thuốc phóng", "--user", "confidential", "--json"]
    plain = json.loads(runner.invoke(main, args).stdout)
    faceted = json.loads(runner.invoke(main, [*args, "--facets"]).stdout)
    assert list(plain) == ["query", "user", "total", "hits"]
    assert list(faceted) == ["query", "user", "total", "hits", "facets"]
    assert {k: v for k, v in faceted.items() if k != "facets"} == plain
    assert list(faceted["facets"]) == ["year", "doc_type", "issuer", "level"]
    assert set(faceted["facets"]["level"]) <= {"unclassified", "confidential"}
    assert sum(faceted["facets"]["level"].values()) == faceted["total"]
    text = runner.invoke(main, args[:-1] + ["--facets"]).stdout
    assert "Facets" in text and "mức / level" in text and "\x1b[" not in text  # not a terminal: plain


@pytest.mark.parametrize("query", ["giống vật nuôi", "quoc phong", "kho thuốc phóng"])
def test_relevance_pages_are_slices_of_one_ranking(archive, query):
    # Whoosh's default top-N collection gave scores that depended on N: page 2 repeated or
    # skipped hits of page 1 on this archive.
    settings, _ = archive
    for user in ["confidential", "top-secret-all"]:
        whole = [(h.id, h.score) for h in api.search(settings, query, user=user, limit=1000).hits]
        paged = [(h.id, h.score) for offset in range(0, 15, 5)
                 for h in api.search(settings, query, user=user, limit=5, offset=offset).hits]
        assert paged == whole[:15], (query, user)


# --- The array counts (engine/facets.py) against Whoosh's own grouping, which counted the facets
# before: a second, unscored search with the same mask and filter, grouped per field, the
# issuer from the stored fields of every match.

def whoosh_grouped_facets(scoped, query_text: str, filters) -> dict:
    from whoosh import sorting

    from archsearch.engine.facets import FACETS
    from archsearch.engine.query import build_query

    empty = {name: {} for name in FACETS}
    if scoped.searcher is None:
        return empty
    extra = {}
    if filters:
        allowed = scoped._filter_docs(filters.to_query(scoped.scope.levels))
        if allowed is None:
            return empty
        extra["filter"] = allowed
    groups = {name: sorting.FieldFacet(field) for name, field in FACETS.items() if name != "issuer"}
    groups["issuer"] = sorting.StoredFieldFacet("issuer")
    every = scoped.searcher.search(build_query(query_text), limit=None, scored=False, mask=scoped.mask,
                                   groupedby=groups, maptype=sorting.Count, **extra)
    named = {}
    for name in FACETS:
        counts = {str(key): n for key, n in every.groups(name).items() if key not in (None, "")}
        named[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return named


def _same_as_whoosh(home, users, queries, filters_list) -> int:
    """Compare every (user, query, filters); return how many non-empty facet sets were compared."""
    from archsearch.engine.searcher import SORTS, ScopedSearcher
    from archsearch.trust.access import scope_for

    compared = 0
    for user in users:
        with ScopedSearcher(home, scope_for(user)) as scoped:
            for number, query in enumerate(queries):
                sort = SORTS[number % len(SORTS)]  # a sort other than relevance ranks every match
                for filters in filters_list:
                    if filters and not set(filters.levels) <= set(scoped.scope.levels):
                        continue  # --level only narrows: refused above the clearance (test_filters.py)
                    result = scoped.search(query, limit=2, filters=filters, facets=True, sort=sort)
                    expected = whoosh_grouped_facets(scoped, query, filters)
                    where = (user.name, query, filters, sort)
                    # equal as ordered lists: the JSON keeps the order (most frequent first)
                    assert {k: list(v.items()) for k, v in result.facets.items()} == \
                        {k: list(v.items()) for k, v in expected.items()}, where
                    assert sum(result.facets["level"].values()) == result.total, where
                    compared += any(result.facets.values())
    return compared


SAMPLE_QUERIES = ["kho thuốc phóng", "quoc phong", "giống vật nuôi", "an toàn", "sản xuất", '"vũ khí"', "kho*",
                  "quốc phòng -kho", "loai:QĐ", "nam:2015..2020 quốc", "không có từ nào như thế"]
SAMPLE_FILTERS = [None, SearchFilters(date_from="2000-01-01", date_to="2020-12-31"), SearchFilters(doc_type="Báo cáo"),
                  SearchFilters(issuer="BQP"), SearchFilters(collection="sample_docs"),
                  SearchFilters(date_from="1800-01-01", date_to="1800-12-31")]


def test_array_facets_equal_whoosh_grouping_on_the_sample_archive(archive):
    from archsearch.engine.index import IndexHome
    from archsearch.trust.users import UserRegistry

    settings, _docs = archive
    registry = UserRegistry(settings.index_dir)
    users = [registry.get(name) for name in USERS]
    assert _same_as_whoosh(IndexHome.open(settings.index_dir), users, SAMPLE_QUERIES, SAMPLE_FILTERS) > 50


@pytest.fixture(scope="module")
def changing_archive(tmp_path_factory):
    """Several segments per partition, documents re-indexed with another year, type and issuer
    (the old copy stays in its segment, deleted), moved up a level, and a compartment X: the
    facet values of deleted copies and masked documents must count nowhere."""
    import dataclasses
    import datetime as dt

    from archsearch.engine import index
    from archsearch.engine.index import IndexHome
    from archsearch.levels import Level
    from tests.helpers import build_index, make_document

    words = ["kho", "đạn", "bảo", "quản", "vũ", "khí", "quốc", "phòng", "thông", "gió"]
    issuers = ["Bộ Quốc phòng", "Cục Kỹ thuật", "Tổng cục Hậu cần", None, ""]
    types = ["Quyết định", "Báo cáo", "Công văn", None]

    def doc(i: int, level: Level, salt: int = 0):
        body = " ".join(words[(i * k + salt) % len(words)] for k in range(1, 4 + i % 6))
        made = make_document(f"d{i:02}", f"{body} mã{i}", level, compartments=["X"] if i % 7 == 0 else (),
                             date=dt.date(2001 + (i + salt) % 5, 1 + i % 12, 1) if i % 6 else None,
                             doc_type=types[(i + salt) % len(types)])
        return dataclasses.replace(made, issuer=issuers[(i + salt) % len(issuers)])

    docs = {f"d{i:02}": doc(i, ALL_LEVELS[i % 3]) for i in range(60)}
    root = tmp_path_factory.mktemp("facets") / "home"
    saved, index.SMALL_SEGMENT_DOCS = index.SMALL_SEGMENT_DOCS, 0  # keep every segment
    try:
        build_index(root, list(docs.values())[:30])
        build_index(root, list(docs.values())[30:])
        for key in ("d03", "d11", "d40"):  # re-indexed in place with other values
            docs[key] = doc(int(key[1:]), docs[key].classification, salt=3)
        build_index(root, [docs[key] for key in ("d03", "d11", "d40")])
        for key in ("d04", "d35"):  # moved up: deleted below, added at Tuyệt mật
            moved = doc(int(key[1:]), Level.TOP_SECRET, salt=1)
            with IndexHome.open(root).writer() as writer:
                writer.delete(key, docs[key].classification)
                writer.add(moved)
            docs[key] = moved
    finally:
        index.SMALL_SEGMENT_DOCS = saved
    return IndexHome.open(root), docs


def test_array_facets_equal_whoosh_grouping_with_deletions_and_a_compartment(changing_archive):
    from archsearch.engine.searcher import ScopedSearcher
    from archsearch.levels import Level
    from archsearch.trust.access import scope_for
    from archsearch.trust.users import User

    home, docs = changing_archive
    with ScopedSearcher(home, scope_for(User("all", Level.TOP_SECRET, frozenset({"X"})))) as scoped:
        readers = [leaf for leaf, _ in scoped.searcher.reader().leaf_readers()]
        assert len(readers) > 4 and any(reader.has_deletions() for reader in readers)
    users = [User("none", None)] + [User(f"{level.id}{'-x' if x else ''}", level, frozenset({"X"} if x else ()))
                                    for level in ALL_LEVELS for x in (False, True)]
    queries = ["kho", "kho đạn", '"vũ khí"', "quốc phòng -gió", "mã4", "mã3", "th*", "không có"]
    filters = [None, SearchFilters(doc_type="Báo cáo"), SearchFilters(date_from="2002-01-01", date_to="2003-12-31"),
               SearchFilters(issuer="Cục Kỹ thuật"), SearchFilters(levels=(Level.CONFIDENTIAL, Level.SECRET))]
    assert _same_as_whoosh(home, users, queries, filters) > 100
    # and the values of a re-indexed document's deleted copy count nowhere: "mã3" is one document
    with ScopedSearcher(home, scope_for(User("u", Level.TOP_SECRET))) as scoped:
        facets = scoped.search("mã3", facets=True).facets
    now = docs["d03"]
    assert facets["year"] == ({str(now.date.year): 1} if now.date else {})
    assert facets["doc_type"] == ({now.doc_type: 1} if now.doc_type else {})
    assert facets["issuer"] == ({now.issuer: 1} if now.issuer else {})


def test_facets_read_whole_segments_whatever_matched(changing_archive, monkeypatch):
    """The issuer's codes are read for every document of a segment the first time a search has
    a match there, then kept for the segment: what a search reads depends on which segments
    hold a match, never on which documents matched. Codes filled per match would let a user
    time whether earlier searches (other users') matched the same documents."""
    from whoosh.reading import SegmentReader

    from archsearch.engine import facets
    from archsearch.engine.query import build_query
    from archsearch.engine.searcher import ScopedSearcher
    from archsearch.levels import Level
    from archsearch.trust.access import scope_for
    from archsearch.trust.users import User

    home, _docs = changing_archive
    reads = []
    original = SegmentReader.stored_fields
    monkeypatch.setattr(SegmentReader, "stored_fields",
                        lambda self, docnum: reads.append((id(self), docnum)) or original(self, docnum))
    scope = scope_for(User("u", Level.TOP_SECRET, frozenset({"X"})))
    for query in ["mã3", "mã40", "kho", "bảo quản"]:
        facets.CACHE.clear()  # as in a process that has not counted facets yet
        with ScopedSearcher(home, scope) as scoped:
            matched = scoped._ranked(build_query(query), None, None, scoped._hidden(), keep_matches=True).matches
            every = {(id(reader), docnum) for reader, _docnums in matched for docnum in range(reader.doc_count_all())}
            reads.clear()
            first = scoped.search(query, limit=3, facets=True)
            assert first.total and set(reads) == every, query
        with ScopedSearcher(home, scope) as scoped:  # a later search, of this or another reader
            reads.clear()
            again = scoped.search(query, limit=3, facets=True)
            assert again.facets == first.facets and len(reads) == len(again.hits), query  # the page's own


def test_facet_codes_outlive_a_commit_for_the_segments_it_left(tmp_path, monkeypatch):
    """A commit opens the partitions afresh (open_readers.py); the segments it did not touch
    keep their codes (keyed by segment, not reader), so only the new segment is read."""
    from whoosh.reading import SegmentReader

    from archsearch.engine import facets, index
    from archsearch.engine.index import IndexHome
    from archsearch.engine.searcher import ScopedSearcher
    from archsearch.levels import Level
    from archsearch.trust.access import scope_for
    from archsearch.trust.users import User
    from tests.helpers import build_index, make_document

    root = tmp_path / "home"
    saved, index.SMALL_SEGMENT_DOCS = index.SMALL_SEGMENT_DOCS, 0  # keep every segment
    try:
        for batch in range(3):
            build_index(root, [make_document(f"d{batch}{i}", f"kho số {i}", ALL_LEVELS[i % 2]) for i in range(6)])
        scope = scope_for(User("u", Level.CONFIDENTIAL))
        facets.CACHE.clear()
        with ScopedSearcher(IndexHome.open(root), scope) as scoped:
            before = scoped.search("kho", facets=True)
            assert len(scoped.searcher.reader().leaf_readers()) == 6
        reads = []
        original = SegmentReader.stored_fields
        monkeypatch.setattr(SegmentReader, "stored_fields",
                            lambda self, docnum: reads.append(self.segment().segment_id()) or original(self, docnum))
        build_index(root, [make_document("new1", "kho mới", Level.UNCLASSIFIED)])
    finally:
        index.SMALL_SEGMENT_DOCS = saved
    with ScopedSearcher(IndexHome.open(root), scope) as scoped:
        new = [leaf.segment().segment_id() for leaf, _ in scoped.searcher.reader().leaf_readers()
               if leaf.doc_count_all() == 1]
        reads.clear()
        after = scoped.search("kho mới", limit=1, facets=True)
    assert after.total == before.total + 1 == 19 and after.hits[0].id == "new1"
    assert after.facets["level"] == {"confidential": 9, "unclassified": 10}
    assert len(new) == 1 and set(reads) == set(new)  # the new segment's issuers, and the hit's own fields


def test_the_server_reads_every_segments_facet_values_before_its_workers_fork(changing_archive, tmp_path,
                                                                             monkeypatch):
    """`archsearch serve` warms the facet codes in its master (api.warm_search_caches): a worker
    forked after it counts facets without reading a single stored issuer."""
    from whoosh.reading import SegmentReader

    from archsearch.config import Settings
    from archsearch.engine import facets
    from archsearch.engine.searcher import ScopedSearcher
    from archsearch.levels import Level
    from archsearch.trust.access import scope_for
    from archsearch.trust.users import User
    from tests.helpers import in_forked_child

    home, _docs = changing_archive
    facets.CACHE.clear()
    covered = api.warm_search_caches(Settings.from_env(home.root))
    assert covered >= sum(len(docs) for docs in home.ids_by_level().values())  # deleted copies too
    reads = []
    original = SegmentReader.stored_fields
    monkeypatch.setattr(SegmentReader, "stored_fields",
                        lambda self, docnum: reads.append(docnum) or original(self, docnum))
    def worker_reads_only_its_page():  # a forked worker's first faceted search
        with ScopedSearcher(home, scope_for(User("u", Level.TOP_SECRET, frozenset({"X"})))) as scoped:
            result = scoped.search("kho", limit=3, facets=True)
        return result.facets["issuer"] is not None and len(reads) == len(result.hits)

    assert in_forked_child(worker_reads_only_its_page)
