"""`index --report FILE`: every failure and warning of a run, as JSON lines.

The report names files of every level, so it is created owner-only, never through a symbolic
link, and refused before the run rather than after it (`open_report` is called first)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from archsearch.errors import UsageError
from archsearch.ingest.progress import IndexSummary
from archsearch.trust.private_files import create_private


def open_report(path: Path) -> int:
    """A descriptor of the new, owner-only report file; UsageError when it cannot be created."""
    try:
        return create_private(path)
    except OSError as error:
        raise UsageError(f"cannot write the report {path}: {error.strerror or error} "
                         "(a symbolic link or anything but a regular file is refused)") from None


def write_report(fd: int, summary: IndexSummary) -> None:
    """Write the run's failures, then its warnings, one JSON object a line; closes `fd`."""
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for failure in summary.failures:
            handle.write(json.dumps({"kind": "failure", **failure}, ensure_ascii=False) + "\n")
        for warning in summary.warnings:
            handle.write(json.dumps({"kind": "warning", **warning}, ensure_ascii=False) + "\n")
