"""The Python API: one function per command. The CLI calls these and only renders.

    >>> settings = Settings.from_env("indexes")                        # doctest: +SKIP
    >>> index(settings, [Path("sample_docs")])                         # doctest: +SKIP
    >>> search(settings, "quyết định bảo quản vũ khí", user="hoa")     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path

from .access import scope_for
from .audit import AuditLog, ChainBreak
from .cache import ExtractionCache
from .cluster import ClusterOptions, DaskExtractor, make_certificates, parse_shared_root
from .errors import PermissionDenied
from .config import Settings
from .index import IndexHome
from .ingest import IndexSummary, Progress, index_paths
from .levels import Level
from .errors import NotFoundError
from .filters import SearchFilters
from .search import DocumentView, ScopedSearcher, SearchResult, SimilarResult
from .users import User, UserRegistry

__all__ = [
    "Settings", "index", "search", "show", "status", "add_user", "list_users", "current_user",
    "audit_verify", "audit_records", "is_administrator",
]


def index(
    settings: Settings,
    paths: list[Path],
    default_level: Level = Level.UNCLASSIFIED,
    collection: str | None = None,
    progress: Progress | None = None,
    full: bool = False,
    prune: bool = False,
    cluster: "ClusterOptions | None" = None,
) -> IndexSummary:
    """`cluster` runs extraction on a Dask cluster instead of local worker processes."""
    if cluster is None:
        return index_paths(settings, paths, default_level=default_level, collection=collection,
                           progress=progress, full=full, prune=prune)
    with DaskExtractor(settings, cluster, progress) as extractor:
        return index_paths(settings, paths, default_level=default_level, collection=collection,
                           progress=progress, full=full, prune=prune, extractor=extractor)


def make_cluster_certificates(directory: Path, hosts: list[str] = ()) -> list[Path]:
    """The CA, node and client certificates for a mutual-TLS cluster (cluster.make_certificates)."""
    return make_certificates(directory, hosts)


def is_administrator(settings: Settings) -> bool:
    """The index owner (the OS account that owns the index home) and root administer it."""
    uid = os.geteuid()
    try:
        return uid == 0 or uid == settings.index_dir.stat().st_uid
    except FileNotFoundError:
        return True  # nothing exists yet: whoever creates the index home will own it


def _require_administrator(settings: Settings, what: str) -> None:
    if not is_administrator(settings):
        raise PermissionDenied(f"only the owner of the index home {settings.index_dir} may {what}")


def current_user(settings: Settings, name: str | None) -> User:
    """The registered user acting: the OS account running the command, or `name` when the
    caller administers the index (nobody else may act as someone else)."""
    own = getpass.getuser()
    if name and name != own:
        _require_administrator(settings, f"act as another user ({name!r})")
    return UserRegistry(settings.index_dir).get(name or own)


def _audit(settings: Settings, acting: User, command: str, **fields) -> None:
    clearance = acting.to_json()
    AuditLog(settings.index_dir).append(
        user=acting.name, clearance=clearance["clearance"], compartments=clearance["compartments"],
        command=command, **fields,
    )


def search(
    settings: Settings,
    query: str,
    user: str | None = None,
    limit: int = 10,
    offset: int = 0,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    facets: bool = False,
) -> SearchResult:
    """One page of hits the user may see; `filters`, `sort` and `facets` as in
    `ScopedSearcher.search`. Audited like every read, after the search and before returning."""
    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    return _scoped_search(settings, home, acting, "search", query, limit, offset, filters, sort, facets)


def _scoped_search(settings, home, acting: User, command: str, query: str, limit: int, offset: int,
                   filters: SearchFilters | None, sort: str, facets: bool, **audit_fields) -> SearchResult:
    with ScopedSearcher(home, scope_for(acting)) as searcher:
        result = searcher.search(query, limit=limit, offset=offset, filters=filters, sort=sort, facets=facets)
    if filters:
        audit_fields["filters"] = filters.to_json()
    if sort != "relevance":
        audit_fields["sort"] = sort
    if offset:
        audit_fields["offset"] = offset
    if facets:
        audit_fields["facets"] = True
    _audit(settings, acting, command, query=query, total=result.total, ids=[hit.id for hit in result.hits],
           **audit_fields)
    return result


def similar(
    settings: Settings,
    doc_id: str | None = None,
    user: str | None = None,
    limit: int = 10,
    text: str | None = None,
    text_name: str | None = None,
) -> SimilarResult:
    """Documents like the document `doc_id`, or like `text` (a draft; `text_name` names it in
    the audit record, which keeps the text's SHA-256 and length, not the text). A seed the user
    may not see is reported, and audited, exactly like an unknown id (as `show`)."""
    import hashlib

    if (doc_id is None) == (text is None):
        from .errors import UsageError

        raise UsageError("similar needs a document ID or --text FILE (one of them)")
    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    if doc_id is not None:
        seed = {"query": doc_id}
    else:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        seed = {"query": f"text:{text_name or '-'}", "text_sha256": digest, "text_chars": len(text)}
    with ScopedSearcher(home, scope_for(acting)) as searcher:
        try:
            result = searcher.similar(doc_id=doc_id, text=text, limit=limit)
        except NotFoundError:
            _audit(settings, acting, "similar", **seed, ids=[], outcome="not found")
            raise
    _audit(settings, acting, "similar", **seed, total=result.total, ids=[hit.id for hit in result.hits])
    return result


def explain(settings: Settings, query: str, user: str | None = None, filters: SearchFilters | None = None,
            sort: str = "relevance") -> dict:
    """What a search would apply, from its structure only: the parsed query, the levels whose
    partitions would be opened, the compartments the user holds, the filters and the sort.
    Nothing is read from the index (not even which compartments exist), so it is not audited."""
    from .query import build_query, describe_query
    from .search import SORTS
    from .errors import UsageError

    acting = current_user(settings, user)
    scope = scope_for(acting)
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    filter_query = filters.to_query(scope.levels) if filters else None
    identity = acting.to_json()
    return {
        "query": query,
        "parsed": describe_query(build_query(query)),
        "user": acting.name,
        "clearance": identity["clearance"],
        "scope": {
            "levels": [level.id for level in scope.levels],
            "compartments_held": identity["compartments"],
            "hidden": "documents above these levels are in partitions that are not opened; documents "
                      "carrying a compartment not held are masked inside the search",
        },
        "filters": filters.to_json() if filters else None,
        "filter": describe_query(filter_query) if filter_query is not None else [],
        "sort": sort,
    }


def saved_add(settings: Settings, name: str, query: str, user: str | None = None,
              filters: SearchFilters | None = None, sort: str = "relevance") -> dict:
    """Save a search for the acting user. The query, filters and sort are checked now (a level
    above the user's clearance is refused); no clearance is stored with it."""
    from .query import build_query
    from .saved import SavedSearches
    from .search import SORTS
    from .errors import UsageError

    acting = current_user(settings, user)
    build_query(query)
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    filters = filters or SearchFilters()
    filters.check_levels(scope_for(acting).levels)
    settings.index_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return SavedSearches(settings.index_dir).add(acting.name, name, query, filters.to_json(), sort)


def saved_list(settings: Settings, user: str | None = None) -> list[dict]:
    """The acting user's saved searches (their own only)."""
    from .saved import SavedSearches

    acting = current_user(settings, user)
    return SavedSearches(settings.index_dir).list(acting.name)


def saved_run(settings: Settings, name: str, user: str | None = None, limit: int = 10, offset: int = 0,
              facets: bool = False) -> SearchResult:
    """Run a saved search with the user's clearance and compartments as they are now (the
    registry is read at this call), audited as `saved run` with the name and the query."""
    from .saved import SavedSearches

    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    entry = SavedSearches(settings.index_dir).get(acting.name, name)
    filters = SearchFilters.from_json(entry.get("filters"))
    return _scoped_search(settings, home, acting, "saved run", entry["query"], limit, offset,
                          filters if filters else None, entry.get("sort") or "relevance", facets, saved=name)


def show(settings: Settings, doc_id: str, user: str | None = None) -> DocumentView:
    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    with ScopedSearcher(home, scope_for(acting)) as searcher:
        try:
            doc = searcher.document(doc_id)
        except NotFoundError:
            _audit(settings, acting, "show", query=doc_id, ids=[], outcome="not found")
            raise
    _audit(settings, acting, "show", query=doc_id, ids=[doc.id])
    return doc


def audit_verify(settings: Settings) -> tuple[int, ChainBreak | None]:
    _require_administrator(settings, "read the audit log")
    return AuditLog(settings.index_dir).verify()


def audit_records(settings: Settings, user: str | None = None, since: dt.datetime | None = None) -> list[dict]:
    _require_administrator(settings, "read the audit log")
    records = []
    for record in AuditLog(settings.index_dir).records():
        if user and record.get("user") != user:
            continue
        if since and dt.datetime.fromisoformat(record["time"]) < since:
            continue
        records.append(record)
    return records


def status(settings: Settings) -> dict:
    """Counts per level, collection and type, OCR'd pages, sizes and the last run: for the
    archivist who owns the index (counts per level say how many classified documents exist,
    so nobody else sees them)."""
    _require_administrator(settings, "see the index status")
    home = IndexHome.open(settings.index_dir)
    with home.catalog() as catalog:
        summary = catalog.summary()
        level_changes = catalog.level_changes()
    last_run = home.last_run()
    return {
        "index_dir": str(home.root),
        "schema_version": home.schema_version,
        "generation": home.generation,
        "documents": sum(summary["per_level"].values()),
        "per_level": {level.id: summary["per_level"].get(level.id, 0) for level in Level},
        "per_collection": summary["per_collection"],
        "per_type": summary["per_type"],
        "pages": summary["pages"],
        "ocr_pages": summary["ocr_pages"],
        "index_bytes": home.disk_usage(),
        "cache": ExtractionCache(settings.index_dir, settings.limits.ocr_language).size(),
        "level_changes": level_changes,
        "last_run": last_run,
        "last_run_failures": (last_run or {}).get("failures", []),
    }


def cache_clear(settings: Settings) -> dict:
    """Empty the extraction cache; returns what it held."""
    _require_administrator(settings, "clear the extraction cache")
    return ExtractionCache(settings.index_dir, settings.limits.ocr_language).clear()


def add_user(settings: Settings, name: str, clearance: str, compartments: list[str] = ()) -> User:
    _require_administrator(settings, "manage users")
    settings.index_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return UserRegistry(settings.index_dir).add(name, clearance, list(compartments))


def list_users(settings: Settings) -> list[User]:
    _require_administrator(settings, "list users")
    return UserRegistry(settings.index_dir).list()


def export(
    settings: Settings,
    query: str | None,
    user: str | None = None,
    out: Path | str | None = None,
    fmt: str | None = None,
    collection: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    doc_type: str | None = None,
    levels: tuple[Level | str, ...] = (),
    force: bool = False,
    progress=None,
    issuer: str | None = None,
):
    """Export every document the user may see that matches `query` (all of them when None)
    and the filters, as csv, jsonl or a zip bundle (`fmt`; default: from the extension of `out`).

    Reads go through the user's `ScopedSearcher` only. The file is moved to its final, marked
    name (`export.marked_path`), then the audit record is written; if that fails the file is
    removed and the error propagates. Returns an `export.ExportResult` naming the final path.
    """
    from . import export as exporting
    from .errors import UsageError
    from .levels import parse_level

    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    filters = exporting.ExportFilters(
        collection=collection, date_from=date_from, date_to=date_to, doc_type=doc_type,
        levels=tuple(level if isinstance(level, Level) else parse_level(level) for level in levels),
        issuer=issuer,
    )
    if out is None:
        raise UsageError("an export needs an output file (--out PATH)")
    plan = exporting.plan_output(Path(out), fmt, settings.index_dir, force)
    identity = acting.to_json()
    exporter = {
        "user": acting.name,
        "clearance": identity["clearance"],
        "clearance_vi": acting.clearance.vietnamese if acting.clearance is not None else None,
        "compartments": identity["compartments"],
        "os_account": _os_account(),
        "tool": f"archsearch {_version()}",
    }

    def record(result) -> None:
        _audit(
            settings, acting, "export", query=query or "", ids=result.ids, total=result.count,
            export_file=str(result.path), export_sha256=result.sha256, format=result.format,
            filters=filters.to_json(),
            highest_level=result.highest_level.id if result.highest_level is not None else None,
            omitted_originals=[w["id"] for w in result.warnings],
        )

    with ScopedSearcher(home, scope_for(acting)) as searcher:
        return exporting.write_export(searcher, query, filters, plan, exporter, progress=progress, on_complete=record)


def verify_export(bundle: Path | str):
    """Recompute every member's checksum of an export bundle against its EXPORT.json.
    Needs no index: an inspector can run it on the bundle alone."""
    from .export import verify_bundle

    return verify_bundle(Path(bundle))


def _os_account() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers): the uid still identifies the account
        return f"uid:{os.getuid()}"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("archsearch")
    except PackageNotFoundError:
        return "unknown"
__all__ += ["export", "verify_export", "similar", "explain", "saved_add", "saved_list", "saved_run"]
