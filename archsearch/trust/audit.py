"""The audit trail: an append-only, hash-chained log of every read (search, show, export).

Each line of `audit.log` in the index home is one JSON record ending in its own `"hash"`. The
hash is the SHA-256 of the previous record's hash and of the exact bytes of the line without
its hash member (`<body>,"hash":"<hex>"}` hashes `<body>}`), so any change to a line (a
duplicate key, a space, a reordered member) breaks the chain at that line. The bytes are what
is hashed, never a re-serialisation of the parsed JSON, which would let edits that parse to
the same record through.

`audit.head` holds the number and hash of the last record and an HMAC of both under a key kept
outside the index home (`Settings.audit_key_path`). The head therefore cannot be derived from
the log alone: cutting records off the end, or rewriting the log and recomputing every hash,
is detected by anyone who holds the key, while whoever can only edit the index home cannot
forge a matching head. Whoever holds both the log and the key (root, the index owner) can
still rewrite it; the key's secrecy is the whole of that guarantee.

Appends take an exclusive lock, so concurrent commands never interleave. The library writes
the record before it hands results back: a read that cannot be audited fails (no unaudited
reads). A log in the format before this one (chain over parsed JSON, head without HMAC) is
refused, never extended: it is verified by no rule worth trusting, so it must be moved aside.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from archsearch.trust import users
from archsearch.config import default_audit_key_path
from archsearch.errors import ArchsearchError
from archsearch.trust.home_check import check_index_home
from archsearch.trust.private_files import write_private

AUDIT_LOG = "audit.log"
AUDIT_HEAD = "audit.head"
GENESIS = "0" * 64
FORMAT = 2  # 1: chain over canonical re-serialised JSON, head without HMAC (refused)
_HEAD_MAC_LABEL = b"archsearch audit head v2\n"
_LINE = re.compile(rb'(?P<body>\{.*),"hash":"(?P<hash>[0-9a-f]{64})"\}', re.S)
KEY_BYTES_MIN = 32
OLD_FORMAT = (
    "the audit log is in the old format (its chain hashed re-serialised JSON and its head had no "
    "HMAC), which cannot prove it was not edited: keep a copy, then move audit.log and audit.head "
    "aside (e.g. to audit.log.v1 and audit.head.v1) to start a new log"
)


class AuditError(ArchsearchError):
    """The audit log could not be written or read: the read it would record is refused."""

    exit_code = 6


@dataclass
class ChainBreak:
    line: int  # 1-based line of audit.log where the chain stops holding
    reason: str


def _canonical(record: dict) -> bytes:
    """One record as the bytes of a line body; raises UnicodeEncodeError for text that is not
    valid Unicode (lone surrogates from undecodable input)."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _link(previous: str, body: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        raise ValueError("duplicate key in an audit record")
    return record


def _parse(data: bytes) -> dict:
    """A JSON object, strictly: UTF-8, no duplicate keys (a reader and the chain must agree on
    what a line says); raises ValueError."""
    record = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    if not isinstance(record, dict):
        raise ValueError("an audit record is a JSON object")
    return record


def _head_mac(key: bytes, seq: int, digest: str) -> str:
    return hmac.new(key, _HEAD_MAC_LABEL + f"{seq}\n{digest}".encode("ascii"), hashlib.sha256).hexdigest()


class AuditLog:
    def __init__(self, index_dir: Path, key_path: Path | None = None):
        check_index_home(index_dir)
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / AUDIT_LOG
        self.head_path = self.index_dir / AUDIT_HEAD
        self.key_path = Path(key_path) if key_path is not None else default_audit_key_path(os.environ)

    # -- writing -------------------------------------------------------------------------
    def append(self, **fields) -> dict:
        """Append one record (time, OS account and chain fields are added here); raises AuditError."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise AuditError(f"cannot open the audit log {self.path}: {error.strerror}; the read was refused")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            previous, number, key = self._state_for_append(os.fstat(fd).st_size)
            record = {
                "seq": number + 1,
                "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
                "os_account": users.os_account(),
                **fields,
                "prev": previous,
            }
            try:
                body = _canonical(record)
            except UnicodeEncodeError:
                raise AuditError("the read cannot be audited: it holds text that is not valid Unicode; the read was refused")
            record["hash"] = _link(previous, body)
            line = body[:-1] + b',"hash":"' + record["hash"].encode("ascii") + b'"}\n'
            written = 0
            while written < len(line):
                written += os.write(fd, line[written:])
            os.fsync(fd)
            self._write_head(key, record["hash"], record["seq"])
            return record
        except OSError as error:
            raise AuditError(f"cannot write the audit log {self.path}: {error.strerror or error}; the read was refused")
        finally:
            os.close(fd)

    def _state_for_append(self, log_size: int) -> tuple[str, int, bytes]:
        """(previous hash, last seq, key) from an authentic head; a fresh log gets a key."""
        head = self._read_head()
        if head is None:
            if log_size:
                raise AuditError(f"the audit log {self.path} has records but {self.head_path} is missing; "
                                 "run `archsearch audit verify`; the read was refused")
            return GENESIS, 0, self._key(create=True)
        if head.get("format") != FORMAT:
            raise AuditError(f"{OLD_FORMAT}; the read was refused")
        key = self._key(create=False)
        if not self._authentic(head, key):
            raise AuditError(f"the audit head {self.head_path} is not authentic (its HMAC does not match the key "
                             f"{self.key_path}); run `archsearch audit verify`; the read was refused")
        if head["seq"] and not log_size:
            raise AuditError(f"the audit log {self.path} is missing or empty but its head records {head['seq']} "
                             "records; run `archsearch audit verify`; the read was refused")
        return head["hash"], head["seq"], key

    def _write_head(self, key: bytes, digest: str, seq: int) -> None:
        content = json.dumps({"format": FORMAT, "seq": seq, "hash": digest, "mac": _head_mac(key, seq, digest)})
        write_private(self.head_path, content)

    # -- the head and its key ------------------------------------------------------------
    def _read_head(self) -> dict | None:
        try:
            head = _parse(self.head_path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise AuditError(f"the audit head {self.head_path} is unreadable ({error}); run `archsearch audit verify`")
        if head.get("format") == FORMAT and not (
            isinstance(head.get("seq"), int) and isinstance(head.get("hash"), str) and isinstance(head.get("mac"), str)
        ):
            raise AuditError(f"the audit head {self.head_path} is malformed; run `archsearch audit verify`")
        return head

    @staticmethod
    def _authentic(head: dict, key: bytes) -> bool:
        return hmac.compare_digest(_head_mac(key, head["seq"], head["hash"]).encode(), head["mac"].encode())

    def _key(self, create: bool) -> bytes:
        """The HMAC key: a regular file owned by this account or root, private to it, outside
        the index home (a key beside the log would prove nothing). Created 0600 when `create`
        (the first record of a new log) and missing."""
        path = self.key_path
        if path.absolute().resolve().is_relative_to(self.index_dir.absolute().resolve()):
            raise AuditError(f"the audit key {path} is inside the index home {self.index_dir}: keep it elsewhere "
                             "(ARCHSEARCH_AUDIT_KEY), or anyone who can edit the log can forge its head")
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            if not create:
                raise AuditError(f"the audit key {path} is missing, so the audit head cannot be checked: restore it "
                                 "(or point ARCHSEARCH_AUDIT_KEY at it); the read was refused")
            return self._create_key(path)
        except OSError as error:
            raise AuditError(f"cannot read the audit key {path}: {error.strerror}; the read was refused")
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid not in (os.geteuid(), 0) or info.st_mode & 0o077:
                raise AuditError(f"the audit key {path} must be a regular file owned by you or root and "
                                 "readable by nobody else (chmod 600); the read was refused")
            key = handle.read(4096).strip()
        if len(key) < KEY_BYTES_MIN:
            raise AuditError(f"the audit key {path} is too short (at least {KEY_BYTES_MIN} bytes); the read was refused")
        return key

    @staticmethod
    def _create_key(path: Path) -> bytes:
        missing = [parent for parent in [path.parent, *path.parent.parents] if not parent.exists()]
        try:
            for directory in reversed(missing):
                directory.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:  # another command created it first
            return AuditLog._read_key_again(path)
        except OSError as error:
            raise AuditError(f"cannot create the audit key {path}: {error.strerror}; the read was refused")
        key = secrets.token_hex(32).encode("ascii")
        with os.fdopen(fd, "wb") as handle:
            handle.write(key + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return key

    @staticmethod
    def _read_key_again(path: Path) -> bytes:
        key = path.read_bytes().strip()
        if len(key) < KEY_BYTES_MIN:
            raise AuditError(f"the audit key {path} is too short (at least {KEY_BYTES_MIN} bytes); the read was refused")
        return key

    # -- reading -------------------------------------------------------------------------
    def records(self) -> Iterable[dict]:
        """Every record as written (its `hash` included), old-format lines too; the chain is
        checked by `verify`, not here."""
        try:
            with open(self.path, "rb") as handle:
                for line in handle:
                    if line.strip():
                        yield _parse(line)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            raise AuditError(f"the audit log {self.path} is unreadable: {error}; run `archsearch audit verify`")

    def verify(self) -> tuple[int, ChainBreak | None]:
        """Check the chain line by line on the exact bytes, then the head's HMAC and that it
        names the last record; returns (records checked, first break or None)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError as error:
            raise AuditError(f"the audit log {self.path} is unreadable: {error.strerror}")
        lines = data.split(b"\n")
        unterminated = lines.pop()  # b"" when the log ends with a newline, as every append leaves it
        previous, count = GENESIS, 0
        for number, raw in enumerate(lines, start=1):
            match = _LINE.fullmatch(raw)
            body = match["body"] + b"}" if match else b""
            try:
                record = _parse(body)
            except ValueError:
                if number == 1 and _old_format_line(raw):
                    return 0, ChainBreak(1, OLD_FORMAT)
                return count, ChainBreak(number, "not a valid audit record (edited or damaged)")
            if record.get("prev") != previous or record.get("seq") != count + 1:
                return count, ChainBreak(number, "chain broken: a record before this line was removed, reordered or edited")
            if _link(previous, body) != match["hash"].decode("ascii"):
                return count, ChainBreak(number, "record edited: its hash does not match its bytes")
            previous, count = match["hash"].decode("ascii"), count + 1
        if unterminated:
            return count, ChainBreak(count + 1, "the last line is incomplete (cut in the middle of a record)")
        return count, self._verify_head(previous, count)

    def _verify_head(self, last_hash: str, count: int) -> ChainBreak | None:
        try:
            head = self._read_head()
        except AuditError as error:
            return ChainBreak(count + 1, str(error))
        if head is None:
            return None if count == 0 else ChainBreak(count, f"{self.head_path} is missing: the end of the log cannot be checked")
        if head.get("format") != FORMAT:
            return ChainBreak(1, OLD_FORMAT)
        if not self._authentic(head, self._key(create=False)):
            return ChainBreak(count + 1, f"the head is not authentic (its HMAC does not match the key {self.key_path}): "
                                         "records were removed from the end or rewritten and the head recomputed")
        if head["seq"] > count:
            return ChainBreak(count + 1, f"log ends at record {count} but the head records {head['seq']}: "
                                         "records were removed from the end")
        if (head["hash"], head["seq"]) != (last_hash, count):
            return ChainBreak(count, f"the head records {head['seq']} records and a different last hash: "
                                     "the log was rewritten or records were added without the head")
        return None


def _old_format_line(raw: bytes) -> bool:
    """A record of format 1: valid JSON carrying `hash` and `prev`, but with the hash among the
    sorted members instead of last."""
    try:
        record = _parse(raw)
    except ValueError:
        return False
    return isinstance(record.get("hash"), str) and "prev" in record and _LINE.fullmatch(raw) is None
