"""Owner-only files in the index home, written atomically.

Every small record the index home keeps (current.json, last_run.json, users.json, saved.json)
is written to a temporary file created 0600 and renamed over the old one: a reader sees the
old content or the new, never half of either, and a failed write (a full disk) leaves the old
file in place and no temporary behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


def write_private(path: Path, content: str) -> None:
    """Replace `path` with `content` atomically, readable by the owner only; raises OSError."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def home_lock(directory: Path):
    """An exclusive lock for a read-modify-write of the small records in `directory` (the user
    registry, web sessions, login throttling), taken on the directory itself so that no lock
    file appears in the index home. Not re-entrant: never nest two."""
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
