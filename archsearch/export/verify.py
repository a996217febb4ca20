"""`export verify`: check a bundle against its cover, with bounded work.

A bundle comes from elsewhere and is read by an inspector's account: only a regular file is
read, its member count and cover size are bounded before they are parsed, and members are
hashed in chunks."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from archsearch.errors import UsageError
from archsearch.export.target import MARKINGS, O_CLOEXEC, marked_path, marking_of
from archsearch.levels import Level

COVER_JSON = "EXPORT.json"
CHUNK = 1 << 20


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


@dataclass


class VerifyReport:
    path: Path
    sha256: str = ""  # of the whole bundle: compare with `export_sha256` in the audit log
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)  # {"name", "reason"}
    problems: list[str] = field(default_factory=list)  # about the bundle as a whole
    cover: dict | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.altered or self.problems)

    def to_json(self) -> dict:
        cover = self.cover or {}
        return {
            "path": str(self.path), "ok": self.ok, "sha256": self.sha256, "checked": self.checked,
            "missing": self.missing, "extra": self.extra, "altered": self.altered, "problems": self.problems,
            "exported_by": cover.get("exported_by"), "exported_at": cover.get("exported_at"),
            "count": cover.get("count"), "highest_level": cover.get("highest_level"),
        }


# A bundle comes from elsewhere and is read by an inspector's account: what verifying it may
# cost is bounded by these, whatever its headers say (a 1 MB bundle whose EXPORT.json inflated
# to 1 GiB took 2.1 GB to verify, #12 item 10). A bundle holds two members per document and
# four more; an export that would exceed them is refused when it is written.
VERIFY_MAX_MEMBERS = 200_000
VERIFY_MAX_COVER_BYTES = 64 * 2**20
# Structural characters (, [ {) the cover may hold per member: a member's entry has four, a
# name with commas a few more. Bounds the objects json.loads builds from a cover of small ones.
_COVER_ELEMENTS_PER_MEMBER = 8


def verify_bundle(path: Path, max_members: int = VERIFY_MAX_MEMBERS,
                  max_cover_bytes: int = VERIFY_MAX_COVER_BYTES) -> VerifyReport:
    """Recompute every member's SHA-256 against EXPORT.json; name missing, extra and altered
    members. EXPORT.json itself is covered by the bundle's SHA-256 in the audit record.

    Bounded work: only a regular file is read; the central directory is counted before it is
    parsed (at most `max_members`); EXPORT.json is read only up to `max_cover_bytes`, by its
    header and again while inflating; members are hashed in chunks, never read whole, and no
    further than the size the cover gives them."""
    path = Path(path)
    report = VerifyReport(path)
    try:
        handle = _open_regular(path)
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist")
    except OSError as error:
        report.problems.append(f"not a readable zip file: {error.strerror or error}")
        return report
    with handle:
        try:
            report.sha256 = sha256_of(handle)
            members = _central_directory_entries(handle, max_members)
            if members is not None and members > max_members:
                report.problems.append(f"more than {max_members:,} members: not an archsearch export bundle "
                                       "(verify refuses to read it)")
                return report
            handle.seek(0)
            archive = zipfile.ZipFile(handle)
        except (OSError, zipfile.BadZipFile, EOFError) as error:
            report.problems.append(f"not a readable zip file: {error}")
            return report
        with archive:
            _verify_members(archive, report, max_cover_bytes)
    return report


def _open_regular(path: Path):
    """`path` opened for reading if it is a regular file (a FIFO is not waited on, a device
    not read); OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _central_directory_entries(handle, limit: int) -> int | None:
    """How many entries the zip's central directory holds, walked record by record without
    keeping them (zipfile builds an object for each); stops counting past `limit`. None when
    no end record is found: zipfile then says what is wrong."""
    size = handle.seek(0, os.SEEK_END)
    tail_size = min(size, 22 + 0xFFFF)  # the end record, and a comment of at most 64 KiB
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    end = size - tail_size + at
    cd_size, _ = struct.unpack("<II", tail[at + 12:at + 20])
    if at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":  # zip64: the real sizes are elsewhere
        (record_at,) = struct.unpack("<Q", tail[at - 12:at - 4])
        handle.seek(record_at)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            (cd_size,) = struct.unpack("<Q", record[40:48])
            end = record_at
    start = end - cd_size
    if start < 0:
        return None
    handle.seek(start)
    count, walked = 0, 0
    while walked + 46 <= cd_size and count <= limit:
        header = handle.read(46)
        if len(header) < 46 or header[:4] != b"PK\x01\x02":
            return None  # damaged: zipfile reports it
        name, extra, comment = struct.unpack("<HHH", header[28:34])
        handle.seek(name + extra + comment, os.SEEK_CUR)
        walked += 46 + name + extra + comment
        count += 1
    return count


def _read_cover(archive: zipfile.ZipFile, limit: int) -> bytes:
    """EXPORT.json's bytes, refused beyond `limit` by its header and by what it inflates to."""
    info = archive.getinfo(COVER_JSON)
    too_big = _CoverTooLarge(f"{COVER_JSON} inflates to more than {limit:,} bytes: not an archsearch export "
                             "bundle (verify refuses to read it)")
    if info.file_size > limit:
        raise too_big
    data = bytearray()
    with archive.open(info) as member:
        # In chunks: zipfile inflates as much as one read asks for before it trims to the size
        # the header declares.
        while chunk := member.read(min(CHUNK, limit + 1 - len(data))):
            data += chunk
            if len(data) > limit:
                raise too_big
    elements = data.count(b",") + data.count(b"[") + data.count(b"{")
    if elements > _COVER_ELEMENTS_PER_MEMBER * (len(archive.infolist()) + 1) + 1000:
        raise _CoverTooLarge(f"{COVER_JSON} holds far more entries than the bundle has members: "
                             "not an archsearch export bundle (verify refuses to read it)")
    return bytes(data)


class _CoverTooLarge(Exception):
    pass


def _verify_members(archive: zipfile.ZipFile, report: VerifyReport, max_cover_bytes: int) -> None:
    infos = archive.infolist()
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            report.problems.append(f"member {info.filename} appears more than once")
        seen.add(info.filename)
    try:
        cover = json.loads(_read_cover(archive, max_cover_bytes).decode("utf-8"))
        expected = {m["name"]: m for m in cover["members"]}
        if not all(isinstance(m, dict) and isinstance(m.get("name"), str) and isinstance(m.get("sha256"), str)
                   and isinstance(m.get("size"), int) for m in expected.values()):
            raise ValueError("a member's entry lacks its name, sha256 or size")
    except KeyError:
        report.problems.append(f"no readable {COVER_JSON}: not an archsearch export bundle, or its cover is damaged")
        return
    except _CoverTooLarge as error:
        report.problems.append(str(error))
        return
    except (zipfile.BadZipFile, zlib.error, ValueError, TypeError, EOFError, RecursionError,
            NotImplementedError, RuntimeError) as error:
        report.problems.append(f"{COVER_JSON} is damaged: {error}")
        return
    report.cover = cover
    for info in infos:
        name = info.filename
        if name == COVER_JSON:
            continue
        if name not in expected:
            report.extra.append(name)
            continue
        try:
            digest, size = _member_digest(archive, info, expected[name]["size"])
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as error:
            report.altered.append({"name": name, "reason": f"unreadable ({error})"})
            continue
        report.checked += 1
        if digest != expected[name]["sha256"] or size != expected[name]["size"]:
            report.altered.append({"name": name, "reason": "SHA-256 differs from EXPORT.json"})
    report.missing = sorted(set(expected) - seen)
    _check_marking(report, cover)


def _member_digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, expected_size: int) -> tuple[str, int]:
    """SHA-256 and size of a member, read in chunks; reading stops a chunk past the size the
    cover gives (the member differs then anyway)."""
    bound = max(expected_size, 0) + 1
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if size >= bound:
                break
    return digest.hexdigest(), size


def _check_marking(report: VerifyReport, cover: dict) -> None:
    highest = cover.get("highest_level")
    try:
        level = Level.from_id(highest) if highest else None
    except KeyError:
        report.problems.append(f"{COVER_JSON} names an unknown level {highest!r}")
        return
    wanted = MARKINGS.get(level) if level is not None else None
    carried = marking_of(report.path.name)
    if carried != wanted:
        report.problems.append(
            f"the file name carries marking {carried or '(none)'} but the cover says the highest level "
            f"is {highest or '(no documents)'}: it should be named {marked_path(report.path, level).name}"
        )
