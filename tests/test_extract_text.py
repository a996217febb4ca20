"""extract.text: encodings in their documented order, and HTML reduced to visible text."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archsearch.errors import ExtractionError
from archsearch.ingest.extract import ExtractLimits, extract
from archsearch.ingest.extract.text import decode_bytes, html_to_text

LIMITS = ExtractLimits()
SENTENCE = "Quyết định số 821/QĐ-BQP về việc ban hành Quy chế công tác văn thư, lưu trữ"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 writes it: â ê ô ă ơ ư đ precomposed, tone marks combining."""
    out = []
    for char in text:
        marks = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES))
        out.append(base + "".join(c for c in marks if c in _TONES))
    return "".join(out).encode("cp1258")


def extract_bytes(tmp_path, name, data, kind="text"):
    path = tmp_path / name
    path.write_bytes(data)
    return extract(path, kind, LIMITS)


def test_utf8(tmp_path):
    result = extract_bytes(tmp_path, "plain.txt", (SENTENCE + "\n").encode("utf-8"))
    assert result.encoding == "utf-8"
    assert result.text == SENTENCE
    assert [page.number for page in result.pages] == [1]


def test_utf8_with_bom_drops_the_bom(tmp_path):
    result = extract_bytes(tmp_path, "bom.txt", codecs.BOM_UTF8 + SENTENCE.encode("utf-8"))
    assert result.encoding == "utf-8-sig"
    assert result.text == SENTENCE


@pytest.mark.parametrize("codec, expected", [("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be"),
                                             ("utf-32", "utf-32-le")])
def test_utf16_and_utf32_with_bom(tmp_path, codec, expected):
    data = SENTENCE.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    result = extract_bytes(tmp_path, "wide.txt", data)
    assert result.encoding == expected
    assert result.text == SENTENCE


def test_utf16_without_bom_is_recognised_by_its_nul_pattern(tmp_path):
    result = extract_bytes(tmp_path, "wide_nobom.txt", SENTENCE.encode("utf-16-le"))
    assert result.encoding == "utf-16-le"
    assert result.text == SENTENCE


def test_cp1258_vietnamese_comes_back_as_nfc(tmp_path):
    data = cp1258_bytes(SENTENCE)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = extract_bytes(tmp_path, "windows_1258.txt", data)
    assert result.encoding == "cp1258"
    assert result.text == SENTENCE
    assert unicodedata.is_normalized("NFC", result.text)


def test_cp1252_is_the_last_resort():
    # 0x8A is Š in cp1252 and undefined in cp1258.
    text, encoding, warnings = decode_bytes(b"Ko\x9aice \x8akoda")
    assert encoding == "cp1252"
    assert text == "Košice Škoda"
    assert warnings == []


def test_nul_bytes_in_a_text_file_are_refused(tmp_path):
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(tmp_path, "notes.txt", b"Quy che\x00\x01\x02\xff\xfe binary \x00 tail \x89PNG")
    assert caught.value.reason == "binary content (NUL bytes), not text"


HTML_PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Thông báo &amp; hướng dẫn</title>
<style>body { font-family: "Times New Roman"; } .mat { color: red }</style>
<script>var secret = "không được lập chỉ mục"; if (a < b) { alert(1); }</script>
</head>
<body>
<h1>Quy&#7871;t định   số 821</h1>
<p>Dòng một,
tiếp theo<br>Dòng hai &lt;không phải thẻ&gt;</p>
<noscript>Bật JavaScript</noscript>
<template><p>mẫu ẩn</p></template>
<table><tr><td>Số</td><td>Ngày</td></tr><tr><td>821</td><td>05/3/2020</td></tr></table>
<ul><li>Mục một</li><li>Mục hai</li></ul>
</body></html>
"""


def test_html_visible_text_title_first_without_script_or_style(tmp_path):
    result = extract_bytes(tmp_path, "thong_bao.html", HTML_PAGE.encode("utf-8"), kind="html")
    lines = [line for line in result.text.split("\n") if line]
    assert lines == [
        "Thông báo & hướng dẫn",
        "Quyết định số 821",
        "Dòng một, tiếp theo",
        "Dòng hai <không phải thẻ>",
        "Số Ngày",  # one row per line (clean_text folds the cell tabs into spaces)
        "821 05/3/2020",
        "Mục một",
        "Mục hai",
    ]
    for hidden in ("secret", "font-family", "JavaScript", "mẫu ẩn", "alert"):
        assert hidden not in result.text
    assert result.encoding == "utf-8"


def test_html_declared_charset_is_used_before_cp1258(tmp_path):
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-5">' \
           "</head><body><p>Привет, мир</p></body></html>"
    result = extract_bytes(tmp_path, "cyrillic.html", page.encode("iso-8859-5"), kind="html")
    assert result.encoding == "iso8859-5"
    assert result.text == "Привет, мир"


def test_html_in_cp1258_without_declaration(tmp_path):
    page = f"<html><body><p>{SENTENCE}</p></body></html>"
    result = extract_bytes(tmp_path, "legacy.htm", cp1258_bytes(page), kind="html")
    assert result.encoding == "cp1258"
    assert result.text == SENTENCE


def test_unclosed_title_does_not_swallow_the_page():
    lines = [line.strip() for line in html_to_text("<title>Tiêu đề<p>Nội dung</p>").split("\n")]
    assert [line for line in lines if line] == ["Tiêu đề", "Nội dung"]


def test_table_cells_are_tab_separated_before_cleaning():
    assert "\tSố\tNgày\n" in html_to_text("<table><tr><td>Số</td><td>Ngày</td></tr></table>")


def test_pre_keeps_its_line_breaks():
    assert "dòng 1\ndòng 2" in html_to_text("<p>a\nb</p><pre>dòng 1\ndòng 2</pre>")
    assert "a b" in html_to_text("<p>a\nb</p>")


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_are_refused_as_binary(data):
    try:
        text, encoding, _ = decode_bytes(data, html=True)
    except ExtractionError as exc:
        assert exc.reason == "binary content (NUL bytes), not text"
        assert b"\x00" in data
    else:
        assert isinstance(text, str) and encoding
        html_to_text(text)  # the HTML reducer accepts whatever was decoded


def test_unexpected_library_exception_is_wrapped_once_at_the_dispatcher(tmp_path, monkeypatch):
    import archsearch.ingest.extract as dispatcher

    def broken(path, limits, mime):
        raise KeyError("/Root")

    monkeypatch.setitem(dispatcher._EXTRACTORS, "text", broken)
    path = tmp_path / "any.txt"
    path.write_text("x")
    with pytest.raises(ExtractionError) as caught:
        extract(path, "text", LIMITS)
    assert caught.value.reason == "cannot read text file: KeyError: '/Root'"

    def out_of_memory(path, limits, mime):
        raise MemoryError

    monkeypatch.setitem(dispatcher._EXTRACTORS, "text", out_of_memory)
    with pytest.raises(MemoryError):
        extract(path, "text", LIMITS)


def test_unknown_kind_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        extract(tmp_path / "x", "spreadsheet", LIMITS)
