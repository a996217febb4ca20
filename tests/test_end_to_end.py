"""Index sample_docs/ once and check what a user of the archive would check."""

import pytest

from archsearch import api
from archsearch.errors import NotFoundError
from archsearch.levels import ALL_LEVELS, Level, parse_level

from archsearch.ingest.pipeline import document_id

from .conftest import ALL_COMPARTMENTS, SAMPLE_DOCS


def test_every_sample_document_is_indexed_without_failure(sample_index, sample_expected):
    settings, summary = sample_index
    assert summary.failures == []
    assert summary.indexed == len(sample_expected)
    status = api.status(settings)
    assert status["documents"] == len(sample_expected)
    assert all(status["per_level"][level.id] > 0 for level in ALL_LEVELS)


def _found(settings, doc, user):
    return api.search(settings, doc["phrase"], user=user, limit=1000)


@pytest.fixture(scope="module")
def ids(sample_expected):
    """relpath -> document id (ids are derived from the collection and the relative path)."""
    return {doc["path"]: document_id(SAMPLE_DOCS.name, doc["path"]) for doc in sample_expected}


def test_levels_compartments_and_metadata_match_the_archive(sample_index, sample_expected, ids):
    settings, _ = sample_index
    for doc in sample_expected:
        view = api.show(settings, ids[doc["path"]], user="top-secret-all")
        assert view.classification == doc["level"], doc["path"]
        assert view.compartments == sorted(c.upper() for c in doc["compartments"]), doc["path"]
        if doc.get("doc_number"):
            assert view.doc_number == doc["doc_number"], doc["path"]
        if doc.get("date"):
            assert view.date == doc["date"], doc["path"]


def test_cleared_user_finds_each_document_by_its_phrase_in_top_three(sample_index, sample_expected, ids):
    settings, _ = sample_index
    for doc in sample_expected:
        level = parse_level(doc["level"])
        user = f"{level.id}-all" if doc["compartments"] else level.id
        top = [hit.id for hit in _found(settings, doc, user).hits[:3]]
        assert ids[doc["path"]] in top, f"{doc['path']} not in the top 3 for {doc['phrase']!r} as {user}"


def test_users_below_a_documents_level_get_no_hit_count_snippet_or_show(sample_index, sample_expected, ids):
    settings, _ = sample_index
    for doc in sample_expected:
        level = parse_level(doc["level"])
        doc_id = ids[doc["path"]]
        lower_users = [u.id for u in ALL_LEVELS if u < level] + ["none"]
        if doc["compartments"]:  # cleared by level but missing the compartment
            lower_users += [u.id for u in ALL_LEVELS if u >= level]
        for user in lower_users:
            result = _found(settings, doc, user)
            assert doc_id not in [hit.id for hit in result.hits], (doc["path"], user)
            assert result.total == len(result.hits), (doc["path"], user)
            phrase = doc["phrase"].lower()
            assert not any(phrase in hit.snippet.replace("«", "").replace("»", "").lower() for hit in result.hits)
            with pytest.raises(NotFoundError):
                api.show(settings, doc_id, user=user)


def test_scanned_pages_are_really_ocred(sample_index, sample_expected, ids):
    settings, _ = sample_index
    scanned = [d for d in sample_expected if d["format"] in ("scanned-pdf", "mixed-pdf", "png", "tiff")]
    assert len(scanned) >= 4
    for doc in scanned:
        view = api.show(settings, ids[doc["path"]], user="top-secret-all")
        assert view.ocr_pages >= 1, doc["path"]


def test_query_without_diacritics_finds_the_same_document(sample_index, sample_expected, ids):
    from archsearch.normalise import fold

    settings, _ = sample_index
    for doc in sample_expected[:20]:
        result = api.search(settings, fold(doc["phrase"]), user="top-secret-all", limit=5)
        assert ids[doc["path"]] in [h.id for h in result.hits], doc["phrase"]


def test_document_numbers_are_searchable_as_typed(sample_index, sample_expected, ids):
    settings, _ = sample_index
    numbers = [d["doc_number"] for d in sample_expected if d.get("doc_number")]
    unique = [d for d in sample_expected if d.get("doc_number") and numbers.count(d["doc_number"]) == 1]
    assert len(unique) >= 10
    for doc in unique:
        for typed in (doc["doc_number"], doc["doc_number"].lower(), "số " + doc["doc_number"]):
            hits = api.search(settings, typed, user="top-secret-all", limit=3).hits
            assert hits and hits[0].id == ids[doc["path"]], typed


def test_reindexing_unchanged_archive_does_no_work(sample_index, sample_expected):
    settings, _ = sample_index
    from .conftest import SAMPLE_DOCS

    again = api.index(settings, [SAMPLE_DOCS])
    assert (again.indexed, again.unchanged, again.failed) == (0, len(sample_expected), 0)


def test_html_script_and_style_text_is_not_indexed(sample_index, sample_expected, ids):
    settings, _ = sample_index
    with_absent = [d for d in sample_expected if d.get("absent")]
    assert with_absent
    for doc in with_absent:
        for phrase in doc["absent"]:
            hits = api.search(settings, f'"{phrase}"', user="top-secret-all", limit=100).hits
            assert ids[doc["path"]] not in [h.id for h in hits], phrase
