"""Extraction cache: the text extracted from a file, keyed by the SHA-256 of its content.

OCR is by far the slowest stage (1-2 s a page), and archivists reindex often: after a sidecar
fix, a reclassification, a `--full` rebuild or a schema change. The cache lives in the index
home beside the generations, so none of those OCRs anything twice. A result with a page whose
OCR failed is not cached, so the page is tried again next time.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

from archsearch.errors import UnsafeIndexHome
from archsearch.trust.home_check import open_private
from archsearch.records import Extracted, PageText

CACHE_DIR = "cache"
# Bump when extraction would now give different text for the same bytes.
EXTRACTOR_VERSION = 1


class ExtractionCache:
    def __init__(self, index_dir: Path, language: str = "vie"):
        self.home = Path(index_dir)
        self.root = self.home / CACHE_DIR
        self.salt = f"v{EXTRACTOR_VERSION}-{language}"

    def _path(self, content_hash: str) -> Path:
        return self.root / content_hash[:2] / f"{content_hash}.{self.salt}.json.gz"

    def get(self, content_hash: str) -> Extracted | None:
        try:
            # The home check does not walk the cache's files (one per document): each is
            # checked here, on the descriptor it is read from.
            fd = open_private(self._path(content_hash), self.home)
            with gzip.open(os.fdopen(fd, "rb"), "rt", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError, EOFError, UnsafeIndexHome):
            return None  # absent, damaged or not ours: extract again
        pages = [PageText(**page) for page in data.pop("pages")]
        return Extracted(pages=pages, **data)

    def put(self, content_hash: str, extracted: Extracted) -> None:
        if any(page.ocr_failed for page in extracted.pages):
            return
        path = self._path(content_hash)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.root.mkdir(mode=0o700, exist_ok=True)
            path.parent.mkdir(mode=0o700, exist_ok=True)
            tmp.unlink(missing_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with gzip.open(os.fdopen(fd, "wb"), "wt", encoding="utf-8") as handle:
                json.dump(asdict(extracted), handle, ensure_ascii=False)
            os.replace(tmp, path)
        except (OSError, UnicodeEncodeError):
            pass  # a cache that cannot be written only costs time
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)  # already renamed when the write succeeded

    def size(self) -> dict:
        files, total = 0, 0
        if self.root.exists():
            for path in self.root.rglob("*.json.gz"):
                files += 1
                total += path.stat().st_size
        return {"entries": files, "bytes": total}

    def clear(self) -> dict:
        before = self.size()
        shutil.rmtree(self.root, ignore_errors=True)
        return before
