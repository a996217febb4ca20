"""Dates written in documents, declarations and queries: the forms and the checks they share.

Four readers use this core, each accepting exactly its own forms: in-text metadata ("ngày 08
tháng 6 năm 1987", OCR digits), the GIẢI MẬT stamp ("Từ: 05/3/2020"), declared metadata
("1987-06-08", "8/6/1987") and the query language (`date:1987`, `date:6/1987`, `date:8.6.1987`).
Patterns on text run on `normalise.fold`ed text. Also the capitals test of stamps and headings.

>>> make_date("1987", "O6", "8")  # OCR read the 0 as an O
datetime.date(1987, 6, 8)
>>> make_date(2020, 2, 30) is None
True
>>> numeric_date_parts("6/1987", separators="/.-", partial=True)
('1987', '6', None)
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# A digit, or a letter OCR reads for one (O -> 0, l/I/| -> 1).
OCR_DIGIT = r"[0-9OoIl|]"
_OCR_DIGITS = str.maketrans("OoIl|", "00111")


def ocr_digits(text: str) -> str:
    """`text` with the letters OCR reads for digits turned into those digits."""
    return text.translate(_OCR_DIGITS)


def make_date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """The date of these parts (text parts may hold OCR digits); None when it does not exist
    or a part is not a number (a blank field of a draft)."""
    try:
        return dt.date(*(part if isinstance(part, int) else int(ocr_digits(part)) for part in (year, month, day)))
    except ValueError:
        return None


def spelled_date(day: str, month: str, year: str, space: str) -> str:
    """The regular expression of "ngày D tháng M năm Y" on folded text, with the given
    sub-patterns of the numbers and of the space allowed between the words (OCR misreads the
    vowels, so each word is matched by its first letters and a few more)."""
    return (rf"(?i:ng)[A-Za-z]{{1,3}}{space}{day}{space}"
            rf"(?i:th)[A-Za-z]{{1,3}}{space}{month}{space}"
            rf"(?i:n)[A-Za-z]{{1,2}}{space}{year}")


@lru_cache(maxsize=None)
def _numeric(separators: str, partial: bool) -> tuple[re.Pattern, re.Pattern]:
    sep = f"[{re.escape(separators)}]"
    if partial:
        return (re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"),
                re.compile(rf"(?:(\d{{1,2}}){sep})?(\d{{1,2}}){sep}(\d{{4}})"))
    return (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
            re.compile(rf"(\d{{1,2}}){sep}(\d{{1,2}}){sep}(\d{{4}})"))


def numeric_date_parts(text: str, separators: str, partial: bool) -> tuple[str, str | None, str | None] | None:
    """(year, month, day) of "YYYY-MM-DD" or "DD/MM/YYYY" (the whole text, separators of the
    second form from `separators`); with `partial`, the day or the day and month may be left
    out ("1987", "1987-6", "6/1987"). None when the text is neither form."""
    iso, dmy = _numeric(separators, partial)
    if match := iso.fullmatch(text):
        return match[1], match[2], match[3]
    if match := dmy.fullmatch(text):
        return match[3], match[2], match[1]
    return None


def is_all_caps(text: str) -> bool:
    """True when `text` has letters and all of them are capitals (stamps, headings, tên loại)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)
