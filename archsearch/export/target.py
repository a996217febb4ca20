"""Where an export goes: the target directory, opened once and checked on what was opened, the
hidden temporary files written in it, and the final name that carries the highest level.

Whoever can write a directory on the way to the target (`/tmp/d`) cannot turn it into a link
into the index home between the check and the write: every file is created, renamed and
removed relative to the descriptor opened here."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archsearch.errors import UsageError
from archsearch.levels import Level

FORMATS = ("csv", "jsonl", "zip")

# File-name markings: the Vietnamese stamp, folded to ASCII so every file system and mail
# gateway keeps it.
MARKINGS = {Level.CONFIDENTIAL: "MAT", Level.SECRET: "TOI-MAT", Level.TOP_SECRET: "TUYET-MAT"}


@dataclass(frozen=True)


class OutputPlan:
    out: Path  # absolute, as given (before marking)
    format: str
    force: bool
    index_dir: Path  # the index home: the target directory is checked again, when opened


# -- where the output goes ---------------------------------------------------------------


def plan_output(out: Path, fmt: str | None, index_dir: Path, force: bool) -> OutputPlan:
    """Check the target before any work: known format, existing directory, outside the index
    home, not already there (unless `force`). Early answers only: `write_export` opens the
    directory itself and checks again on what it opened."""
    out = Path(os.path.abspath(out))
    if fmt is None:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UsageError(f"cannot tell the format from {out.name!r}: add --format csv, jsonl or zip")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use csv, jsonl or zip")
    home = Path(index_dir).resolve()
    try:
        resolved = out.parent.resolve() / out.name
    except OSError as error:  # a link on the way vanished while it was read
        raise UsageError(f"cannot resolve the directory {out.parent}: {error.strerror}") from None
    if resolved == home or home in resolved.parents:
        raise UsageError(f"{out} is inside the index home {home}: write the export somewhere else")
    if not out.parent.is_dir():
        raise UsageError(f"the directory {out.parent} does not exist")
    if out.is_dir():
        raise UsageError(f"{out} is a directory: give a file name with --out")
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError(f"{out} exists: choose another --out, or add --force to replace it")
    return OutputPlan(out, fmt, force, Path(index_dir))


O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# A component on the way only needs to be searched, not read (a 0711 home directory).
_O_WALK = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_NOFOLLOW | O_CLOEXEC


def open_target_directory(directory: Path, index_dir: Path) -> int:
    """A descriptor of `directory` for creating the export in, or UsageError.

    The path is resolved once (links the owner of the path put there are followed here); then
    every component of the resolved path is opened from `/`, relative to the previous one and
    without following a link, so a component swapped for a link after the resolution is
    refused, not followed. What was opened is then checked: not the index home or inside it."""
    try:
        resolved = os.path.realpath(directory)
    except OSError as error:  # a link on the way vanished while it was read
        raise UsageError(f"cannot resolve the directory {directory}: {error.strerror}") from None
    fd = os.open("/", _O_WALK)
    try:
        parts = PurePosixPath(resolved).parts[1:]
        for number, part in enumerate(parts, start=1):
            last = number == len(parts)
            flags = (os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | O_CLOEXEC) if last else _O_WALK
            try:
                child = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                raise UsageError(f"the directory {directory} does not exist") from None
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    raise UsageError(
                        f"{directory} changed while it was being opened (a part of it is now a link or not a "
                        "directory): the export was refused; write it to a directory only you can change"
                    ) from None
                raise UsageError(f"cannot open the directory {directory}: {error.strerror}") from None
            os.close(fd)
            fd = child
        if _is_within(fd, Path(index_dir)):
            raise UsageError(f"{directory} is inside the index home {index_dir}: write the export somewhere else")
        return fd
    except BaseException:
        os.close(fd)
        raise


def _is_within(fd: int, home: Path) -> bool:
    """True when the directory open as `fd` is `home` or below it, walking `..` up from the
    descriptor itself (no path is looked up again)."""
    try:
        target = os.stat(home)
    except FileNotFoundError:
        return False
    wanted = (target.st_dev, target.st_ino)
    current = os.open(".", _O_WALK, dir_fd=fd)
    try:
        for _ in range(PATH_DEPTH_LIMIT):
            here = os.fstat(current)
            if (here.st_dev, here.st_ino) == wanted:
                return True
            parent = os.open("..", _O_WALK, dir_fd=current)
            above = os.fstat(parent)
            os.close(current)
            current = parent
            if (above.st_dev, above.st_ino) == (here.st_dev, here.st_ino):  # "/" is its own parent
                return False
        return True  # deeper than any real path: take the stricter reading
    finally:
        os.close(current)


PATH_DEPTH_LIMIT = 4096


def create_temporary(dir_fd: int, name: str) -> tuple[str, int]:
    """A new hidden file beside the target, 0600, never a link followed: (its name, its fd)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | O_CLOEXEC
    for _ in range(100):
        candidate = f".{name}.{secrets.token_hex(6)}.part"
        try:
            return candidate, os.open(candidate, flags, 0o600, dir_fd=dir_fd)
        except FileExistsError:
            continue
    raise UsageError(f"cannot create a temporary file beside {name}: too many name collisions")


def unnamed_spool(dir_fd: int):
    """An unnamed read-write file in the target directory (nothing to clean up)."""
    if hasattr(os, "O_TMPFILE"):
        try:
            return os.fdopen(os.open(".", os.O_TMPFILE | os.O_RDWR | O_CLOEXEC, 0o600, dir_fd=dir_fd), "w+b")
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    name, fd = create_temporary(dir_fd, "spool")
    os.unlink(name, dir_fd=dir_fd)
    return os.fdopen(fd, "w+b")


def marked_path(out: Path, highest: Level | None) -> Path:
    """`out` with the marking of `highest` before its extension, replacing any marking it had.

    >>> marked_path(Path("/x/bundle.zip"), Level.SECRET).name
    'bundle.TOI-MAT.zip'
    >>> marked_path(Path("/x/bundle.TUYET-MAT.zip"), Level.CONFIDENTIAL).name
    'bundle.MAT.zip'
    >>> marked_path(Path("/x/bundle.MAT.csv"), Level.UNCLASSIFIED).name
    'bundle.csv'
    """
    suffix = out.suffix
    stem = out.name[: -len(suffix)] if suffix else out.name
    base, dot, last = stem.rpartition(".")
    if dot and last.upper() in MARKINGS.values():
        stem = base
    marking = MARKINGS.get(highest) if highest is not None else None
    return out.with_name(f"{stem}.{marking}{suffix}" if marking else f"{stem}{suffix}")


def marking_of(name: str) -> str | None:
    """The marking a file name carries, or None."""
    path = PurePosixPath(name)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    _base, dot, last = stem.rpartition(".")
    return last.upper() if dot and last.upper() in MARKINGS.values() else None


def move_into_place(dir_fd: int, tmp_name: str, final: Path, force: bool) -> None:
    """Give the temporary file its final name in the target directory. Without `force` an
    existing name (a file, a link, anything) is never replaced: a hard link fails if the name
    exists; where hard links are not supported the name is reserved with O_EXCL first."""
    exists = UsageError(f"{final} exists: choose another --out, or add --force to replace it")
    if force:
        try:
            os.rename(tmp_name, final.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except (IsADirectoryError, NotADirectoryError):
            raise UsageError(f"{final} is a directory") from None
        return
    try:
        os.link(tmp_name, final.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
    except FileExistsError:
        raise exists from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        # No hard links on this file system: reserve the name (fails if anything holds it),
        # then rename over our own reservation.
        try:
            os.close(os.open(final.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | O_CLOEXEC,
                             0o600, dir_fd=dir_fd))
        except FileExistsError:
            raise exists from None
        os.rename(tmp_name, final.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        return
    os.unlink(tmp_name, dir_fd=dir_fd)


def remove_if_ours(dir_fd: int, name: str, ours: tuple[int, int] | None) -> None:
    """Remove `name` in the target directory if it is the file this export wrote."""
    with contextlib.suppress(OSError):
        found = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if ours is not None and (found.st_dev, found.st_ino) == ours:
            os.unlink(name, dir_fd=dir_fd)
