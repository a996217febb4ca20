"""Discovery: paths given to `index` -> the source files of each collection.

Walks directories without following symbolic links. A link whose target lies inside the
collection is indexed once (by its target); a link out of the tree, a dangling link or a link
loop is reported as a failure for that path and never read. Sidecars (`*.meta.json`), manifests
and the collection's own notes are not documents.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from archsearch.ingest.manifests import MANIFEST_NAME
from archsearch.ingest.sidecars import SIDECAR_SUFFIX
from archsearch.records import SourceFile

# Files that describe a collection rather than belong to it.
NOT_DOCUMENTS = {MANIFEST_NAME, "readme.md", "source.md"}


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    failures: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)


def is_document_name(name: str) -> bool:
    lower = name.lower()
    return not (lower.startswith(".") or lower in NOT_DOCUMENTS or lower.endswith(SIDECAR_SUFFIX))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def discover(paths: list[Path], collection: str | None = None, exclude: list[Path] = ()) -> Discovery:
    """Find the documents under `paths`.

    Each directory argument is a collection named after the directory (or `collection`);
    a file argument belongs to its parent directory's collection. `exclude` holds directories
    never to enter (the index home, when it lies inside a collection).
    """
    found = Discovery()
    seen: set[Path] = set()
    excluded = [Path(p).resolve() for p in exclude]
    for given in paths:
        given = Path(given)
        if not given.exists() and not given.is_symlink():
            found.failures.append((given.absolute(), "no such file or directory"))
            continue
        if given.is_dir():
            root = given.resolve()
            name = collection or root.name
            _walk(root, name, found, seen, excluded)
        else:
            root = given.absolute().parent.resolve()
            _add(root / given.name, root, collection or root.name, found, seen)
    return found


def _walk(root: Path, name: str, found: Discovery, seen: set[Path], excluded: list[Path]) -> None:
    def report(error: OSError) -> None:
        found.failures.append((Path(error.filename or root), f"cannot read directory: {error.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=False):
        here = Path(dirpath)
        kept = []
        for dirname in sorted(dirnames):
            sub = here / dirname
            if dirname.startswith(".") or any(_inside(sub.resolve(), ex) for ex in excluded):
                continue
            if sub.is_symlink():
                # A linked directory is never walked: inside the tree it is walked already,
                # outside it is refused (and reported).
                _link_target(sub, root, found)
                continue
            kept.append(dirname)
        dirnames[:] = kept
        for filename in sorted(filenames):
            if is_document_name(filename):
                _add(here / filename, root, name, found, seen)


def _link_target(link: Path, root: Path, found: Discovery) -> Path | None:
    """The target of a link inside the collection; None (and a failure) for any other link."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        found.failures.append((link, "broken symbolic link or link loop"))
        return None
    if not _inside(target, root):
        found.failures.append((link, f"symbolic link points outside the collection ({target})"))
        return None
    return target


def _add(path: Path, root: Path, name: str, found: Discovery, seen: set[Path]) -> None:
    if path.is_symlink():
        target = _link_target(path, root, found)
        if target is None or not is_document_name(target.name):
            return
        path = target
    else:
        path = path.parent.resolve() / path.name
    if not path.is_file():
        found.failures.append((path, "not a regular file"))
        return
    if path in seen:
        return
    seen.add(path)
    found.files.append(SourceFile(path=path, collection=name, root=root))
