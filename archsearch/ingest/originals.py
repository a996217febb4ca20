"""An indexed document's file read back for a viewer: a copy verified against the content hash
the catalog recorded, and where its pages begin in the extracted text.

The file in the archive may have been replaced, edited or swapped for a link to another file
since it was indexed: what is handed out is only ever the content that was indexed."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from archsearch.records import Extracted


def verified_copy(path: str | Path, expected_sha256: str | None, spool_dir: Path):
    """An anonymous file in `spool_dir` holding the content of `path`, rewound; None when the
    file is gone, not a regular file, or not the content whose SHA-256 is `expected_sha256`
    (nothing of it is returned then). The file is copied while it is hashed, so what is
    returned is what was hashed, whatever happens to `path` meanwhile."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    copy = tempfile.TemporaryFile(dir=spool_dir)
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
            copy.close()
            return None
        digest = hashlib.sha256()
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            copy.write(chunk)
    if not expected_sha256 or digest.hexdigest() != expected_sha256:
        copy.close()
        return None
    copy.seek(0)
    return copy


def page_starts(extracted: Extracted | None, text: str) -> list[int]:
    """Where pages 2, 3, ... begin in `text`, from its cached extraction; [] when unknown (not
    cached, one page, or the text differs from the extraction)."""
    if extracted is None or len(extracted.pages) < 2 or extracted.text != text:
        return []
    starts, position = [], 0
    for page in extracted.pages[:-1]:
        position += len(page.text) + 2  # pages are joined by a blank line (records.Extracted.text)
        starts.append(position)
    return starts
