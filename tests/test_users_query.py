import pytest

from archsearch.errors import UnknownUserError, UsageError
from archsearch.levels import Level
from archsearch.engine.query import MAX_QUERY_CHARS, build_query
from archsearch.trust.users import UserRegistry


def test_registry_round_trip_with_vietnamese_levels_and_compartments(tmp_path):
    registry = UserRegistry(tmp_path)
    registry.add("hoa", "Tối mật", ["cnqp-a", " hn "])
    registry.add("lan", "none")
    hoa = registry.get("hoa")
    assert hoa.clearance is Level.SECRET and hoa.compartments == {"CNQP-A", "HN"}
    assert registry.get("lan").clearance is None
    registry.add("hoa", "mat")  # changing a clearance replaces it
    assert registry.get("hoa").clearance is Level.CONFIDENTIAL
    assert [u.name for u in registry.list()] == ["hoa", "lan"]
    assert oct((tmp_path / "users.json").stat().st_mode & 0o777) == "0o600"


def test_unknown_user_and_bad_names(tmp_path):
    registry = UserRegistry(tmp_path)
    with pytest.raises(UnknownUserError, match="unknown user 'ghost'"):
        registry.get("ghost")
    with pytest.raises(UsageError, match="invalid user name"):
        registry.add("../etc", "mat")


def test_query_is_nfc_ranked_or_and_capped():
    import unicodedata

    composed = build_query("quốc phòng")
    assert build_query(unicodedata.normalize("NFD", "quốc phòng")) == composed
    assert "OR" in str(composed)
    long_query = build_query("kho " * 2000)
    assert len(str(long_query)) < 40 * MAX_QUERY_CHARS
    with pytest.raises(UsageError, match="empty query"):
        build_query("   ")


def test_document_number_in_a_query_is_looked_up_whole():
    text = str(build_query("quyết định số 821/QĐ-BQP"))
    assert "doc_number_key:821/qd-bqp" in text and "cited_numbers:821/qd-bqp" in text
