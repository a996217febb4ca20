"""Article structure (articles.py): recognised in plain, OCR'd and legacy-encoded text, stored at
indexing, and printed alone by `show --article`."""

from __future__ import annotations

import doctest
import json

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.ingest import articles
from archsearch.trust.access import scope_for
from archsearch.ingest.articles import article_keys, article_text, find_articles
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import NotFoundError
from archsearch.engine.index import IndexHome
from archsearch.ingest.legacy_encodings import TCVN3
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import UserRegistry

DECISION = """BỘ QUỐC PHÒNG
Số: 52/2015/TT-BQP
Hà Nội, ngày 14 tháng 7 năm 2015

THÔNG TƯ
Quy định việc cho mượn vũ khí

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Thông tư này quy định việc cho mượn vũ khí, như Điều 3 nêu rõ.

Điều 2: Nguyên tắc
1. Mọi vũ khí phải được đăng ký.
2. Không được cho mượn khi chưa có quyết định;
theo quy định tại
Điều 55 của Luật này.

Mục 1. THỦ KHO

Điều 3 Trách nhiệm của thủ kho
1. Thủ kho chịu trách nhiệm về số lượng.
2. Thủ kho không được tự ý cho mượn:
a) vũ khí;
b) trang bị.
2015. Năm ban hành, không phải khoản.
3. Mọi việc xuất kho phải có lệnh.
"""


def test_doctests():
    assert doctest.testmod(articles).failed == 0


def test_articles_clauses_and_their_spans():
    found = find_articles(DECISION)
    assert [a.number for a in found] == [1, 2, 3]
    assert DECISION[found[0].start:found[0].end].endswith("như Điều 3 nêu rõ.")  # a reference inside a line is no heading
    # "Điều 55 của Luật này" at the start of a wrapped line is a reference, not Điều 55; the
    # Mục heading ends Điều 2.
    assert article_text(DECISION, found, 2).endswith("Điều 55 của Luật này.")
    assert [c.number for c in found[2].clauses] == [1, 2, 3]  # "2015." is not a khoản
    assert article_text(DECISION, found, 3, clause=2) == (
        "2. Thủ kho không được tự ý cho mượn:\na) vũ khí;\nb) trang bị.\n2015. Năm ban hành, không phải khoản.")
    assert article_text(DECISION, found, 4) is None and article_text(DECISION, found, 3, clause=9) is None
    assert article_keys(found) == ["d1", "d2", "d2k1", "d2k2", "d3", "d3k1", "d3k2", "d3k3"]


def test_ocr_noise_in_headings_and_clause_numbers():
    # Eth for Đ, a misread tone, no diacritics, no dot, "1," for "1.", a misread khoản number.
    text = ("Ðiều 4. Giao nhận\n1, Hai bên đối chiếu.\n2. Lập biên bản.\n"
            "Điểu 5 Điều kiện cho mượn\n1. Chỉ để huấn luyện.\n3. Không quá 30 ngày.\n"
            "Dieu 6: Ho so\nnoi dung\n")
    found = find_articles(text)
    assert [(a.number, [c.number for c in a.clauses]) for a in found] == [(4, [1, 2]), (5, [1, 3]), (6, [])]


def test_a_decision_and_the_rules_it_issues_number_twice():
    text = "Điều 1. Ban hành Quy chế.\nĐiều 2. Hiệu lực.\nQUY CHẾ\nĐiều 1. Phạm vi.\nĐiều 2. Nguyên tắc.\nĐiều 5. Cho mượn.\n"
    found = find_articles(text)
    assert [(a.number, a.part) for a in found] == [(1, 0), (2, 0), (1, 1), (2, 1), (5, 1)]
    assert article_text(text, found, 2) == "Điều 2. Hiệu lực.\nQUY CHẾ"  # the first Điều 2
    assert article_text(text, found, 5) == "Điều 5. Cho mượn."


def test_text_without_articles():
    assert find_articles("BÁO CÁO\nKết quả kiểm kê.\nĐiều kiện làm việc tốt.\n") == []
    assert find_articles("") == []


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("articles")
    docs = root / "docs"
    docs.mkdir()
    (docs / "thong-tu.txt").write_text(DECISION, encoding="utf-8")
    # The same text typed in TCVN3 (ABC): decoded to Unicode at extraction, before this stage.
    legacy = DECISION.replace("52/2015/TT-BQP", "53/2015/TT-BQP")
    (docs / "thong-tu-tcvn3.txt").write_bytes(TCVN3.encode(legacy))
    (docs / "mat.txt").write_text("MẬT\n" + DECISION.replace("52/2015", "54/2015"), encoding="utf-8")
    settings = Settings.from_env(root / "home", jobs=1)
    summary = api.index(settings, [docs])
    assert not summary.failures
    api.add_user(settings, "thuong", "unclassified")
    api.add_user(settings, "mat", "confidential")
    scope = scope_for(UserRegistry(settings.index_dir).get("mat"))
    with ScopedSearcher(IndexHome.open(settings.index_dir), scope) as searcher:
        ids = {fields["relpath"]: fields["id"] for _score, fields in searcher.matches(None)}
    return settings, ids


def test_stored_at_indexing_also_for_legacy_encoded_text(indexed):
    settings, ids = indexed
    for name in ("thong-tu.txt", "thong-tu-tcvn3.txt"):
        view = api.show(settings, ids[name], user="mat", article=3, clause=2)
        assert view.article == {"number": 3, "clause": 2, "text": article_text(DECISION, find_articles(DECISION), 3, clause=2)}
        assert [a.number for a in view.articles] == [1, 2, 3]


def test_show_article_cli_and_json(indexed):
    settings, ids = indexed
    def run(*args):
        return CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), *args])

    result = run("show", ids["thong-tu.txt"], "--article", "2", "--user", "mat")
    assert result.exit_code == 0, result.output
    assert "Điều 2: Nguyên tắc" in result.stdout and "Điều 3" not in result.stdout.split("Điều 2: Nguyên tắc")[1]
    assert "Phạm vi điều chỉnh" not in result.stdout  # that article alone, not the whole text
    result = run("show", ids["thong-tu.txt"], "--article", "3", "--json", "--user", "mat")
    data = json.loads(result.stdout)
    assert data["article"]["number"] == 3 and data["article"]["text"].startswith("Điều 3 Trách nhiệm")
    assert "Điều 1. Phạm vi điều chỉnh" in data["text"]  # the JSON keeps the whole text too
    result = run("show", ids["thong-tu.txt"], "--json", "--user", "mat")
    assert "article" not in json.loads(result.stdout) and "articles" not in json.loads(result.stdout)


def test_missing_article_and_hidden_document(indexed):
    settings, ids = indexed
    with pytest.raises(NotFoundError, match="no Điều 7"):
        api.show(settings, ids["thong-tu.txt"], user="mat", article=7)
    # A document the user may not see is missing, with or without --article, with the same message.
    with pytest.raises(NotFoundError) as hidden:
        api.show(settings, ids["mat.txt"], user="thuong", article=3)
    with pytest.raises(NotFoundError) as missing:
        api.show(settings, "0" * len(ids["mat.txt"]), user="thuong", article=3)
    assert str(hidden.value).replace(ids["mat.txt"], "X") == str(missing.value).replace("0" * len(ids["mat.txt"]), "X")


def test_roman_numbered_articles_and_digits_misread_by_ocr():
    # Older documents number articles in Roman; OCR reads 0 as O and 1 as l.
    text = ("Điều I. Phạm vi\nĐiều II: Nguyên tắc\nĐiều lệ Đảng quy định như sau.\nĐiều IIII. Không phải số\n"
            "Điều 1O. Hiệu lực\nĐiều XIV Tên điều\nĐiều chỉnh giá.\nĐiều kiện A\n")
    assert [a.number for a in find_articles(text)] == [1, 2, 10, 14]
    assert [a.number for a in find_articles("Điều l. Phạm vi\nĐiều 2. Đối tượng\n")] == [1, 2]


def test_show_article_prints_the_article_through_the_terminal_filter(tmp_path):
    # A bidi override survives extraction (it is not a C0 control): the article printed alone
    # goes through render.printable like the whole text, never raw to the terminal.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("THÔNG TƯ\nĐiều 1. Phạm vi\nNội dung.\nĐiều 2. Hiệu lực \u202e ngược\n", encoding="utf-8")
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    api.index(settings, [docs])
    api.add_user(settings, "mat", "confidential")
    with ScopedSearcher(IndexHome.open(settings.index_dir), scope_for(UserRegistry(settings.index_dir).get("mat"))) as s:
        doc_id = next(fields["id"] for _score, fields in s.matches(None))
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "show", doc_id, "--article", "2", "--user", "mat"])
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.output and "Hiệu lực \\u202e ngược" in result.output
