"""Extract stage for scans: a PNG/JPEG/TIFF/BMP file -> one OCR'd page per frame.

Input: a path and ExtractLimits. Output: Extracted with one PageText(ocr=True) per frame (every
frame of a multi-page TIFF is a page). The pixel count is checked from the header before any
pixel is decoded; Pillow's global MAX_IMAGE_PIXELS is left alone. An image without OCR has no
text, so a missing Tesseract raises OcrUnavailable; a timeout on one frame of several only marks
that page as failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageOps

from archsearch.errors import ExtractionError
from archsearch.records import Extracted, PageText
from archsearch.ingest.extract.ocr import MIN_OCR_SIDE, OcrBudget, OcrTimeout, ocr_image

if TYPE_CHECKING:
    from archsearch.ingest.extract import ExtractLimits

# Below this Tesseract treats the declared resolution as bogus anyway; 72 is a common
# placeholder written by tools that do not know the scan resolution.
_MIN_TRUSTED_DPI = 100


def extract_image(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    """OCR every frame; raises ExtractionError for an oversized, unreadable or
    too-many-frames image, OcrUnavailable when no frame could be OCR'd."""
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        # Pillow refuses at open() beyond twice its own default limit; same answer as ours.
        raise ExtractionError(f"image too large: {exc}") from exc
    except Image.UnidentifiedImageError as exc:
        raise ExtractionError("not a readable image") from exc
    with image:
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise ExtractionError(f"too many pages ({frames} > {limits.max_pages})")
        _check_ocr_budget(image, frames, limits)
        pages: list[PageText] = []
        warnings: list[str] = []
        last_timeout: OcrTimeout | None = None
        for index in range(frames):
            image.seek(index)
            gray, dpi = _prepared_frame(image, limits)
            number = index + 1
            try:
                text = ocr_image(gray, limits, dpi=dpi)
            except OcrTimeout as exc:
                last_timeout = exc
                warnings.append(f"page {number}: OCR failed: {exc.reason}")
                pages.append(PageText(number=number, text="", ocr_failed=True))
                continue
            pages.append(PageText(number=number, text=text, ocr=True))
    if last_timeout is not None and not any(page.ocr for page in pages):
        raise last_timeout
    return Extracted(mime=mime, pages=pages, warnings=warnings)


def _check_ocr_budget(image: Image.Image, frames: int, limits: ExtractLimits) -> None:
    """Refuse the file before any OCR when its frames, by their declared sizes, exceed
    `limits.max_ocr_pixels_per_file` (frames too small to hold text are not OCR'd, so not
    counted; blank ones are only known once decoded, so they count)."""
    budget = OcrBudget(limits)
    for index in range(frames):
        image.seek(index)
        width, height = image.size
        if width >= MIN_OCR_SIDE and height >= MIN_OCR_SIDE:
            budget.spend(width * height)


def _prepared_frame(image: Image.Image, limits: ExtractLimits) -> tuple[Image.Image, int | None]:
    """The current frame, size-checked, upright, on white, 8-bit grayscale; plus its DPI."""
    width, height = image.size
    if width * height > limits.max_image_pixels:
        raise ExtractionError(
            f"image too large: {width}×{height} pixels exceeds limit of {limits.max_image_pixels}"
        )
    try:
        image.load()
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large: {exc}") from exc
    except OSError as exc:
        raise ExtractionError(f"truncated or corrupt image: {exc}") from exc
    dpi = image.info.get("dpi")
    frame = ImageOps.exif_transpose(image)  # phone and some scanner JPEGs are stored rotated
    if frame.mode in ("RGBA", "LA", "PA", "P") and (frame.mode != "P" or "transparency" in frame.info):
        # Transparent pixels are often black underneath; OCR wants dark text on white paper.
        rgba = frame.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(background, rgba)
    gray = frame.convert("L")
    resolution = int(dpi[0]) if dpi and dpi[0] and dpi[0] >= _MIN_TRUSTED_DPI else None
    return gray, resolution
