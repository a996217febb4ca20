"""extract.pdf: per-page text, scanned pages OCR'd, OCR failures kept per page, bad PDFs refused.

One page in this file is really OCR'd (about 1 s); the other OCR paths use a missing binary
or a timeout that fails at once.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from archsearch.ingest.detect import detect_mime, kind_for_mime
from archsearch.errors import ExtractionError
from archsearch.ingest.extract import ExtractLimits, extract

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LIMITS = ExtractLimits()
NO_TESSERACT = ExtractLimits(tesseract="/nonexistent/tesseract")
PAGE_ONE = "Quyết định số 821/QĐ-BQP về việc ban hành Quy chế công tác văn thư, lưu trữ trong Bộ Quốc phòng."
PAGE_TWO = "Tổng cục Công nghiệp quốc phòng chỉ đạo các đơn vị thực hiện nghiêm chế độ bảo mật tài liệu."
SCAN_LINES = ["BỘ QUỐC PHÒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "Quy chế công tác văn thư"]


def new_pdf() -> FPDF:
    pdf = FPDF()  # A4, mm
    pdf.add_font("serif", "", FONT)
    pdf.set_font("serif", size=12)
    return pdf


def add_text_page(pdf: FPDF, text: str) -> None:
    pdf.add_page()
    pdf.multi_cell(0, 8, text)


def font_named(name: str, directory) -> str:
    """DejaVu Serif under another name, so a PDF set in it names `name` as its font, as a PDF
    printed from a .VnTime or VNI-Times document does. The glyph shapes do not matter: what is
    extracted is the text layer, which for such a font holds the cp1252 view of legacy bytes."""
    from fontTools.ttLib import TTFont  # installed with fpdf2

    font = TTFont(FONT)
    names = font["name"]
    names.names = [record for record in names.names if record.nameID not in (16, 17, 21, 22)]
    for record in names.names:
        if record.nameID in (1, 2, 4, 6):  # family, "Regular", full name, PostScript name
            record.string = "Regular" if record.nameID == 2 else name
    path = Path(directory) / f"{name}.ttf"
    font.save(path)
    return str(path)


def add_scanned_page(pdf: FPDF, image_path) -> None:
    pdf.add_page()
    pdf.image(str(image_path), x=0, y=0, w=210, h=297)


@pytest.fixture(scope="module")
def scanned_page_png(tmp_path_factory):
    """An A4 page at 150 dpi (A4 proportions, so the page is not stretched) with three large
    lines of Vietnamese, as a scanner would deliver it."""
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 44)
    for index, line in enumerate(SCAN_LINES):
        draw.text((120, 160 + index * 110), line, font=font, fill=0)
    path = tmp_path_factory.mktemp("scans") / "scanned_page.png"
    image.save(path)
    return path


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory, scanned_page_png):
    """Page 1 typed (text layer), page 2 a scan (image only)."""
    pdf = new_pdf()
    add_text_page(pdf, PAGE_ONE)
    add_scanned_page(pdf, scanned_page_png)
    path = tmp_path_factory.mktemp("pdfs") / "mixed.pdf"
    pdf.output(str(path))
    return path


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_digital_pdf_text_per_page_with_vietnamese_intact(tmp_path):
    pdf = new_pdf()
    add_text_page(pdf, PAGE_ONE)
    add_text_page(pdf, PAGE_TWO)
    path = tmp_path / "digital.pdf"
    pdf.output(str(path))

    result = extract(path, "pdf", LIMITS)
    assert [page.number for page in result.pages] == [1, 2]
    assert one_line(result.pages[0].text) == PAGE_ONE
    assert one_line(result.pages[1].text) == PAGE_TWO
    assert "Quyết định số 821/QĐ-BQP" in result.pages[0].text
    assert all(unicodedata.is_normalized("NFC", page.text) for page in result.pages)
    assert "\f" not in result.text
    assert not any(page.ocr or page.ocr_failed for page in result.pages)
    assert result.warnings == []


def test_fully_decomposed_text_is_recovered(tmp_path):
    # pdfminer tears stacked combining marks off their letters; the page is read with pdfium.
    pdf = new_pdf()
    add_text_page(pdf, unicodedata.normalize("NFD", PAGE_ONE))
    path = tmp_path / "nfd.pdf"
    pdf.output(str(path))
    assert one_line(extract(path, "pdf", LIMITS).pages[0].text) == PAGE_ONE


def test_mixed_pdf_ocrs_only_the_scanned_page(mixed_pdf):
    result = extract(mixed_pdf, "pdf", LIMITS)
    typed, scanned = result.pages
    assert one_line(typed.text) == PAGE_ONE and not typed.ocr
    assert scanned.ocr and not scanned.ocr_failed
    # Tesseract's `vie` model reads clean large print exactly (shared notes: CER ~0.1 %).
    assert "BỘ QUỐC PHÒNG" in scanned.text
    assert "Quy chế công tác văn thư" in scanned.text
    assert result.ocr_pages == 1
    assert result.warnings == []


def test_ocr_unavailable_marks_the_page_and_keeps_the_document(mixed_pdf):
    result = extract(mixed_pdf, "pdf", NO_TESSERACT)
    typed, scanned = result.pages
    assert one_line(typed.text) == PAGE_ONE
    assert scanned.ocr_failed and not scanned.ocr and scanned.text == ""
    assert result.warnings == [
        "page 2: OCR failed: tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-vie"
    ]


def test_ocr_timeout_marks_the_page(mixed_pdf):
    result = extract(mixed_pdf, "pdf", ExtractLimits(ocr_timeout=0.001))
    assert result.pages[1].ocr_failed and result.pages[1].text == ""
    assert result.warnings == ["page 2: OCR failed: tesseract timed out after 0.001s"]
    assert "Quyết định số 821/QĐ-BQP" in result.pages[0].text


def test_page_with_little_text_and_no_image_keeps_its_text(tmp_path):
    pdf = new_pdf()
    add_text_page(pdf, PAGE_ONE)
    add_text_page(pdf, "Trang 2")  # a nearly blank page: no scan, nothing to OCR
    path = tmp_path / "short_page.pdf"
    pdf.output(str(path))
    result = extract(path, "pdf", NO_TESSERACT)  # OCR would fail loudly if it were attempted
    assert result.pages[1].text == "Trang 2"
    assert not result.pages[1].ocr_failed
    assert result.warnings == []


def test_truncated_pdf_is_refused(tmp_path):
    pdf = new_pdf()
    add_text_page(pdf, PAGE_ONE)
    data = bytes(pdf.output())
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as caught:
        extract(path, "pdf", LIMITS)
    assert caught.value.reason.startswith("truncated or corrupt PDF: ")


def test_encrypted_pdf_is_refused(tmp_path):
    pdf = new_pdf()
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    add_text_page(pdf, PAGE_ONE)
    path = tmp_path / "encrypted.pdf"
    pdf.output(str(path))
    with pytest.raises(ExtractionError) as caught:
        extract(path, "pdf", LIMITS)
    assert caught.value.reason.startswith("encrypted PDF")


def test_text_file_named_pdf_is_text_and_not_readable_as_pdf(tmp_path):
    path = tmp_path / "bao_cao.pdf"
    path.write_text("Báo cáo tổng kết năm 2020\n", encoding="utf-8")
    assert kind_for_mime(detect_mime(path), path) == "text"
    assert extract(path, "text", LIMITS).text == "Báo cáo tổng kết năm 2020"
    with pytest.raises(ExtractionError) as caught:
        extract(path, "pdf", LIMITS)  # forcing the wrong extractor still fails cleanly
    assert caught.value.reason.startswith("truncated or corrupt PDF")


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError):
        detect_mime(path)
    with pytest.raises(ExtractionError) as caught:
        extract(path, "pdf", LIMITS)
    assert caught.value.reason.startswith("truncated or corrupt PDF")


def test_garbage_after_a_pdf_header_is_refused(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(ExtractionError) as caught:
        extract(path, "pdf", LIMITS)
    assert caught.value.reason.startswith("truncated or corrupt PDF")


def test_too_many_pages(tmp_path):
    pdf = new_pdf()
    for text in (PAGE_ONE, PAGE_TWO, PAGE_ONE):
        add_text_page(pdf, text)
    path = tmp_path / "three_pages.pdf"
    pdf.output(str(path))
    with pytest.raises(ExtractionError) as caught:
        extract(path, "pdf", ExtractLimits(max_pages=2))
    assert caught.value.reason == "too many pages (3 > 2)"


def test_owner_password_only_pdf_is_readable(tmp_path):
    # Permissions-only encryption (empty user password) opens without a password.
    pdf = new_pdf()
    pdf.set_encryption(owner_password="chu-so-huu")
    add_text_page(pdf, PAGE_ONE)
    path = tmp_path / "permissions_only.pdf"
    pdf.output(str(path))
    assert one_line(extract(path, "pdf", LIMITS).text) == PAGE_ONE


def test_page_of_unmapped_glyphs_is_sent_to_ocr(tmp_path):
    # pdfminer writes "(cid:N)" for glyphs without a Unicode mapping: never indexed, and a page
    # full of them is printed text that only OCR can read.
    import pypdfium2

    from archsearch.ingest.extract.pdf import _page_text

    pdf = new_pdf()
    pdf.add_page()
    pdf.rect(20, 20, 120, 8, style="F")  # something printed: a blank page is never sent to OCR
    path = tmp_path / "glyphs.pdf"
    pdf.output(str(path))
    document = pypdfium2.PdfDocument(path)
    warnings: list[str] = []
    page, blocked = _page_text(1, "(cid:12)(cid:40) " * 40, document[0], NO_TESSERACT, None, warnings)
    assert page.ocr_failed and page.text == ""
    assert warnings == ["page 1: OCR failed: tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-vie"]
    assert blocked is not None  # later pages do not run a missing binary again
    few, _ = _page_text(1, "Trang (cid:3)2", document[0], NO_TESSERACT, None, warnings)
    assert few.text == "Trang 2" and not few.ocr_failed
    document.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_pdf_never_escapes_as_a_library_exception(tmp_path, data):
    pdf = new_pdf()
    add_text_page(pdf, PAGE_ONE)
    original = bytearray(pdf.output())
    for _ in range(data.draw(st.integers(1, 8))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(original[: data.draw(st.integers(1, len(original)))]))
    try:
        result = extract(path, "pdf", NO_TESSERACT)
    except ExtractionError as exc:
        assert exc.reason
    else:
        assert all(unicodedata.is_normalized("NFC", page.text) for page in result.pages)


def test_text_layer_in_legacy_fonts_is_converted_by_the_font(tmp_path):
    # A page mixing TCVN3 and VNI: from the text alone the page reads as VNI and the short
    # TCVN3 line stays "Sè: 821/Q§-BQP". The font of each character converts each line with
    # its own table, and leaves the Unicode line alone.
    pdf = new_pdf()
    pdf.add_font("vntime", "", font_named(".VnTime", tmp_path))
    pdf.add_font("vni", "", font_named("VNI-Times", tmp_path))
    pdf.add_page()
    for family, text in (("vntime", "Sè: 821/Q§-BQP"), ("vni", "Khoa hoïc coâng ngheä"), ("serif", "Bản sao")):
        pdf.set_font(family, size=12)
        pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "cu.pdf"
    pdf.output(str(path))
    result = extract(path, "pdf", LIMITS)
    assert [line for line in result.text.split("\n") if line] == ["Số: 821/QĐ-BQP", "Khoa học công nghệ", "Bản sao"]
    assert result.warnings == ["page 1: converted from TCVN3 (ABC) and VNI-Windows"]
