"""The pages: search, document (and its original file), saved searches, similar to a draft,
export and export verification. Each calls one api function with the signed-in user's name and
renders what it returns."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, g, redirect, render_template, request, send_file, url_for

from archsearch import api
from archsearch.errors import NotFoundError, UsageError
from archsearch.export.target import marked_path
from archsearch.engine.filters import SearchFilters
from archsearch.levels import Level, parse_level
from archsearch.engine.searcher import SORTS, check_sort
from archsearch.web.auth import context
from archsearch.web.security import error_response, not_found_response

blueprint = Blueprint("pages", __name__)
FILTER_ARGS = ("from", "to", "type", "issuer", "collection")
MAX_ID_CHARS = 128
MAX_PAGE = 1000


def banner_level(level_ids) -> Level:
    """The highest level among the documents a page shows (Thường when it shows none)."""
    levels = [Level.from_id(i) for i in level_ids if i]
    return max(levels) if levels else Level.UNCLASSIFIED


def _text(name: str, limit: int = 200) -> str | None:
    value = request.values.get(name, "").strip()
    if len(value) > limit:
        raise UsageError(f"{name} is too long (at most {limit} characters)")
    return value or None


def filters_from_request() -> SearchFilters:
    levels = tuple(parse_level(v) for v in request.values.getlist("level")[:4] if v.strip())
    return SearchFilters(collection=_text("collection"), date_from=_text("from", 10), date_to=_text("to", 10),
                         doc_type=_text("type"), levels=levels, issuer=_text("issuer"))


def _page() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise UsageError("page must be a number")
    if not 1 <= page <= MAX_PAGE:
        raise UsageError(f"page must be between 1 and {MAX_PAGE}")
    return page


def _query(name: str = "q") -> str:
    _settings, config = context()
    query = request.values.get(name, "").strip()
    if len(query) > config.max_query_chars:
        raise UsageError(f"the query is too long (at most {config.max_query_chars} characters)")
    return query


def search_args(**changes) -> str:
    """The current search's parameters with `changes` (None removes one), as a query string."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k != "page"]
    for key, value in changes.items():
        if value is not None:
            args.extend((key, v) for v in (value if isinstance(value, list) else [value]))
    return urlencode(args)


def facet_link(name: str, value: str) -> str:
    if name == "year":
        return search_args(**{"from": f"{value}-01-01", "to": f"{value}-12-31"})
    key = {"doc_type": "type", "issuer": "issuer", "level": "level"}[name]
    return search_args(**{key: value})


def _facets_shown() -> bool:
    """Facets are shown unless turned off: the form sends a hidden facets=0 before its checkbox
    (facets=1 when ticked), so the last value is the box's state; no value at all (a typed or
    linked URL) shows them. Counting them is a few per cent of a search (engine/facets.py)."""
    values = request.args.getlist("facets")
    return not values or values[-1] != "0"


@blueprint.get("/")
def search():
    """The search page, with facets (counts per year, type, issuer, level) unless facets=0."""
    settings, config = context()
    query = _query()
    sort = request.args.get("sort", "relevance")
    check_sort(sort)
    filters = filters_from_request()
    page = _page()
    result = None
    if query:
        result = api.search(settings, query, user=g.user, limit=config.page_size, offset=(page - 1) * config.page_size,
                            filters=filters if filters else None, sort=sort,
                            facets=_facets_shown(), client=g.client)
    return render_template(
        "search.html", query=query, sort=sort, sorts=SORTS, result=result, page=page, page_size=config.page_size,
        args=request.args, search_args=search_args, facet_link=facet_link, levels=list(Level),
        facets_shown=_facets_shown(),
        banner=banner_level([h.classification for h in result.hits] if result else []),
    )


def _checked_id(doc_id: str) -> str:
    return doc_id[:MAX_ID_CHARS]


@blueprint.get("/doc/<path:doc_id>")
def document(doc_id):
    settings, _config = context()
    doc_id = _checked_id(doc_id)
    try:
        doc = api.show(settings, doc_id, user=g.user, client=g.client)
    except NotFoundError:
        return not_found_response(doc_id)
    query = _query()
    segments = _marked_segments(doc.text, api.query_marks(query, doc.text) if query else [],
                                api.page_starts(settings, doc))
    return render_template("document.html", doc=doc, query=query, segments=segments,
                           banner=banner_level([doc.classification]))


@blueprint.get("/doc/<path:doc_id>/similar")
def document_similar(doc_id):
    """Documents like this one: a page of its own, since choosing the key terms costs several
    times a search (the document page stays as fast as a search)."""
    settings, _config = context()
    doc_id = _checked_id(doc_id)
    try:
        result = api.similar(settings, doc_id, user=g.user, limit=10, client=g.client)
    except NotFoundError:
        return not_found_response(doc_id)
    return render_template("similar.html", result=result, draft=None, seed=doc_id,
                           banner=banner_level([h.classification for h in result.hits]))


def _marked_segments(text: str, spans: list[tuple[int, int]], page_starts: list[int] = ()) -> list[tuple[str, str]]:
    """The text cut into (kind, piece) for the template, which escapes every piece: kind is
    "text", "mark", or "page" (piece: the number of the page that begins there)."""
    cuts = sorted({0, len(text), *page_starts, *(a for a, _ in spans), *(b for _, b in spans)})
    marked = {a: b for a, b in spans}
    pages = {start: number for number, start in enumerate(page_starts, start=2)}
    segments, inside_until = [], -1
    for start, end in zip(cuts, cuts[1:]):
        if start in pages:
            segments.append(("page", str(pages[start])))
        if start in marked:
            inside_until = marked[start]
        segments.append(("mark" if start < inside_until else "text", text[start:end]))
    return segments


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


@blueprint.get("/doc/<path:doc_id>/original")
def original(doc_id):
    settings, _config = context()
    doc_id = _checked_id(doc_id)
    try:
        doc, copy = api.original(settings, doc_id, user=g.user, client=g.client)
    except NotFoundError as error:
        if "no longer" in str(error):
            return error_response(410, "tệp gốc không còn trong kho lưu trữ / the original file is gone")
        return not_found_response(doc_id)
    name = _UNSAFE_NAME.sub("_", Path(doc.path).name) or "document"
    download = marked_path(Path(name), Level.from_id(doc.classification)).name
    return send_file(copy, as_attachment=True, download_name=download,
                     mimetype=doc.mime or "application/octet-stream", conditional=False, etag=False)


@blueprint.get("/saved")
def saved():
    settings, _config = context()
    return render_template("saved.html", entries=api.saved_list(settings, user=g.user), banner=None)


@blueprint.post("/saved")
def saved_add():
    settings, _config = context()
    name = _text("name", 64) or ""
    sort = request.form.get("sort", "relevance")
    api.saved_add(settings, name, _query(), user=g.user, filters=filters_from_request(), sort=sort)
    return redirect(url_for("pages.saved"), 303)


@blueprint.get("/saved/<name>")
def saved_run(name):
    settings, config = context()
    page = _page()
    result = api.saved_run(settings, name, user=g.user, limit=config.page_size, offset=(page - 1) * config.page_size,
                           client=g.client)
    return render_template("search.html", query=result.query, sort=None, sorts=SORTS, result=result, page=page,
                           page_size=config.page_size, args=request.args, search_args=search_args,
                           facet_link=None, levels=list(Level), saved_name=name,
                           banner=banner_level([h.classification for h in result.hits]))


@blueprint.post("/saved/<name>/delete")
def saved_delete(name):
    settings, _config = context()
    api.saved_delete(settings, name, user=g.user)
    return redirect(url_for("pages.saved"), 303)


@blueprint.route("/similar", methods=["GET", "POST"])
def similar():
    settings, _config = context()
    result, draft = None, ""
    if request.method == "POST":
        draft = request.form.get("text", "")
        if not draft.strip():
            raise UsageError("dán văn bản dự thảo vào ô / paste a draft into the box")
        from archsearch.normalise import nfc

        result = api.similar(settings, text=nfc(draft), text_name="web draft", user=g.user, limit=10, client=g.client)
    return render_template("similar.html", result=result, draft=draft,
                           banner=banner_level([h.classification for h in result.hits] if result else []))


@blueprint.route("/export", methods=["GET", "POST"])
def export():
    settings, _config = context()
    if request.method == "GET":
        return render_template("export.html", levels=list(Level), report=None, banner=None)
    fmt = request.form.get("format", "zip")
    if fmt not in ("csv", "jsonl", "zip"):
        raise UsageError("format: csv, jsonl or zip")
    filters = filters_from_request()
    with tempfile.TemporaryDirectory(prefix="archsearch-export-") as directory:
        result = api.export(settings, _query() or None, user=g.user, out=Path(directory) / f"kiem-tra.{fmt}", fmt=fmt,
                            filters=filters, client=g.client)
        # The open file outlives the directory: nothing of the export stays on the server's disk.
        handle = open(result.path, "rb")
    response = send_file(handle, as_attachment=True, download_name=result.path.name,
                         mimetype={"csv": "text/csv", "jsonl": "application/x-ndjson"}.get(fmt, "application/zip"))
    response.headers["X-Archsearch-Export-Sha256"] = result.sha256
    return response


@blueprint.post("/export/verify")
def export_verify():
    upload = request.files.get("bundle")
    if upload is None or not upload.filename:
        raise UsageError("chọn tệp gói xuất (.zip) / choose an export bundle (.zip)")
    with tempfile.TemporaryDirectory(prefix="archsearch-verify-") as directory:
        # The uploaded name carries the marking the verifier checks against the cover.
        path = Path(directory) / (_UNSAFE_NAME.sub("_", Path(upload.filename).name)[-120:] or "bundle.zip")
        upload.save(path)
        report = api.verify_export(path)
    return render_template("export.html", levels=list(Level), report=report, uploaded=upload.filename, banner=None)
