import json
import stat

import pytest

from archsearch.trust.access import scope_for
from archsearch.errors import IndexStateError
from archsearch.engine.index import CURRENT_FILE, SCHEMA_VERSION, IndexHome
from archsearch.levels import Level
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import User

from .helpers import build_index, make_document


def test_index_home_is_owner_only_with_one_partition_per_level(tmp_path):
    home = IndexHome.create_or_open(tmp_path / "home")
    assert stat.S_IMODE((tmp_path / "home").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "home" / CURRENT_FILE).stat().st_mode) == 0o600
    assert sorted(p.name for p in home.generation_dir.iterdir() if p.is_dir()) == [
        "confidential", "secret", "top-secret", "unclassified"]
    assert home.partition_counts() == {"unclassified": 0, "confidential": 0, "secret": 0, "top-secret": 0}


def test_schema_version_mismatch_is_a_clear_error_and_wipes_nothing(tmp_path):
    home = build_index(tmp_path / "home", [make_document("a", "văn bản", Level.SECRET)])
    current = json.loads((tmp_path / "home" / CURRENT_FILE).read_text())
    (tmp_path / "home" / CURRENT_FILE).write_text(json.dumps({**current, "schema_version": 999}))
    for opener in (IndexHome.open, IndexHome.create_or_open):
        with pytest.raises(IndexStateError, match="rebuild"):
            opener(tmp_path / "home")
    (tmp_path / "home" / CURRENT_FILE).write_text(json.dumps(current))
    assert IndexHome.open(tmp_path / "home").partition_counts()["secret"] == 1


def test_refuses_to_adopt_a_directory_that_is_not_an_index_home(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "precious.txt").write_text("x")
    with pytest.raises(IndexStateError, match="not an archsearch index home"):
        IndexHome.create_or_open(tmp_path / "home")
    assert (tmp_path / "home" / "precious.txt").exists()


def test_reclassified_document_moves_between_partitions(tmp_path):
    home = build_index(tmp_path / "home", [make_document("a", "kho đạn", Level.CONFIDENTIAL)])
    with home.writer() as writer:
        writer.delete("a", Level.CONFIDENTIAL)
        writer.add(make_document("a", "kho đạn", Level.TOP_SECRET))
    assert home.partition_counts()["confidential"] == 0
    assert home.partition_counts()["top-secret"] == 1
    with ScopedSearcher(home, scope_for(User("s", Level.SECRET))) as searcher:
        assert searcher.search("kho đạn").total == 0


def test_failed_batch_commits_nothing(tmp_path):
    home = build_index(tmp_path / "home", [make_document("a", "kho đạn", Level.UNCLASSIFIED)])
    with pytest.raises(RuntimeError):
        with home.writer() as writer:
            writer.add(make_document("b", "kho xăng", Level.UNCLASSIFIED))
            raise RuntimeError("crash mid-batch")
    assert home.partition_counts()["unclassified"] == 1


def test_small_segments_are_folded_into_the_next_commit_and_big_ones_kept(tmp_path, monkeypatch):
    from archsearch.engine import index as index_module

    monkeypatch.setattr(index_module, "SMALL_SEGMENT_DOCS", 30)
    root = tmp_path / "home"

    def segment_sizes():
        return sorted(s.doc_count_all() for s in IndexHome.open(root).partition(Level.UNCLASSIFIED)._segments())

    build_index(root, [make_document(f"big{i}", f"văn bản số {i}", Level.UNCLASSIFIED) for i in range(40)])
    for batch in range(3):
        build_index(root, [make_document(f"s{batch}-{i}", f"công văn {i}", Level.UNCLASSIFIED) for i in range(10)])
    # The second small commit kept one small segment beside the big one; the third folded the
    # two small ones into its own: one small segment left, the big one never rewritten.
    assert segment_sizes() == [30, 40]


def test_array_positions_round_trip_and_count():
    from archsearch.engine.index import SCHEMA, ArrayPositions

    fmt = SCHEMA["text_positions"].format
    assert isinstance(fmt, ArrayPositions) and fmt.supports("positions")
    value = fmt.encode([0, 7, 70000])
    assert fmt.decode_positions(value) == [0, 7, 70000]
    assert fmt.decode_frequency(value) == 3 and fmt.decode_weight(value) == 3.0
    assert fmt.decode_positions(fmt.combine([fmt.encode([5, 9]), fmt.encode([1, 5])])) == [1, 5, 9]
