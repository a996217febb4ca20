"""Saved searches: per user, owner-only, and always run with the user's clearance of the moment."""

import json

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import NotFoundError, UsageError
from archsearch.engine.filters import SearchFilters
from archsearch.levels import Level

from .helpers import build_index, make_document

BODY = "phương án sơ tán kho vật tư"


@pytest.fixture
def archive(tmp_path):
    docs = [make_document(f"d{level.value}", f"{BODY} mức {level.value}", level, doc_type="Quyết định")
            for level in Level]
    settings = Settings.from_env(tmp_path / "home")
    build_index(settings.index_dir, docs)
    api.add_user(settings, "hoa", "secret")
    api.add_user(settings, "lan", "top-secret")
    return settings


def cli(settings, *args):
    return CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), *args])


def test_add_list_run_through_the_cli(archive):
    added = cli(archive, "saved", "add", "so-tan", "sơ tán kho", "--user", "hoa", "--type", "QĐ", "--sort", "-date")
    assert added.exit_code == 0, added.stderr
    listed = json.loads(cli(archive, "saved", "list", "--user", "hoa", "--json").stdout)
    assert [(e["name"], e["query"], e["filters"]["type"], e["sort"]) for e in listed] == [("so-tan", "sơ tán kho", "QĐ", "-date")]
    assert "clearance" not in json.dumps(listed)
    ran = cli(archive, "saved", "run", "so-tan", "--user", "hoa", "--json")
    data = json.loads(ran.stdout)
    assert list(data) == ["query", "user", "total", "hits"]
    assert sorted(h["id"] for h in data["hits"]) == ["d0", "d1", "d2"]
    assert (archive.index_dir / "saved.json").stat().st_mode & 0o777 == 0o600
    record = api.audit_records(archive, user="hoa")[-1]
    assert record["command"] == "saved run" and record["saved"] == "so-tan" and record["query"] == "sơ tán kho"
    assert record["clearance"] == "secret" and record["filters"]["type"] == "QĐ"
    text = cli(archive, "saved", "run", "so-tan", "--user", "hoa", "--facets")
    assert "3 result(s)" in text.stdout and "Facets" in text.stdout


def test_a_saved_search_runs_with_the_current_clearance_never_the_saved_one(archive):
    api.saved_add(archive, "all", "sơ tán kho", user="hoa", filters=SearchFilters(levels=(Level.SECRET, Level.UNCLASSIFIED)))
    assert sorted(h.id for h in api.saved_run(archive, "all", user="hoa").hits) == ["d0", "d2"]
    api.add_user(archive, "hoa", "confidential")  # clearance lowered after saving
    with pytest.raises(UsageError, match="outside your clearance"):
        api.saved_run(archive, "all", user="hoa")
    api.saved_add(archive, "plain", "sơ tán kho", user="hoa")
    assert sorted(h.id for h in api.saved_run(archive, "plain", user="hoa").hits) == ["d0", "d1"]
    api.add_user(archive, "hoa", "none")
    result = api.saved_run(archive, "plain", user="hoa", facets=True)
    assert (result.total, result.hits) == (0, []) and all(v == {} for v in result.facets.values())
    assert api.audit_records(archive, user="hoa")[-1]["clearance"] == "none"


def test_saved_searches_are_per_user_and_checked_when_saved(archive):
    api.saved_add(archive, "mine", "sơ tán", user="lan")
    with pytest.raises(NotFoundError):
        api.saved_run(archive, "mine", user="hoa")
    assert api.saved_list(archive, user="hoa") == []
    with pytest.raises(UsageError, match="outside your clearance"):
        api.saved_add(archive, "wide", "sơ tán", user="hoa", filters=SearchFilters(levels=(Level.TOP_SECRET,)))
    with pytest.raises(UsageError):
        api.saved_add(archive, "bad", '"unclosed', user="hoa")
    with pytest.raises(UsageError, match="invalid saved search name"):
        api.saved_add(archive, "../x", "sơ tán", user="hoa")
    missing = cli(archive, "saved", "run", "nope", "--user", "hoa")
    assert missing.exit_code == 4 and "no saved search named 'nope'" in missing.stderr
