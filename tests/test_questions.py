"""Questions and statements (query.py): framing weighs less than content, at query time only."""

from __future__ import annotations

import pytest

from archsearch.engine import query as query_module
from archsearch.trust.access import scope_for
from archsearch.levels import Level
from archsearch.normalise import fold
from archsearch.engine.framing import framing_positions
from archsearch.engine.query import W_FRAMING, build_query, weighed_words
from archsearch.engine.query_explain import describe_query
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import User

from .helpers import build_index, make_document

CONTENT = "Thủ kho không được tự ý cho mượn vũ khí, trang bị; mọi việc xuất kho phải có lệnh."
# Framing words galore and one content word: what a question's framing alone would find.
FRAMING = ("Hỏi đáp: có hay không, đúng hay sai, là gì, bao nhiêu, như thế nào, có được không? "
           "Câu hỏi nào sau đây đúng hay sai? Có phải không? Được không? Thủ tục.")
OTHER = "Kho vũ khí được kiểm tra định kỳ; được phép mượn khi có lệnh."


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    docs = [make_document("content", CONTENT, Level.UNCLASSIFIED, title="Quy chế kho"),
            make_document("framing", FRAMING, Level.UNCLASSIFIED, title="Hỏi đáp"),
            make_document("other", OTHER, Level.UNCLASSIFIED, title="Kiểm tra kho")]
    return build_index(tmp_path_factory.mktemp("questions"), docs)


def ids(home, text):
    with ScopedSearcher(home, scope_for(User("u", Level.TOP_SECRET))) as searcher:
        return [hit.id for hit in searcher.search(text, limit=10).hits]


def positions(text):
    words = text.split()
    return sorted(framing_positions(words, [fold(w) for w in words], fold(text) != text))


def test_framing_with_and_without_diacritics():
    assert positions("thủ kho có được tự ý cho mượn vũ khí không") == [2, 10]
    assert positions("thu kho co duoc tu y cho muon vu khi khong") == [2, 10]
    assert positions("việc thanh lý phải được tổng cục phê duyệt đúng hay sai") == [9, 10, 11]
    assert positions("co so san xuat co bat buoc phai co phong thu nghiem khong") == [4, 12]  # "co so" is cơ sở
    assert positions("mỗi đơn vị tương đương bao nhiêu kg") == [5, 6]
    assert positions("hồ sơ gửi về đâu") == [4]
    # Not a question: nothing is framing ("không được" inside a statement is content).
    assert positions("thủ kho không được cho mượn vũ khí") == []
    assert positions("không") == []
    # With diacritics, "ải" is not "ai", "đầu" not "đâu".
    assert positions("ải bắc") == [] and positions("sáu tháng đầu") == []


def test_content_outweighs_framing(home):
    question = "Thủ kho có được tự ý cho mượn vũ khí không, đúng hay sai?"
    assert ids(home, question)[0] == "content"
    assert ids(home, fold(question))[0] == "content"


def test_without_the_weight_framing_would_win(home, monkeypatch):
    # The same question with framing at full weight ranks the framing document first: the test
    # above depends on W_FRAMING, not on luck.
    questions = ["Cho mượn vũ khí có được không, đúng hay sai?", "Mượn vũ khí là gì, có phải không?",
                 "cho muon vu khi co duoc khong dung hay sai"]
    monkeypatch.setattr(query_module, "W_FRAMING", 1.0)
    assert [ids(home, q)[0] for q in questions] == ["framing"] * 3
    monkeypatch.setattr(query_module, "W_FRAMING", W_FRAMING)
    assert [ids(home, q)[0] for q in questions] == ["content"] * 3


def test_a_quoted_phrase_of_framing_words_still_matches_as_typed(home):
    # "không được" is a phrase that matters; quoted it is required as typed, whatever the weights.
    assert set(ids(home, '"không được" mượn vũ khí không?')) == {"content"}
    assert "framing" in ids(home, '"có được không"')


def test_explain_shows_each_word_and_its_weight():
    weights = dict(weighed_words("Thủ kho có được tự ý cho mượn vũ khí không?"))
    assert weights["không"] == W_FRAMING and weights["có"] == W_FRAMING and weights["kho"] == 1.0
    described = "\n".join(describe_query(build_query("thu kho co duoc muon khong")))
    assert f"text_folded:khong ^{W_FRAMING:g}" in described and "text_folded:kho\n" in described + "\n"


def test_chat_forms_frame_too():
    # Typed as in a chat box: "cho em hỏi …" opens the question, "ạ" / "vậy" end it, and the
    # "có … không" before the particle is still seen.
    question = "cho em hỏi thủ kho có được tự ý cho mượn vũ khí không ạ"
    assert positions(question) == positions(fold(question)) == [0, 1, 2, 5, 13, 14]
    assert positions("tài liệu mật lưu giữ ở đâu vậy") == positions("tai lieu mat luu giu o dau vay") == [5, 6, 7]
    assert positions("hồ sơ lưu trong bao lâu") == [4, 5]
    assert positions("xử lý ra sao") == [2, 3]
    # "mấy" asks only when typed with its marks: folded it is also "máy" (nhà máy).
    assert positions("mượn vũ khí tối đa mấy ngày") == [5]
    assert positions("muon vu khi toi da may ngay") == []
    # Not framing: "cho" that is not "cho … hỏi", a point "điểm a", and "vay" after content.
    assert positions("cho mượn vũ khí") == [] and positions("cho muon vu khi") == []
    assert positions("khoan 2 diem a") == [] and positions("thu tuc cho vay") == []


def test_a_chat_question_still_ranks_content_first(tmp_path):
    # A page of chat-box framing beside the rule that answers: without the opening and particle
    # rules, "cho em hỏi" and the "có … không" hidden behind "ạ" weigh as content and the
    # chat page comes first.
    chat = "Hỏi đáp trực tuyến. Cho em hỏi có được không ạ? Cho tôi hỏi có hay không ạ? Em hỏi vậy có đúng không ạ?"
    home = build_index(tmp_path, [make_document("content", CONTENT, Level.UNCLASSIFIED, title="Quy chế kho"),
                                  make_document("chat", chat, Level.UNCLASSIFIED, title="Hỏi đáp")])
    for question in ("Cho em hỏi kho có cho mượn không ạ?", "cho em hoi kho co cho muon khong a"):
        assert ids(home, question)[0] == "content"
