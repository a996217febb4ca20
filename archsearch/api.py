"""The Python API: one function per command. The CLI calls these and only renders.

    >>> settings = Settings.from_env("indexes")                        # doctest: +SKIP
    >>> index(settings, [Path("sample_docs")])                         # doctest: +SKIP
    >>> search(settings, "quyết định bảo quản vũ khí", user="hoa")     # doctest: +SKIP
"""

from __future__ import annotations

import getpass
from pathlib import Path

from .access import scope_for
from .config import Settings
from .index import SCHEMA_VERSION, IndexHome
from .ingest import IndexSummary, Progress, index_paths
from .levels import Level
from .search import DocumentView, ScopedSearcher, SearchResult
from .users import User, UserRegistry

__all__ = ["Settings", "index", "search", "show", "status", "add_user", "list_users", "current_user"]


def index(
    settings: Settings,
    paths: list[Path],
    default_level: Level = Level.UNCLASSIFIED,
    collection: str | None = None,
    progress: Progress | None = None,
) -> IndexSummary:
    return index_paths(settings, paths, default_level=default_level, collection=collection, progress=progress)


def current_user(settings: Settings, name: str | None) -> User:
    """The registered user acting: `name`, or else the OS account running the command."""
    return UserRegistry(settings.index_dir).get(name or getpass.getuser())


def search(settings: Settings, query: str, user: str | None = None, limit: int = 10, offset: int = 0) -> SearchResult:
    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    with ScopedSearcher(home, scope_for(acting)) as searcher:
        return searcher.search(query, limit=limit, offset=offset)


def show(settings: Settings, doc_id: str, user: str | None = None) -> DocumentView:
    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    with ScopedSearcher(home, scope_for(acting)) as searcher:
        return searcher.document(doc_id)


def status(settings: Settings) -> dict:
    """Counts per level and collection, and the last run: for the archivist who runs the index."""
    home = IndexHome.open(settings.index_dir)
    counts = home.counts()
    return {
        "index_dir": str(home.root),
        "schema_version": SCHEMA_VERSION,
        "documents": sum(counts["per_level"].values()),
        "per_level": counts["per_level"],
        "per_collection": counts["per_collection"],
        "last_run": home.last_run(),
    }


def add_user(settings: Settings, name: str, clearance: str, compartments: list[str] = ()) -> User:
    settings.index_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return UserRegistry(settings.index_dir).add(name, clearance, list(compartments))


def list_users(settings: Settings) -> list[User]:
    return UserRegistry(settings.index_dir).list()
