"""Partition readers kept open between searches (engine/open_readers.py): reused while the
partition's files are unchanged, replaced as soon as a commit or a change on the disk happens,
closed only when no search holds them, and never shared with a forked child."""

from __future__ import annotations

import os

import pytest

from archsearch.engine import open_readers
from archsearch.engine.searcher import ScopedSearcher
from archsearch.levels import Level
from archsearch.trust.access import scope_for
from archsearch.trust.users import User

from tests.helpers import build_index, in_forked_child, make_document

THUONG = User("staff", Level.UNCLASSIFIED)


@pytest.fixture
def home(tmp_path):
    open_readers.forget_all()
    yield build_index(tmp_path / "home", [make_document("a", "kho đạn dược", Level.UNCLASSIFIED)])
    open_readers.forget_all()


def _ids(home, query: str) -> set[str]:
    with ScopedSearcher(home, scope_for(THUONG)) as searcher:
        return {hit.id for hit in searcher.search(query, limit=50).hits}


def test_a_second_search_reads_with_the_reader_the_first_one_opened(home):
    with ScopedSearcher(home, scope_for(THUONG)) as first:
        held = list(first._readers)
    with ScopedSearcher(home, scope_for(THUONG)) as second:
        assert second._readers == held  # the same objects: arrays kept with them are reused
    assert not any(reader.is_closed for reader in held)


def test_a_commit_is_seen_by_the_next_search_and_the_old_reader_is_closed(home):
    assert _ids(home, "đạn") == {"a"}
    with ScopedSearcher(home, scope_for(THUONG)) as searcher:
        old = searcher._readers[0]
    with home.writer() as writer:
        writer.add(make_document("b", "đạn pháo", Level.UNCLASSIFIED))
    assert _ids(home, "đạn") == {"a", "b"}
    assert old.is_closed


def test_a_reader_replaced_while_a_search_holds_it_stays_open_until_that_search_ends(home):
    holder = ScopedSearcher(home, scope_for(THUONG))
    old = holder._readers[0]
    with home.writer() as writer:
        writer.add(make_document("b", "đạn pháo", Level.UNCLASSIFIED))
    assert _ids(home, "đạn") == {"a", "b"}  # a new reader for the new commit
    assert not old.is_closed
    assert {hit.id for hit in holder.search("đạn").hits} == {"a"}  # still its own commit
    holder.close()
    assert old.is_closed


def test_a_partition_file_changed_in_place_opens_the_partition_again(home):
    """durable.py checks a commit's files when it opens one: a cached reader must not outlive
    a change on the disk that this check would see (tests/test_power_loss.py damages one)."""
    with ScopedSearcher(home, scope_for(THUONG)) as searcher:
        old = searcher._readers[0]
    directory = home.partition_dir(Level.UNCLASSIFIED)
    segment = next(p for p in directory.iterdir() if p.name.endswith(".seg") or p.suffix == ".pst")
    os.utime(segment, ns=(1, 1))
    with ScopedSearcher(home, scope_for(THUONG)) as searcher:
        assert searcher._readers[0] is not old
    assert old.is_closed


def test_a_forked_child_opens_its_own_readers(home):
    """Whoosh reads by seek-then-read on shared descriptors: a gunicorn worker forked from a
    process holding readers would move its parent's file offsets under it."""
    with ScopedSearcher(home, scope_for(THUONG)) as searcher:
        parent_reader = searcher._readers[0]
    def child_opens_its_own():
        with ScopedSearcher(home, scope_for(THUONG)) as searcher:
            fresh = searcher._readers[0] is not parent_reader
            return fresh and {hit.id for hit in searcher.search("đạn").hits} == {"a"}

    assert in_forked_child(child_opens_its_own)
    assert not parent_reader.is_closed  # the child closed its copies only
    assert _ids(home, "đạn") == {"a"}


def test_a_partition_that_cannot_be_opened_gives_back_the_readers_already_leased(home):
    """Otherwise the leases of the partitions opened before it are never given back, and their
    readers are never closed once a commit replaces them."""
    from archsearch.errors import IndexStateError

    top = User("chief", Level.TOP_SECRET)
    with ScopedSearcher(home, scope_for(top)) as searcher:
        first = searcher._readers[0]
    directory = home.partition_dir(Level.SECRET)
    for toc in directory.glob("_MAIN_*.toc"):
        toc.unlink()
    with pytest.raises(IndexStateError):
        ScopedSearcher(home, scope_for(top))
    with home.writer() as writer:  # a commit replaces the unclassified reader
        writer.add(make_document("b", "đạn pháo", Level.UNCLASSIFIED))
    with ScopedSearcher(home, scope_for(THUONG)) as searcher:
        assert searcher._readers[0] is not first
    assert first.is_closed
