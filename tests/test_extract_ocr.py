"""extract.ocr and extract.image: Tesseract as a subprocess, images bounded before decoding.

Real OCR runs on one small line image and on a two-frame TIFF of single short lines (well under
a second each); the failure paths use a missing binary, a tiny timeout or a stand-in script.
"""

from __future__ import annotations

import os
import struct
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFont

from archsearch.errors import ExtractionError, OcrUnavailable
from archsearch.ingest.extract import ExtractLimits, extract
from archsearch.ingest.extract.ocr import OcrTimeout, ocr_image, tesseract_available

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LIMITS = ExtractLimits()
NO_TESSERACT = ExtractLimits(tesseract="/nonexistent/tesseract")


def line_image(text: str, size=(1400, 200), mode="L") -> Image.Image:
    """One line of print at roughly 14 pt scanned at 300 dpi."""
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).text((60, 60), text, font=ImageFont.truetype(FONT, 60), fill="black")
    return image


def fake_tesseract(tmp_path, script: str) -> str:
    path = tmp_path / "tesseract"
    path.write_text("#!/bin/sh\ncat > /dev/null\n" + script)
    path.chmod(0o755)
    return str(path)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width×height; its pixel data is a few bytes of nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def test_ocr_image_reads_vietnamese_as_nfc():
    text = ocr_image(line_image("Quyết định số 821"), LIMITS, dpi=300)
    assert text.strip() == "Quyết định số 821"


def test_multipage_tiff_gives_one_ocr_page_per_frame(tmp_path):
    path = tmp_path / "two_frames.tif"
    first, second = line_image("Trang một", (700, 180)), line_image("Trang hai", (700, 180), mode="RGB")
    first.save(path, save_all=True, append_images=[second], dpi=(300, 300))
    result = extract(path, "image", LIMITS, mime="image/tiff")
    assert [(page.number, page.text, page.ocr) for page in result.pages] == [
        (1, "Trang một", True),
        (2, "Trang hai", True),
    ]
    assert result.mime == "image/tiff"


def test_tesseract_missing_raises_ocr_unavailable():
    with pytest.raises(OcrUnavailable) as caught:
        ocr_image(line_image("x"), NO_TESSERACT)
    assert caught.value.reason == "tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-vie"


def test_image_without_ocr_raises_ocr_unavailable(tmp_path):
    path = tmp_path / "scan.png"
    line_image("Công văn").save(path)
    with pytest.raises(OcrUnavailable):
        extract(path, "image", NO_TESSERACT)


def test_timeout_raises_ocr_timeout(tmp_path):
    limits = ExtractLimits(ocr_timeout=0.001)
    with pytest.raises(OcrTimeout) as caught:
        ocr_image(line_image("Quyết định"), limits)
    assert caught.value.reason == "tesseract timed out after 0.001s"
    path = tmp_path / "scan.png"
    line_image("Quyết định").save(path)
    with pytest.raises(OcrUnavailable):  # the only frame failed: no text at all
        extract(path, "image", limits)


def test_missing_language_model_is_reported():
    with pytest.raises(OcrUnavailable) as caught:
        ocr_image(line_image("x"), ExtractLimits(ocr_language="xyz"))
    assert caught.value.reason.startswith("tesseract language 'xyz' not installed")
    assert not tesseract_available(ExtractLimits(ocr_language="xyz"))


def test_tesseract_available():
    assert tesseract_available(LIMITS)
    assert not tesseract_available(NO_TESSERACT)


def test_tesseract_gets_one_thread_without_touching_os_environ(tmp_path):
    before = os.environ.get("OMP_THREAD_LIMIT")
    command = fake_tesseract(tmp_path, 'echo "threads=$OMP_THREAD_LIMIT args=$*"\n')
    text = ocr_image(line_image("x"), ExtractLimits(tesseract=command), dpi=300)
    assert text.strip() == "threads=1 args=stdin stdout -l vie --oem 1 --psm 3 --dpi 300"
    assert os.environ.get("OMP_THREAD_LIMIT") == before


def test_tesseract_keeps_glibc_default_malloc_trimming_under_a_dask_worker(tmp_path, monkeypatch):
    # A Dask nanny starts its workers with MALLOC_TRIM_THRESHOLD_=65536; Tesseract inheriting it
    # faulted 58 % more pages per scan (bench/cluster.py's overhead against local --jobs).
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setenv("ARCHSEARCH_TEST_MARK", "kept")
    command = fake_tesseract(tmp_path, 'echo "trim=${MALLOC_TRIM_THRESHOLD_-unset} mark=$ARCHSEARCH_TEST_MARK"\n')
    text = ocr_image(line_image("x"), ExtractLimits(tesseract=command), dpi=300)
    assert text.strip() == "trim=unset mark=kept"
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"


def test_failing_tesseract_reports_its_last_stderr_line(tmp_path):
    command = fake_tesseract(tmp_path, 'echo "Warning: noise" >&2\necho "Error in pixReadMem" >&2\nexit 3\n')
    with pytest.raises(OcrUnavailable) as caught:
        ocr_image(line_image("x"), ExtractLimits(tesseract=command))
    assert caught.value.reason == "tesseract failed: Error in pixReadMem"


def test_image_declaring_huge_size_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(100_000, 100_000))
    with pytest.raises(ExtractionError) as caught:
        extract(path, "image", LIMITS)
    assert caught.value.reason.startswith("image too large")


def test_image_over_the_configured_pixel_limit_is_refused(tmp_path):
    path = tmp_path / "scan.png"
    Image.new("L", (400, 300), 255).save(path)
    with pytest.raises(ExtractionError) as caught:
        extract(path, "image", ExtractLimits(max_image_pixels=100_000, tesseract="/nonexistent/tesseract"))
    assert caught.value.reason == "image too large: 400×300 pixels exceeds limit of 100000"


def test_transparent_png_is_flattened_on_white(tmp_path):
    # Black text on a fully transparent black background: read naively it is all black.
    image = Image.new("RGBA", (1400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((60, 60), "Hồ sơ lưu trữ", font=ImageFont.truetype(FONT, 60), fill=(0, 0, 0, 255))
    path = tmp_path / "transparent.png"
    image.save(path)
    from archsearch.ingest.extract.image import _prepared_frame

    with Image.open(path) as opened:
        gray, _ = _prepared_frame(opened, LIMITS)
    assert gray.mode == "L"
    assert gray.getpixel((5, 5)) == 255  # background now white
    assert gray.getextrema() == (0, 255)  # text still black


# -- OCR work bounded per file (issue #12, item 10) ---------------------------------------

SCANS = os.path.join(os.path.dirname(__file__), "..", "sample_docs", "ban-scan")


@pytest.fixture
def tesseract_runs(monkeypatch):
    """Every Tesseract run (ocr_image's subprocess), counted."""
    import subprocess

    from archsearch.ingest.extract import ocr

    runs = []
    run = subprocess.run

    def counting(command, *args, **kwargs):
        if command and command[0] == LIMITS.tesseract and "stdin" in command:
            runs.append(command)
        return run(command, *args, **kwargs)

    monkeypatch.setattr(ocr.subprocess, "run", counting)
    return runs


def test_a_tiff_of_1500_blank_tiny_frames_is_read_without_running_tesseract(tmp_path, tesseract_runs):
    import time

    path = tmp_path / "frames.tif"
    frames = [Image.new("L", (8, 8), 255) for _ in range(1500)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert path.stat().st_size < 400_000
    started = time.monotonic()
    result = extract(path, "image", LIMITS, mime="image/tiff")
    assert len(result.pages) == 1500 and not any(page.text for page in result.pages)
    assert tesseract_runs == []
    assert time.monotonic() - started < 30  # 198 s of OCR before; a bound, not a benchmark
    # A blank full page and a strip too thin for a line of text are not OCR'd either; a frame
    # with a line of print beside them is.
    mixed = tmp_path / "mixed.tif"
    Image.new("L", (1654, 2339), 255).save(mixed, save_all=True, append_images=[
        Image.new("L", (1400, 12), 0), line_image("Trang một", (700, 180))], dpi=(300, 300))
    result = extract(mixed, "image", LIMITS, mime="image/tiff")
    assert [page.text for page in result.pages] == ["", "", "Trang một"]
    assert len(tesseract_runs) == 1


def test_a_real_scan_is_still_read(tesseract_runs):
    result = extract(os.path.join(SCANS, "tb-48-1991.png"), "image", LIMITS, mime="image/png")
    assert "nhà ăn tập thể ca đêm" in " ".join(result.pages[0].text.split())
    assert len(tesseract_runs) == 1


def test_a_file_over_the_ocr_pixel_budget_fails_with_its_reason_before_any_ocr(tmp_path, tesseract_runs):
    path = tmp_path / "scans.tif"
    pages = [line_image(f"Trang {n}", (700, 180)) for n in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    limits = ExtractLimits(max_ocr_pixels_per_file=2 * 700 * 180)
    with pytest.raises(ExtractionError) as caught:
        extract(path, "image", limits)
    assert caught.value.reason == ("too much to OCR: more than 252,000 pixels of scanned pages or frames in one "
                                   "file (max_ocr_pixels_per_file)")
    assert tesseract_runs == []
    with pytest.raises(ExtractionError) as caught:  # a scanned PDF page at 300 dpi: 8.7 M pixels
        extract(os.path.join(SCANS, "qd-821-1987.pdf"), "pdf", ExtractLimits(max_ocr_pixels_per_file=1_000_000))
    assert caught.value.reason.startswith("too much to OCR: more than 1,000,000 pixels")
    assert tesseract_runs == []
    assert len(extract(path, "image", ExtractLimits(max_ocr_pixels_per_file=3 * 700 * 180)).pages) == 3
