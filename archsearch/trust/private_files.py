"""Owner-only files and directories in the index home, written atomically and durably.

Every small record the index home keeps (current.json, last_run.json, users.json, saved.json,
audit.head) is written to a temporary file created 0600, flushed to the disk (fsync), renamed
over the old one, and the directory holding it is flushed too: a reader sees the old content or
the new, never half of either, a power cut after the call returns cannot undo it, and a failed
write (a full disk) leaves the old file in place and no temporary behind.

Modes are given explicitly at creation (files 0600, the index home and its directories 0700)
and set again with chmod, so they never depend on the process umask (`umask 000` would
otherwise give 0777 directories and 0666 files).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# Parents created above an index home (`--index-dir /x/deep/er/idx` creating deep and deep/er):
# searchable by others, like any directory mkdir -p makes under the default umask, but never
# writable by them.
PARENT_MODE = 0o755


def fsync_dir(directory: Path) -> None:
    """Flush a directory's entries (a rename, a new file) to the disk."""
    _fsync(directory, os.O_RDONLY | os.O_DIRECTORY)


def fsync_file(path: Path) -> None:
    """Flush a file's content to the disk (a file written by someone else's code: Whoosh)."""
    _fsync(path, os.O_RDONLY | os.O_NOFOLLOW)


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_private_json(path: Path, what: str) -> dict:
    """One of the index home's small JSON records (`what` names it in the error): {} when it
    does not exist yet; unreadable or not JSON is refused, never read as empty."""
    from archsearch.errors import UsageError

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise UsageError(f"{what} {path} is unreadable: {error}") from None


def make_dir(path: Path, mode: int = DIR_MODE, parent_mode: int = PARENT_MODE) -> None:
    """Create `path` with `mode` and any missing parents with `parent_mode`, whatever the umask.

    `Path.mkdir(mode=..., parents=True)` applies the umask and gives parents the umask's default
    (0777 under `umask 000`): each directory created here is chmod'ed to its mode right after.
    Directories that already exist are left as they are (the index home check judges them).
    """
    path = Path(path)
    missing = []
    probe = path
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        wanted = mode if directory == path else parent_mode
        try:
            os.mkdir(directory, wanted)
        except FileExistsError:
            continue  # created meanwhile by someone else: judged by the home check, not chmod'ed
        os.chmod(directory, wanted)
        fsync_dir(directory.parent)


def write_private(path: Path, content: str | bytes, durable: bool = True) -> None:
    """Replace `path` with `content` atomically and durably, readable by the owner only;
    raises OSError. The file's data and the directory entry are on the disk when it returns.
    `durable=False` skips the two fsyncs, for a file whose loss only costs time (the
    extraction cache: one file per document indexed); it is still atomic."""
    path = Path(path)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if not path.parent.is_dir():
            make_dir(path.parent)
        tmp.unlink(missing_ok=True)  # left by a crashed process that had the same pid
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    except BaseException:  # not only OSError: an interrupted write must not leave a .tmp either
        tmp.unlink(missing_ok=True)
        raise


def create_private(path: Path) -> int:
    """Open `path` for writing from the start, created (or truncated) with mode 0600, never
    through a symlink (OSError ELOOP) and never anything but a regular file (a FIFO would hang
    the writer, a device is not a report). Returns a descriptor opened for writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.ftruncate(fd, 0)
        os.fchmod(fd, FILE_MODE)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def home_lock(directory: Path):
    """An exclusive lock for a read-modify-write of the small records in `directory` (the user
    registry, web sessions, login throttling), taken on the directory itself so that no lock
    file appears in the index home. Not re-entrant: never nest two."""
    directory = Path(directory)
    if not directory.is_dir():
        make_dir(directory)  # explicit modes, never the umask's
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
