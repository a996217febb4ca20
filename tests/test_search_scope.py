"""The clearance rule on every read path of the search module, with synthetic documents."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from archsearch.trust.access import scope_for
from archsearch.errors import NotFoundError
from archsearch.levels import ALL_LEVELS, Level
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import User

from .helpers import assert_no_leak, build_index, make_document

BODY = "Quyết định về công nghiệp quốc phòng và bảo quản vũ khí trang bị kỹ thuật"


def canary(level: Level, i: int = 0) -> str:
    return f"canary{level.value}x{i}"


@pytest.fixture
def four_levels(tmp_path):
    docs = [make_document(f"doc{level.value}", f"{BODY} {canary(level)}", level) for level in ALL_LEVELS]
    docs.append(make_document("docK", f"{BODY} canarykx", Level.CONFIDENTIAL, compartments=["CNQP-A"]))
    return build_index(tmp_path / "idx", docs), docs


@pytest.mark.parametrize("clearance", ALL_LEVELS)
def test_each_clearance_sees_exactly_its_levels(four_levels, clearance):
    home, docs = four_levels
    user = User("u", clearance)
    with ScopedSearcher(home, scope_for(user)) as searcher:
        result = searcher.search("công nghiệp quốc phòng", limit=50)
        visible = [d for d in docs if d.classification <= clearance and not d.compartments]
        hidden = [d for d in docs if d not in visible]
        assert sorted(h.id for h in result.hits) == sorted(d.id for d in visible)
        assert result.total == len(visible)
        output = repr([h.to_json() for h in result.hits])
        assert_no_leak(output, hidden, canary_of=lambda d: d.text.split()[-1])
        for doc in hidden:
            assert searcher.search(doc.text.split()[-1]).total == 0
            with pytest.raises(NotFoundError) as hidden_error:
                searcher.document(doc.id)
            with pytest.raises(NotFoundError) as missing_error:
                searcher.document("nosuchdoc")
            assert str(hidden_error.value).replace(doc.id, "X") == str(missing_error.value).replace("nosuchdoc", "X")


def test_compartment_holder_sees_compartmented_document(four_levels):
    home, _ = four_levels
    holder = User("k", Level.CONFIDENTIAL, frozenset({"CNQP-A"}))
    with ScopedSearcher(home, scope_for(holder)) as searcher:
        assert [h.id for h in searcher.search("canarykx").hits] == ["docK"]
        assert searcher.document("docK").compartments == ["CNQP-A"]


def test_user_cleared_for_nothing_sees_nothing(four_levels):
    home, docs = four_levels
    with ScopedSearcher(home, scope_for(User("n", None))) as searcher:
        result = searcher.search("công nghiệp")
        assert result.total == 0 and result.hits == []
        with pytest.raises(NotFoundError):
            searcher.document(docs[0].id)


def test_snippet_highlights_query_words_with_and_without_diacritics(four_levels):
    home, _ = four_levels
    with ScopedSearcher(home, scope_for(User("t", Level.TOP_SECRET))) as searcher:
        assert "«quốc phòng»" in searcher.search("quốc phòng").hits[0].snippet  # one run
        assert "«quốc phòng»" in searcher.search("quoc phong").hits[0].snippet


def test_document_number_as_typed_puts_that_document_first(tmp_path):
    docs = [
        make_document("a", "Quyết định về bảo quản kho đạn", Level.UNCLASSIFIED, doc_number="821/QĐ-BQP"),
        make_document("b", "Quyết định 821 về bảo quản kho đạn bqp", Level.UNCLASSIFIED, doc_number="822/QĐ-BQP"),
    ]
    home = build_index(tmp_path / "idx", docs)
    with ScopedSearcher(home, scope_for(User("t", Level.UNCLASSIFIED))) as searcher:
        for typed in ["821/QĐ-BQP", "821/qd-bqp", "821 / QD - BQP", "số 821/QĐ-BQP"]:
            assert searcher.search(typed).hits[0].id == "a", typed


# -- property: random archives, random users --------------------------------------------------
document_spec = st.tuples(st.sampled_from(ALL_LEVELS), st.sets(st.sampled_from(["A", "B"]), max_size=2))
user_spec = st.tuples(st.sampled_from([None, *ALL_LEVELS]), st.sets(st.sampled_from(["A", "B"]), max_size=2))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(document_spec, min_size=1, max_size=8), user=user_spec)
def test_property_no_output_reveals_a_hidden_document(tmp_path_factory, specs, user):
    docs = [
        make_document(f"d{i}", f"{BODY} canary{i}q", level, compartments=sorted(comps))
        for i, (level, comps) in enumerate(specs)
    ]
    home = build_index(tmp_path_factory.mktemp("idx"), docs)
    clearance, held = user
    acting = User("p", clearance, frozenset(held))
    scope = scope_for(acting)
    visible = [d for d in docs if clearance is not None and d.classification <= clearance and set(d.compartments) <= held]
    hidden = [d for d in docs if d not in visible]
    with ScopedSearcher(home, scope) as searcher:
        result = searcher.search("công nghiệp quốc phòng canary0q canary1q", limit=100)
        assert result.total == len(visible) == len(result.hits)
        assert_no_leak(repr([h.to_json() for h in result.hits]), hidden, canary_of=lambda d: d.text.split()[-1])
        for doc in hidden:
            with pytest.raises(NotFoundError):
                searcher.document(doc.id)
        full_scores = {h.id: h.score for h in result.hits}
    # Scores do not depend on documents the user may not see (levels above the clearance).
    same_level_only = [d for d in docs if clearance is not None and d.classification <= clearance]
    if same_level_only:
        home2 = build_index(tmp_path_factory.mktemp("idx"), same_level_only)
        with ScopedSearcher(home2, scope) as searcher:
            alone = {h.id: h.score for h in searcher.search("công nghiệp quốc phòng canary0q canary1q", limit=100).hits}
        assert alone == full_scores


def test_matches_pages_through_every_visible_document(tmp_path):
    docs = [make_document(f"m{i}", f"{BODY} số {i}", Level(i % 4)) for i in range(23)]
    home = build_index(tmp_path / "idx", docs)
    with ScopedSearcher(home, scope_for(User("s", Level.CONFIDENTIAL))) as searcher:
        everything = list(searcher.matches(None, batch=5))
        assert sorted(f["id"] for _, f in everything) == sorted(d.id for d in docs if d.classification <= Level.CONFIDENTIAL)
        assert all(score is None for score, _ in everything)
        scored = list(searcher.matches("công nghiệp", batch=4))
        assert len(scored) == len(everything) and all(score > 0 for score, _ in scored)
