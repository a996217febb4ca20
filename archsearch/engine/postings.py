"""Reading one segment's raw data as arrays: a term's posting list (docnums and weights), which
documents are live, and the length column of a field. Shared by the array scorer (scoring.py)
and the statistics over the documents a user may see (visible.py).

A term of a ranked field is read from the segment's posting-arrays file (posting_arrays.py):
two array views, nothing decoded. A segment without one (committed by an earlier version,
until the next index run writes it), and the other fields, are read from Whoosh's own files:
Whoosh's readers step posting by posting, several Python calls each; these read a whole
posting list or column in one file read and decode it with one unpickle per block.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zlib
from typing import Iterable

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from archsearch.engine.posting_arrays import RANKED_FIELDS, Collector, PostingArrays, is_current, open_for, path_for
from archsearch.engine.posting_arrays import write as write_arrays
from archsearch.engine.whoosh_private import (deleted_docnums, length_bytes, length_column, postings_file, segment_key,
                                              w3_terms)

_CACHE_ATTRIBUTE = "_archsearch_segment_arrays"
_BLOCK_LENGTH = struct.Struct("!i")  # Whoosh's StructFile.write_int
# A length byte -> the field length Whoosh reads back (0 -> 0: the document has no such field).
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


def sorted_array(docnums: Iterable[int]) -> np.ndarray:
    """The distinct docnums, sorted. (Not np.unique: its first call imports numpy.ma, some
    6 ms of every command's start-up, bench/cli.py.)"""
    values = np.sort(np.fromiter(docnums, dtype=np.int64))
    if len(values) > 1:
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def member_mask(docnums: np.ndarray, offset: int, size: int) -> np.ndarray:
    """Which of one segment's documents are in `docnums` (sorted, of the combined reader)."""
    mask = np.zeros(size, dtype=bool)
    start, stop = np.searchsorted(docnums, [offset, offset + size])
    mask[docnums[start:stop] - offset] = True
    return mask


def term_arrays(reader, fieldname: str, text: bytes, raw: bool = False,
                hashed: tuple[bytes, np.uint64] | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """A term's docnums (deleted ones included; the caller masks them) and weights in one
    segment, None when the segment lacks the term; int64 and float64, or with `raw` whatever
    integer and float arrays hold them (a posting-arrays file's own uint32 and float32 views).
    From the segment's posting-arrays file when it has one (`hashed`: the term's
    posting_arrays.hashed_key, for a caller reading it in several segments); else, for a
    Whoosh 3 segment, the posting list is read from its postings file in one read and parsed
    here: building Whoosh's posting reader and stepping it block by block took ten small file
    reads per term per segment, a third of a three-word search at 30k documents (cProfile)."""
    terms = w3_terms(reader)
    if terms is None:  # not a Whoosh 3 segment reader: its own posting reader, posting by posting
        try:
            return walk(reader.postings(fieldname, text))[:2]
        except TermNotFound:
            return None
    arrays = posting_arrays_of(reader)
    if arrays is not None and fieldname in RANKED_FIELDS:
        return arrays.lookup(fieldname, text, raw, hashed)
    return _read_term(terms, fieldname, text)


_ARRAYS_ATTRIBUTE = "_archsearch_posting_arrays"


def posting_arrays_of(reader) -> PostingArrays | None:
    """The segment's posting-arrays file (posting_arrays.py), opened once per reader; None
    when it has none that fits."""
    cache = reader.__dict__
    if _ARRAYS_ATTRIBUTE not in cache:
        key = segment_key(reader)
        cache[_ARRAYS_ATTRIBUTE] = None if key is None else open_for(key[0], key[1], reader.doc_count_all())
    return cache[_ARRAYS_ATTRIBUTE]


def segment_postings(reader):
    """(field, term bytes, docnums, weights) of every term of posting_arrays.RANKED_FIELDS in a
    Whoosh 3 segment, read from Whoosh's own files: what posting_arrays.write stores."""
    terms = w3_terms(reader)
    for fieldname in RANKED_FIELDS:
        if fieldname not in reader.schema:
            continue
        for (field, text), info in terms.items_from(fieldname, b""):
            if field != fieldname:
                break
            docnums, weights = _decode(terms, info, fieldname, text)
            yield fieldname, text, docnums, weights


def write_posting_arrays(reader) -> bool:
    """Write the posting-arrays file of a Whoosh 3 segment that has none, or one of an older
    format (posting_arrays.py); True when one was written."""
    key = segment_key(reader)
    if key is None or w3_terms(reader) is None:
        return False
    path = path_for(*key)
    if os.path.lexists(path) and is_current(path):
        return False
    collected = Collector(key[0])
    for fieldname, text, docnums, weights in segment_postings(reader):
        collected.start_term(fieldname, text)
        collected.extend(docnums, weights)
        collected.finish_term()
    return write_arrays(path, key[1], reader.doc_count_all(), collected)


def _read_term(terms, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        info = terms.term_info(fieldname, text)
    except TermNotFound:
        return None
    return _decode(terms, info, fieldname, text)


def _decode(terms, info, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings from its term info: inlined in it, or read from the postings file."""
    if info.is_inlined():  # a term of one posting lives in the term dictionary itself
        ids, weights, _values = info.inlined_postings()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh 2.7.4 keeps the unpacked tuple (its reader never uses it)
        (length,) = length
    raw = postings_file(terms).get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:  # as Whoosh's own reader would
        raise ValueError(f"postings of {fieldname}:{text!r} do not start with Whoosh's block tag")
    # After the magic, blocks: a signed 4-byte length (negative for the last block), a pickled
    # info tuple (count, last docnum, max weight, compressed?, min length, max length), and the
    # pickled (docnum gaps, weights, values) of the block, zlib'd when compressed.
    stream = io.BytesIO(raw)
    view = memoryview(raw)
    gaps: list[int] = []
    weights: list[float] = []
    starts: list[int] = []
    bases: list[int] = []
    last = 0
    position = 4
    while True:
        (size,) = _BLOCK_LENGTH.unpack_from(raw, position)
        position += _BLOCK_LENGTH.size
        end = position + abs(size)
        stream.seek(position)
        _count, last_docnum, _maxweight, compressed, _minlength, _maxlength = pickle.load(stream)
        data = view[stream.tell():end]
        block_gaps, block_weights, _values = pickle.loads(zlib.decompress(data) if compressed else data)
        starts.append(len(gaps))
        bases.append(last)
        gaps.extend(block_gaps)
        _extend_weights(weights, block_weights, len(block_gaps))
        last = last_docnum
        position = end
        if size < 0:
            break
    return _docnums(gaps, starts, bases), np.fromiter(weights, dtype=np.float64, count=len(weights))


def _extend_weights(weights: list[float], block_weights, count: int) -> None:
    """A block's weights, stored as None when all are 1 and as one float when all are equal."""
    if block_weights is None:
        weights.extend([1.0] * count)
    elif isinstance(block_weights, float):
        weights.extend([block_weights] * count)
    else:
        weights.extend(block_weights)


def _docnums(gaps: list[int], starts: list[int], bases: list[int]) -> np.ndarray:
    """Docnums from the joined gaps of several blocks, each block's first gap counting from 0:
    rebased on the previous block's last docnum, one cumulative sum gives them all."""
    docnums = np.fromiter(gaps, dtype=np.int64, count=len(gaps))
    docnums[starts] -= np.array(bases, dtype=np.int64)
    return np.cumsum(docnums)


def walk(postings, values: bool = False) -> tuple[np.ndarray, np.ndarray, list]:
    """Docnums, weights and (when asked) raw values of any posting reader, posting by posting:
    for readers other than Whoosh 3 segments, which the functions above read a block at a time."""
    if isinstance(postings, FilterMatcher):
        postings = postings.child
    docnums, weights, raw = [], [], []
    while postings.is_active():
        docnums.append(postings.id())
        weights.append(postings.weight())
        if values:
            raw.append(postings.value())
        postings.next()
    return np.array(docnums, dtype=np.int64), np.array(weights, dtype=np.float64), raw



def live_docs(reader) -> np.ndarray:
    """Which of one segment's documents are not deleted (postings still list deleted ones
    until the segment is merged); kept with the reader, since a segment never changes."""
    cache = reader.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if "_live" not in cache:
        size = reader.doc_count_all()
        deleted = deleted_docnums(reader)
        if deleted is None:  # not a segment reader: ask document by document
            deleted = [docnum for docnum in range(size) if reader.is_deleted(docnum)]
        live = np.ones(size, dtype=bool)
        live[np.asarray(deleted, dtype=np.int64)] = False
        cache["_live"] = live
    return cache["_live"]


def stored_lengths(reader, fieldname: str) -> np.ndarray | None:
    """Every document's length in `fieldname` in one segment as Whoosh stores it (one byte,
    exact up to 40 and within a few percent above), 0 where the document has none; None where
    the reader is not a plain segment reader. Kept with the reader."""
    cache = reader.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    key = ("lengths", fieldname)
    if key not in cache:
        cache[key] = _read_lengths(reader, fieldname)
    return cache[key]


def _read_lengths(reader, fieldname: str) -> np.ndarray | None:
    column = length_column(reader, fieldname)
    if column is False:  # not a segment reader
        return None
    size = reader.doc_count_all()
    if column is None:  # no document of the segment has the field
        return np.zeros(size, dtype=np.int64)
    raw = length_bytes(column)
    if raw is not None:
        # One byte per document up to the last one written; the rest take the default (0).
        stored = np.frombuffer(raw, dtype=np.uint8)
        codes = np.zeros(size, dtype=np.uint8)
        codes[: len(stored)] = stored
    else:  # another kind of column than Whoosh writes lengths in (the self-check pins that kind)
        codes = np.fromiter(column, dtype=np.uint8, count=size)
    return LENGTH_OF_BYTE[codes]
