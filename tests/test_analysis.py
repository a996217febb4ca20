from archsearch.engine.analysis import canonical_tone, doc_number_key, exact_analyzer, folded_analyzer


def tokens(analyzer, text):
    return [t.text for t in analyzer(text)]


def test_exact_view_keeps_every_syllable_and_diacritic():
    # "an" and one-letter syllables are content in Vietnamese: no stop words, no minimum length.
    assert tokens(exact_analyzer(), "An ninh ở Việt Nam, ý kiến") == ["an", "ninh", "ở", "việt", "nam", "ý", "kiến"]


def test_decomposed_input_tokenises_like_composed():
    composed = "Quyết định công nghiệp quốc phòng"
    import unicodedata
    decomposed = unicodedata.normalize("NFD", composed)
    assert tokens(exact_analyzer(), decomposed) == tokens(exact_analyzer(), composed)
    assert tokens(folded_analyzer(), decomposed) == ["quyet", "dinh", "cong", "nghiep", "quoc", "phong"]


def test_tone_placement_variants_are_one_term():
    assert canonical_tone("hoà") == canonical_tone("hòa") == "hòa"
    assert canonical_tone("thuỷ") == "thủy" and canonical_tone("uỷ") == "ủy"
    assert canonical_tone("hoàng") == "hoàng" and canonical_tone("hòang") == "hoàng"
    assert canonical_tone("quý") == "quý" and canonical_tone("quỳnh") == "quỳnh"
    assert canonical_tone("giá") == "giá"


def test_folded_view_maps_d_bar_and_drops_marks():
    assert tokens(folded_analyzer(), "Đảng ủy đã chỉ đạo") == ["dang", "uy", "da", "chi", "dao"]


def test_document_number_key_ignores_case_spaces_dashes_and_diacritics():
    assert doc_number_key("821/QĐ-BQP") == doc_number_key("821 / qd – bqp") == "821/qd-bqp"


# --- pinned token output (schema version 2) ------------------------------------------------
import unicodedata as _ud

from archsearch.engine.analysis import exact_bigram_analyzer, folded_bigram_analyzer, syllables
from archsearch.ingest.legacy_encodings import TCVN3


def test_nfd_input_gives_exactly_the_composed_tokens_in_every_view():
    text = "Thuỷ lợi, QUYẾT ĐỊNH 821/QĐ-BQP về công nghiệp quốc phòng"
    expected = {
        exact_analyzer: ["thủy", "lợi", "quyết", "định", "821/qd-bqp", "821", "qđ", "bqp", "về", "công",
                         "nghiệp", "quốc", "phòng"],
        folded_analyzer: ["thuy", "loi", "quyet", "dinh", "821/qd-bqp", "821", "qd", "bqp", "ve", "cong",
                          "nghiep", "quoc", "phong"],
        exact_bigram_analyzer: ["thủy_lợi", "quyết_định", "định_821", "821_qđ", "qđ_bqp", "bqp_về", "về_công",
                                "công_nghiệp", "nghiệp_quốc", "quốc_phòng"],
        folded_bigram_analyzer: ["thuy_loi", "quyet_dinh", "dinh_821", "821_qd", "qd_bqp", "bqp_ve", "ve_cong",
                                 "cong_nghiep", "nghiep_quoc", "quoc_phong"],
    }
    for analyzer, tokens_expected in expected.items():
        for form in ("NFC", "NFD"):
            assert tokens(analyzer(), _ud.normalize(form, text)) == tokens_expected, (analyzer, form)


def test_d_bar_in_both_cases():
    assert tokens(exact_analyzer(), "Đảng ĐOÀN đđ") == ["đảng", "đoàn", "đđ"]
    assert tokens(folded_analyzer(), "Đảng ĐOÀN đđ Ð") == ["dang", "doan", "dd", "d"]
    assert tokens(exact_analyzer(), "QÐ ð") == ["qđ", "đ"]  # OCR's look-alike Ð


def test_document_numbers_whole_and_in_parts_at_consecutive_positions():
    numbers = {
        "821/QĐ-BQP": ["821/qd-bqp", "821", "qđ", "bqp"],
        "05/NQ-TW": ["05/nq-tw", "05", "nq", "tw"],
        "123/2020/NĐ-CP": ["123/2020/nd-cp", "123", "2020", "nđ", "cp"],
        "06-NQ/TW": ["06-nq/tw", "06", "nq", "tw"],
        "821/QĐ–BQP": ["821/qd-bqp", "821", "qđ", "bqp"],  # en dash
    }
    for number, expected in numbers.items():
        assert tokens(exact_analyzer(), f"Số: {number}") == ["số", *expected], number
    positions = [(t.text, t.pos) for t in folded_analyzer()("số 821/QĐ-BQP ngày", positions=True)]
    assert positions == [("so", 0), ("821/qd-bqp", 1), ("821", 1), ("qd", 2), ("bqp", 3), ("ngay", 4)]
    # dates, ratios and ranges are not document numbers
    assert tokens(folded_analyzer(), "08/6/1987 2016-2020 3/4") == ["08", "6", "1987", "2016", "2020", "3", "4"]


def test_bigrams_never_cross_punctuation():
    assert tokens(folded_bigram_analyzer(), "kinh tế, xã hội. An ninh") == ["kinh_te", "xa_hoi", "an_ninh"]


def test_converted_legacy_text_tokenises_like_unicode():
    text = "Hà Nội, ngày 08 tháng 6 năm 1987: bảo quản vũ khí"
    converted = TCVN3.decode(TCVN3.view(TCVN3.encode(text)))
    assert tokens(exact_analyzer(), converted) == ["hà", "nội", "ngày", "08", "tháng", "6", "năm", "1987",
                                                   "bảo", "quản", "vũ", "khí"]
    assert syllables(converted, folded=True)[:2] == ["ha", "noi"]


def test_pairs_span_a_wrapped_line_but_not_a_blank_line_or_punctuation():
    from archsearch.engine.analysis import folded_bigram_analyzer
    tokens = [t.text for t in folded_bigram_analyzer()("kho đạn\nbảo quản. Mới\n\nđoạn sau")]
    assert tokens == ["kho_dan", "dan_bao", "bao_quan", "doan_sau"]
