"""Địa danh và thời gian ban hành: "Hà Nội, ngày 08 tháng 6 năm 1987" in a document's text.

Stage: text fields (text_fields.py reads the issue date from the header's dates; the title
reader stops a trích yếu at a date line). Matched on folded text, so OCR vowel errors ("ngảy",
"thảng", "nãm") and OCR digits ("O8") still read. An unfilled draft ("ngày ... tháng ... năm
2020") gives no date rather than a guessed one.

>>> issue_date(list(DATE_RE.finditer("Ha Noi, ngay .... thang .... nam 2020")))
>>> issue_date(list(DATE_RE.finditer("ngay 2 thang 3 nam 2019; Ha Noi, ngay 08 thang 6 nam 1987")))
datetime.date(1987, 6, 8)
"""

from __future__ import annotations

import datetime as dt
import re

from archsearch.dates import OCR_DIGIT, make_date, ocr_digits, spelled_date
from archsearch.normalise import fold, nfc

_D = OCR_DIGIT
# An unfilled draft leaves dots, an ellipsis, underscores or nothing where the day and month go.
_BLANK = r"\.{2,}|…+|_{2,}|"
DATE_RE = re.compile(
    # the place: Capitalised words on the same line, then a comma ("TP. Hồ Chí Minh, ")
    r"(?:(?P<place>(?:TP\.?[ \t]*)?[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,3})[ \t]*,[ \t]*)?"
    r"\b" + spelled_date(rf"(?P<d>{_D}{{1,2}}|{_BLANK})", rf"(?P<m>{_D}{{1,2}}|{_BLANK})",
                         # year: OCR reads an italic "1987" as "19687"; rejecting it beats returning 1968
                         rf"(?P<y>(?:1[89]|20){_D}{{2}})(?![0-9])", r"[ \t]*")
)


def date_of(match: re.Match) -> dt.date | None:
    return make_date(match.group("y"), match.group("m"), match.group("d"))  # None: out of range, or a blank draft field


def _is_draft(match: re.Match) -> bool:
    return not re.search(r"[0-9]", ocr_digits(match.group("d") + match.group("m")))


def issue_date(dates: list[re.Match]) -> dt.date | None:
    """The first header date with a place; else the first header date. A draft gives None."""
    placed = [m for m in dates if m.group("place")]
    for group in (placed, dates):
        for match in group:
            if _is_draft(match):
                return None
            date = date_of(match)
            if date is not None:
                return date
    return None


def parse_date(text: str) -> dt.date | None:
    """The first valid "ngày DD tháng MM năm YYYY" date in `text` (any diacritics, OCR digits).

    >>> parse_date("Hà Nội, ngảy O8 thảng 6 nãm 1987")
    datetime.date(1987, 6, 8)
    >>> parse_date("ngày 31 tháng 02 năm 2020") is None
    True
    """
    for match in DATE_RE.finditer(fold(nfc(text))):
        date = date_of(match)
        if date is not None:
            return date
    return None
