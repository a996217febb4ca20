from archsearch.analysis import canonical_tone, doc_number_key, exact_analyzer, folded_analyzer


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
