"""Filters, sorting and paging of search (filters.py, ScopedSearcher.search), on synthetic documents."""

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import UsageError
from archsearch.engine.filters import SearchFilters
from archsearch.levels import Level

from .helpers import build_index, make_document

BODY = "kho đạn dược và bảo quản vũ khí"
SPECS = [
    # id, level, compartments, collection, date, type, issuer, number
    ("u1", Level.UNCLASSIFIED, (), "cong-van", dt.date(2014, 3, 1), "Công văn", "Bộ Quốc phòng", "12/BQP-KT"),
    ("u2", Level.UNCLASSIFIED, (), "quyet-dinh", dt.date(2016, 5, 2), "Quyết định", "Nhà máy Z117", "112/QĐ-Z117"),
    ("u3", Level.UNCLASSIFIED, (), "quyet-dinh", None, "Quyết định", "Nhà máy Z117", None),
    ("c1", Level.CONFIDENTIAL, (), "quyet-dinh", dt.date(2018, 7, 9), "Quyết định", "Bộ Quốc phòng", "9/QĐ-BQP"),
    ("s1", Level.SECRET, (), "cong-van", dt.date(2020, 1, 15), "Công văn", "Tổng cục Công nghiệp quốc phòng", "45/TCCNQP-KT"),
    ("t1", Level.TOP_SECRET, (), "quyet-dinh", dt.date(2021, 11, 30), "Quyết định", "Bộ Quốc phòng", "821/QĐ-BQP"),
    ("k1", Level.CONFIDENTIAL, ("CNQP-A",), "cong-van", dt.date(2019, 2, 2), "Công văn", "Bộ Quốc phòng", "7/BQP-VP"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    docs = []
    for doc_id, level, compartments, collection, date, doc_type, issuer, number in SPECS:
        doc = make_document(doc_id, f"{BODY} mã {doc_id}", level, compartments=compartments, collection=collection,
                            date=date, doc_type=doc_type, doc_number=number)
        docs.append(dataclasses.replace(doc, issuer=issuer))
    settings = Settings.from_env(tmp_path_factory.mktemp("filters") / "home")
    build_index(settings.index_dir, docs)
    for level in Level:
        api.add_user(settings, level.id, level.id)
    api.add_user(settings, "all", "top-secret", ["CNQP-A"])
    api.add_user(settings, "nobody", "none")
    return settings


def ids(settings, user="all", **kwargs):
    return [hit.id for hit in api.search(settings, "kho đạn", user=user, limit=50, **kwargs).hits]


def test_each_filter_narrows_inside_the_search(archive):
    f = SearchFilters
    assert sorted(ids(archive, filters=f(collection="quyet-dinh"))) == ["c1", "t1", "u2", "u3"]
    assert sorted(ids(archive, filters=f(date_from="2016-01-01", date_to="2019-12-31"))) == ["c1", "k1", "u2"]
    assert sorted(ids(archive, filters=f(date_from="2020-01-15"))) == ["s1", "t1"]
    assert sorted(ids(archive, filters=f(doc_type="công văn"))) == ["k1", "s1", "u1"]
    assert sorted(ids(archive, filters=f(doc_type="QĐ"))) == ["c1", "t1", "u2", "u3"]  # the abbreviation
    assert sorted(ids(archive, filters=f(issuer="BQP"))) == ["c1", "k1", "t1", "u1"]
    assert sorted(ids(archive, filters=f(issuer="nha may z117"))) == ["u2", "u3"]
    assert sorted(ids(archive, filters=f(levels=("mật", Level.SECRET)))) == ["c1", "k1", "s1"]
    assert sorted(ids(archive, filters=f(collection="cong-van", levels=("confidential",)))) == ["k1"]
    # The same selection as the query language's fields.
    assert sorted(ids(archive, filters=f(doc_type="QĐ", issuer="BQP"))) == sorted(
        hit.id for hit in api.search(archive, "kho đạn loai:QĐ coquan:BQP", user="all", limit=50).hits)


def test_filters_never_widen_the_scope(archive):
    assert sorted(ids(archive, user="confidential", filters=SearchFilters(collection="quyet-dinh"))) == ["c1", "u2", "u3"]
    with pytest.raises(UsageError, match="outside your clearance"):
        ids(archive, user="confidential", filters=SearchFilters(levels=("top-secret",)))
    assert ids(archive, user="nobody", filters=SearchFilters(collection="quyet-dinh")) == []


def test_a_filter_matching_nothing_gives_nothing_not_everything(archive):
    # Whoosh reads an empty allow-set as "no filter" when it counts: the total must stay 0.
    for filters in [SearchFilters(doc_type="Nghị quyết"), SearchFilters(date_from="2030-01-01"),
                    SearchFilters(collection="khong-co")]:
        result = api.search(archive, "kho đạn", user="all", limit=2, filters=filters, facets=True)
        assert (result.total, result.hits) == (0, [])
        assert all(counts == {} for counts in result.facets.values())


def test_sorting_by_date_and_number_puts_undated_last(archive):
    assert ids(archive, sort="date") == ["u1", "u2", "c1", "k1", "s1", "t1", "u3"]
    assert ids(archive, sort="-date") == ["t1", "s1", "k1", "c1", "u2", "u1", "u3"]
    assert ids(archive, sort="number") == ["k1", "c1", "u1", "s1", "u2", "t1", "u3"]  # 7, 9, 12, 45, 112, 821
    assert ids(archive, user="secret", sort="-date") == ["s1", "c1", "u2", "u1", "u3"]
    with pytest.raises(UsageError, match="unknown sort"):
        ids(archive, sort="title")


def test_pages_follow_the_order_and_the_total_counts_every_match(archive):
    whole = ids(archive, sort="-date")
    pages = [api.search(archive, "kho đạn", user="all", limit=3, offset=offset, sort="-date") for offset in (0, 3, 6)]
    assert [hit.id for page in pages for hit in page.hits] == whole
    assert {page.total for page in pages} == {7}
    assert [hit.rank for hit in pages[1].hits] == [4, 5, 6]
    relevance = [api.search(archive, "kho đạn", user="all", limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert sorted(hit.id for page in relevance for hit in page.hits) == sorted(whole)


def test_cli_filters_sort_and_page(archive):
    base = ["--index-dir", str(archive.index_dir), "search", "kho đạn", "--user", "all", "--json"]
    runner = CliRunner()
    result = runner.invoke(main, [*base, "--type", "QĐ", "--issuer", "BQP", "--from", "2015-01-01", "--to", "2021-12-31",
                                  "--sort", "-date", "--limit", "1", "--page", "2"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["query", "user", "total", "hits"]  # no new key unless --facets
    assert data["total"] == 2 and [h["id"] for h in data["hits"]] == ["c1"] and data["hits"][0]["rank"] == 2
    result = runner.invoke(main, [*base, "--level", "tối mật", "--collection", "cong-van"])
    assert [h["id"] for h in json.loads(result.stdout)["hits"]] == ["s1"]
    wide = runner.invoke(main, [*base[:-3], "--user", "confidential", "--level", "secret"])
    assert wide.exit_code == 2 and "outside your clearance" in wide.stderr and wide.stdout == ""
    bad = runner.invoke(main, [*base, "--from", "15/01/2020"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


def test_search_audit_records_filters_sort_and_facets(archive):
    api.search(archive, "kho đạn", user="secret", filters=SearchFilters(doc_type="QĐ"), sort="date", facets=True)
    record = api.audit_records(archive, user="secret")[-1]
    assert record["command"] == "search" and record["sort"] == "date" and record["facets"] is True
    assert record["filters"]["type"] == "QĐ" and record["ids"] == ["u2", "c1", "u3"]


def test_explain_shows_structure_and_scope_and_reads_nothing_from_the_index(archive, tmp_path):
    args = ["search", "kho đạn loai:QĐ", "--user", "confidential", "--from", "2015-01-01", "--level", "mat", "--explain"]
    result = CliRunner().invoke(main, ["--index-dir", str(archive.index_dir), *args])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "text:kho" in out and "text_bigrams:kho_đạn" in out and "doc_type_key:quyet dinh" in out
    assert "levels searched: unclassified, confidential" in out and "compartments held: none" in out
    assert "range date:2015-01-01.." in out and "classification:confidential" in out
    # Nothing computed from the index: an empty index home with the same user explains the same.
    other = Settings.from_env(tmp_path / "empty")
    build_index(other.index_dir, [])
    api.add_user(other, "confidential", "confidential")
    again = CliRunner().invoke(main, ["--index-dir", str(other.index_dir), *args])
    assert again.stdout == out
    assert not [r for r in api.audit_records(archive, user="confidential") if r.get("query") == "kho đạn loai:QĐ"]


def test_export_takes_the_same_filters(archive, tmp_path):
    out = api.export(archive, "kho đạn", user="all", out=tmp_path / "x.jsonl", doc_type="QĐ", issuer="BQP")
    rows = [json.loads(line) for line in out.path.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(ids(archive, filters=SearchFilters(doc_type="QĐ", issuer="BQP")))
    assert api.audit_records(archive, user="all")[-1]["filters"]["issuer"] == "BQP"
