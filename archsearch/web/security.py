"""What every request and response goes through: bounds on hostile requests, the security
headers, and errors turned into plain pages (never a stack trace: those go to the server log).
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_to_bytes

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from archsearch.errors import ArchsearchError, NotFoundError, PermissionDenied, UnknownUserError, UsageError

log = logging.getLogger("archsearch.web")

HEADERS = {
    # No inline script or style anywhere; everything is served from this server.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATUS_TITLES = {
    400: "Yêu cầu không hợp lệ / bad request",
    401: "Chưa đăng nhập / not signed in",
    403: "Không được phép / forbidden",
    404: "Không tìm thấy / not found",
    405: "Phương thức không được phép / method not allowed",
    413: "Dữ liệu gửi lên quá lớn / request too large",
    414: "Địa chỉ quá dài / URL too long",
    431: "Tiêu đề quá lớn / headers too large",
    500: "Lỗi máy chủ / server error",
    503: "Chỉ mục không sẵn sàng / index unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str):
    if wants_json():
        return jsonify({"error": message}), status
    title = STATUS_TITLES.get(status, str(status))
    return render_template("error.html", status=status, title=title, message=message, banner=None), status


def not_found_response(doc_id: str):
    """The one answer for a hidden, a missing and a malformed document id."""
    message = f"no document with id {doc_id!r}"
    if wants_json():
        return jsonify({"error": message}), 404
    return render_template("not_found.html", doc_id=doc_id, banner=None), 404


def _valid_utf8(raw: str) -> bool:
    try:
        raw.encode("latin-1").decode("utf-8")
        return True
    except (UnicodeDecodeError, UnicodeEncodeError):
        return False


def check_request():
    """Bounds checked before anything else runs: a clear 4xx, and the worker goes on."""
    environ = request.environ
    config = _app_config()
    raw_path = (environ.get("RAW_URI") or environ.get("REQUEST_URI") or "").split("?", 1)[0]
    try:
        unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        return error_response(400, "the address is not valid UTF-8")
    if not _valid_utf8(environ.get("PATH_INFO", "")):
        return error_response(400, "the address is not valid UTF-8")
    query = environ.get("QUERY_STRING", "")
    try:
        unquote_to_bytes(query.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return error_response(400, "the query string is not valid UTF-8")
    # Only an export bundle (multipart, to export-verify) may be large; a form or JSON body is
    # at most a pasted draft.
    if (request.content_length or 0) > config.max_form_bytes and request.mimetype != "multipart/form-data":
        return error_response(413, f"the form is too large (at most {config.max_form_bytes // 1024} KiB)")
    if query.count("&") + 1 > config.max_params:
        return error_response(400, f"too many parameters (at most {config.max_params})")
    if len(query) > config.max_query_chars * 3 + 2000:
        return error_response(414, "the address is too long")
    return None


def _app_config():
    from flask import current_app

    return current_app.extensions["archsearch"][1]


def init(app: Flask) -> None:
    app.before_request(check_request)

    @app.after_request
    def headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # Nothing the server answers may stay in a browser's or a proxy's cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    @app.errorhandler(NotFoundError)
    def not_found(error):
        return error_response(404, str(error))

    @app.errorhandler(PermissionDenied)
    def forbidden(error):
        return error_response(403, str(error))

    @app.errorhandler(UnknownUserError)
    def unknown_user(error):
        return error_response(403, "tài khoản không còn được đăng ký / the account is no longer registered")

    @app.errorhandler(UsageError)
    def usage(error):
        return error_response(400, str(error))

    @app.errorhandler(ArchsearchError)
    def other(error):
        log.error("request %s %s failed: %s", request.method, request.path, error)
        return error_response(503, "the index cannot be read now; the administrator has the details in the server log")

    @app.errorhandler(HTTPException)
    def http(error):
        return error_response(error.code or 500, error.description or "")

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("request %s %s failed", request.method, request.path)
        return error_response(500, "unexpected error; the administrator has the details in the server log")
