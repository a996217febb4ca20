"""A segment's ranked posting lists as flat arrays in a file of their own, read without decoding.

Whoosh keeps a term in a hash table on disk (five small reads to find it) and its postings as
pickled Python lists: at 50,000 documents a 40-syllable question looks up some 170 terms in
each of a top-secret user's 18 segments, and finding and decoding each one took about a tenth
of a millisecond, most of the question's time. Beside each segment the indexer writes
`<segment id>.arrays` holding the same postings of the ranked fields (RANKED_FIELDS):

    header      magic, version, segment id, document count, counts and offsets (_HEADER)
    hashes      uint64, one per term, ascending: the first 8 bytes of the BLAKE2b of its key
    terms       uint64, for each hash, the number of its term in the order written
    key_ends    uint64, where each term's key ends in `keys` (in the order written)
    post_ends   uint64, where each term's postings end in `docnums` / `weights`
    keys        the keys, field name, NUL, term bytes, in the order written
    docnums     uint32, ascending within a term, in the order written
    weights     float32 (only written when every weight is exactly a float32)

Everything but the hash table is in the order Whoosh writes the terms, so the postings go to
the file as they come, through two spill files, and writing a segment holds its terms in
memory, never its postings (a merged segment has millions: bench/ingest.py at 50,000 documents
peaked 350 MB higher when they were gathered in memory into hash order).

A lookup is a hash, a binary search and two array views of the mapped file: no decoding, and
no cache whose timing could tell what somebody else searched. The file is an index of what
Whoosh's own files hold, never more: a segment without one (written by an older version, or a
field not listed) is read from Whoosh's files as before (postings.py), with the same results
(tests/test_posting_arrays.py). A file that does not match its segment -- wrong magic, version,
segment id, document count or length -- is ignored the same way, and said once in the log.

Written by the indexer's field writer as the segment is written (index._FieldWriter), so
that it is flushed and its size recorded with the segment's other files before the table of
contents names them (durable.py), and removed with them when the segment is merged away; a
segment committed before this file existed gets one at the end of the next index run
(`IndexHome.complete_posting_arrays`). Either way atomically: a temporary file, flushed, then
renamed.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import shutil
import struct
import tempfile
from array import array
from pathlib import Path

import numpy as np

from archsearch.trust.private_files import FILE_MODE, fsync_dir
from archsearch.errors import warn

SUFFIX = ".arrays"
# The fields a search scores term by term (query.py's clauses); the others keep Whoosh's path.
RANKED_FIELDS = ("text", "text_folded", "title_folded", "text_bigrams", "text_bigrams_folded", "title_bigrams_folded")
_MAGIC = b"ASPOSTAR"
_VERSION = 2  # 1: keys and postings in hash order (gathered in memory)
# magic, version, segment id (ASCII, NUL-padded), documents, terms, postings, keys bytes, file length
_HEADER = struct.Struct("<8sI64sQQQQQ12x")  # 128 bytes: the arrays after it are aligned (unaligned, numpy copies one to search it)


def term_key(fieldname: str, text: bytes) -> bytes:
    return fieldname.encode("utf-8") + b"\0" + text


def key_hash(key: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def hashed_key(fieldname: str, text: bytes) -> tuple[bytes, np.uint64]:
    """A term's key and its hash: what a lookup needs, the same in every segment (a search
    looks a term up in each of its segments and hashes it once)."""
    key = term_key(fieldname, text)
    return key, np.uint64(key_hash(key))


def path_for(folder: str | Path, segment_id: str) -> Path:
    return Path(folder) / f"{segment_id}{SUFFIX}"


class PostingArrays:
    """The mapped file of one segment: lookup(field, term) -> (docnums, weights) or None."""

    def __init__(self, buffer: mmap.mmap, terms: int, postings: int, keys_size: int):
        self._buffer = buffer
        offset = _HEADER.size
        self._terms = terms
        self.hashes = np.frombuffer(buffer, dtype="<u8", count=terms, offset=offset)
        offset += 8 * terms
        self._numbers_at = offset
        offset += 8 * terms
        self._key_ends_at = offset
        offset += 8 * terms
        self._post_ends_at = offset
        offset += 8 * terms
        self._keys_start = offset
        offset += keys_size
        offset += -offset % 8
        self.docnums = np.frombuffer(buffer, dtype="<u4", count=postings, offset=offset)
        offset += 4 * postings
        self.weights = np.frombuffer(buffer, dtype="<f4", count=postings, offset=offset)

    def lookup(self, fieldname: str, text: bytes, raw: bool = False,
               hashed: tuple[bytes, np.uint64] | None = None) -> tuple[np.ndarray, np.ndarray] | None:
        """The term's docnums (int64) and weights (float64) in this segment, None when it has none;
        with `raw`, read-only views of the file as stored (uint32, float32: the same values).
        `hashed`: the term's `hashed_key`, when the caller has it already."""
        key, wanted = hashed or hashed_key(fieldname, text)
        hashes, buffer = self.hashes, self._buffer
        i = int(hashes.searchsorted(wanted))
        while i < self._terms and hashes[i] == wanted:
            number = _ONE.unpack_from(buffer, self._numbers_at + 8 * i)[0]
            key_start, key_end = _ends(buffer, self._key_ends_at, number)
            if buffer[self._keys_start + key_start:self._keys_start + key_end] == key:
                start, end = _ends(buffer, self._post_ends_at, number)
                if raw:
                    return self.docnums[start:end], self.weights[start:end]
                return self.docnums[start:end].astype(np.int64), self.weights[start:end].astype(np.float64)
            i += 1
        return None


_PAIR = struct.Struct("<QQ")
_ONE = struct.Struct("<Q")


def _ends(buffer, at: int, i: int) -> tuple[int, int]:
    """Where item i of a run of end offsets starts and ends (the previous end, its own)."""
    if i:
        return _PAIR.unpack_from(buffer, at + 8 * (i - 1))
    return 0, _ONE.unpack_from(buffer, at)[0]


def open_for(folder: str, segment_id: str, doc_count: int) -> PostingArrays | None:
    """The segment's posting arrays, or None when it has no usable file (the caller reads
    Whoosh's files instead)."""
    path = path_for(folder, segment_id)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        warn("archsearch: %s cannot be opened (%s); reading the segment's own files", path, error.strerror)
        return None
    try:
        length = os.fstat(fd).st_size
        if length < _HEADER.size:
            return _unusable(path, "shorter than its header")
        buffer = mmap.mmap(fd, length, access=mmap.ACCESS_READ)
    finally:
        os.close(fd)
    magic, version, stored_id, documents, terms, postings, keys_size, stated = _HEADER.unpack_from(buffer, 0)
    if magic != _MAGIC or version != _VERSION:
        return _unusable(path, "not a posting-arrays file of this version")
    if stored_id.rstrip(b"\0") != segment_id.encode("ascii") or documents != doc_count:
        return _unusable(path, "written for another segment")
    if stated != length or length != _expected_length(terms, postings, keys_size):
        return _unusable(path, f"holds {length} bytes, not the {stated} it was written with")
    return PostingArrays(buffer, terms, postings, keys_size)


def is_current(path: Path) -> bool:
    """Whether the file at `path` is a posting-arrays file of this version (an older one is
    written again by the next index run: `IndexHome.complete_posting_arrays`)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return head == _MAGIC + struct.pack("<I", _VERSION)


def _unusable(path: Path, why: str) -> None:
    warn("archsearch: %s is %s; reading the segment's own files", path, why)
    return None


def _expected_length(terms: int, postings: int, keys_size: int) -> int:
    offset = _HEADER.size + 32 * terms + keys_size
    return offset + (-offset % 8) + 8 * postings


class Collector:
    """The postings of a segment's ranked fields, term after term, as they are written (the
    indexer's field writer, index.py) or read back (`postings.write_posting_arrays`). Keys and
    offsets stay in memory; postings go to two unnamed spill files in `spill_dir` (the
    segment's own folder) a chunk at a time."""

    CHUNK = 1 << 20  # postings buffered before they are spilled (12 MB)

    def __init__(self, spill_dir: str | Path | None = None):
        self.keys = bytearray()
        self.key_ends = array("Q")
        self.post_ends = array("Q")
        self.postings = 0  # spilled so far
        self.exact = True  # every weight so far is exactly a float32
        self._spill_dir = spill_dir
        self._docnums = array("I")
        self._weights = array("d")
        self._spills = None  # (docnums file, weights file), opened at the first spill

    def start_term(self, fieldname: str, text: bytes) -> None:
        self.keys += term_key(fieldname, text)
        self.key_ends.append(len(self.keys))

    def add(self, docnum: int, weight: float) -> None:
        self._docnums.append(docnum)
        self._weights.append(weight)
        if len(self._docnums) >= self.CHUNK:
            self.spill()

    def extend(self, docnums: np.ndarray, weights: np.ndarray) -> None:
        self._docnums.frombytes(np.asarray(docnums, dtype=np.uint32).tobytes())
        self._weights.frombytes(np.asarray(weights, dtype=np.float64).tobytes())
        if len(self._docnums) >= self.CHUNK:
            self.spill()

    def finish_term(self) -> None:
        self.post_ends.append(self.postings + len(self._docnums))

    def spill(self) -> None:
        """Move the buffered postings to the spill files (nothing more once a weight is not a
        float32: no file will be written)."""
        count = len(self._docnums)
        if count and self.exact:
            self.exact = self._spill_buffered()
        self.postings += count
        del self._docnums[:], self._weights[:]  # the views of them went with _spill_buffered's frame

    def _spill_buffered(self) -> bool:
        weights = np.frombuffer(self._weights, dtype=np.float64)
        narrow = weights.astype("<f4")
        if not np.array_equal(narrow.astype(np.float64), weights):
            return False
        if self._spills is None:
            self._spills = (tempfile.TemporaryFile(dir=self._spill_dir), tempfile.TemporaryFile(dir=self._spill_dir))
        self._spills[0].write(np.frombuffer(self._docnums, dtype=np.uint32).astype("<u4").tobytes())
        self._spills[1].write(narrow.tobytes())
        return True

    def copy_postings(self, handle) -> None:
        """Append every docnum, then every weight (float32), to `handle`."""
        for spill in self._spills or ():
            spill.seek(0)
            shutil.copyfileobj(spill, handle, 1 << 20)

    def close(self) -> None:
        for spill in self._spills or ():
            spill.close()
        self._spills = None


def write(path: Path, segment_id: str, doc_count: int, collected: Collector) -> bool:
    """Write the posting arrays of one segment to `path` (atomically: a temporary file, flushed,
    renamed, the directory flushed). Returns False, writing nothing, when a weight is not
    exactly a float32 (the segment keeps Whoosh's path). Closes `collected`."""
    path = Path(path)
    try:
        collected.spill()
        if not collected.exact:
            return False
        terms = len(collected.key_ends)
        hashes = np.fromiter((key_hash(bytes(key)) for key in _keys(collected)), dtype=np.uint64, count=terms)
        order = np.argsort(hashes, kind="stable")
        length = _expected_length(terms, collected.postings, len(collected.keys))
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(_HEADER.pack(_MAGIC, _VERSION, segment_id.encode("ascii"), doc_count, terms,
                                          collected.postings, len(collected.keys), length))
                handle.write(hashes[order].astype("<u8").tobytes())
                handle.write(order.astype("<u8").tobytes())
                handle.write(np.frombuffer(collected.key_ends, dtype=np.uint64).astype("<u8").tobytes())
                handle.write(np.frombuffer(collected.post_ends, dtype=np.uint64).astype("<u8").tobytes())
                handle.write(collected.keys)
                handle.write(b"\0" * ((-(_HEADER.size + 32 * terms + len(collected.keys))) % 8))
                collected.copy_postings(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            fsync_dir(path.parent)
            return True
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        collected.close()


def _keys(collected: Collector):
    view = memoryview(collected.keys)
    start = 0
    for end in collected.key_ends:
        yield view[start:end]
        start = end
