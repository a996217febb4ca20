"""Exceptions of the library. The CLI maps each to its exit code at one place."""

from __future__ import annotations


class ArchsearchError(Exception):
    """Base of every error a user can act on; `exit_code` is what the CLI returns."""

    exit_code = 2


class UsageError(ArchsearchError):
    """A bad argument: an unknown level, a malformed query, a missing path."""

    exit_code = 2


class UnknownUserError(ArchsearchError):
    exit_code = 3


class PermissionDenied(ArchsearchError):
    """The OS account may not do this (administer users, act as another user, read the audit log)."""

    exit_code = 7


class NotFoundError(ArchsearchError):
    """A document that does not exist, or that the user may not see: same message, same code."""

    exit_code = 4


class IndexStateError(ArchsearchError):
    """The index home is missing, locked, or built with another schema version."""

    exit_code = 5


class ExtractionError(ArchsearchError):
    """One file could not be read; ingestion records it and goes on with the batch."""

    exit_code = 1

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OcrUnavailable(ExtractionError):
    """Tesseract is missing, lacks the Vietnamese model, or timed out."""


class UnsafeIndexHome(ArchsearchError):
    """The index home, something in it, or a directory above it could have been written by
    another account: nothing in it is opened (opening a Whoosh index unpickles code)."""

    exit_code = 9
