"""What an indexing run tells its caller: progress events while it runs, the summary after."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Callable


class ProgressKind(enum.StrEnum):
    """What a ProgressEvent reports (a str, so callers may compare with the plain word)."""

    START = "start"  # the work is decided (or, with --cluster, the workers are ready)
    INDEXED = "indexed"
    UNCHANGED = "unchanged"
    MOVED = "moved"
    REMOVED = "removed"
    FAILED = "failed"
    COMMIT = "commit"  # a batch was committed: everything before it is searchable


@dataclass
class ProgressEvent:
    kind: ProgressKind
    path: str = ""
    detail: str = ""
    done: int = 0  # files finished so far
    total: int = 0  # files to process (after the cheap unchanged check)
    pages: int = 0  # pages extracted so far (OCR'd or not)


Progress = Callable[[ProgressEvent], None]


@dataclass
class IndexSummary:
    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    moved: int = 0
    removed: int = 0
    seconds: float = 0.0
    extracted: int = 0  # files whose text was extracted in this run
    from_cache: int = 0  # files whose text came from the extraction cache
    pages: int = 0
    ocr_pages: int = 0
    full: bool = False
    failures: list[dict] = field(default_factory=list)  # {"path", "stage", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "stage", "warning"}
    moves: list[dict] = field(default_factory=list)  # {"from", "to"}
    missing: list[str] = field(default_factory=list)  # indexed files gone from disk (kept without --prune)
    level_changes: list[dict] = field(default_factory=list)  # {"path", "from", "to"}
    started_at: str = ""
    paths: list[str] = field(default_factory=list)
    workers: dict[str, int] = field(default_factory=dict)  # files each cluster worker extracted
    cluster: dict | None = None  # the Dask cluster this run extracted on (index --cluster)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)
