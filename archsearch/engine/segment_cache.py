"""What a process keeps of immutable segments between searches: a map from a key naming a
segment (whoosh_private.segment_key, plus what is kept of it) to a value, least recently used
first out once the values' bytes pass a budget: facets.py keeps the facet codes of whole
segments in one.

A segment never changes once written, so nothing kept here is ever stale while its key exists;
a key never names a reader object (a closed reader's id() can be reused by another one)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable


class SegmentCache:
    """key -> (value, its bytes), within `budget` bytes; thread-safe."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        """The value kept under `key`, or None."""
        with self._lock:
            return self._get(key)

    def put(self, key: tuple, value, size: int) -> None:
        with self._lock:
            self._put(key, value, size)

    def get_or_build(self, key: tuple, build: Callable[[], object], size_of: Callable[[object], int]):
        """The value under `key`, built (once, under the lock: two searches needing the same
        segment's values build them once) and kept when missing."""
        with self._lock:
            found = self._get(key)
            if found is None:
                found = build()
                self._put(key, found, size_of(found))
            return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.used = self.hits = self.misses = 0

    def _get(self, key: tuple):
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def _put(self, key: tuple, value, size: int) -> None:
        if key in self._entries:
            return
        self._entries[key] = (value, size)
        self.used += size
        while self.used > self.budget and len(self._entries) > 1:  # the newest stays
            _key, (_value, old_size) = self._entries.popitem(last=False)
            self.used -= old_size
