"""Every private Whoosh name archsearch relies on, in one place, and a check that they still exist.

Whoosh 2.7.4 is pinned and frozen, but the speed of a search (posting lists read as arrays,
dense.py / scoring.py), the durability of a commit (durable.py) and the positional posting blocks
(index.py) depend on attributes whose names start with `_`: nothing promises them. Each is read or
written here only, through a small named function with a comment saying what it is and why we
need it; the rest of engine/ calls those functions (tests/test_layout.py fails on any other module
reading a private Whoosh name).

`self_check()` verifies each of them against the installed Whoosh: the private methods and
functions exist with the arity we call them with, and the data attributes that only instances
carry exist with the expected type on a tiny in-memory index it builds. It runs once per process
when a partition is opened (durable.open_partition) and in the test suite; a mismatch raises
`WhooshInternalsChanged` naming the attribute, rather than a search silently taking a slow path or
an indexer failing at its first commit.

Where a function below falls back to Whoosh's public API, it is because the object is not the
Whoosh 3 segment reader the fast path is for (a posting list wrapped for deletions is unwrapped
first; anything else is another kind of reader), never because an attribute is missing.
"""

from __future__ import annotations

import inspect
import threading
from bisect import bisect_left

import whoosh
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter, W3TermsReader
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.matching import ReadTooFar, binary
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.writing import SegmentWriter

WHOOSH_VERSION = ".".join(map(str, whoosh.__version__))
HERE = "engine/whoosh_private.py"


class WhooshInternalsChanged(RuntimeError):
    """The installed Whoosh lacks (or has reshaped) a private attribute archsearch relies on."""


# --- Posting blocks (W3LeafMatcher) ------------------------------------------------------------
# A phrase check decodes positions only in the blocks holding a candidate (scoring._positions):
# one call per block, never per posting.

def is_unread_block_reader(postings) -> bool:
    """Whoosh 3's block posting reader (docnums as ints), not yet moved from its first posting.
    Other posting readers (an inlined term's list, an in-memory reader) are walked posting by
    posting by the caller: they hold few postings or are not on the disk."""
    # _byteids: the docnums are byte strings (never for our fields); _i: the index inside the block.
    return isinstance(postings, W3LeafMatcher) and not postings._byteids and postings._i == 0


def block_exhausted(postings) -> bool:
    return postings._atend  # True once the reader has stepped past its last block


def block_last_docnum(postings) -> int:
    return postings._maxid  # the current block's last docnum, from its header


def block_contents(postings) -> tuple:
    """The current block's (docnum gaps, weights, values), decoded once."""
    if postings._data is None:  # _data: the block's unpickled contents, None until read
        postings._read_data()
    return postings._data


def next_block(postings) -> None:
    postings._next_block()  # reads the next block's header; sets _atend past the last one


class BisectingLeafMatcher(W3LeafMatcher):
    """Whoosh's block posting reader, skipping inside a block by binary search: its own
    skip_to steps posting by posting, and skipping is most of what a pruned search does
    (40 % of its time at 10k documents, cProfile; exports page through pruned searches).
    Blocks are skipped as before (`_skip_to_block`); `_ids` is the block's docnums, read by
    `_read_ids`, and `_i` the current posting inside it."""

    def skip_to(self, targetid):
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        if targetid > self._maxid:
            self._skip_to_block(lambda: targetid > self._maxid)
            if not self.is_active():
                return
        if self._ids is None:
            self._read_ids()
        # targetid <= the block's last docnum, so the answer lies inside this block
        self._i = bisect_left(self._ids, targetid, self._i)


def make_bisecting(leaf) -> None:
    """Turn a live Whoosh 3 posting reader into a BisectingLeafMatcher (same state, one method
    more): the reader is built deep inside Whoosh's `searcher.postings`, so its class is swapped
    rather than the reader rebuilt. Anything else is left as it is."""
    if type(leaf) is W3LeafMatcher:
        leaf.__class__ = BisectingLeafMatcher


# --- A segment's files, read whole (postings.py) -------------------------------------------------

def w3_terms(reader) -> W3TermsReader | None:
    """The term dictionary of a Whoosh 3 segment reader; None for any other reader (those are
    read through Whoosh's posting readers)."""
    if not isinstance(reader, SegmentReader):
        return None
    terms = reader._terms  # SegmentReader._terms: the codec's terms reader
    return terms if isinstance(terms, W3TermsReader) else None


def segment_key(reader) -> tuple[str, str] | None:
    """(the directory of its files, the segment's random id) of a segment reader: names the
    segment, whose files never change, for as long as it exists; None for other readers."""
    if not isinstance(reader, SegmentReader):
        return None
    storage = reader.storage()
    base = getattr(storage, "b", storage)  # a compound segment reads through OverlayStorage(compound, folder)
    folder = getattr(base, "folder", None)
    if folder is None:
        return None
    return (str(folder), reader.segment().segment_id())


def postings_file(terms: W3TermsReader):
    return terms._postfile  # the segment's .pst file, read by offset and length


def deleted_docnums(reader) -> list[int] | None:
    """The deleted docnums of a segment reader in one call; None for other readers."""
    if not isinstance(reader, SegmentReader):
        return None
    return list(reader._perdoc.deleted_docs())  # SegmentReader._perdoc: the per-document reader


def length_column(reader, fieldname: str):
    """The column of one-byte field lengths of `fieldname` in a segment reader (None when no
    document of the segment has the field); False for other readers."""
    if not isinstance(reader, SegmentReader):
        return False
    # _lenfield: the column's name; _cached_reader: the per-document reader's column cache.
    return reader._perdoc._cached_reader(whoosh3._lenfield(fieldname), LENGTHS_COLUMN)


def length_bytes(column) -> bytes | None:
    """The raw bytes of a one-byte numeric column (one per document up to the last written),
    in one read; None for another kind of column (the caller iterates it)."""
    if not isinstance(column, NumericColumn.Reader) or column._typecode != "B":
        return None
    # _dbfile: the column's file; _basepos: where its values start; _count: how many.
    return column._dbfile.get(column._basepos, column._count)


# --- Ranking (bm25f.py, scoring.py) --------------------------------------------------------------

def field_B(weighting: BM25F, fieldname: str) -> float:
    return weighting._field_B.get(fieldname, weighting.B)  # BM25F's per-field B, "<field>_B=" kwargs


def route_posting_score(scorer_class: type, function) -> None:
    """Make `function(self, weight, length)` the BM25FScorer's per-posting formula `_score`, which
    its score, max_quality and block_quality all call: assigned, not wrapped, so a posting costs
    no extra call."""
    scorer_class._score = function


# --- Writing (index.py, durable.py) --------------------------------------------------------------

def use_postings_writer(field_writer: W3FieldWriter, blocklimit: int) -> None:
    """Give the field a W3FieldWriter just started a posting writer with blocks of `blocklimit`
    postings (uncompressed), writing to the same postings file with the codec's inline limit:
    the codec takes one block size for every field, the positional fields want smaller ones."""
    field_writer._postwriter = W3PostingsWriter(field_writer._postfile, blocklimit=blocklimit, compression=0,
                                                inlinelimit=field_writer._codec._inlinelimit)


def storage_path(storage: FileStorage, name: str) -> str:
    return storage._fpath(name)  # FileStorage._fpath: the path of one of its files


def set_schema(index: FileIndex, schema) -> None:
    index._schema = schema  # FileIndex._schema: what its __init__ sets (durable.Partition skips it)


def route_read_toc(index_class: type, function) -> None:
    """Make `function(self)` what a FileIndex calls for its table of contents (`_read_toc`,
    asked by every reader and writer): durable.Partition opens a checked, chosen TOC."""
    index_class._read_toc = function


def route_commit_toc(writer_class: type, function) -> None:
    """Make `function(self, segments)` what SegmentWriter calls to write the new TOC
    (`_commit_toc`): durable.DurableWriter records file sizes and fsyncs around it."""
    writer_class._commit_toc = function


# --- Matcher fixes (whoosh_fixes.py) ---------------------------------------------------------------

def and_not_find_first():
    return binary.AndNotMatcher._find_first  # positions a new AND-NOT on its first document


def set_and_not_find_first(function) -> None:
    binary.AndNotMatcher._find_first = function


def and_not_find_next(matcher) -> None:
    matcher._find_next()  # AndNotMatcher._find_next: move past documents the excluded side holds


# --- The self-check ------------------------------------------------------------------------------

# (owner, attribute, parameters it is called with, what archsearch does with it)
_CALLABLES = (
    (W3LeafMatcher, "_read_data", ("self",), "reads posting blocks through it"),
    (W3LeafMatcher, "_next_block", ("self",), "steps posting blocks through it"),
    (W3LeafMatcher, "_skip_to_block", ("self", "skipwhile"), "skips posting blocks through it"),
    (W3LeafMatcher, "_read_ids", ("self",), "reads a block's docnums through it"),
    (whoosh3, "_lenfield", ("fieldname",), "names the field length columns with it"),
    (FileStorage, "_fpath", ("self", "fname"), "finds partition files with it"),
    (FileIndex, "_read_toc", ("self",), "opens a partition at a checked table of contents through it"),
    (SegmentWriter, "_commit_toc", ("self", "segments"), "makes commits durable through it"),
    (BM25FScorer, "_score", ("self", "weight", "length"), "scores postings through it"),
    (binary.AndNotMatcher, "_find_first", ("self",), "corrects AND-NOT through it (whoosh_fixes.py)"),
    (binary.AndNotMatcher, "_find_next", ("self",), "corrects AND-NOT through it (whoosh_fixes.py)"),
)

_checked = False
_lock = threading.Lock()


def _fail(owner: str, attribute: str, problem: str, why: str):
    raise WhooshInternalsChanged(
        f"whoosh {WHOOSH_VERSION}: {owner}.{attribute} {problem}; archsearch {why} ({HERE})")


def _name_of(owner) -> str:
    return getattr(owner, "__qualname__", None) or owner.__name__


def _check_callable(owner, attribute: str, parameters: tuple, why: str) -> None:
    # getattr_static: the attribute itself, not what a descriptor would make of it.
    function = inspect.getattr_static(owner, attribute, None)
    if function is None:
        _fail(_name_of(owner), attribute, "is missing", why)
    if not callable(function):
        _fail(_name_of(owner), attribute, f"is a {type(function).__name__}, not a function", why)
    if getattr(function, "__module__", "").startswith("archsearch."):
        return  # our replacement (whoosh_fixes); Whoosh's own was checked before it (open_partition)
    names = tuple(inspect.signature(function).parameters)
    if names != parameters:
        _fail(_name_of(owner), attribute, f"takes ({', '.join(names)}), expected ({', '.join(parameters)})", why)


def _check_instance(owner: str, obj, attribute: str, expected, why: str) -> None:
    if attribute not in vars(obj):
        _fail(owner, attribute, "is missing", why)
    value = vars(obj)[attribute]
    if not isinstance(value, expected):
        _fail(owner, attribute, f"is a {type(value).__name__}", why)


def _check_instances() -> None:
    """The data attributes only instances carry, on a tiny in-memory index of three documents
    built the way archsearch writes its partitions (Whoosh 3 codec, separate files)."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.matching import FilterMatcher

    storage = RamStorage()
    index = storage.create_index(Schema(id=ID(stored=True), text=TEXT))
    writer = index.writer(compound=False)
    for number in range(3):
        writer.add_document(id=str(number), text="kho lưu trữ")
    writer.commit()  # one commit: a commit costs most of the check (its temporary directory)

    with index.reader() as reader:
        if not isinstance(reader, SegmentReader):
            _fail("FileIndex", "reader", f"gives a {type(reader).__name__}", "reads segments whole")
        _check_instance("SegmentReader", reader, "_terms", W3TermsReader, "reads term dictionaries through it")
        _check_instance("SegmentReader", reader, "_perdoc", whoosh3.W3PerDocReader,
                        "reads deletions and field lengths through it")
        if list(deleted_docnums(reader)) != []:
            _fail("W3PerDocReader", "deleted_docs", "lists documents never deleted", "reads deletions through it")
        _check_instance("W3TermsReader", reader._terms, "_postfile", object, "reads posting lists whole from it")
        if not callable(getattr(reader._terms._postfile, "get", None)):
            _fail("W3TermsReader", "_postfile.get", "is missing", "reads posting lists whole from it")
        perdoc = reader._perdoc
        if not callable(getattr(type(perdoc), "_cached_reader", None)):
            _fail("W3PerDocReader", "_cached_reader", "is missing", "reads field length columns through it")
        column = length_column(reader, "text")
        if not isinstance(column, NumericColumn.Reader):
            _fail("W3PerDocReader", "_cached_reader", f"gives a {type(column).__name__}",
                  "reads field length columns through it")
        for attribute, expected in (("_typecode", str), ("_basepos", int), ("_count", int), ("_dbfile", object)):
            _check_instance("NumericColumn.Reader", column, attribute, expected, "reads field lengths in one read through it")
        if length_bytes(column) is None or len(length_bytes(column)) != 3:
            _fail("NumericColumn.Reader", "_typecode", "is not 'B' for the length column",
                  "reads field lengths in one read through it")

        postings = reader.postings("text", "kho")
        leaf = postings.child if isinstance(postings, FilterMatcher) else postings
        if type(leaf) is not W3LeafMatcher:
            _fail("SegmentReader", "postings", f"gives a {type(leaf).__name__}", "reads posting blocks")
        for attribute, expected in (("_atend", bool), ("_maxid", int), ("_byteids", (bool, type(None))), ("_i", int),
                                    ("_data", (tuple, type(None))), ("_ids", object)):
            _check_instance("W3LeafMatcher", leaf, attribute, expected, "reads posting blocks through it")
        data = block_contents(leaf)
        if not (isinstance(data, tuple) and len(data) == 3 and list(data[0]) == [0, 1, 1]):
            _fail("W3LeafMatcher", "_data", "is not (docnum gaps, weights, values)", "reads posting blocks through it")
        next_block(leaf)
        if not block_exhausted(leaf):
            _fail("W3LeafMatcher", "_atend", "stays False past the last block", "reads posting blocks through it")

    _check_instance("BM25F", BM25F(text_B=0.5), "_field_B", dict, "reads each field's B through it")

    codec = W3Codec()
    segment = codec.new_segment(storage, "probe")
    field_writer = codec.field_writer(storage, segment)
    try:
        _check_instance("W3FieldWriter", field_writer, "_postfile", object, "writes positional posting blocks through it")
        _check_instance("W3FieldWriter", field_writer, "_codec", W3Codec, "writes positional posting blocks through it")
        _check_instance("W3FieldWriter", field_writer, "_postwriter", type(None), "writes positional posting blocks through it")
        _check_instance("W3Codec", codec, "_inlinelimit", int, "writes positional posting blocks through it")
    finally:
        field_writer.close()


def self_check(force: bool = False) -> None:
    """Verify every private Whoosh attribute above against the installed Whoosh; once per
    process (then free). Raises WhooshInternalsChanged naming the first one that is wrong."""
    global _checked
    if _checked and not force:
        return
    with _lock:
        if _checked and not force:
            return
        for owner, attribute, parameters, why in _CALLABLES:
            _check_callable(owner, attribute, parameters, why)
        _check_instances()
        _checked = True
