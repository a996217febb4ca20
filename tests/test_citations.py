"""Citations in queries (citations.py): the cited document and article first, the snippet from
that article, and a hidden cited document indistinguishable from a missing one."""

from __future__ import annotations

import doctest

import pytest

from archsearch.engine import citations
from archsearch.trust.access import scope_for
from archsearch.engine.citations import find_citation
from archsearch.levels import Level
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import User

from .helpers import build_index, make_document


def law_article(number: int, body: str) -> str:
    return f"QUỐC HỘI\nLuật số: 32/2018/QH14\n\nLUẬT CHĂN NUÔI\n\nĐiều {number}. Tên điều\n\n{body}\n"


LAW = {
    12: "1. Chăn nuôi trong khu vực không được phép.\n\n2. Sử dụng chất cấm trong chăn nuôi.",
    # Cites Điều 55 in its text, many times: loose words would put it above Điều 55 itself.
    22: "1. Con giống.\n\n2. Điều kiện sau đây:\na) Các điều kiện quy định tại Điều 55 của Luật này; Điều 55 Điều 55.",
    55: "1. Chăn nuôi trang trại phải đáp ứng điều kiện.\n\n2. Tổ chức, cá nhân chăn nuôi trang trại quy mô lớn phải được cấp Giấy chứng nhận.",
}
RULES = """TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG
Số: 305/QĐ-TCCNQP
Hà Nội, ngày 12 tháng 5 năm 2016

QUYẾT ĐỊNH
Ban hành Quy định chế độ trực ban

Điều 1. Ban hành kèm theo Quyết định này Quy định chế độ trực ban.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

QUY ĐỊNH
Điều 1. Đối tượng áp dụng
Cán bộ trực.
Điều 5. Giao nhận ca trực
1. Việc giao nhận thực hiện tại phòng trực ban.
2. Cán bộ trực không được rời vị trí khi chưa bàn giao ca trực.
"""
CITING = "Số: 418/TCCNQP-KT\nThực hiện khoản 2 Điều 5 Quy định ban hành kèm theo Quyết định số 305/QĐ-TCCNQP về giao nhận ca trực."


def _documents(rules_level: Level):
    docs = [make_document(f"luat{n}", law_article(n, body), Level.UNCLASSIFIED, title="Luật Chăn nuôi",
                          doc_number="32/2018/QH14", doc_type="Luật") for n, body in LAW.items()]
    docs.append(make_document("qd305", RULES, rules_level, title="Quyết định ban hành Quy định chế độ trực ban",
                              doc_number="305/QĐ-TCCNQP", doc_type="Quyết định"))
    cv = make_document("cv418", CITING, Level.UNCLASSIFIED, doc_number="418/TCCNQP-KT", doc_type="Công văn")
    cv.doc_numbers = ["418/TCCNQP-KT", "305/QĐ-TCCNQP"]
    docs.append(cv)
    return docs


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    """Two indexes, the same but for Quyết định 305: TỐI MẬT in one, absent from the other."""
    root = tmp_path_factory.mktemp("citations")
    docs = _documents(Level.SECRET)
    with_hidden = build_index(root / "hidden", docs)
    without = build_index(root / "missing", [d for d in docs if d.id != "qd305"])
    return with_hidden, without


def search(home, query, level=Level.TOP_SECRET):
    with ScopedSearcher(home, scope_for(User("u", level))) as searcher:
        return searcher.search(query, limit=10)


def test_doctests():
    assert doctest.testmod(citations).failed == 0


@pytest.mark.parametrize("query", ["Điều 55 Luật Chăn nuôi", "khoản 2 Điều 55 Luật số 32/2018/QH14",
                                   "dieu 55 luat chan nuoi", "luat chan nuoi nam 2018 dieu 55",
                                   "điểm a khoản 1 Điều 55 Luật 32/2018/QH14"])
def test_the_cited_article_of_a_law_ranks_first(homes, query):
    result = search(homes[0], query)
    assert result.hits[0].id == "luat55"


def test_snippet_comes_from_the_cited_article_and_clause(homes):
    hit = search(homes[0], "khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP").hits[0]
    assert hit.id == "qd305"
    assert "rời vị trí" in hit.snippet and "Ban hành kèm theo" not in hit.snippet
    hit = search(homes[0], "Điều 2 Quyết định 305/QĐ-TCCNQP").hits[0]
    assert hit.id == "qd305" and "hiệu lực" in hit.snippet  # the decision's Điều 2, the first one


def test_type_and_number_without_the_full_number():
    citation = find_citation("Điều 7 Thông tư số 52")
    assert (citation.article, citation.doc_type, citation.short_number) == (7, "thong tu", "52")
    assert find_citation("theo quy định tại Điều 59 Luật Chăn nuôi").doc_type == "luat"
    assert find_citation("Điều 5 quy định gì") is None  # no document named: plain words


def test_a_hidden_cited_document_behaves_as_if_it_did_not_exist(homes):
    with_hidden, without = homes
    for query in ("khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP", "Điều 5 Quyết định số 305",
                  "dieu 1 quyet dinh 305/QD-TCCNQP"):
        hidden = search(with_hidden, query, Level.CONFIDENTIAL)
        missing = search(without, query, Level.CONFIDENTIAL)
        assert [(h.id, h.score, h.snippet) for h in hidden.hits] == [(h.id, h.score, h.snippet) for h in missing.hits]
        assert hidden.total == missing.total
        assert "qd305" not in [h.id for h in hidden.hits]
    # The user cleared for it finds it first.
    assert search(with_hidden, "khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP").hits[0].id == "qd305"


def test_a_reference_past_the_query_cap_is_not_read():
    # build_query reads the first MAX_QUERY_CHARS characters; the citation reader reads the same,
    # so a snippet never points at an article the ranking did not look for.
    from archsearch.engine.query import MAX_QUERY_CHARS

    padding = "kho " * (MAX_QUERY_CHARS // 4)
    assert find_citation(padding + "Điều 5 Quyết định 305/QĐ-TCCNQP") is None
    assert find_citation("Điều 5 Quyết định 305/QĐ-TCCNQP " + padding).article == 5


def test_type_and_short_number_put_the_document_above_one_quoting_the_reference(homes):
    # cv418 holds the reference's very words ("Điều 5 … Quyết định số 305/…"); the cited
    # document, named only by its type and number, comes first all the same.
    query = "khoản 2 Điều 5 Quy định ban hành kèm theo Quyết định số 305"
    assert [h.id for h in search(homes[0], query).hits[:2]] == ["qd305", "cv418"]
