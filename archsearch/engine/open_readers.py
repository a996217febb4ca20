"""Partition readers kept open between searches in one process, while the commit they read is
still the partition's newest.

A Whoosh segment never changes once written: a commit (new documents, deletions, a merge)
writes a new TOC naming new segments. So a reader opened at a commit can serve every search
until the next commit, and what searches derive from a segment and keep with its reader (the
length columns, the live documents, the norms and facet arrays: postings.py, facets.py) is
computed once per segment per process instead of once per search. For the web front end,
whose worker processes answer search after search, opening the four partitions and deriving
those arrays again was most of a search at a few thousand documents.

Before every lease the partition directory is listed with its files' sizes and times: a new
TOC, or any file changed, opens the partition afresh (durable.open_partition, with its
checks and its fall-back to the previous commit), so a commit by a concurrent `archsearch
index` is visible to the very next search. A reader replaced while a search still holds it is
closed when that search lets go of it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable



@dataclass
class _Open:
    directory: str
    commit: tuple  # the newest TOC when the reader was opened (commit_of)
    reader: object
    leases: int = 0
    replaced: bool = False


_lock = threading.Lock()
_current: dict[str, _Open] = {}  # partition directory -> its reader at the newest commit seen
_leased: dict[int, _Open] = {}  # id(reader) -> its entry, for every reader handed out and not closed


def commit_of(directory: Path) -> tuple:
    """What the partition's files are now: every file's name, inode, size and times. A new
    commit adds a TOC; a file changed in place (a damaged segment: durable.py then falls back
    to the commit before) changes its size or times. Anything that cannot be listed gives a
    fresh identity, so the partition is opened again and open_partition raises its own error."""
    try:
        with os.scandir(directory) as entries:
            files = []
            for entry in entries:
                stat = entry.stat(follow_symlinks=False)
                files.append((entry.name, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    except OSError:
        return (os.urandom(8),)
    return tuple(sorted(files))


def lease(directory: Path, open_reader: Callable[[], object]) -> object:
    """A reader of the partition in `directory` at its newest commit: the one already open when
    that commit is unchanged, else `open_reader()`. Give it back with `release`."""
    key = str(directory)
    commit = commit_of(directory)
    with _lock:
        entry = _current.get(key)
        if entry is not None and entry.commit == commit:
            entry.leases += 1
            return entry.reader
    reader = open_reader()  # outside the lock: opening reads the TOC and checks it
    with _lock:
        old = _current.get(key)
        if old is not None:
            _retire(old)
        entry = _Open(key, commit, reader, leases=1)
        _current[key] = entry
        _leased[id(reader)] = entry
    return reader


def release(reader) -> None:
    """Give back a reader from `lease`; one a newer commit replaced is closed once nobody holds it."""
    with _lock:
        entry = _leased.get(id(reader))
        if entry is None or entry.reader is not reader:
            return
        entry.leases -= 1
        if entry.replaced and not entry.leases:
            _close(entry)


def forget_all() -> None:
    """Close every reader nobody holds and forget them all (tests)."""
    with _lock:
        for entry in list(_current.values()):
            _retire(entry)
        _current.clear()


def _retire(entry: _Open) -> None:
    entry.replaced = True
    if not entry.leases:
        _close(entry)


def _close(entry: _Open) -> None:
    _leased.pop(id(entry.reader), None)
    entry.reader.close()


def _forget_after_fork() -> None:
    """In a forked child (gunicorn's workers): readers opened by the parent share its file
    offsets, and Whoosh reads by seek-then-read, so the child must open its own. Their
    descriptors are the child's copies; closing them leaves the parent's alone."""
    global _lock
    _lock = threading.Lock()
    for entry in list(_leased.values()):
        try:
            entry.reader.close()
        except OSError:  # the parent's reader, in whatever state the fork caught it
            pass
    _current.clear()
    _leased.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
