"""Settings built once at the edge (CLI options, ARCHSEARCH_INDEX_DIR) and passed down.

No module reads the environment at import time; `Settings.from_env` is called by the CLI or by
an API caller that wants the same defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .extract import ExtractLimits

INDEX_DIR_ENV = "ARCHSEARCH_INDEX_DIR"
DEFAULT_INDEX_DIR = Path("indexes")


@dataclass(frozen=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX_DIR
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    limits: ExtractLimits = field(default_factory=ExtractLimits)
    # Bytes of a `similar --text` draft; a larger file is refused before it is read.
    max_draft_bytes: int = 4 * 2**20
    # Documents committed per batch: what a killed run can lose. Each commit adds a segment
    # to every partition it touched and each segment is searched on its own, so batches are
    # big (index.merge_small_segments); the writers' memory is bounded by their limitmb.
    commit_every: int = 10000

    @classmethod
    def from_env(cls, index_dir: str | os.PathLike | None = None, **overrides) -> "Settings":
        chosen = index_dir or os.environ.get(INDEX_DIR_ENV) or DEFAULT_INDEX_DIR
        return cls(index_dir=Path(chosen).absolute(), **overrides)
