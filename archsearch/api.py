"""The Python API: one function per command. The CLI calls these and only renders.

    >>> settings = Settings.from_env("indexes")                        # doctest: +SKIP
    >>> index(settings, [Path("sample_docs")])                         # doctest: +SKIP
    >>> search(settings, "quyết định bảo quản vũ khí", user="hoa")     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from archsearch.config import Settings
from archsearch.engine.filters import SearchFilters
from archsearch.engine.index import IndexHome
from archsearch.engine.searcher import DocumentView, ScopedSearcher, SearchResult, SimilarResult
from archsearch.errors import NotFoundError, PermissionDenied
from archsearch.levels import Level
from archsearch.trust import users
from archsearch.trust.access import scope_for
from archsearch.trust.audit import AuditLog, ChainBreak
from archsearch.trust.home_check import create_index_home
from archsearch.trust.users import User, UserRegistry

if TYPE_CHECKING:  # imported when a command runs: a search never loads ingest, export or the web
    from archsearch.ingest.cluster import ClusterOptions
    from archsearch.ingest.progress import IndexSummary, Progress

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
    report: Path | None = None,
    cluster: ClusterOptions | None = None,
) -> IndexSummary:
    """Index `paths`. With `report`, every failure and warning is also written to that file as
    JSON lines (`ingest.report`: owner-only, never through a link, refused before the run).
    `cluster` runs extraction on a Dask cluster instead of local worker processes
    (ingest/cluster.py)."""
    from archsearch.ingest.report import open_report, write_report

    report_fd = open_report(Path(report)) if report is not None else None
    try:
        summary = _index_paths(settings, paths, default_level, collection, progress, full, prune, cluster)
    except BaseException:
        if report_fd is not None:
            os.close(report_fd)
        raise
    if report_fd is not None:
        write_report(report_fd, summary)
    return summary


def _index_paths(settings, paths, default_level, collection, progress, full, prune, cluster) -> IndexSummary:
    from archsearch.ingest.pipeline import index_paths

    if cluster is None:
        return index_paths(settings, paths, default_level=default_level, collection=collection,
                           progress=progress, full=full, prune=prune)
    from archsearch.ingest.cluster import DaskExtractor

    with DaskExtractor(settings, cluster, progress) as extractor:
        return index_paths(settings, paths, default_level=default_level, collection=collection,
                           progress=progress, full=full, prune=prune, extractor=extractor)


def make_cluster_certificates(directory: Path, hosts: list[str] = ()) -> list[Path]:
    """The CA, node and client certificates for a mutual-TLS cluster (cluster_certs.make_certificates)."""
    from archsearch.ingest.cluster_certs import make_certificates

    return make_certificates(directory, hosts)


def cluster_options(address: str, tls: Path | None, insecure: bool = False,
                    shared_root: str | None = None) -> ClusterOptions:
    """The checked options of `index --cluster` (`shared_root` as LOCAL=REMOTE)."""
    from archsearch.ingest.cluster import ClusterOptions, parse_shared_root

    return ClusterOptions(address, tls, insecure=insecure,
                          shared_root=parse_shared_root(shared_root) if shared_root else None)


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
    own = users.os_account()
    if name and name != own:
        _require_administrator(settings, f"act as another user ({name!r})")
    return UserRegistry(settings.index_dir).get(name or own)


def _audit(settings: Settings, acting: User, command: str, client: dict | None = None, **fields) -> None:
    """`client`: who asked through a server (the web front end): its address and how the user
    signed in; the record's os_account is then the server's account."""
    if client:
        fields["client"] = client
    clearance = acting.to_json()
    AuditLog(settings.index_dir, settings.audit_key_path).append(
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
    client: dict | None = None,
) -> SearchResult:
    """One page of hits the user may see; `filters`, `sort` and `facets` as in
    `ScopedSearcher.search`. Audited like every read, after the search and before returning."""
    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    return _scoped_search(settings, home, acting, "search", query, limit, offset, filters, sort, facets,
                          client=client)


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
    client: dict | None = None,
) -> SimilarResult:
    """Documents like the document `doc_id`, or like `text` (a draft; `text_name` names it in
    the audit record, which keeps the text's SHA-256 and length, not the text). A seed the user
    may not see is reported, and audited, exactly like an unknown id (as `show`)."""
    import hashlib

    if (doc_id is None) == (text is None):
        from archsearch.errors import UsageError

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
            _audit(settings, acting, "similar", client, **seed, ids=[], outcome="not found")
            raise
    _audit(settings, acting, "similar", client, **seed, total=result.total, ids=[hit.id for hit in result.hits])
    return result


def read_draft(settings: Settings, path: Path) -> str:
    """The text of a draft for `similar --text`, decoded like an indexed .txt file, NFC; only a
    regular file up to `settings.max_draft_bytes` is read (`ingest.drafts.read_draft`)."""
    from archsearch.ingest.drafts import read_draft as read

    return read(path, settings.max_draft_bytes)


def explain(settings: Settings, query: str, user: str | None = None, filters: SearchFilters | None = None,
            sort: str = "relevance") -> dict:
    """What a search would apply, from its structure only: the parsed query, the levels whose
    partitions would be opened, the compartments the user holds, the filters and the sort.
    Nothing is read from the index (not even which compartments exist), so it is not audited."""
    from archsearch.engine.query import build_query, weighed_words
    from archsearch.engine.query_explain import describe_query
    from archsearch.engine.searcher import check_sort

    acting = current_user(settings, user)
    scope = scope_for(acting)
    check_sort(sort)
    filter_query = filters.to_query(scope.levels) if filters else None
    identity = acting.to_json()
    return {
        "query": query,
        "parsed": describe_query(build_query(query)),
        # How each plain syllable was weighed: question/statement framing weighs less (query.py).
        "weights": [[word, weight] for word, weight in weighed_words(query)],
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
    from archsearch.engine.query import build_query
    from archsearch.trust.saved import SavedSearches
    from archsearch.engine.searcher import check_sort

    acting = current_user(settings, user)
    build_query(query)
    check_sort(sort)
    filters = filters or SearchFilters()
    filters.check_levels(scope_for(acting).levels)
    create_index_home(settings.index_dir)
    return SavedSearches(settings.index_dir).add(acting.name, name, query, filters.to_json(), sort)


def saved_list(settings: Settings, user: str | None = None) -> list[dict]:
    """The acting user's saved searches (their own only)."""
    from archsearch.trust.saved import SavedSearches

    acting = current_user(settings, user)
    return SavedSearches(settings.index_dir).list(acting.name)


def saved_run(settings: Settings, name: str, user: str | None = None, limit: int = 10, offset: int = 0,
              facets: bool = False, client: dict | None = None) -> SearchResult:
    """Run a saved search with the user's clearance and compartments as they are now (the
    registry is read at this call), audited as `saved run` with the name and the query."""
    from archsearch.trust.saved import SavedSearches

    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    entry = SavedSearches(settings.index_dir).get(acting.name, name)
    filters = SearchFilters.from_json(entry.get("filters"))
    return _scoped_search(settings, home, acting, "saved run", entry["query"], limit, offset,
                          filters if filters else None, entry.get("sort") or "relevance", facets, saved=name,
                          client=client)


def show(settings: Settings, doc_id: str, user: str | None = None, article: int | None = None,
         clause: int | None = None, client: dict | None = None) -> DocumentView:
    """One document the user may see; with `article`, also its Điều `article` (khoản `clause`)
    as `view.article`. A document the user may not see is missing, article or not. `client`
    names a read through the web front end."""
    acting = current_user(settings, user)
    doc = _document(settings, acting, doc_id, "show", client)
    _audit(settings, acting, "show", client, query=doc_id, ids=[doc.id])
    if article is not None:
        doc.with_article(article, clause)
    return doc


def _document(settings: Settings, acting: User, doc_id: str, command: str, client: dict | None) -> DocumentView:
    """The document `doc_id` as `acting` may see it; a hidden or missing one is audited as
    "not found" under `command` and raises NotFoundError. The caller audits what it returns."""
    home = IndexHome.open(settings.index_dir)
    with ScopedSearcher(home, scope_for(acting)) as searcher:
        try:
            return searcher.document(doc_id)
        except NotFoundError:
            _audit(settings, acting, command, client, query=doc_id, ids=[], outcome="not found")
            raise


def warm_search_caches(settings: Settings) -> int:
    """Prepare the server's master process, before it forks its workers: keep freed memory for
    the next search's arrays (engine/allocation.py), and read what searches keep between
    requests and would otherwise read on their first use (the facet values of every segment of
    every level). Nothing is returned to anyone, so nothing is audited. Returns the number of
    documents covered."""
    from archsearch.engine import allocation, facets, open_readers
    from archsearch.levels import ALL_LEVELS

    allocation.keep_freed_memory()

    home = IndexHome.open(settings.index_dir)
    readers = [open_readers.lease(home.partition_dir(level), lambda level=level: home.partition(level).reader())
               for level in ALL_LEVELS]
    try:
        return facets.warm(readers)
    finally:
        for reader in readers:
            open_readers.release(reader)


def audit_verify(settings: Settings) -> tuple[int, ChainBreak | None]:
    _require_administrator(settings, "read the audit log")
    return AuditLog(settings.index_dir, settings.audit_key_path).verify()


def audit_records(settings: Settings, user: str | None = None, since: dt.datetime | None = None) -> list[dict]:
    _require_administrator(settings, "read the audit log")
    records = []
    for record in AuditLog(settings.index_dir, settings.audit_key_path).records():
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
    from archsearch.ingest.cache import ExtractionCache

    _require_administrator(settings, "see the index status")
    home = IndexHome.open(settings.index_dir)
    with home.catalog() as catalog:
        summary = catalog.summary()
        level_changes = catalog.level_changes()
        withdrawn = catalog.withdrawn()
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
        # A partition opened at an older commit than its newest (durable.open_partition).
        "partition_notes": home.partition_notes(),
        "withdrawn": withdrawn,  # path -> why its declaration could not be read (out of every partition)
        "last_run": last_run,
        "last_run_failures": (last_run or {}).get("failures", []),
    }


def cache_clear(settings: Settings) -> dict:
    """Empty the extraction cache; returns what it held."""
    from archsearch.ingest.cache import ExtractionCache

    _require_administrator(settings, "clear the extraction cache")
    return ExtractionCache(settings.index_dir, settings.limits.ocr_language).clear()


def add_user(settings: Settings, name: str, clearance: str, compartments: list[str] = ()) -> User:
    _require_administrator(settings, "manage users")
    create_index_home(settings.index_dir)
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
    filters: SearchFilters | None = None,
    force: bool = False,
    progress=None,
    client: dict | None = None,
):
    """Export every document the user may see that matches `query` (all of them when None)
    and `filters` (as in `search`), as csv, jsonl or a zip bundle (`fmt`; default: from the
    extension of `out`). `progress` receives an `export.ExportProgress` per step.

    Reads go through the user's `ScopedSearcher` only. The file is moved to its final, marked
    name (`export.marked_path`), then the audit record is written; if that fails the file is
    removed and the error propagates. Returns an `export.ExportResult` naming the final path.
    """
    from archsearch.errors import UsageError
    from archsearch.export import target
    from archsearch.export.bundle import exporter_identity, write_export

    home = IndexHome.open(settings.index_dir)
    acting = current_user(settings, user)
    filters = filters or SearchFilters()
    if out is None:
        raise UsageError("an export needs an output file (--out PATH)")
    plan = target.plan_output(Path(out), fmt, settings.index_dir, force)
    def record(result) -> None:
        _audit(
            settings, acting, "export", client, query=query or "", ids=result.ids, total=result.count,
            export_file=str(result.path), export_sha256=result.sha256, format=result.format,
            filters=filters.to_json(),
            highest_level=result.highest_level.id if result.highest_level is not None else None,
            omitted_originals=[w["id"] for w in result.warnings],
        )

    with ScopedSearcher(home, scope_for(acting)) as searcher:
        return write_export(searcher, query, filters, plan, exporter_identity(acting), progress=progress,
                            on_complete=record)


def verify_export(bundle: Path | str):
    """Recompute every member's checksum of an export bundle against its EXPORT.json.
    Needs no index: an inspector can run it on the bundle alone."""
    from archsearch.export.verify import verify_bundle

    return verify_bundle(Path(bundle))


__all__ += ["export", "verify_export", "similar", "read_draft", "explain", "saved_add", "saved_list", "saved_run"]


def saved_delete(settings: Settings, name: str, user: str | None = None) -> dict:
    """Delete one of the acting user's saved searches (their own only); returns it."""
    from archsearch.trust.saved import SavedSearches

    acting = current_user(settings, user)
    return SavedSearches(settings.index_dir).delete(acting.name, name)


def original(settings: Settings, doc_id: str, user: str | None = None, client: dict | None = None):
    """The original file of a document the user may see, for a download: (DocumentView, an open
    file holding a verified copy). Looked up and audited exactly like `show` (command
    "download"): a hidden id is a missing id. The file in the archive is copied into an
    anonymous file in the index home while it is hashed; a file gone, not a regular file, or no
    longer the content that was indexed (replaced, edited, swapped for a link to another file)
    is a NotFoundError saying "no longer", and nothing of it is returned."""
    from archsearch.ingest.originals import verified_copy

    acting = current_user(settings, user)
    doc = _document(settings, acting, doc_id, "download", client)
    with IndexHome.open(settings.index_dir).catalog() as catalog:
        expected = catalog.content_hash(doc.id)
    copy = verified_copy(doc.path, expected, spool_dir=settings.index_dir)
    if copy is None:
        # Audited as what happened: asked for, and nothing given.
        _audit(settings, acting, "download", client, query=doc_id, ids=[], outcome="original no longer as indexed")
        raise NotFoundError(f"the original file of {doc_id!r} is no longer the file that was indexed")
    _audit(settings, acting, "download", client, query=doc_id, ids=[doc.id])
    return doc, copy


def query_marks(query: str, text: str) -> list[tuple[int, int]]:
    """Where the query's words occur in `text` (a document the caller was given): the spans a
    snippet would mark, adjacent ones joined into one run."""
    from archsearch.engine.query import build_query
    from archsearch.engine.searcher import _snippet_words
    from archsearch.engine.snippets import match_spans

    exact, folded = _snippet_words(build_query(query))
    return match_spans(text, exact, folded)


def page_starts(settings: Settings, doc: DocumentView) -> list[int]:
    """Where pages 2, 3, ... of a document the caller was given (by `show`) begin in its text,
    from the extraction cache; [] when unknown (not cached, or the text differs from it)."""
    from archsearch.ingest.cache import ExtractionCache
    from archsearch.ingest.originals import page_starts as starts

    with IndexHome.open(settings.index_dir).catalog() as catalog:
        content_hash = catalog.content_hash(doc.id)
    cache = ExtractionCache(settings.index_dir, settings.limits.ocr_language)
    return starts(cache.get(content_hash) if content_hash else None, doc.text)


__all__ += ["saved_delete", "original", "query_marks", "page_starts"]
