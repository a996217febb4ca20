"""One date core (archsearch.dates); each reader keeps exactly the forms it accepted."""

import datetime as dt

import pytest

from archsearch.ingest.classification import detect_declassification
from archsearch.dates import is_all_caps, make_date, ocr_digits
from archsearch.errors import UsageError
from archsearch.ingest.declared import parse_declared_date
from archsearch.engine.query_fields import parse_date_bounds
from archsearch.ingest.issue_dates import parse_date

D = dt.date(1987, 6, 8)


def test_the_core():
    assert make_date("1987", "O6", "l") == dt.date(1987, 6, 1)
    assert make_date("1987", "..", "8") is None and make_date(1987, 13, 1) is None
    assert ocr_digits("l9O|") == "1901"
    assert is_all_caps("MẬT 1") and not is_all_caps("Mật") and not is_all_caps("123")


@pytest.mark.parametrize("text, declared, query", [
    ("1987-06-08", D, (D, D)),
    ("8/6/1987", D, (D, D)),
    ("8.6.1987", None, (D, D)),  # a declaration takes "/" only; a query any of / . -
    ("8-6/1987", None, (D, D)),
    ("6/1987", None, (dt.date(1987, 6, 1), dt.date(1987, 6, 30))),
    ("1987", None, (dt.date(1987, 1, 1), dt.date(1987, 12, 31))),
    ("1987-02-30", None, UsageError),
    ("8 tháng 6 1987", None, UsageError),
])
def test_declared_and_query_dates_keep_their_forms(text, declared, query):
    assert parse_declared_date(text) == declared
    if query is UsageError:
        with pytest.raises(UsageError):
            parse_date_bounds(text, "use YYYY-MM-DD")
    else:
        assert parse_date_bounds(text, "use YYYY-MM-DD") == query


def test_spelled_dates_in_text_and_in_the_declassification_stamp():
    assert parse_date("Hà Nội, ngảy O8 thảng 6 nãm 1987") == D
    assert parse_date("ngày .. tháng .. năm 1987") is None
    assert detect_declassification("GIẢI MẬT\nTừ: ngày 08 tháng 6 năm 1987") == D
    assert detect_declassification("GIẢI MẬT\nTừ: 08/06/1987") == D
