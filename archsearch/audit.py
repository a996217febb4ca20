"""The audit trail: an append-only, hash-chained log of every read (search, show, export).

Each line of `audit.log` in the index home is one JSON record. Its `hash` is the SHA-256 of the
previous record's hash and of the record's own canonical JSON, so editing or removing a line
breaks the chain at that point; `audit.head` holds the hash and number of the last record, so
cutting lines off the end is detected too. Appends take an exclusive lock, so concurrent
commands never interleave. The library writes the record before it hands results back: a read
that cannot be audited fails (no unaudited reads).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import ArchsearchError
from .homesafety import check_index_home
from .privatefile import write_private

AUDIT_LOG = "audit.log"
AUDIT_HEAD = "audit.head"
GENESIS = "0" * 64


class AuditError(ArchsearchError):
    """The audit log could not be written or read: the read it would record is refused."""

    exit_code = 6


@dataclass
class ChainBreak:
    line: int  # 1-based line of audit.log where the chain stops holding
    reason: str


def _canonical(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _chain(previous: str, record: dict) -> str:
    return hashlib.sha256((previous + _canonical(record)).encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(self, index_dir: Path):
        check_index_home(index_dir)
        self.path = Path(index_dir) / AUDIT_LOG
        self.head_path = Path(index_dir) / AUDIT_HEAD

    def append(self, **fields) -> dict:
        """Append one record (time, OS account and chain fields are added here); raises AuditError."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise AuditError(f"cannot open the audit log {self.path}: {error.strerror}; the read was refused")
        try:
            with os.fdopen(fd, "r+", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                previous, number = self._head()
                record = {
                    "seq": number + 1,
                    "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
                    "os_account": _os_account(),
                    **fields,
                    "prev": previous,
                }
                record["hash"] = _chain(previous, record)
                handle.write(_canonical(record) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
                self._write_head(record["hash"], record["seq"])
                return record
        except OSError as error:
            raise AuditError(f"cannot write the audit log {self.path}: {error.strerror or error}; the read was refused")

    def _head(self) -> tuple[str, int]:
        try:
            head = json.loads(self.head_path.read_text())
            return head["hash"], int(head["seq"])
        except FileNotFoundError:
            return GENESIS, 0
        except (OSError, ValueError, KeyError) as error:
            raise AuditError(f"the audit head {self.head_path} is unreadable ({error}); run `archsearch audit verify`")

    def _write_head(self, digest: str, seq: int) -> None:
        write_private(self.head_path, json.dumps({"hash": digest, "seq": seq}))

    def records(self) -> Iterable[dict]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            raise AuditError(f"the audit log {self.path} is unreadable: {error}; run `archsearch audit verify`")

    def verify(self) -> tuple[int, ChainBreak | None]:
        """Check the chain; returns (records checked, first break or None)."""
        previous, count = GENESIS, 0
        try:
            handle = open(self.path, encoding="utf-8")
        except FileNotFoundError:
            handle = None
        if handle is not None:
            with handle:
                for number, line in enumerate(handle, start=1):
                    try:
                        record = json.loads(line)
                        claimed = record.pop("hash")
                    except (ValueError, KeyError, AttributeError):
                        return count, ChainBreak(number, "not a valid audit record (edited or damaged)")
                    if record.get("prev") != previous or record.get("seq") != count + 1:
                        return count, ChainBreak(number, "chain broken: a record before this line was removed, reordered or edited")
                    if _chain(previous, record) != claimed:
                        return count, ChainBreak(number, "record edited: its hash does not match its content")
                    previous, count = claimed, count + 1
        head_hash, head_seq = self._head()
        if (head_hash, head_seq) != (previous, count):
            return count, ChainBreak(count + 1, f"log ends at record {count} but the head records {head_seq}: records were removed from the end")
        return count, None


def _os_account() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers): the uid still identifies the account
        return f"uid:{os.getuid()}"
