"""Extract stage for PDFs: a PDF file -> its text page by page, scanned pages OCR'd.

Input: a path and ExtractLimits. Output: Extracted with one PageText per page. Text comes from
pdfminer.six; a page whose cleaned text has too few letters (`normalise.has_real_text`, decided
per page because archive PDFs mix typed and scanned pages) is OCR'd when images cover enough of
it (measured with pypdfium2, which also rasterises it at 300 dpi). When OCR cannot run or times
out, that page is marked `ocr_failed` with a warning and the rest of the document is kept.
A text layer set in a legacy font (.VnTime, VNI-Times) is converted by the font pdfminer
reports for each character (`_FontRunConverter`), not only guessed from the text.
Unreadable documents raise ExtractionError ("encrypted PDF", "truncated or corrupt PDF: ...").
"""

from __future__ import annotations

import io
import itertools
import math
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams, LTChar, LTContainer, LTItem, LTPage, LTText, LTTextBox
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from archsearch.errors import ExtractionError, OcrUnavailable
from archsearch.ingest.legacy_encodings import describe, encoding_for_font, runs_to_unicode, to_unicode
from archsearch.normalise import MIN_LETTERS_FOR_TEXT_PAGE, has_real_text, nfc
from archsearch.records import Extracted, PageText
from archsearch.ingest.extract.ocr import OcrBudget, OcrTimeout, ocr_image, worth_reading

if TYPE_CHECKING:
    from archsearch.ingest.extract import ExtractLimits

# Share of the page area covered by image objects from which a page without a text layer is
# treated as a scan. The notes measured 1.0 for scans and 0 for digital pages and suggest 0.5;
# 0.3 also catches a half-page scan pasted on a blank page, at the cost of OCR'ing the odd
# nearly-empty page with a large picture (harmless: OCR then reads its few words too).
MIN_IMAGE_COVER_FOR_OCR = 0.3
OCR_DPI = 300
# pdfminer writes a glyph it cannot map to Unicode as "(cid:123)": never text, but a page full
# of them is a page of real text drawn with a font lacking a ToUnicode map, which OCR can read.
_CID = re.compile(r"\(cid:\d+\)")


class _FontRunConverter(TextConverter):
    """pdfminer's plain-text output, plus the same text as runs of one font each (font name
    from LTChar.fontname; layout spaces and newlines carry no font). `take_runs` hands over
    and forgets the runs of the page just processed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._runs: list[tuple[str, str | None]] = []

    def receive_layout(self, ltpage: LTPage) -> None:
        def collect(item: LTItem) -> None:
            if isinstance(item, LTContainer):
                for child in item:
                    collect(child)
            elif isinstance(item, LTText):
                font = item.fontname if isinstance(item, LTChar) else None
                if self._runs and self._runs[-1][1] == font:
                    self._runs[-1] = (self._runs[-1][0] + item.get_text(), font)
                else:
                    self._runs.append((item.get_text(), font))
            if isinstance(item, LTTextBox):
                self._runs.append(("\n", None))

        # The same walk as TextConverter's, so the runs hold exactly the text it writes.
        collect(ltpage)
        self._runs.append(("\f", None))
        super().receive_layout(ltpage)

    def take_runs(self) -> list[tuple[str, str | None]]:
        runs, self._runs = self._runs, []
        return runs


def extract_pdf(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    """Per-page text of a PDF; raises ExtractionError when the document cannot be opened,
    is encrypted, has no page or more than `limits.max_pages`."""
    with open(path, "rb") as handle:
        document = _open_pdfminer(handle)
        rendered = _open_pdfium(path)
        try:
            return _extract_pages(document, rendered, limits, mime)
        finally:
            if rendered is not None:
                rendered.close()


def _open_pdfminer(handle) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(handle))
    except PDFEncryptionError as exc:  # includes PDFPasswordIncorrect: a user password is set
        detail = str(exc)
        raise ExtractionError(f"encrypted PDF ({detail})" if detail else "encrypted PDF") from exc
    except (MemoryError, ExtractionError):  # the per-file time limit fires as an ExtractionError
        raise
    except Exception as exc:  # pdfminer raises PSEOF, PDFSyntaxError, but also KeyError etc.
        raise ExtractionError(f"truncated or corrupt PDF: {_describe(exc)}") from exc


def _open_pdfium(path: Path) -> pdfium.PdfDocument | None:
    """The same file in pdfium, used to measure images and rasterise; None if it cannot."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("encrypted PDF") from exc
        return None


def _extract_pages(document: PDFDocument, rendered: pdfium.PdfDocument | None,
                   limits: ExtractLimits, mime: str) -> Extracted:
    try:
        remaining = PDFPage.create_pages(document)
        pages = list(itertools.islice(remaining, limits.max_pages + 1))
        if len(pages) > limits.max_pages:
            total = len(rendered) if rendered is not None else len(pages) + sum(1 for _ in remaining)
            raise ExtractionError(f"too many pages ({total} > {limits.max_pages})")
    except (ExtractionError, MemoryError):
        raise
    except Exception as exc:
        raise ExtractionError(f"truncated or corrupt PDF: {_describe(exc)}") from exc
    if not pages:
        raise ExtractionError("truncated or corrupt PDF: no pages found")

    warnings: list[str] = []
    if rendered is None:
        warnings.append("pdfium cannot open this file: pages without a text layer were not OCR'd")
    resources = PDFResourceManager(caching=True)
    buffer = io.StringIO()
    converter = _FontRunConverter(resources, buffer, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, converter)
    ocr_blocked: str | None = None  # once Tesseract is missing, do not retry it on every page
    budget = OcrBudget(limits)
    results: list[PageText] = []
    failures: list[str] = []
    for number, page in enumerate(pages, start=1):
        runs = None
        try:
            interpreter.process_page(page)
            raw = buffer.getvalue()
            runs = converter.take_runs()
        except (MemoryError, ExtractionError):  # the per-file time limit, not a damaged page
            raise
        except Exception as exc:  # one damaged content stream must not lose the other pages
            failures.append(f"page {number}: {_describe(exc)}")
            warnings.append(f"page {number}: text layer unreadable: {_describe(exc)}")
            raw = None
            converter.take_runs()  # what a failed page left behind is not the next page's
        finally:
            buffer.seek(0)
            buffer.truncate(0)
        pdfium_page = _pdfium_page(rendered, number)
        try:
            result, ocr_blocked = _page_text(number, raw, pdfium_page, limits, ocr_blocked, warnings, runs, budget)
        finally:
            if pdfium_page is not None:
                pdfium_page.close()
        results.append(result)
    converter.close()

    if failures and len(failures) == len(pages) and not any(page.text.strip() for page in results):
        raise ExtractionError(f"truncated or corrupt PDF: {failures[0]}")
    return Extracted(mime=mime, pages=results, warnings=warnings)


def _pdfium_page(rendered: pdfium.PdfDocument | None, number: int) -> pdfium.PdfPage | None:
    """Page `number` in pdfium, or None when pdfium lacks or cannot load it (then the page keeps
    pdfminer's text and is not OCR'd)."""
    if rendered is None or number > len(rendered):
        return None
    try:
        return rendered[number - 1]
    except pdfium.PdfiumError:
        return None


def _page_text(number: int, raw: str | None, pdfium_page: pdfium.PdfPage | None,
               limits: ExtractLimits, ocr_blocked: str | None, warnings: list[str],
               runs: list[tuple[str, str | None]] | None = None,
               budget: OcrBudget | None = None) -> tuple[PageText, str | None]:
    """One page's text: the text layer, or OCR when the page is a scan. `runs` is the same
    text layer as (text, font name) runs. Returns the page and the (possibly newly learnt)
    reason OCR is unavailable for the rest of the document. A page sent to Tesseract spends
    its pixels from `budget` (ExtractionError for the whole file once it is spent)."""
    cids = len(_CID.findall(raw or ""))
    text = _CID.sub("", raw or "")
    if pdfium_page is not None and (raw is None or _pdfminer_split_marks(text)):
        # pdfminer failed on this page, or hit its bug with stacked combining marks (fully
        # decomposed Vietnamese: "Quyê\n\u0301t"); pdfium reads both correctly (shared notes §4).
        text = _pdfium_text(pdfium_page, fallback=text)
        runs = None  # pdfium's text comes without fonts
    # A text layer set in a legacy font (shared notes §2.1): where a character's font names the
    # encoding, the font decides; the rest is detected from the text.
    if runs and any(encoding_for_font(font) for font in {font for _, font in runs}):
        text, legacy = runs_to_unicode((_CID.sub("", piece), font) for piece, font in runs)
    else:
        text, legacy = to_unicode(text)
    if legacy:
        warnings.append(f"page {number}: {describe(legacy)}")
    if has_real_text(text) or pdfium_page is None:
        return PageText(number=number, text=text), ocr_blocked
    if cids < MIN_LETTERS_FOR_TEXT_PAGE and _image_cover(pdfium_page) < MIN_IMAGE_COVER_FOR_OCR:
        return PageText(number=number, text=text), ocr_blocked  # a nearly empty page, not a scan

    failed = PageText(number=number, text="", ocr_failed=True)
    if ocr_blocked is not None:
        warnings.append(f"page {number}: OCR failed: {ocr_blocked}")
        return failed, ocr_blocked
    try:
        image, dpi = _rasterise(pdfium_page, limits)
        if worth_reading(image):
            (budget or OcrBudget(limits)).spend(image.width * image.height)
        ocr_text = ocr_image(image, limits, dpi=dpi)
    except OcrTimeout as exc:
        warnings.append(f"page {number}: OCR failed: {exc.reason}")
        return failed, ocr_blocked
    except OcrUnavailable as exc:
        warnings.append(f"page {number}: OCR failed: {exc.reason}")
        return failed, exc.reason
    except pdfium.PdfiumError as exc:
        warnings.append(f"page {number}: OCR failed: cannot render page: {exc}")
        return failed, ocr_blocked
    return PageText(number=number, text=ocr_text, ocr=True), ocr_blocked


def _pdfium_text(page: pdfium.PdfPage, fallback: str) -> str:
    try:
        textpage = page.get_textpage()
    except pdfium.PdfiumError:
        return fallback
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def _pdfminer_split_marks(text: str) -> bool:
    """True when a line starts with a combining mark even after NFC: pdfminer tore a mark
    away from its letter."""
    return any(line and unicodedata.combining(line[0]) for line in nfc(text).split("\n"))


def _image_cover(page: pdfium.PdfPage) -> float:
    """Sum of image-object areas (each clipped to the page size) / page area, at most 1."""
    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return 0.0
    covered = 0.0
    try:
        # max_depth: some scanners wrap the page image in a form XObject, rarely deeper.
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            covered += min(max(right - left, 0.0), width) * min(max(top - bottom, 0.0), height)
    except pdfium.PdfiumError:
        pass  # what was measured so far stands
    return min(1.0, covered / (width * height))


def _rasterise(page: pdfium.PdfPage, limits: ExtractLimits):
    """The page as an 8-bit grayscale PIL image at 300 dpi, or lower when a huge page would
    exceed `limits.max_image_pixels`; returns (image, dpi)."""
    scale = OCR_DPI / 72  # PDF user space unit = 1/72 inch
    width, height = page.get_size()
    pixels = width * height * scale * scale
    if pixels > limits.max_image_pixels:
        scale *= math.sqrt(limits.max_image_pixels / pixels)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        # to_pil() shares the bitmap's buffer: copy before the buffer is freed.
        return bitmap.to_pil().convert("L").copy(), round(scale * 72)
    finally:
        bitmap.close()


def _describe(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
