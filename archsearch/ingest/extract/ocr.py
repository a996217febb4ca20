"""OCR: a grayscale page image -> its text, by the Tesseract binary in a subprocess.

Input: a PIL image (any mode; converted to 8-bit grayscale) and ExtractLimits. Output: the
recognised text, NFC. Failures raise OcrUnavailable (its subclass OcrTimeout for a timeout), so
callers can mark one page as failed and keep the rest of the document.

Why the binary and not a binding: it is the measured-fastest way with OMP_THREAD_LIMIT=1
(1.1-2.3 s/page here, versus 6-10 s with Tesseract's default OpenMP threads; shared notes §3),
and a hung or crashing Tesseract is killed with its process instead of taking ours down.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
from typing import TYPE_CHECKING

from PIL import Image

from archsearch.errors import ExtractionError, OcrUnavailable
from archsearch.normalise import nfc

if TYPE_CHECKING:
    from archsearch.ingest.extract import ExtractLimits


class OcrTimeout(OcrUnavailable):
    """Tesseract ran past `limits.ocr_timeout` on one image (other pages may still succeed)."""


# Tesseract reads nothing with an x-height under ~10 pixels: a frame narrower or lower than this
# holds no line of text it could read (a TIFF of 1,500 blank 8x8 frames took 198 s of OCR).
MIN_OCR_SIDE = 16


def worth_reading(image: Image.Image) -> bool:
    """False for an image in which OCR cannot find text: smaller than MIN_OCR_SIDE on a side,
    or all one colour (a blank frame or page)."""
    width, height = image.size
    if width < MIN_OCR_SIDE or height < MIN_OCR_SIDE:
        return False
    low, high = (image if image.mode == "L" else image.convert("L")).getextrema()
    return low != high


class OcrBudget:
    """The pixels one file may still send to Tesseract (`limits.max_ocr_pixels_per_file`)."""

    def __init__(self, limits: ExtractLimits):
        self.limit = limits.max_ocr_pixels_per_file
        self.left = self.limit

    def spend(self, pixels: int) -> None:
        """Count `pixels` against the budget; ExtractionError once the file is over it."""
        if pixels > self.left:
            raise ExtractionError(
                f"too much to OCR: more than {self.limit:,} pixels of scanned pages or frames in one file "
                "(max_ocr_pixels_per_file)"
            )
        self.left -= pixels


# Tesseract's stderr when the traineddata of a language is missing.
_MISSING_MODEL_MARKERS = ("Failed loading language", "Error opening data file")


def _install_hint(language: str) -> str:
    packages = " ".join(f"tesseract-ocr-{lang}" for lang in language.split("+"))
    return f"apt-get install tesseract-ocr {packages}"


def _tesseract_env() -> dict[str, str]:
    # One OpenMP thread: several times faster on this hardware, and we run one process per core.
    # A copy for the child only; os.environ itself is never changed.
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    # glibc's own malloc trimming: a Dask nanny gives its workers MALLOC_TRIM_THRESHOLD_=65536
    # (to hand Python's freed memory back), and a Tesseract started from a worker inherited it:
    # 58 % more page faults and ~50 % more system time per page. Tesseract exits after each
    # page, which hands everything back anyway.
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    return env


def ocr_image(image: Image.Image, limits: ExtractLimits, *, dpi: int | None = None) -> str:
    """Recognise the text of one image with `limits.ocr_language`, `--oem 1 --psm 3`.

    `dpi` is the image's true resolution when known (300 for rasterised PDF pages); without it
    Tesseract estimates one. Raises OcrUnavailable (binary or model missing, non-zero exit) or
    OcrTimeout (after `limits.ocr_timeout` seconds; the process is killed)."""
    if image.mode != "L":
        image = image.convert("L")
    if not worth_reading(image):
        return ""  # what Tesseract says of a blank or tiny image, without running it
    # Uncompressed PGM through stdin: no temp file, and no PNG compression cost (which the notes
    # measured at 1-8 s/page for pdftoppm -png).
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    command = [limits.tesseract, "stdin", "stdout", "-l", limits.ocr_language, "--oem", "1", "--psm", "3"]
    if dpi:
        command += ["--dpi", str(int(dpi))]
    try:
        completed = subprocess.run(
            command,
            input=buffer.getvalue(),
            capture_output=True,
            timeout=limits.ocr_timeout,
            env=_tesseract_env(),
            check=False,
        )
    except OSError as exc:  # not found, not executable, not a program
        raise OcrUnavailable(f"tesseract not installed: {_install_hint(limits.ocr_language)}") from exc
    except subprocess.TimeoutExpired as exc:
        # subprocess.run has already killed and reaped the child.
        raise OcrTimeout(f"tesseract timed out after {limits.ocr_timeout:g}s") from exc
    stderr = completed.stderr.decode("utf-8", "replace")
    if completed.returncode != 0:
        if any(marker in stderr for marker in _MISSING_MODEL_MARKERS):
            raise OcrUnavailable(
                f"tesseract language '{limits.ocr_language}' not installed: "
                f"{_install_hint(limits.ocr_language)}"
            )
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit status {completed.returncode}"
        raise OcrUnavailable(f"tesseract failed: {last}")
    # Tesseract ends each page with a form feed; the caller's pages are already separate.
    return nfc(completed.stdout.decode("utf-8", "replace")).replace("\f", "")


def tesseract_available(limits: ExtractLimits) -> bool:
    """True when `limits.tesseract` runs and lists every language of `limits.ocr_language`.
    Cached per (command, language): the answer does not change during a run."""
    return _available(limits.tesseract, limits.ocr_language)


@functools.lru_cache(maxsize=8)
def _available(tesseract: str, language: str) -> bool:
    try:
        completed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, timeout=30, env=_tesseract_env(), check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    if completed.returncode != 0:
        return False
    listed = completed.stdout.decode("utf-8", "replace").splitlines()[1:]  # first line is a header
    installed = {line.strip() for line in listed}
    return all(lang in installed for lang in language.split("+"))
