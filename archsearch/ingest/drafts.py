"""A draft given to `similar --text`: read like an indexed .txt file, refused when it is not one.

The draft is a file the user names; it may be hostile (a FIFO that never ends, a link into
someone else's files, a file that grows while read), so only a regular file within the size
limit is read, and it is decoded as the indexer decodes text (TCVN3, VNI... too), NFC."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from archsearch.errors import UsageError
from archsearch.ingest.extract.text import decode_text
from archsearch.normalise import nfc


def read_draft(path: Path, limit: int) -> str:
    """The text of the draft at `path`, NFC.

    Only a regular file is read: a link, directory, FIFO, socket or device is refused without
    reading from it (a FIFO without blocking), and so is a file over `limit` bytes -- by its
    size before reading and by the bytes read, for a file that grows meanwhile."""
    too_big = UsageError(f"{path} is larger than {limit:,} bytes, the limit for a draft (max_draft_bytes)")
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if not stat.S_ISREG(before.st_mode):
        raise UsageError(f"{path} is {_file_kind(before.st_mode)}, not a regular file: give a text file as the draft")
    if before.st_size > limit:
        raise too_big
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != (before.st_dev, before.st_ino):
            raise UsageError(f"{path} changed while it was being opened: give a text file as the draft")
        if info.st_size > limit:
            raise too_big
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_big
    finally:
        os.close(fd)
    return nfc(decode_text(b"".join(chunks))[0])  # as the indexer decodes a .txt: TCVN3, VNI... too


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "a special file"
