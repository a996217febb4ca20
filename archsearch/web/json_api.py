"""The JSON API under /api/: the CLI's exact JSON for search, show and similar (the result
objects' own to_json, which `archsearch ... --json` prints), for the office's programs. Signed
in by session or by an API token (`Authorization: Bearer`)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from archsearch import api
from archsearch.errors import NotFoundError, UsageError
from archsearch.normalise import nfc
from archsearch.engine.searcher import SORTS
from archsearch.web.auth import context
from archsearch.web.pages import MAX_ID_CHARS, _page, _query, filters_from_request
from archsearch.web.security import not_found_response

blueprint = Blueprint("api", __name__, url_prefix="/api")
MAX_LIMIT = 1000


def _limit(default: int = 10) -> int:
    try:
        limit = int(request.args.get("limit", default))
    except ValueError:
        raise UsageError("limit must be a number")
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}")
    return limit


@blueprint.get("/search")
def search():
    settings, _config = context()
    query = _query()
    if not query:
        raise UsageError("q (the query) is required")
    sort = request.args.get("sort", "relevance")
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    limit = _limit()
    filters = filters_from_request()
    result = api.search(settings, query, user=g.user, limit=limit, offset=(_page() - 1) * limit,
                        filters=filters if filters else None, sort=sort,
                        facets=request.args.get("facets") in ("1", "true"), client=g.client)
    return jsonify(result.to_json())


@blueprint.get("/show/<path:doc_id>")
def show(doc_id):
    settings, _config = context()
    doc_id = doc_id[:MAX_ID_CHARS]
    try:
        return jsonify(api.show(settings, doc_id, user=g.user, client=g.client).to_json())
    except NotFoundError:
        return not_found_response(doc_id)


@blueprint.get("/similar/<path:doc_id>")
def similar(doc_id):
    settings, _config = context()
    doc_id = doc_id[:MAX_ID_CHARS]
    try:
        return jsonify(api.similar(settings, doc_id, user=g.user, limit=_limit(), client=g.client).to_json())
    except NotFoundError:
        return not_found_response(doc_id)


@blueprint.post("/similar")
def similar_text():
    settings, _config = context()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"].strip():
        raise UsageError('send JSON {"text": "..."} (and optionally "limit")')
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}")
    result = api.similar(settings, text=nfc(body["text"]), text_name=str(body.get("name") or "api draft")[:64],
                         user=g.user, limit=limit, client=g.client)
    return jsonify(result.to_json())
