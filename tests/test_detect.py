"""detect: MIME from content and the extractor kind, whatever the file is named."""

from __future__ import annotations

import os
import zipfile

import docx
import pytest
from fpdf import FPDF
from PIL import Image

from archsearch.ingest.detect import DOCX_MIME, detect_mime, kind_for_mime
from archsearch.errors import ExtractionError

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def kind_of(path):
    return kind_for_mime(detect_mime(path), path)


def write_pdf(path):
    pdf = FPDF()
    pdf.add_font("serif", "", FONT)
    pdf.add_page()
    pdf.set_font("serif", size=12)
    pdf.cell(0, 10, "Quyết định số 821/QĐ-BQP")
    pdf.output(str(path))


def write_docx(path):
    document = docx.Document()
    document.add_paragraph("Công văn số 1234/BQP-VP")
    document.save(str(path))


def test_pdf_is_detected_from_content(tmp_path):
    path = tmp_path / "quyet_dinh.bin"  # the name says nothing; the content decides
    write_pdf(path)
    assert detect_mime(path) == "application/pdf"
    assert kind_of(path) == "pdf"


def test_text_named_pdf_is_text_not_pdf(tmp_path):
    path = tmp_path / "not_really.pdf"
    path.write_text("Đây không phải là tệp PDF, chỉ là văn bản thường.\n", encoding="utf-8")
    assert detect_mime(path) == "text/plain"
    assert kind_of(path) == "text"


def test_empty_file_is_an_extraction_error(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError) as caught:
        detect_mime(path)
    assert caught.value.reason == "empty file"


def test_docx_is_detected(tmp_path):
    path = tmp_path / "cong_van.docx"
    write_docx(path)
    assert kind_of(path) == "docx"


def test_docx_reported_as_zip_or_octet_stream_is_confirmed_by_its_members(tmp_path):
    path = tmp_path / "cong_van.docx"
    write_docx(path)
    assert kind_for_mime("application/zip", path) == "docx"
    assert kind_for_mime("application/octet-stream", path) == "docx"
    assert kind_for_mime(DOCX_MIME, path) == "docx"


def test_plain_zip_is_unsupported(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    assert detect_mime(path) == "application/zip"
    assert kind_of(path) is None
    # Even when libmagic claims DOCX, a zip without word/document.xml is not one.
    assert kind_for_mime(DOCX_MIME, path) is None


def test_binary_junk_is_unsupported(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(os.urandom(4096))
    assert detect_mime(path) == "application/octet-stream"
    assert kind_of(path) is None


def test_html_with_doctype_is_html(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><head><title>Thông báo</title></head><body>x</body></html>")
    assert detect_mime(path) == "text/html"
    assert kind_of(path) == "html"


def test_html_reported_as_plain_text_or_xml_is_sniffed(tmp_path):
    path = tmp_path / "fragment.htm"
    path.write_text("\n\n<HTML><body><p>Thông báo</p></body></HTML>")
    assert kind_for_mime("text/plain", path) == "html"
    assert kind_for_mime("text/xml", path) == "html"


def test_plain_text_mentioning_no_html_stays_text(tmp_path):
    path = tmp_path / "ghi_chu.txt"
    path.write_text("Ghi chú: so sánh a < b và b > c.\n", encoding="utf-8")
    assert kind_for_mime("text/plain", path) == "text"


def test_images_are_detected(tmp_path):
    for name, fmt, mime in (("scan.png", "PNG", "image/png"), ("scan.tif", "TIFF", "image/tiff"),
                            ("scan.jpg", "JPEG", "image/jpeg")):
        path = tmp_path / name
        Image.new("L", (64, 64), 255).save(path, format=fmt)
        assert detect_mime(path) == mime
        assert kind_of(path) == "image"


def test_unknown_types_are_unsupported(tmp_path):
    assert kind_for_mime("application/x-executable", tmp_path / "a.out") is None
    assert kind_for_mime("video/mp4", tmp_path / "clip.mp4") is None
    assert kind_for_mime("application/msword", tmp_path / "old.doc") is None
