#!/usr/bin/env python3
"""Regenerate `sample_docs/`, the small archive a new archsearch user indexes first.

What it generates (about 60 documents) and why:

* ~40 fictional administrative documents of a defence-industry office (texts in
  `scripts/sample_texts.py`), laid out as Nghị định 30/2020/NĐ-CP prescribes: tên cơ quan and
  Quốc hiệu, "Số: 821/QĐ-BQP", place and date, tên loại + trích yếu, Căn cứ / Điều, Nơi nhận and
  the signature block. Party documents ("Số 06-NQ/ĐU"), a legal normative document
  ("15/2017/TT-BQP") and công văn ("V/v ...") exercise the metadata extractors.
* ~20 real articles of Luật Chăn nuôi 32/2018/QH14 from the shared corpus (public texts).
* Every format the indexer reads: digital PDF with a text layer (some multi-page), scanned PDF
  (image-only pages), one PDF whose page 1 is digital and page 2 scanned, PNG and TIFF scans (one
  multi-page TIFF), DOCX (one with a table), plain text (UTF-8, one UTF-8 with BOM, one
  Windows-1258 with CRLF) and HTML (one with <script>/<style> whose content must not be indexed).
  Scans are the same layout rasterised at 200 dpi and degraded like a real scan (grey paper,
  rotation, blur, noise, JPEG); there are at most 10 scanned pages because OCR costs ~1.5 s each.
* Classification declared three ways: a sidecar `<file>.meta.json`, a row of
  `sample_docs/manifest.csv`, or only a MẬT / TỐI MẬT / TUYỆT MẬT stamp line under the số in the
  text (digital formats only: OCR of stamps is unreliable). Two documents declare a lower level in
  their sidecar than their stamp (the stricter wins); two carry compartments; several declare
  nothing and so default to unclassified.
* `tests/data/sample_expected.json`: for every document its format, expected effective level and
  where it comes from, compartments, doc number, date, type, title and a phrase that occurs in
  that document only, and the sample documents on the same matter (`related`) -- the ground
  truth for end-to-end tests.

Usage:
    python scripts/make_sample_docs.py            # regenerate sample_docs/ and the expectations
    python scripts/make_sample_docs.py --check    # extract every file (OCR for scans) and report
                                                  # whether its phrase comes out

The output is deterministic: fixed seeds, fixed PDF/DOCX dates, fixed ZIP timestamps, so a
second run gives byte-identical files with the same library versions.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import docx
import pypdfium2 as pdfium
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from PIL import Image, ImageChops, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_texts import ADMIN_DOCS, LAW_ARTICLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sample_docs"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.json"
DEFAULT_CORPUS = Path(os.environ.get("ARCHSEARCH_CORPUS", "/work/shared/corpus"))
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Everything under these names is regenerated; anything else in sample_docs/ is left alone.
OWNED_DIRS = ["ban-scan", "bao-cao", "cong-van", "ke-hoach", "luat-chan-nuoi", "nghi-quyet",
              "quyet-dinh", "van-ban-khac"]
OWNED_FILES = ["manifest.csv", "README.md", "SOURCE.md"]

# Fixed timestamps so that PDF and DOCX bytes do not change from run to run.
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)

SCAN_DPI = 200  # archive scanners commonly use 200 dpi greyscale; keeps the archive small
MAX_OCR_PAGES = 10
LAW_NUMBER = "32/2018/QH14"
LAW_DATE = "2018-11-19"  # adopted by the National Assembly (only declared, never in the text)
LAW_TITLE = "Luật Chăn nuôi"

LEVELS = ["unclassified", "confidential", "secret", "top-secret"]
STAMP_LEVEL = {"MẬT": "confidential", "TỐI MẬT": "secret", "TUYỆT MẬT": "top-secret"}
# Folded spellings a person might write in a sidecar or manifest (mirrors the project's rule:
# no diacritics, any case); kept independent of archsearch so the expectations are too.
SPELLINGS = {
    "unclassified": "unclassified", "public": "unclassified", "thuong": "unclassified",
    "khong mat": "unclassified", "cong khai": "unclassified",
    "confidential": "confidential", "mat": "confidential",
    "secret": "secret", "toi mat": "secret",
    "top secret": "top-secret", "tuyet mat": "top-secret",
}
DOC_TYPES = {
    None: "Công văn", "QUYẾT ĐỊNH": "Quyết định", "NGHỊ QUYẾT": "Nghị quyết",
    "BÁO CÁO": "Báo cáo", "KẾ HOẠCH": "Kế hoạch", "TỜ TRÌNH": "Tờ trình",
    "THÔNG BÁO": "Thông báo", "CHỈ THỊ": "Chỉ thị", "THÔNG TƯ": "Thông tư",
}
FOLDERS = {  # folder of a law article by format: scans live with the other scans
    "png": "ban-scan",
}


# --------------------------------------------------------------------------- small helpers

def fold(text: str) -> str:
    """Lower-case, no diacritics, đ->d, punctuation -> space: for diacritic-insensitive matching."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", text))


def seed_for(path: str) -> int:
    """A stable per-file seed (hash() is salted per process, crc32 is not)."""
    return zlib.crc32(path.encode("utf-8"))


def level_of(spelling: str | None) -> str | None:
    if spelling is None or not spelling.strip():
        return None
    key = fold(spelling.replace("-", " "))
    return SPELLINGS[key]


def stricter(*levels: str | None) -> str | None:
    known = [LEVELS.index(level) for level in levels if level]
    return LEVELS[max(known)] if known else None


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def date_line(place: str, iso: str) -> str:
    """'Hà Nội, ngày 08 tháng 6 năm 1987': day < 10 and months 1-2 get a leading zero (NĐ 30)."""
    d = dt.date.fromisoformat(iso)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def number_line(doc: dict) -> str:
    # Party documents write "Số 06-NQ/ĐU" with no colon (Hướng dẫn 36-HD/VPTW).
    return f"Số {doc['number']}" if doc.get("party") else f"Số: {doc['number']}"


def body_paragraphs(doc: dict) -> list[str]:
    return [line.strip() for line in doc["body"].strip().splitlines() if line.strip()]


def plain(paragraph: str) -> str:
    """A body paragraph without its markup, as it reads in the text."""
    if paragraph.startswith("## "):
        return paragraph[3:]
    if paragraph.startswith("# "):
        return paragraph[2:]
    if paragraph.startswith("| "):
        return " | ".join(cell.strip() for cell in paragraph[2:].split("|"))
    return paragraph


def word_count(paragraphs: list[str]) -> int:
    return sum(1 for p in paragraphs for tok in plain(p).split() if re.search(r"\w", tok))


def doc_title(doc: dict) -> str:
    """Tên loại + trích yếu, e.g. 'Quyết định về việc ...'; a công văn's 'V/v' reads 'về việc'."""
    subject = doc["subject"]
    if doc["kind"] is None:
        subject = re.sub(r"^V/v\s+", "về việc ", subject)
    return f"{DOC_TYPES[doc['kind']]} {lower_first(subject)}"


# --------------------------------------------------------------------------- document model

def admin_header(doc: dict) -> tuple[list[str], list[str]]:
    """Left (tên cơ quan, số, V/v, stamps) and right (Quốc hiệu, date) header columns."""
    left = list(doc["org"]) + (["*"] if doc.get("party") else [])
    left.append(number_line(doc))
    if doc["kind"] is None:
        left.append(doc["subject"])
    left += [s for s in (doc.get("stamp"), doc.get("urgency")) if s]
    if doc.get("party"):
        right = ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    else:
        right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    right.append(date_line(doc["place"], doc["date"]))
    return left, right


def recipients(doc: dict) -> list[str]:
    to = doc.get("to") or []
    if len(to) == 1:
        return [f"Kính gửi: {to[0]}"]
    return (["Kính gửi:"] + [f"- {t}" for t in to]) if to else []


def title_block(doc: dict) -> list[str]:
    lines = [doc["kind"], doc["subject"]] if doc["kind"] else []
    lines += recipients(doc)
    if doc.get("authority"):
        lines.append(doc["authority"])
    return lines


def admin_lines(doc: dict) -> list[str]:
    """The document as text, one paragraph per line, blank lines between blocks.

    This is the reference ("source") text: the TXT files are exactly this, and every other
    format carries the same words.
    """
    left, right = admin_header(doc)
    lines = left + right + [""] + title_block(doc) + [""]
    lines += [plain(p) for p in body_paragraphs(doc)] + [""]
    lines += ["Nơi nhận:"] + [f"- {c}" for c in doc["cc"]] + [""]
    lines += doc["signer"] + ["", doc["name"]]
    return lines


def header_rows(doc: dict) -> list[tuple[str, str]]:
    """The header as (left, right) rows, with the date on the row of the số as on paper."""
    left, right = admin_header(doc)
    number_row = left.index(number_line(doc))
    right = right[:-1] + [""] * max(0, number_row - len(right) + 1) + right[-1:]
    rows = max(len(left), len(right))
    return list(zip(left + [""] * (rows - len(left)), right + [""] * (rows - len(right))))


def columns_lines(doc: dict) -> list[str]:
    """The header as two space-separated columns, as old plain-text exports look."""
    left, right = admin_header(doc)
    header = [(f"{a:<48}{b}" if b else a).rstrip() for a, b in header_rows(doc)]
    return header + admin_lines(doc)[len(left) + len(right):]


def law_parts(text: str) -> dict:
    """Split a corpus article: header lines, law title, article heading, paragraphs."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    assert lines[0] == "QUỐC HỘI" and lines[1].startswith("Luật số:"), lines[:2]
    assert lines[2] == "LUẬT CHĂN NUÔI" and lines[3].startswith("Điều "), lines[2:4]
    return dict(header=lines[:2], law=lines[2], heading=lines[3], paras=lines[4:])


# --------------------------------------------------------------------------- PDF layout

LEFT_COL = (16.0, 86.0)    # x, width (mm) of the tên cơ quan column
RIGHT_COL = (100.0, 104.0)  # x, width (mm) of the Quốc hiệu column
BODY_SIZE = 12  # NĐ 30 asks 13-14 pt Times; DejaVu Serif is ~8 % wider, so 12 pt
LINE_H = 6.0


class DocPDF(FPDF):
    """A4 page with DejaVu Serif (a Unicode TTF with every Vietnamese letter)."""

    def __init__(self, title: str | None = None):
        super().__init__(format="A4")
        self.set_margins(30, 20, 15)  # NĐ 30: left 30-35 mm, right 15-20 mm
        self.set_auto_page_break(True, 20)
        for style, name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf"),
                            ("I", "DejaVuSerif-Italic.ttf"), ("BI", "DejaVuSerif-BoldItalic.ttf")):
            self.add_font("serif", style, str(FONT_DIR / name))
        self.set_creation_date(FIXED_DATE)
        if title:
            self.set_title(title)
        self.number_pages = True

    def header(self):
        # NĐ 30: page numbers from page 2, centred in the top margin.
        if self.number_pages and self.page_no() > 1:
            self.set_font("serif", "", 11)
            self.set_y(10)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(self.t_margin)


def set_fitting_font(pdf: FPDF, text: str, style: str, size: float, width: float) -> None:
    """DejaVu is wider than Times New Roman: shrink long names so they stay on one line."""
    pdf.set_font("serif", style, size)
    while pdf.get_string_width(text) > width - 2 and size > 8:
        size -= 0.5
        pdf.set_font("serif", style, size)


def centred(pdf: FPDF, col: tuple[float, float], text: str, style: str = "", size: float = 13,
            h: float = 6.0) -> None:
    x, w = col
    set_fitting_font(pdf, text, style, size, w)
    pdf.set_x(x)
    pdf.cell(w, h, text, align="C", new_x="LMARGIN", new_y="NEXT")


def rule(pdf: FPDF, col: tuple[float, float], length: float) -> None:
    x, w = col
    y = pdf.get_y() + 1.2
    pdf.line(x + (w - length) / 2, y, x + (w + length) / 2, y)
    pdf.ln(2.5)


def boxed(pdf: FPDF, col: tuple[float, float], text: str) -> None:
    """A stamp (dấu chỉ độ mật / độ khẩn): bold capitals in a rectangle, alone on its line."""
    x, w = col
    pdf.ln(1.5)
    pdf.set_font("serif", "B", 13)
    tw = pdf.get_string_width(text) + 6
    pdf.set_x(x + (w - tw) / 2)
    pdf.cell(tw, 7.5, text, border=1, align="C", new_x="LMARGIN", new_y="NEXT")


def draw_admin_header(pdf: DocPDF, doc: dict) -> None:
    top = pdf.get_y()
    org = doc["org"]
    for i, line in enumerate(org):
        centred(pdf, LEFT_COL, line, "B" if i == len(org) - 1 else "", 12.5)
    if doc.get("party"):
        centred(pdf, LEFT_COL, "*", "", 12)
    else:
        rule(pdf, LEFT_COL, 28)
    pdf.ln(1)
    number_y = pdf.get_y()
    centred(pdf, LEFT_COL, number_line(doc), "", 13)
    if doc["kind"] is None:  # công văn: trích yếu under the số
        pdf.set_font("serif", "", 12)
        pdf.set_x(LEFT_COL[0] + 6)
        pdf.multi_cell(LEFT_COL[1] - 12, 5.5, doc["subject"], align="C",
                       new_x="LMARGIN", new_y="NEXT")
    for stamp in (doc.get("stamp"), doc.get("urgency")):
        if stamp:
            boxed(pdf, LEFT_COL, stamp)
    left_bottom = pdf.get_y()

    pdf.set_y(top)
    if doc.get("party"):
        centred(pdf, RIGHT_COL, "ĐẢNG CỘNG SẢN VIỆT NAM", "B", 13)
        rule(pdf, RIGHT_COL, 60)
    else:
        centred(pdf, RIGHT_COL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 12.5)
        centred(pdf, RIGHT_COL, "Độc lập - Tự do - Hạnh phúc", "B", 13)
        rule(pdf, RIGHT_COL, 58)
    pdf.set_y(max(pdf.get_y() + 1, number_y))
    centred(pdf, RIGHT_COL, date_line(doc["place"], doc["date"]), "I", 13)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 7)


def draw_title_block(pdf: DocPDF, doc: dict) -> None:
    full = (pdf.l_margin, pdf.w - pdf.l_margin - pdf.r_margin)
    if doc["kind"]:
        centred(pdf, full, doc["kind"], "B", 14, 7)
        pdf.set_font("serif", "B", 14)
        pdf.multi_cell(0, 7, doc["subject"], align="C", new_x="LMARGIN", new_y="NEXT")
        rule(pdf, full, 40)
    for line in recipients(doc):
        pdf.ln(2)
        pdf.set_font("serif", "", 14)
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.get("authority"):
        pdf.ln(3)
        centred(pdf, full, doc["authority"], "B", 14, 7)
    pdf.ln(4)


ARTICLE_RE = re.compile(r"^(Điều \d+\.)\s")


def draw_paragraph(pdf: DocPDF, para: str) -> None:
    if para.startswith("# "):
        pdf.set_font("serif", "B", 13.5)
        pdf.multi_cell(0, 7, para[2:], align="C", new_x="LMARGIN", new_y="NEXT")
    elif para.startswith("## "):
        pdf.set_font("serif", "B", BODY_SIZE)
        pdf.multi_cell(0, LINE_H, para[3:], align="L", new_x="LMARGIN", new_y="NEXT")
    elif para.startswith("| "):
        cells = [c.strip() for c in para[2:].split("|")]
        pdf.set_font("serif", "", 11)
        width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(cells)
        for cell in cells:
            pdf.cell(width, 6.5, cell, border=1, align="C")
        pdf.ln(6.5)
        return
    elif ARTICLE_RE.match(para) and len(para.split()) <= 12 and not para.endswith("."):
        # "Điều 1. Phạm vi điều chỉnh": an article heading, all bold.
        pdf.set_font("serif", "B", BODY_SIZE)
        pdf.multi_cell(0, LINE_H, para, align="L", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("serif", "", BODY_SIZE)
        text = ARTICLE_RE.sub(lambda m: f"**{m.group(1)}** ", para)  # bold "Điều 1."
        pdf.multi_cell(0, LINE_H, text, align="J", markdown=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.8)


def draw_tail(pdf: DocPDF, doc: dict) -> None:
    """Nơi nhận (bottom left) and the signature block (bottom right), kept on one page."""
    need = max(8 + 5.5 * len(doc["cc"]), 6.5 * len(doc["signer"]) + 28)
    if pdf.get_y() + need + 4 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(3)
    top = pdf.get_y()
    pdf.set_xy(20, top)
    pdf.set_font("serif", "BI", 12)
    pdf.cell(80, 6, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 11)
    for item in doc["cc"]:
        pdf.set_x(20)
        pdf.multi_cell(82, 5.2, f"- {item}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top)
    for line in doc["signer"]:
        centred(pdf, RIGHT_COL, line, "B", 13, 6.5)
    pdf.ln(20)  # room for the signature and the seal
    centred(pdf, RIGHT_COL, doc["name"], "B", 13, 6.5)


def admin_pdf(doc: dict, part: str = "all", title: str | None = None) -> DocPDF:
    """Lay out an administrative document; part='first'/'rest' split it for the mixed PDF."""
    pdf = DocPDF(title)
    pdf.add_page()
    paras = body_paragraphs(doc)
    split = doc.get("split", len(paras))
    if part in ("all", "first"):
        draw_admin_header(pdf, doc)
        draw_title_block(pdf, doc)
    for para in paras[:split] if part == "first" else paras[split:] if part == "rest" else paras:
        draw_paragraph(pdf, para)
    if part in ("all", "rest"):
        draw_tail(pdf, doc)
    return pdf


def law_pdf(text: str, title: str | None = None) -> DocPDF:
    parts = law_parts(text)
    pdf = DocPDF(title)
    pdf.add_page()
    centred(pdf, LEFT_COL, parts["header"][0], "B", 13)
    rule(pdf, LEFT_COL, 22)
    centred(pdf, LEFT_COL, parts["header"][1], "", 13)
    pdf.ln(8)
    centred(pdf, (pdf.l_margin, pdf.w - pdf.l_margin - pdf.r_margin), parts["law"], "B", 15, 8)
    pdf.ln(5)
    pdf.set_font("serif", "B", BODY_SIZE)
    pdf.multi_cell(0, LINE_H, parts["heading"], align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for para in parts["paras"]:
        pdf.set_font("serif", "", BODY_SIZE)
        pdf.multi_cell(0, LINE_H, para, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.8)
    return pdf


# --------------------------------------------------------------------------- scans

def noise_image(rng: random.Random, size: tuple[int, int], amplitude: float) -> Image.Image:
    """Zero-mean noise centred on 128 (sum of two uniforms: close enough to Gaussian).

    Built from rng.randbytes, not Image.effect_noise, because the latter is not seedable.
    """
    w, h = size
    a = Image.frombytes("L", size, rng.randbytes(w * h))
    b = Image.frombytes("L", size, rng.randbytes(w * h))
    n = ImageChops.add(a, b, scale=2.0)
    return n.point(lambda v: int(round(128 + (v - 128) * amplitude)))


def degrade(page: Image.Image, rng: random.Random, sensor: float) -> Image.Image:
    """Make a clean greyscale render look scanned: grey paper, skew, blur, sensor noise."""
    paper, ink = rng.randint(222, 236), rng.randint(26, 46)
    img = page.point(lambda v: ink + v * (paper - ink) // 255)
    w, h = img.size
    # Smooth low-frequency blotches (cells of ~5 mm): uneven paper tone and lighting.
    blotches = noise_image(rng, (w // 40, h // 40), 0.2).resize((w, h), Image.BICUBIC)
    img = ImageChops.add(img, blotches, scale=1.0, offset=-128)
    angle = rng.uniform(0.5, 1.5) * rng.choice((-1, 1))
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=paper)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.8)))
    return ImageChops.add(img, noise_image(rng, (w, h), sensor), scale=1.0, offset=-128)


def rasterise(pdf_bytes: bytes, seed: int, lossless: bool = False) -> list[Image.Image]:
    """Render each page at SCAN_DPI in greyscale and degrade it.

    Pages saved losslessly (PNG, TIFF) get less sensor noise: every bit of noise is paid for in
    file size there, while JPEG smooths most of it away anyway.
    """
    rng = random.Random(seed)
    document = pdfium.PdfDocument(pdf_bytes)
    pages = []
    for i in range(len(document)):
        clean = document[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
        pages.append(degrade(clean, rng, 0.04 if lossless else 0.08))
    document.close()
    return pages


def jpeg_bytes(img: Image.Image, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(45, 55), dpi=(SCAN_DPI, SCAN_DPI))
    return buf.getvalue()


def posterise(img: Image.Image) -> Image.Image:
    """16 grey levels, as a 4-bit scanner mode: keeps lossless PNG/TIFF scans small."""
    return img.point(lambda v: min(255, (v // 16) * 16 + 8))


def add_image_page(pdf: FPDF, jpeg: bytes) -> None:
    """A page whose only content is the scan (JPEG bytes are embedded as DCT, not re-encoded)."""
    pdf.add_page()
    pdf.image(io.BytesIO(jpeg), x=0, y=0, w=pdf.w, h=pdf.h)


def image_pdf(pages: list[Image.Image], seed: int) -> bytes:
    rng = random.Random(seed ^ 0x5CA9)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    for page in pages:
        add_image_page(pdf, jpeg_bytes(page, rng))
    return bytes(pdf.output())


# --------------------------------------------------------------------------- DOCX

def deterministic_docx(document: docx.document.Document, title: str) -> bytes:
    """Save a python-docx document with fixed core properties and ZIP timestamps."""
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, "Văn thư", "Văn thư"
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def new_docx() -> docx.document.Document:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.font.size = Pt(13)
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)
    return document


def para(container, text: str = "", bold=False, italic=False, align=None, size=None):
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(2)
    return p


def heading(document, text: str, level: int, align=None):
    """A real Word heading (extractors may use it), in black like a printed document."""
    h = document.add_heading(level=level)
    run = h.add_run(text)
    run.font.color.rgb = RGBColor(0, 0, 0)
    run.font.name = "Times New Roman"
    run.font.size = Pt(14 if level == 1 else 13)
    if align is not None:
        h.alignment = align
    return h


def docx_header(document, doc: dict) -> None:
    left, right = admin_header(doc)
    C = WD_ALIGN_PARAGRAPH.CENTER
    stamps = {doc.get("stamp"), doc.get("urgency")} - {None}
    if doc.get("layout") == "table":
        # The usual Word template: a borderless two-column table.
        table = document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        lcell, rcell = table.rows[0].cells
        lcell.paragraphs[0].text = ""
        for i, line in enumerate(left):
            bold = line in stamps or (i == len(doc["org"]) - 1)
            target = lcell.paragraphs[0] if i == 0 else lcell.add_paragraph()
            target.alignment = C
            target.add_run(line).bold = bold
        for i, line in enumerate(right):
            target = rcell.paragraphs[0] if i == 0 else rcell.add_paragraph()
            target.alignment = C
            run = target.add_run(line)
            run.bold, run.italic = i < len(right) - 1, i == len(right) - 1
    else:
        # Typed with a tab between the columns; the stamp rows have nothing on the right.
        for i, (a, b) in enumerate(header_rows(doc)):
            p = para(document)
            p.add_run(a).bold = a in stamps or i == len(doc["org"]) - 1
            if b:
                p.add_run("\t")
                run = p.add_run(b)
                run.bold, run.italic = b != right[-1], b == right[-1]
    para(document)


def docx_body(document, doc: dict) -> None:
    C, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    if doc["kind"]:
        heading(document, doc["kind"], 1, C)
        para(document, doc["subject"], bold=True, align=C, size=14)
    for line in recipients(doc):
        para(document, line, align=C, size=14)
    if doc.get("authority"):
        para(document, doc["authority"], bold=True, align=C, size=14)
    rows: list[list[str]] = []
    for p in body_paragraphs(doc) + [""]:
        if p.startswith("| "):
            rows.append([c.strip() for c in p[2:].split("|")])
            continue
        if rows:  # flush a table
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
                    if r == 0:
                        table.cell(r, c).paragraphs[0].runs[0].bold = True
            rows = []
        if not p:
            continue
        if p.startswith("# "):
            para(document, p[2:], bold=True, align=C)
        elif p.startswith("## "):
            heading(document, p[3:], 2)
        else:
            par = para(document, align=J)
            par.paragraph_format.first_line_indent = Cm(1)
            m = ARTICLE_RE.match(p)
            if m:
                par.add_run(m.group(1)).bold = True
                par.add_run(p[len(m.group(1)):])
            else:
                par.add_run(p)


def docx_tail(document, doc: dict) -> None:
    para(document)
    para(document, "Nơi nhận:", bold=True, italic=True, size=12)
    for item in doc["cc"]:
        para(document, f"- {item}", size=11)
    R = WD_ALIGN_PARAGRAPH.RIGHT
    para(document)
    for line in doc["signer"]:
        para(document, line, bold=True, align=R)
    para(document)
    para(document, doc["name"], bold=True, align=R)


def admin_docx(doc: dict) -> bytes:
    document = new_docx()
    docx_header(document, doc)
    docx_body(document, doc)
    docx_tail(document, doc)
    return deterministic_docx(document, doc_title(doc))


def law_docx(text: str, title: str) -> bytes:
    parts = law_parts(text)
    document = new_docx()
    for line in parts["header"]:
        para(document, line, bold=line == "QUỐC HỘI")
    heading(document, parts["law"], 1, WD_ALIGN_PARAGRAPH.CENTER)
    heading(document, parts["heading"], 2)
    for p in parts["paras"]:
        para(document, p, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    return deterministic_docx(document, title)


# --------------------------------------------------------------------------- HTML

HTML_STYLE = """\
/* bảng màu giao diện cổng nội bộ */
body { font-family: "Times New Roman", serif; max-width: 46em; margin: 2em auto; }
table.the-thuc td { vertical-align: top; text-align: center; width: 50%; }
.dau-mat { border: 2px solid #c00; color: #c00; display: inline-block; padding: 0 .4em; }
h1, h2 { text-align: center; font-size: 1.1em; }
"""
HTML_SCRIPT = """\
// bộ đếm lượt truy cập ẩn danh
(function () {
  var n = Number(localStorage.getItem("luot") || 0) + 1;
  localStorage.setItem("luot", String(n));
})();
"""


def h(text: str) -> str:
    return html.escape(text, quote=False)


def html_page(title: str, body: list[str], script: bool = False) -> str:
    head = ['<!DOCTYPE html>', '<html lang="vi">', "<head>", '<meta charset="utf-8">',
            f"<title>{h(title)}</title>"]
    if script:
        head.append(f"<style>\n{HTML_STYLE}</style>")
    tail = [f"<script>\n{HTML_SCRIPT}</script>"] if script else []
    return "\n".join(head + ["</head>", "<body>"] + body + tail + ["</body>", "</html>"]) + "\n"


def admin_html(doc: dict) -> str:
    left, right = admin_header(doc)
    stamps = {doc.get("stamp"), doc.get("urgency")} - {None}
    lcell = "".join(
        f'<p class="dau-mat"><b>{h(x)}</b></p>' if x in stamps else
        f"<p><b>{h(x)}</b></p>" if i == len(doc["org"]) - 1 else f"<p>{h(x)}</p>"
        for i, x in enumerate(left))
    rcell = "".join(f"<p><b>{h(x)}</b></p>" for x in right[:-1]) + f"<p><i>{h(right[-1])}</i></p>"
    out = ['<table class="the-thuc"><tr>', f"<td>{lcell}</td>", f"<td>{rcell}</td>",
           "</tr></table>"]
    if doc["kind"]:
        out += [f"<h1>{h(doc['kind'])}</h1>", f"<h2>{h(doc['subject'])}</h2>"]
    out += [f'<p class="kinh-gui">{h(x)}</p>' for x in recipients(doc)]
    if doc.get("authority"):
        out.append(f'<p class="tham-quyen"><b>{h(doc["authority"])}</b></p>')
    for p in body_paragraphs(doc):
        if p.startswith("# "):
            out.append(f'<p style="text-align:center"><b>{h(p[2:])}</b></p>')
        elif p.startswith("## "):
            out.append(f"<h3>{h(p[3:])}</h3>")
        else:
            m = ARTICLE_RE.match(p)
            text = f"<b>{h(m.group(1))}</b>{h(p[len(m.group(1)):])}" if m else h(p)
            out.append(f"<p>{text}</p>")
    cc = "".join(f"<p>- {h(c)}</p>" for c in doc["cc"])
    sign = "".join(f"<p><b>{h(s)}</b></p>" for s in doc["signer"])
    out += ['<table class="ky"><tr>', f"<td><p><b><i>Nơi nhận:</i></b></p>{cc}</td>",
            f'<td style="text-align:center">{sign}<p>&nbsp;</p><p><b>{h(doc["name"])}</b></p></td>',
            "</tr></table>"]
    return html_page(doc_title(doc), out, script=bool(doc.get("script")))


def law_html(text: str, title: str) -> str:
    parts = law_parts(text)
    out = [f"<p><b>{h(parts['header'][0])}</b></p>", f"<p>{h(parts['header'][1])}</p>",
           f"<h1>{h(parts['law'])}</h1>", f"<h2>{h(parts['heading'])}</h2>"]
    out += [f"<p>{h(p)}</p>" for p in parts["paras"]]
    return html_page(title, out)


# --------------------------------------------------------------------------- text encodings

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Windows-1258: letters it lacks are written as base letter (â ê ô ơ ư ă kept) + tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        head = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONE_MARKS))
        out += (head + "".join(m for m in marks if m in TONE_MARKS)).encode("cp1258")
    data = bytes(out)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text, "cp1258 round trip failed"
    return data


def write_text(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> None:
    text = newline.join(lines) + newline
    if encoding == "cp1258":
        data = encode_cp1258(text)
    elif encoding == "tcvn3":  # pre-Unicode ABC encoding; capitals with tones fall to lower case
        from archsearch.ingest.legacy_encodings import TCVN3

        data = TCVN3.encode(text)
    else:
        data = text.encode(encoding)
    path.write_bytes(data)


# --------------------------------------------------------------------------- building documents

class Built:
    """One generated document: its file, reference text and expectation."""

    def __init__(self, rel: str, fmt: str, text: str, expected: dict, meta: dict | None,
                 meta_where: str | None, ocr_pages: int = 0):
        self.rel, self.fmt, self.text, self.expected = rel, fmt, text, expected
        self.meta, self.meta_where, self.ocr_pages = meta, meta_where, ocr_pages


def declared_meta(spec: dict, values: dict) -> tuple[dict | None, str | None]:
    """The sidecar / manifest record a spec declares, and where it goes."""
    level = spec.get("level")
    keys = spec.get("meta", ())
    keys = ("title", "doc_number", "date", "doc_type", "issuer") if keys == "all" else tuple(keys)
    record = {k: values[k] for k in keys if values.get(k)}
    if level is not None:
        record = {"classification": level[1], **record}
    if spec.get("compartments"):
        record["compartments"] = list(spec["compartments"])
    if not record:
        return None, None
    return record, (level[0] if level else "sidecar")


def expectation(rel: str, fmt: str, spec: dict, stamp: str | None, values: dict,
                record: dict | None, where: str | None) -> dict:
    declared = level_of(record.get("classification")) if record else None
    stamped = STAMP_LEVEL[stamp] if stamp else None
    if declared and stamped:
        source = f"{where}+stamp"
    else:
        source = where if declared else "stamp" if stamped else "default"
    assert source in {"sidecar", "manifest", "stamp", "sidecar+stamp", "default"}, (rel, source)
    record = record or {}
    exp = {
        "path": rel, "format": fmt,
        "level": stricter(declared, stamped) or "unclassified", "level_source": source,
        "compartments": list(record.get("compartments", [])),
        "phrase": unicodedata.normalize("NFC", spec["phrase"]),
        "doc_number": record.get("doc_number", values["doc_number"]),
        "date": record.get("date", values["date"]),
        "doc_type": record.get("doc_type", values["doc_type"]),
        "title": record.get("title", values["title"]),
    }
    if spec.get("absent"):
        exp["absent"] = list(spec["absent"])  # in <script>/<style> only: must not be indexed
    if spec.get("related"):
        exp["related"] = list(spec["related"])  # same matter: `similar` ranks them in its top 3
    return exp


def build_admin(doc: dict) -> Built:
    rel, fmt = doc["path"], doc["fmt"]
    path = OUT / rel
    seed = seed_for(rel)
    title = doc_title(doc)
    ocr_pages = 0
    if fmt == "txt":
        lines = columns_lines(doc) if doc.get("layout") == "columns" else admin_lines(doc)
        write_text(path, lines, doc.get("encoding", "utf-8"), doc.get("newline", "\n"))
    elif fmt == "pdf":
        path.write_bytes(bytes(admin_pdf(doc, title=title).output()))
    elif fmt == "scanned-pdf":
        pages = rasterise(bytes(admin_pdf(doc).output()), seed)
        path.write_bytes(image_pdf(pages, seed))
        ocr_pages = len(pages)
    elif fmt == "mixed-pdf":
        # Page 1 digital; page 2 is the signed page, printed, signed and scanned back in.
        rest = bytes(admin_pdf(doc, part="rest").output())
        [scan] = rasterise(rest, seed)
        pdf = admin_pdf(doc, part="first", title=title)
        assert pdf.page_no() == 1, "mixed PDF: page 1 content overflows"
        pdf.number_pages = False
        add_image_page(pdf, jpeg_bytes(scan, random.Random(seed)))
        path.write_bytes(bytes(pdf.output()))
        ocr_pages = 1
    elif fmt in ("png", "tiff"):
        clean = bytes(admin_pdf(doc).output())
        pages = [posterise(p) for p in rasterise(clean, seed, lossless=True)]
        save_scan_image(path, pages, fmt)
        ocr_pages = len(pages)
    elif fmt == "docx":
        path.write_bytes(admin_docx(doc))
    elif fmt == "html":
        path.write_text(admin_html(doc), encoding="utf-8")
    else:
        raise ValueError(fmt)
    values = dict(title=title, doc_number=doc["number"], date=doc["date"],
                  doc_type=DOC_TYPES[doc["kind"]], issuer=doc["org"][-1])
    record, where = declared_meta(doc, values)
    exp = expectation(rel, fmt, doc, doc.get("stamp") if fmt in DIGITAL else None, values,
                      record, where)
    return Built(rel, fmt, "\n".join(admin_lines(doc)), exp, record, where, ocr_pages)


DIGITAL = {"pdf", "docx", "txt", "html"}  # formats whose stamp line is reliably extracted
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "txt": "txt", "html": "html", "png": "png",
              "tiff": "tif"}


def save_scan_image(path: Path, pages: list[Image.Image], fmt: str) -> None:
    if fmt == "png":
        [page] = pages
        page.save(path, format="PNG", optimize=True, dpi=(SCAN_DPI, SCAN_DPI))
    else:
        pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:],
                      compression="tiff_adobe_deflate", dpi=(SCAN_DPI, SCAN_DPI))


def law_text(spec: dict, corpus: Path) -> str:
    path = corpus / f"chan-nuoi-2018-dieu-{spec['n']:03d}.txt"
    return unicodedata.normalize("NFC", path.read_text("utf-8"))


def law_path(spec: dict) -> str:
    folder = FOLDERS.get(spec["fmt"], "luat-chan-nuoi")
    return f"{folder}/luat-chan-nuoi-dieu-{spec['n']:03d}.{EXTENSIONS[spec['fmt']]}"


def build_law(spec: dict, corpus: Path) -> Built:
    fmt = spec["fmt"]
    text = law_text(spec, corpus)
    parts = law_parts(text)
    rel = law_path(spec)
    path = OUT / rel
    # Tên loại + trích yếu of the text is just "Luật Chăn nuôi" (the file metadata says the
    # same); a registrar declaring a title adds the article, which tells the articles apart.
    title = LAW_TITLE
    ocr_pages = 0
    if fmt == "txt":
        path.write_bytes(text.encode("utf-8"))  # the corpus file, unchanged
    elif fmt == "pdf":
        path.write_bytes(bytes(law_pdf(text, title).output()))
    elif fmt == "docx":
        path.write_bytes(law_docx(text, title))
    elif fmt == "html":
        path.write_text(law_html(text, title), encoding="utf-8")
    elif fmt in ("png", "tiff"):
        clean = bytes(law_pdf(text).output())
        pages = [posterise(p) for p in rasterise(clean, seed_for(rel), lossless=True)]
        save_scan_image(path, pages, fmt)
        ocr_pages = len(pages)
    else:
        raise ValueError(fmt)
    declarable = dict(title=f"{LAW_TITLE} - {parts['heading']}", doc_number=LAW_NUMBER,
                      date=LAW_DATE, doc_type="Luật", issuer="QUỐC HỘI")
    record, where = declared_meta(spec, declarable)
    # What the article text itself gives: number, type and title, but no date.
    values = dict(declarable, title=title, date=None)
    exp = expectation(rel, fmt, spec, None, values, record, where)
    return Built(rel, fmt, text, exp, record, where, ocr_pages)


# --------------------------------------------------------------------------- archive files

README = """\
# sample_docs: a small sample archive

A realistic, entirely fictional archive of a Vietnamese defence-industry administrative office,
for trying archsearch out: index this folder first.

* {admin} administrative documents (quyết định, nghị quyết, công văn, báo cáo, kế hoạch, tờ
  trình, thông báo, chỉ thị, thông tư) laid out per Nghị định 30/2020/NĐ-CP, dated 1987-2025;
* {law} articles of Luật Chăn nuôi 32/2018/QH14 (real, public texts; see `SOURCE.md`);
* formats: digital, scanned and mixed PDF, PNG and TIFF scans, DOCX, plain text (UTF-8,
  UTF-8 with BOM, Windows-1258) and HTML;
* classification levels (Mật, Tối mật, Tuyệt mật) declared in `<file>.meta.json` sidecars, in
  `manifest.csv`, or only by the stamp printed in the text.

Every name, number and event in the administrative documents is invented. The files are
generated: `python scripts/make_sample_docs.py` regenerates this folder and
`tests/data/sample_expected.json` (what each document should be indexed as); do not edit them by
hand.
"""

MANIFEST_FIELDS = ["path", "classification", "title", "doc_number", "date", "doc_type", "issuer",
                   "compartments"]


def write_metadata(built: list[Built]) -> None:
    rows = []
    for b in built:
        if b.meta is None:
            continue
        if b.meta_where == "sidecar":
            sidecar = OUT / f"{b.rel}.meta.json"
            sidecar.write_text(json.dumps(b.meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
        else:
            row = {k: b.meta.get(k, "") for k in MANIFEST_FIELDS}
            row["path"], row["compartments"] = b.rel, ";".join(b.meta.get("compartments", []))
            rows.append(row)
    with open(OUT / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["path"]))


def clean_output() -> None:
    for name in OWNED_DIRS:
        shutil.rmtree(OUT / name, ignore_errors=True)
    for name in OWNED_FILES:
        (OUT / name).unlink(missing_ok=True)
    OUT.mkdir(exist_ok=True)
    for name in OWNED_DIRS:
        (OUT / name).mkdir()


# --------------------------------------------------------------------------- invariants

def check_texts(items: list[tuple[str, str, str, list[str]]]) -> None:
    """Each phrase occurs in its own document's text and in no other (case and diacritics
    ignored); phrases that must not be indexed occur in no text. Cheap: runs before rendering."""
    folded = {rel: f" {fold(text)} " for rel, text, _, _ in items}
    for rel, text, phrase, absent in items:
        assert 3 <= len(phrase.split()) <= 6, (rel, phrase)
        assert phrase in text, f"{rel}: phrase {phrase!r} not in its text"
        hits = [other for other, t in folded.items() if f" {fold(phrase)} " in t]
        assert hits == [rel], f"{rel}: phrase {phrase!r} found in {hits}"
        for a in absent:
            hits = [other for other, t in folded.items() if f" {fold(a)} " in t]
            assert not hits, f"{a!r} must only be in <script>/<style>, found in {hits}"
    for doc in ADMIN_DOCS:
        words = word_count(body_paragraphs(doc))
        assert 150 <= words <= 500, f"{doc['path']}: body has {words} words"
        for marker in ("**", "__", "--", "~~"):  # would be read as fpdf2 markdown
            assert marker not in doc["body"], (doc["path"], marker)
        if doc.get("stamp"):
            assert doc["fmt"] in DIGITAL, f"{doc['path']}: stamps only on digital formats"


def check_built(built: list[Built]) -> None:
    """The classification mix the brief asks for, and the OCR budget."""
    exps = [b.expected for b in built]
    lower = [b.rel for b in built if b.expected["level_source"] == "sidecar+stamp"
             and level_of(b.meta["classification"]) != b.expected["level"]]
    assert len(lower) == 2, f"want exactly two sidecar-lower-than-stamp documents: {lower}"
    assert sum(1 for e in exps if e["compartments"]) == 2
    assert 55 <= len(exps) <= 70, len(exps)
    ocr_pages = sum(b.ocr_pages for b in built)
    assert ocr_pages <= MAX_OCR_PAGES, f"{ocr_pages} scanned pages"


def summary(built: list[Built]) -> str:
    from collections import Counter
    fmts = Counter(b.fmt for b in built)
    levels = Counter(b.expected["level"] for b in built)
    sources = Counter(b.expected["level_source"] for b in built)
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    return "\n".join([
        f"{len(built)} documents, {sum(b.ocr_pages for b in built)} scanned pages, "
        f"{size / 1e6:.2f} MB",
        "formats: " + ", ".join(f"{k} {v}" for k, v in sorted(fmts.items())),
        "levels: " + ", ".join(f"{k} {levels[k]}" for k in LEVELS),
        "level sources: " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())),
    ])


# --------------------------------------------------------------------------- --check mode

def ocr(image_path: Path) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread: 5x faster on this host
    result = subprocess.run(["tesseract", str(image_path), "-", "-l", "vie", "--psm", "3"],
                            capture_output=True, text=True, env=env, check=True)
    return result.stdout


def pdf_text(path: Path, tmp: Path) -> tuple[str, int]:
    """Text layer of each page; pages with (almost) no text are rasterised and OCR'd."""
    document = pdfium.PdfDocument(str(path))
    texts, ocr_pages = [], 0
    for i in range(len(document)):
        page = document[i]
        text = page.get_textpage().get_text_range()
        if sum(c.isalpha() for c in text) < 50:
            image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
            target = tmp / f"page{i}.pgm"  # PNM: no PNG compression cost before OCR
            image.save(target)
            text = ocr(target)
            ocr_pages += 1
        texts.append(text)
    document.close()
    return "\n".join(texts), ocr_pages


class _HTMLText(__import__("html.parser").parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")
        self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def docx_text(path: Path) -> str:
    """Paragraphs and table cells in document order (the header is often a table)."""
    document = docx.Document(str(path))
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append(Paragraph(block, document).text)
        elif block.tag == qn("w:tbl"):
            table = Table(block, document)
            for row in table.rows:
                for cell in row.cells:
                    parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def extract(path: Path, fmt: str, tmp: Path) -> tuple[str, int]:
    if fmt in ("pdf", "scanned-pdf", "mixed-pdf"):
        return pdf_text(path, tmp)
    if fmt in ("png", "tiff"):
        return ocr(path), Image.open(path).n_frames
    if fmt == "docx":
        return docx_text(path), 0
    if fmt == "html":
        parser = _HTMLText()
        parser.feed(path.read_text("utf-8"))
        return "".join(parser.parts), 0
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from archsearch.ingest.legacy_encodings import decode_legacy_bytes

        text = data.decode("cp1258")
        legacy = decode_legacy_bytes(data, text)
        text = legacy[0] if legacy else text
    return unicodedata.normalize("NFC", text), 0


def check_files() -> int:
    """Extract every sample file as the indexer would and report whether its phrase comes out."""
    expected = json.loads(EXPECTED.read_text("utf-8"))
    failures, ocr_total, started = 0, 0, time.time()
    with tempfile.TemporaryDirectory() as tmpdir:
        for exp in expected:
            t0 = time.time()
            text, pages = extract(OUT / exp["path"], exp["format"], Path(tmpdir))
            ocr_total += pages
            exact = exp["phrase"] in " ".join(text.split())
            loose = f" {fold(exp['phrase'])} " in f" {fold(text)} "
            absent_ok = all(f" {fold(a)} " not in f" {fold(text)} " for a in exp.get("absent", []))
            stamp_ok = True
            if exp["level_source"] in ("stamp", "sidecar+stamp"):
                head = [line.strip().strip("|").strip() for line in text.splitlines()[:40]]
                stamp_ok = any(line in STAMP_LEVEL for line in head)
            ok = loose and absent_ok and stamp_ok
            failures += not ok
            note = "exact" if exact else "folded only" if loose else "MISSING"
            extra = "" if stamp_ok else ", stamp line not found"
            extra += "" if absent_ok else ", script/style text leaked"
            print(f"{'ok  ' if ok else 'FAIL'} {exp['format']:<11} {exp['path']:<52} "
                  f"phrase {note}{extra}" + (f"  [OCR {pages} p, {time.time() - t0:.1f} s]"
                                             if pages else ""))
    print(f"{len(expected) - failures}/{len(expected)} ok; {ocr_total} OCR pages in "
          f"{time.time() - started:.0f} s")
    return 1 if failures else 0


# --------------------------------------------------------------------------- main

def generate(corpus: Path) -> None:
    if not (corpus / "chan-nuoi-2018-dieu-001.txt").exists():
        sys.exit(f"corpus not found in {corpus} (use --corpus or ARCHSEARCH_CORPUS)")
    items = [(d["path"], "\n".join(admin_lines(d)), d["phrase"], d.get("absent", []))
             for d in ADMIN_DOCS]
    items += [(law_path(s), law_text(s, corpus), s["phrase"], []) for s in LAW_ARTICLES]
    check_texts(items)
    clean_output()
    built = [build_admin(doc) for doc in ADMIN_DOCS]
    built += [build_law(spec, corpus) for spec in LAW_ARTICLES]
    check_built(built)
    write_metadata(built)
    shutil.copyfile(corpus / "SOURCE.md", OUT / "SOURCE.md")
    admin, law = len(ADMIN_DOCS), len(LAW_ARTICLES)
    (OUT / "README.md").write_text(README.format(admin=admin, law=law), "utf-8")
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    expected = sorted((b.expected for b in built), key=lambda e: e["path"])
    EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(summary(built))


def digest() -> str:
    """One hash over every generated file, to confirm that two runs are identical."""
    sha = hashlib.sha256()
    for path in sorted(p for p in OUT.rglob("*") if p.is_file()) + [EXPECTED]:
        sha.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return sha.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder of chan-nuoi-2018-dieu-NNN.txt files (default %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="do not regenerate: extract every file (OCR for scans) and report")
    args = parser.parse_args()
    if args.check:
        return check_files()
    generate(args.corpus)
    print(f"digest {digest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
