"""The index home check: nothing in an index home is read unless only its owner could have put it there.

Opening a Whoosh index unpickles its table of contents, so whoever can write a file into the
index home -- or swap the home itself through a parent directory they can write -- runs code as
whoever opens it next (root, for a search run by root). Like ssh's StrictModes, before anything
in a home is opened, read or unpickled (partitions, catalog, users.json, saved searches, audit
log, current.json), `check_index_home` requires:

- the home, and every file and directory in it, owned by the running account or root, not
  writable by group or others, and no symbolic links or special files (FIFOs, devices) in it;
- every directory above the home, up to /, owned by the running account or root and not
  writable by group or others -- unless it has the sticky bit (/tmp), where others cannot rename
  or remove what they do not own.

The walk is one scandir and one lstat per entry. The extraction cache (one file per document,
read only by the indexer) is not walked below `cache/` itself: `open_private` checks each
directory on the way to a cache file and the file itself on their own descriptors when the
indexer reads one, which is both cheaper and free of any race between the check and the read.
"""

from __future__ import annotations

import os
import pwd
import shlex
import stat
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from archsearch.errors import UnsafeIndexHome
from archsearch.trust.private_files import make_dir

# The extraction cache (cache.CACHE_DIR): its directories are checked, its files when opened.
_CACHE_DIR = "cache"


# The homes found safe during the current operation (`one_check_per_operation`), else None.
_checked_now: ContextVar[set[str] | None] = ContextVar("archsearch_checked_homes", default=None)


@contextmanager
def one_check_per_operation() -> Iterator[None]:
    """Within this block a home found safe once is not walked again. One web request reads the
    home through several objects (the session table, the registry twice, current.json, the
    audit log), each checking it first: four walks of the whole home per search. Nothing but
    this operation's own writes (private modes) can change the home between them without an
    account that may already write it."""
    token = _checked_now.set(set())
    try:
        yield
    finally:
        _checked_now.reset(token)


def check_index_home(root: Path) -> None:
    """Refuse (UnsafeIndexHome, naming the path and the fix) an index home others could have
    written. A home that does not exist yet passes when the directories above it are safe."""
    root = Path(os.path.abspath(root))
    checked = _checked_now.get()
    if checked is not None and str(root) in checked:
        return
    _check(root)
    if checked is not None and root.exists():
        checked.add(str(root))


def _check(root: Path) -> None:
    euid = os.geteuid()
    _check_parents(root, euid)
    try:
        st = os.lstat(root)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        # A symlinked home is judged where it points: its target and the target's parents.
        target = Path(os.path.realpath(root))
        _check_parents(target, euid)
        st = os.lstat(target)
        root = target
    _check_entry(root, st, euid, root)
    _walk(root, euid)


def create_index_home(root: Path) -> None:
    """Create the index home (0700, missing parents 0755, whatever the umask) when it does not
    exist, checking the directories above it before anything is created and all of it after."""
    check_index_home(root)
    make_dir(Path(os.path.abspath(root)))
    check_index_home(root)


def open_private(path: Path, home: Path) -> int:
    """Open a file below the index home `home` for reading, each directory on the way from the
    home and the file itself opened without following symlinks and checked on its own
    descriptor (owned by this account or root, not writable by others), so nothing can be
    swapped between the check and the read. Returns the descriptor; raises OSError
    (FileNotFoundError), UnsafeIndexHome."""
    home = Path(home)
    euid = os.geteuid()
    parts = Path(path).relative_to(home).parts
    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY)
    try:
        here = home
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_NONBLOCK if last else os.O_DIRECTORY)
            child = os.open(part, flags, dir_fd=fd)
            os.close(fd)
            fd = child
            here = here / part
            _check_entry(here, os.fstat(fd), euid, home)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_parents(root: Path, euid: int) -> None:
    for directory in _ancestors(root):
        try:
            st = os.stat(directory)
        except FileNotFoundError:
            continue  # not created yet: make_dir creates it with explicit modes
        if st.st_uid not in (euid, 0):
            raise UnsafeIndexHome(
                f"refusing the index home {root}: the directory above it {directory} belongs to "
                f"{_owner(st.st_uid)}, who could replace the index home; use an index home under "
                f"directories owned by you or root (or `chown {_me(euid)} {shlex.quote(str(directory))}`)"
            )
        if st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
            raise UnsafeIndexHome(
                f"refusing the index home {root}: the directory above it {directory} is writable by "
                f"others (mode {stat.S_IMODE(st.st_mode):04o}) without the sticky bit, so the index home "
                f"could be swapped; fix with `chmod go-w {shlex.quote(str(directory))}`"
            )


def _ancestors(root: Path) -> list[Path]:
    """Every directory above `root`, as written and as resolved (a symlinked parent is judged
    both as the link's directory and as its target)."""
    found: list[Path] = []
    for base in (root, Path(os.path.realpath(root.parent)) / root.name):
        for directory in base.parents:
            if directory not in found:
                found.append(directory)
    return found


def _walk(root: Path, euid: int) -> None:
    # Paths as strings: one Path per entry was a third of the walk.
    top = str(root)
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            continue  # removed by a concurrent indexer (a writer's temporary directory)
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed meanwhile: nothing left to open
            if not _safe(st, euid):
                _check_entry(Path(entry.path), st, euid, root)  # raises, naming the problem
            if stat.S_ISDIR(st.st_mode) and not (directory == top and entry.name == _CACHE_DIR):
                pending.append(entry.path)  # not cache/: read_private checks each step when it is read


def _safe(st: os.stat_result, euid: int) -> bool:
    """What _check_entry accepts, without building its messages."""
    return ((stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)) and st.st_uid in (euid, 0)
            and not st.st_mode & 0o022)


def _check_entry(path: Path, st: os.stat_result, euid: int, root: Path) -> None:
    quoted = shlex.quote(str(path))
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeIndexHome(
            f"refusing the index home {root}: {path} is a symbolic link (an index home holds none); "
            f"remove it (`rm {quoted}`) or rebuild the index home"
        )
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise UnsafeIndexHome(
            f"refusing the index home {root}: {path} is not a regular file or directory; remove it"
        )
    if st.st_uid not in (euid, 0):
        raise UnsafeIndexHome(
            f"refusing the index home {root}: {path} belongs to {_owner(st.st_uid)}, not to you or "
            f"root, and opening it could run that account's code; check where it came from, then "
            f"`chown -R {_me(euid)} {shlex.quote(str(root))}` or rebuild the index home"
        )
    if st.st_mode & 0o022:
        recursive = "-R " if stat.S_ISDIR(st.st_mode) else ""
        raise UnsafeIndexHome(
            f"refusing the index home {root}: {path} is writable by group or others (mode "
            f"{stat.S_IMODE(st.st_mode):04o}); fix with `chmod {recursive}go-w {quoted}`"
        )


def account_name(uid: int) -> str | None:
    """The passwd name of `uid`; None when it has none (containers). The one lookup of an
    account's name (users.os_account builds the acting identity on it)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _owner(uid: int) -> str:
    name = account_name(uid)
    return f"{name} (uid {uid})" if name else f"uid {uid}"


def _me(euid: int) -> str:
    return account_name(euid) or str(euid)  # chown takes a number too
