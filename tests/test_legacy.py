"""Legacy encodings: tables round-trip the whole alphabet, detection, extraction records it."""

import unicodedata

import pytest

from archsearch.ingest import legacy_encodings as legacy
from archsearch.ingest.extract import ExtractLimits, extract
from archsearch.ingest.legacy_encodings import TCVN3, VISCII, VNI, detect, to_unicode
from archsearch.normalise import is_vietnamese_syllable

_TONES = "\u0301\u0300\u0309\u0303\u0323"
VOWELS = "aăâeêioôơuưy"
LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in ("", *_TONES)] + ["đ"]
UPPER = [c.upper() for c in LOWER]
CONSONANTS = "bcdghklmnpqrstvx"
SENTENCE = ("Quyết định về việc bảo quản vũ khí, trang bị kỹ thuật của Bộ Quốc phòng; "
            "thủy lợi, hòa bình, nghiêng ngả, ước mơ, khuỷu tay, Đảng ủy chỉ đạo thực hiện.")


def test_the_alphabet_has_every_tone_on_every_vowel():
    assert len(LOWER) == 12 * 6 + 1 == 73
    assert len(set(UPPER)) == 73


@pytest.mark.parametrize("encoding", [TCVN3, VNI, VISCII], ids=lambda e: e.name)
def test_lower_case_alphabet_round_trips_through_the_cp1252_view(encoding):
    for letter in LOWER + list(CONSONANTS):
        view = encoding.view(encoding.encode(letter))
        assert encoding.decode(view) == letter, (letter, view)
        # extractors may return bytes 0x80-0x9F as C1 controls instead of cp1252 symbols
        c1_view = "".join(chr(b) for b in encoding.encode(letter))
        assert encoding.decode(c1_view) == letter, (letter, c1_view)


@pytest.mark.parametrize("encoding", [VNI, VISCII], ids=lambda e: e.name)
def test_capitals_round_trip_where_the_encoding_has_them(encoding):
    for letter in UPPER + list(CONSONANTS.upper()):
        assert encoding.decode(encoding.view(encoding.encode(letter))) == letter, letter


def test_tcvn3_capitals_it_has_and_heading_words():
    # TCVN3 codes only Ă Â Ê Ô Ơ Ư Đ as capitals; toned capitals come from .VnTimeH heading
    # fonts, restored for words written in capitals.
    for letter in "ĂÂÊÔƠƯĐ":
        assert TCVN3.decode(TCVN3.view(TCVN3.encode(letter))) == letter
    heading = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQUYẾT ĐỊNH VỀ VIỆC BẢO QUẢN"
    assert TCVN3.decode(TCVN3.view(TCVN3.encode(heading))) == heading
    every_toned_capital = " ".join("X" + c + "X" for c in UPPER)
    assert TCVN3.decode(TCVN3.view(TCVN3.encode(every_toned_capital))) == every_toned_capital


@pytest.mark.parametrize("encoding", [TCVN3, VNI, VISCII], ids=lambda e: e.name)
def test_sentences_are_detected_and_converted_to_nfc(encoding):
    view = encoding.view(encoding.encode(SENTENCE))
    assert detect(view).encoding is encoding
    text, name = to_unicode(view)
    assert text == SENTENCE and name == encoding.name
    assert unicodedata.is_normalized("NFC", text)


def test_published_examples_of_the_cp1252_view():
    assert TCVN3.decode("Hµ Néi") == "Hà Nội"
    assert VNI.decode("Haø Noäi") == "Hà Nội"
    assert TCVN3.decode("tr\xadêng") == "trường"  # ư is 0xAD, the soft hyphen


def test_unicode_english_and_european_text_are_left_alone():
    for text in (SENTENCE, "The quick brown fox jumps over the lazy dog again and again",
                 "Straße und Gemüse für die Kinder in München, Köln und Düsseldorf heute",
                 "Le garçon est allé à l'école très tôt ce matin avec sa sœur aînée",
                 "El niño comió una manzana en la mañana y después fue al colegio"):
        assert to_unicode(text) == (text, None)


def test_mixed_document_converts_only_the_legacy_lines():
    legacy_line = TCVN3.view(TCVN3.encode("Quyết định về việc bảo quản vũ khí trang bị kỹ thuật tại kho"))
    text, name = to_unicode("Bản dịch: Quyết định số 821\n" + legacy_line)
    assert text.splitlines() == ["Bản dịch: Quyết định số 821",
                                 "Quyết định về việc bảo quản vũ khí trang bị kỹ thuật tại kho"]
    assert name == "tcvn3"


def test_syllable_validator():
    assert all(map(is_vietnamese_syllable, ["nghiêng", "Quyết", "ĐỊNH", "gì", "khuỷu", "ước", "oái"]))
    assert not any(map(is_vietnamese_syllable, ["cnqp", "Straße", "school", "ấá"]))


def test_font_names_select_the_table():
    assert legacy.encoding_for_font("ABCDEF+.VnTimeH") is TCVN3
    assert legacy.encoding_for_font("VNI-Times") is VNI
    assert legacy.encoding_for_font("TimesNewRomanPSMT") is None


def test_the_font_decides_where_the_text_alone_cannot():
    short_tcvn3 = "Sè: 821/Q§-BQP"  # Số: 821/QĐ-BQP, too few words to tell from Unicode
    vni = "coâng ngheä"  # công nghệ, which also reads as TCVN3 ("coõng ngheọ")
    assert to_unicode(short_tcvn3) == (short_tcvn3, None)
    assert to_unicode(vni) == ("coõng ngheọ", "tcvn3")
    runs = [(short_tcvn3, "ABCDEF+.VnTime"), ("\n", None), (vni, "VNI-Times,Bold")]
    assert legacy.runs_to_unicode(runs) == ("Số: 821/QĐ-BQP\ncông nghệ", "tcvn3+vni")


def test_heading_fonts_are_capitals():
    # .VnTimeH draws lower-case TCVN3 codes as capitals: TCVN3 has no toned capital letters.
    assert legacy.runs_to_unicode([("quyÕt ®Þnh", ".VnTimeH")]) == ("QUYẾT ĐỊNH", "tcvn3")
    assert legacy.is_capitals_font("ABCDEF+.VnArialH,Bold")
    assert not legacy.is_capitals_font(".VnTime") and not legacy.is_capitals_font("VNI-Helve")


def test_runs_in_one_legacy_font_are_decoded_together():
    # Word may split a run inside a VNI letter: "á" is "a" + "ù".
    assert legacy.runs_to_unicode([("ca", "VNI-Times"), ("ù", "VNI-Times")]) == ("cá", "vni")


def test_unicode_text_in_a_legacy_named_font_is_kept():
    assert legacy.runs_to_unicode([("Hà Nội", ".VnTime")]) == ("Hà Nội", None)


def test_lines_without_a_legacy_font_are_detected_from_the_text_as_before():
    line = TCVN3.view(TCVN3.encode(SENTENCE))
    assert legacy.runs_to_unicode([(line, "Times New Roman")]) == to_unicode(line) == (SENTENCE, "tcvn3")
    assert legacy.runs_to_unicode([("Hà Nội", None), ("\n", None), ("abc", None)]) == ("Hà Nội\nabc", None)


@pytest.mark.parametrize("encoding", [TCVN3, VNI, VISCII], ids=lambda e: e.name)
def test_txt_extraction_converts_and_records_it(tmp_path, encoding):
    path = tmp_path / "old.txt"
    path.write_bytes(encoding.encode(SENTENCE + "\r\n" + SENTENCE))
    extracted = extract(path, "text", ExtractLimits())
    assert extracted.text == SENTENCE + "\n" + SENTENCE
    assert extracted.encoding == encoding.name
    assert any("converted from" in w for w in extracted.warnings)


def test_utf8_file_holding_a_cp1252_view_is_converted(tmp_path):
    path = tmp_path / "mojibake.txt"
    path.write_text(TCVN3.view(TCVN3.encode(SENTENCE)), encoding="utf-8")
    extracted = extract(path, "text", ExtractLimits())
    assert extracted.text == SENTENCE and extracted.encoding == "utf-8+tcvn3"


def test_windows_1258_text_is_not_taken_for_legacy(tmp_path):
    path = tmp_path / "cp1258.txt"
    data = bytearray()
    for ch in SENTENCE:  # cp1258: a letter it lacks is its toneless letter + a combining tone
        try:
            data += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            head = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in _TONES))
            data += (head + "".join(m for m in marks if m in _TONES)).encode("cp1258")
    path.write_bytes(bytes(data))
    extracted = extract(path, "text", ExtractLimits())
    assert extracted.text == SENTENCE and extracted.encoding == "cp1258"


def test_docx_text_in_a_legacy_font_is_converted(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(VNI.view(VNI.encode(SENTENCE)))
    path = tmp_path / "old.docx"
    document.save(path)
    extracted = extract(path, "docx", ExtractLimits())
    assert extracted.text == SENTENCE and extracted.encoding == "vni"
