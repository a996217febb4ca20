import pytest

from archsearch.errors import UsageError
from archsearch.levels import Level, parse_document_level, parse_level, stricter


@pytest.mark.parametrize("text, level", [
    ("unclassified", Level.UNCLASSIFIED), ("Thường", Level.UNCLASSIFIED),
    ("confidential", Level.CONFIDENTIAL), ("Mật", Level.CONFIDENTIAL), ("MAT", Level.CONFIDENTIAL),
    ("secret", Level.SECRET), ("Tối mật", Level.SECRET), ("toi mat", Level.SECRET), ("TỐI MẬT", Level.SECRET),
    ("top-secret", Level.TOP_SECRET), ("top secret", Level.TOP_SECRET), ("Tuyệt mật", Level.TOP_SECRET),
    ("tuyet_mat", Level.TOP_SECRET), ("to\u0302\u0301i ma\u0323\u0302t", Level.SECRET),
])
def test_every_spelling_parses(text, level):
    assert parse_level(text) is level


def test_unknown_level_names_the_accepted_ones():
    with pytest.raises(UsageError, match="unclassified, confidential"):
        parse_level("very secret")


def test_unknown_document_marking_takes_the_strictest_level():
    level, warning = parse_document_level("bí mật quốc gia")
    assert level is Level.TOP_SECRET and "treated as top-secret" in warning
    assert parse_document_level("") == (None, None)


def test_stricter_ignores_missing_levels():
    assert stricter(None, Level.SECRET, Level.CONFIDENTIAL) is Level.SECRET
    assert stricter(None, None) is None
    assert Level.TOP_SECRET.id == "top-secret" and Level.SECRET.vietnamese == "Tối mật"
