"""Exceptions of the library. The CLI maps each to its exit code at one place."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Every exit status of the CLI, in one place (users' scripts rely on the values)."""

    OK = 0
    FAILURES = 1  # the command ran, but some files failed, the audit chain or a bundle is broken
    USAGE = 2  # a bad argument (also click's own usage errors)
    UNKNOWN_USER = 3
    NOT_FOUND = 4  # a missing document and a hidden one alike
    INDEX_STATE = 5  # the index home is missing, locked, damaged or of another schema
    CLUSTER = 5  # the Dask cluster cannot be used or went away (an alias: the run stops as at 5)
    AUDIT = 6  # the audit log could not be written or read: the read is refused
    PERMISSION = 7
    EXPORT = 8  # a source changed during an export, or the bundle would be too large
    UNSAFE_HOME = 9  # the index home could have been written by another account


class ArchsearchError(Exception):
    """Base of every error a user can act on; `exit_code` is what the CLI returns."""

    exit_code = ExitCode.USAGE


class UsageError(ArchsearchError):
    """A bad argument: an unknown level, a malformed query, a missing path."""

    exit_code = ExitCode.USAGE


class UnknownUserError(ArchsearchError):
    exit_code = ExitCode.UNKNOWN_USER


class PermissionDenied(ArchsearchError):
    """The OS account may not do this (administer users, act as another user, read the audit log)."""

    exit_code = ExitCode.PERMISSION


class NotFoundError(ArchsearchError):
    """A document that does not exist, or that the user may not see: same message, same code."""

    exit_code = ExitCode.NOT_FOUND


class IndexStateError(ArchsearchError):
    """The index home is missing, locked, or built with another schema version."""

    exit_code = ExitCode.INDEX_STATE


class ExtractionError(ArchsearchError):
    """One file could not be read; ingestion records it and goes on with the batch."""

    exit_code = ExitCode.FAILURES

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OcrUnavailable(ExtractionError):
    """Tesseract is missing, lacks the Vietnamese model, or timed out."""


class UnsafeIndexHome(ArchsearchError):
    """The index home, something in it, or a directory above it could have been written by
    another account: nothing in it is opened (opening a Whoosh index unpickles code)."""

    exit_code = ExitCode.UNSAFE_HOME


def warn(message: str, *args) -> None:
    """Log a problem that does not stop the command (a damaged commit read past, a posting
    file ignored) to the "archsearch" logger. logging is imported here, when there is something
    to say: a search that meets no such problem never loads it (start-up, bench/cli.py)."""
    import logging

    logging.getLogger("archsearch").warning(message, *args)
