"""Posting lists as arrays beside each segment (engine/posting_arrays.py): the same postings as
Whoosh's own files, written inside the commit, read without decoding, ignored when they do not
fit their segment, and written at the next index run for segments committed without them."""

from __future__ import annotations

import logging
import os
import random
import stat

import numpy as np
import pytest

from archsearch.engine import index, open_readers, posting_arrays, postings
from archsearch.engine.durable import SIZES
from archsearch.engine.searcher import ScopedSearcher
from archsearch.levels import Level
from archsearch.trust.access import scope_for
from archsearch.trust.users import User

from tests.helpers import build_index, make_document

WORDS = ("kho đạn dược bảo quản vũ khí trang bị kỹ thuật mật mắt mặt kiểm tra định kỳ quyết định "
         "thủ kho có được cho mượn không đúng hay sai").split()
TOP = User("boss", Level.TOP_SECRET)
QUERIES = ["kho đạn", "kiem tra dinh ky", "thủ kho có được tự ý cho mượn vũ khí không, đúng hay sai?",
           '"bảo quản vũ khí"', "mật -mắt", "kho AND đạn"]


def _documents(count: int, seed: int = 5):
    rng = random.Random(seed)
    levels = list(Level)
    return [make_document(f"d{i:03}", " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40))),
                          levels[i % 4], compartments=["X"] if i % 9 == 0 else ())
            for i in range(count)]


def _two_segments_per_partition(root):
    merge_below, index.SMALL_SEGMENT_DOCS = index.SMALL_SEGMENT_DOCS, 0  # keep every segment
    try:
        docs = _documents(120)
        built = build_index(root, docs[:60])
        build_index(root, docs[60:])
    finally:
        index.SMALL_SEGMENT_DOCS = merge_below
    return built


@pytest.fixture
def home(tmp_path):
    open_readers.forget_all()
    yield _two_segments_per_partition(tmp_path / "home")
    open_readers.forget_all()


def _segments(home):
    for level in Level:
        with home.partition(level).reader() as reader:
            yield from (leaf for leaf, _offset in reader.leaf_readers() if leaf.doc_count_all())  # not empty partitions


def _arrays_files(home):
    return sorted(home.generation_dir.rglob("*" + posting_arrays.SUFFIX))


def _results(home, user=TOP):
    open_readers.forget_all()
    with ScopedSearcher(home, scope_for(user)) as searcher:
        return {text: (result.total, [(hit.id, hit.score) for hit in result.hits])
                for text in QUERIES for result in [searcher.search(text, limit=20)]}


def test_every_term_reads_the_postings_whooshs_own_files_hold(home):
    _assert_every_term_reads_whooshs_postings(home)


def test_writing_a_segment_holds_its_terms_in_memory_not_its_postings(tmp_path, monkeypatch):
    # A merged segment has millions of postings: they go to the spill files a chunk at a time
    # (here 5), and the file read back is the same.
    monkeypatch.setattr(posting_arrays.Collector, "CHUNK", 5)
    held = []
    add = posting_arrays.Collector.add

    def counting_add(self, docnum, weight):
        add(self, docnum, weight)
        held.append(len(self._docnums))

    monkeypatch.setattr(posting_arrays.Collector, "add", counting_add)
    open_readers.forget_all()
    home = _two_segments_per_partition(tmp_path / "home")
    assert len(held) > 1000 and max(held) < 5
    _assert_every_term_reads_whooshs_postings(home)
    assert not [p for p in (tmp_path / "home").rglob("tmp*")]  # the spill files leave nothing behind


def test_a_file_of_the_older_format_is_ignored_and_written_again_by_the_next_run(home):
    expected = _results(home)
    files = _arrays_files(home)
    for path in files:  # version 1 held the same postings in another order
        data = bytearray(path.read_bytes())
        data[8:12] = (1).to_bytes(4, "little")
        path.write_bytes(bytes(data))
    open_readers.forget_all()
    assert all(postings.posting_arrays_of(segment) is None for segment in _segments(home))
    assert _results(home) == expected  # Whoosh's own files meanwhile
    assert home.complete_posting_arrays() == len(files)
    assert all(posting_arrays.is_current(path) for path in _arrays_files(home))
    assert home.complete_posting_arrays() == 0
    assert _results(home) == expected


def _assert_every_term_reads_whooshs_postings(home):
    looked_up = 0
    for segment in _segments(home):
        arrays = postings.posting_arrays_of(segment)
        assert arrays is not None, "a committed segment has its posting arrays"
        for fieldname, text, docnums, weights in postings.segment_postings(segment):
            found = arrays.lookup(fieldname, text)
            assert found is not None, (fieldname, text)
            assert np.array_equal(found[0], docnums) and np.array_equal(found[1], weights), (fieldname, text)
            assert found[0].dtype == np.int64 and found[1].dtype == np.float64
            looked_up += 1
        for fieldname in posting_arrays.RANKED_FIELDS:
            assert arrays.lookup(fieldname, "không có".encode()) is None
            assert arrays.lookup(fieldname, b"") is None
    assert looked_up > 200


def test_the_file_is_one_of_its_segments_files_private_and_size_checked(home):
    files = _arrays_files(home)
    assert len(files) == len(list(_segments(home)))
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for level in Level:
        partition = home.partition(level)
        for segment in partition.toc.segments:
            recorded = getattr(segment, SIZES)
            assert segment.segment_id() + posting_arrays.SUFFIX in recorded


def test_segments_committed_without_the_files_search_the_same_and_the_next_run_writes_them(home, tmp_path,
                                                                                           monkeypatch):
    with_files = _results(home)
    with monkeypatch.context() as patched:  # as an earlier version committed them
        patched.setattr(index, "write_posting_arrays_file", lambda *args: False)
        older = _two_segments_per_partition(tmp_path / "older")
    assert not _arrays_files(older)
    assert _results(older) == with_files
    assert older.complete_posting_arrays() == len(list(_segments(older)))
    assert older.complete_posting_arrays() == 0  # once each
    assert all(postings.posting_arrays_of(segment) is not None for segment in _segments(older))
    assert _results(older) == with_files


def test_an_index_run_writes_the_files_a_home_lacks(tmp_path, monkeypatch):
    from archsearch import api
    from archsearch.config import Settings

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text("kho đạn dược được bảo quản", encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "home", jobs=1)
    with monkeypatch.context() as patched:
        patched.setattr(index, "write_posting_arrays_file", lambda *args: False)
        patched.setattr(index, "write_posting_arrays", lambda reader: False)
        api.index(settings, [archive])
    home = index.IndexHome.open(tmp_path / "home")
    assert not _arrays_files(home)
    api.index(settings, [archive])  # nothing changed: only the files are written
    assert len(_arrays_files(home)) == len(list(_segments(home))) > 0


@pytest.mark.parametrize("damage", ["magic", "other segment", "truncated", "longer"])
def test_a_file_that_does_not_fit_its_segment_is_ignored_and_said(home, damage, caplog):
    counts = {segment.segment().segment_id(): segment.doc_count_all() for segment in _segments(home)}
    files = [path for path in _arrays_files(home) if path.name[: -len(posting_arrays.SUFFIX)] in counts]
    target, other = files[0], files[1]
    data = target.read_bytes()
    if damage == "magic":
        data = b"XXXXXXXX" + data[8:]
    elif damage == "other segment":
        data = other.read_bytes()
    elif damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data = data + b"\0" * 8
    target.write_bytes(data)
    segment_id = target.name[: -len(posting_arrays.SUFFIX)]
    with caplog.at_level(logging.WARNING, logger="archsearch"):
        assert posting_arrays.open_for(str(target.parent), segment_id, counts[segment_id]) is None
    assert str(target) in caplog.text


def _collected(*terms):
    collected = posting_arrays.Collector()
    for fieldname, text, docnums, weights in terms:
        collected.start_term(fieldname, text)
        collected.extend(np.array(docnums), np.array(weights))
        collected.finish_term()
    return collected


def test_a_weight_that_is_not_a_float32_leaves_the_segment_on_whooshs_path(tmp_path):
    path = tmp_path / "MAIN_x.arrays"
    assert posting_arrays.write(path, "MAIN_x", 4, _collected(("text", b"kho", [0, 3], [1.0, 0.1]))) is False
    assert not any(tmp_path.iterdir())  # nothing left behind
    assert posting_arrays.write(path, "MAIN_x", 4, _collected(("text", b"kho", [0, 3], [1.0, 2.0]))) is True
    found = posting_arrays.open_for(str(tmp_path), "MAIN_x", 4).lookup("text", b"kho")
    assert found[0].tolist() == [0, 3] and found[1].tolist() == [1.0, 2.0]


def test_a_segment_merged_away_takes_its_file_with_it(tmp_path):
    open_readers.forget_all()
    docs = _documents(40, seed=9)
    home = build_index(tmp_path / "home", docs[:10])
    for start in (10, 20, 30):  # each commit folds the small segments into its own
        build_index(tmp_path / "home", docs[start:start + 10])
    current = {segment.segment().segment_id() for segment in _segments(home)}
    left = {path.name[: -len(posting_arrays.SUFFIX)] for path in _arrays_files(home)}
    assert current <= left
    for segment_id in left:  # the others are those of the commit kept to fall back to
        assert list(home.generation_dir.rglob(segment_id + ".trm")), f"{segment_id}.arrays outlived its segment"
    assert len(left) < 4 * 4  # the first commits' segments are gone


@pytest.mark.parametrize("hashing", ["blake2b", "colliding"])
def test_lookups_find_each_terms_own_postings_whatever_the_hashes(tmp_path, monkeypatch, hashing):
    if hashing == "colliding":  # most terms share a hash: the lookup must tell them apart by key
        monkeypatch.setattr(posting_arrays, "key_hash", lambda key: len(key) % 3)
    rng = random.Random(3)
    terms = {}
    for i in range(300):
        fieldname = rng.choice(posting_arrays.RANKED_FIELDS)
        text = f"t{i}".encode() if i % 7 else b""  # an empty term too
        docnums = sorted(rng.sample(range(5000), rng.randint(1, 40)))
        terms[(fieldname, text)] = (docnums, [float(rng.randint(1, 9)) for _ in docnums])
    path = tmp_path / "MAIN_y.arrays"
    assert posting_arrays.write(path, "MAIN_y", 5000,
                                _collected(*[(f, t, d, w) for (f, t), (d, w) in terms.items()]))
    arrays = posting_arrays.open_for(str(tmp_path), "MAIN_y", 5000)
    for (fieldname, text), (docnums, weights) in terms.items():
        found = arrays.lookup(fieldname, text)
        assert found is not None and found[0].tolist() == docnums and found[1].tolist() == weights
    assert arrays.lookup("text", b"t-missing") is None
