"""extract.office: DOCX paragraphs, tables and headers; zip bombs and XML entities refused."""

from __future__ import annotations

import zipfile

import docx
import pytest

from archsearch.errors import ExtractionError
from archsearch.ingest.extract import ExtractLimits, extract

LIMITS = ExtractLimits()
DOCUMENT_XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOCUMENT_XML_TAIL = "</w:body></w:document>"


def write_decision_docx(path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "BỘ QUỐC PHÒNG"
    document.add_paragraph("Quyết định số 821/QĐ-BQP")
    paragraph = document.add_paragraph("Điều 1.")
    paragraph.add_run("\tBan hành Quy chế.")
    run = paragraph.add_run()
    run.add_break()
    run.add_text("Điều 2. Hiệu lực thi hành.")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, (("Số", "Ngày", "Trích yếu"), ("821", "05/3/2020", "Văn thư"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Nơi nhận: như trên.")
    document.save(str(path))


def write_raw_docx(path, document_xml: str | bytes, styles_xml: str | None = None):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
        if styles_xml is not None:
            archive.writestr("word/styles.xml", styles_xml)


def run(text: str, font: str | None = None) -> str:
    """A w:r, set in `font` the way Word writes it (w:ascii and w:hAnsi) when one is given."""
    props = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_paragraphs_table_and_header(tmp_path):
    path = tmp_path / "quyet_dinh.docx"
    write_decision_docx(path)
    result = extract(path, "docx", LIMITS)
    assert len(result.pages) == 1 and result.pages[0].number == 1
    # One-line cells of a row stay on one line, separated by " | ".
    assert result.text.split("\n") == [
        "Quyết định số 821/QĐ-BQP",
        "Điều 1. Ban hành Quy chế.",
        "Điều 2. Hiệu lực thi hành.",
        "Số | Ngày | Trích yếu",
        "821 | 05/3/2020 | Văn thư",
        "Nơi nhận: như trên.",
        "BỘ QUỐC PHÒNG",  # headers come after the body
    ]


def test_deleted_revisions_and_tab_stop_definitions_are_not_text(tmp_path):
    body = (
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>Giữ lại</w:t></w:r>"
        "<w:del><w:r><w:delText>đã xoá</w:delText></w:r></w:del>"
        '<w:r><w:instrText> PAGE </w:instrText></w:r></w:p>'
    )
    path = tmp_path / "revisions.docx"
    write_raw_docx(path, DOCUMENT_XML_HEAD + body + DOCUMENT_XML_TAIL)
    assert extract(path, "docx", LIMITS).text == "Giữ lại"


def test_zip_bomb_member_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    # 4 MB of spaces compress to a few KB: the declared size is what gives it away.
    write_raw_docx(path, DOCUMENT_XML_HEAD + " " * (4 * 2**20) + DOCUMENT_XML_TAIL)
    assert path.stat().st_size < 64 * 1024
    with pytest.raises(ExtractionError) as caught:
        extract(path, "docx", ExtractLimits(max_docx_uncompressed=2**20))
    assert "DOCX too large: word/document.xml exceeds the uncompressed limit of 1048576 bytes" in caught.value.reason


def test_docx_with_doctype_entities_is_refused(tmp_path):
    billion_laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document ['
        '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "entities.docx"
    write_raw_docx(path, billion_laughs)
    with pytest.raises(ExtractionError) as caught:
        extract(path, "docx", LIMITS)
    assert "DOCTYPE" in caught.value.reason


def test_not_a_zip_is_not_a_valid_docx(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("Tôi không phải tệp Word", encoding="utf-8")
    with pytest.raises(ExtractionError) as caught:
        extract(path, "docx", LIMITS)
    assert caught.value.reason.startswith("not a valid DOCX: not a zip archive")


def test_zip_without_document_xml_is_not_a_valid_docx(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    with pytest.raises(ExtractionError) as caught:
        extract(path, "docx", LIMITS)
    assert caught.value.reason == "not a valid DOCX: no word/document.xml in the archive"


def test_malformed_xml_is_not_a_valid_docx(tmp_path):
    path = tmp_path / "broken.docx"
    write_raw_docx(path, DOCUMENT_XML_HEAD + "<w:p><w:r><w:t>Quyết định")
    with pytest.raises(ExtractionError) as caught:
        extract(path, "docx", LIMITS)
    assert caught.value.reason.startswith("not a valid DOCX: malformed XML in word/document.xml")


def test_docx_header_table_keeps_the_stamp_alone_on_its_line(tmp_path):
    """Administrative headers are tables: issuer, Số and stamp in the left cell."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "BỘ QUỐC PHÒNG"
    left.add_paragraph("Số: 1234/BQP-VP")
    left.add_paragraph("MẬT")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    path = tmp_path / "cong_van.docx"
    document.save(str(path))
    lines = extract(path, "docx", LIMITS).text.split("\n")
    assert lines[:5] == ["BỘ QUỐC PHÒNG", "Số: 1234/BQP-VP", "MẬT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc"]


def test_runs_in_legacy_fonts_are_converted_by_their_font(tmp_path):
    # Old documents carry the cp1252 view of TCVN3 or VNI bytes in .VnTime / VNI-Times runs.
    # From the text alone "Sè: 821/Q§-BQP" is too short to convert and "coâng ngheä" (VNI)
    # also reads as TCVN3; the run's font settles both.
    body = (
        f"<w:p>{run('Sè: 821/Q§-BQP', '.VnTime')}</w:p>"
        f"<w:p>{run('quyÕt ®Þnh', '.VnTimeH')}</w:p>"  # heading font: every letter a capital
        f"<w:p>{run('Khoa hoïc ', 'VNI-Times')}{run('coâng ngheä', 'VNI-Times')}</w:p>"
        f"<w:p>{run('Nơi nhận: ', 'Times New Roman')}{run('Lưu VT')}</w:p>"  # Unicode stays
    )
    path = tmp_path / "cu.docx"
    write_raw_docx(path, DOCUMENT_XML_HEAD + body + DOCUMENT_XML_TAIL)
    result = extract(path, "docx", LIMITS)
    assert result.text.split("\n") == ["Số: 821/QĐ-BQP", "QUYẾT ĐỊNH", "Khoa học công nghệ", "Nơi nhận: Lưu VT"]
    assert result.encoding == "tcvn3+vni"
    assert result.warnings == ["converted from TCVN3 (ABC) and VNI-Windows"]


def test_legacy_font_named_only_in_the_styles(tmp_path):
    # Runs often name no font: .VnTime comes from the document defaults, .VnTimeH from a
    # heading style based on another style.
    styles = (
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
        "</w:rPr></w:rPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:styleId="TieuDe"><w:rPr>'
        '<w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="TieuDe2"><w:basedOn w:val="TieuDe"/></w:style>'
        "</w:styles>"
    )
    body = f'<w:p><w:pPr><w:pStyle w:val="TieuDe2"/></w:pPr>{run("b¸o c¸o")}</w:p><w:p>{run("Sè 32")}</w:p>'
    path = tmp_path / "styles.docx"
    write_raw_docx(path, DOCUMENT_XML_HEAD + body + DOCUMENT_XML_TAIL, styles)
    result = extract(path, "docx", LIMITS)
    assert result.text.split("\n") == ["BÁO CÁO", "Số 32"]
    assert result.encoding == "tcvn3"


def _patch_member_headers(path, *, method: int | None = None, flags: int | None = None) -> None:
    """Rewrite word/document.xml's local and central headers in place: its compression method
    (a value zipfile does not implement) or its flag bits (bit 0: encrypted)."""
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for signature, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                if method is not None:
                    data[start + method_at:start + method_at + 2] = method.to_bytes(2, "little")
                if flags is not None:
                    data[start + flags_at:start + flags_at + 2] = flags.to_bytes(2, "little")
            start += 4
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("patch, why", [
    ({"method": 99}, "compression method"),  # zipfile raises NotImplementedError
    ({"flags": 1}, "encrypted"),  # zipfile raises RuntimeError: a password is required
])
def test_unreadable_member_is_a_clear_error_naming_it(tmp_path, patch, why):
    path = tmp_path / "unreadable.docx"
    write_raw_docx(path, DOCUMENT_XML_HEAD + run("Điều 1.") + DOCUMENT_XML_TAIL)
    _patch_member_headers(path, **patch)
    with pytest.raises(ExtractionError) as caught:
        extract(path, "docx", LIMITS)
    assert caught.value.reason.startswith("not a valid DOCX: cannot read word/document.xml:")
    assert why in caught.value.reason
