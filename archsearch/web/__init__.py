"""The web front end: a second skin over api.py, like cli.py.

`create_app(settings, config)` builds the Flask app: sign-in and sessions (accounts.py), the
pages, the JSON API and the administration pages, with the security headers on every response.
Every read goes through api.py with the signed-in user's name, so the scope, the
"hidden = missing" rule and the audit record are the CLI's; no clearance logic lives here.
"""

from __future__ import annotations

import logging
import secrets

import re

from flask import Flask
from markupsafe import Markup, escape

from archsearch.config import Settings
from archsearch.levels import Level
from archsearch.web.config import WebConfig

log = logging.getLogger("archsearch.web")


_MARKED = re.compile(r"«([^«»\n]*)»")


def marks(snippet: str) -> Markup:
    """A snippet's «marked» words as <mark>, everything else escaped."""
    out, position = [], 0
    for match in _MARKED.finditer(snippet or ""):
        out.append(escape(snippet[position:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(1)) + Markup("</mark>"))
        position = match.end()
    out.append(escape((snippet or "")[position:]))
    return Markup("").join(out)


def level_name(level_id: str) -> str:
    """TUYỆT MẬT, TỐI MẬT, MẬT, THƯỜNG: the marking as stamped."""
    return Level.from_id(level_id).vietnamese.upper()


def create_app(settings: Settings, config: WebConfig = WebConfig()) -> Flask:
    from archsearch.web import admin
    from archsearch.web import auth
    from archsearch.web import json_api
    from archsearch.web import pages
    from archsearch.web import security

    app = Flask(__name__)
    app.config.update(
        # Signs the CSRF cookie. Made once in the master before gunicorn forks, so every worker
        # shares it; a restart only invalidates forms left open (sessions are server-side).
        SECRET_KEY=secrets.token_urlsafe(32),
        SESSION_COOKIE_NAME="archsearch_csrf",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=config.tls,
        MAX_CONTENT_LENGTH=config.max_upload_bytes,
        MAX_FORM_MEMORY_SIZE=config.max_form_bytes,
        MAX_FORM_PARTS=config.max_params,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in security.before_request (not for API tokens)
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session cookie
        # Flask-WTF's HTTPS referrer check needs a Referer header, which Referrer-Policy:
        # no-referrer tells browsers never to send; the token and SameSite=Strict remain.
        WTF_CSRF_SSL_STRICT=False,
    )
    app.extensions["archsearch"] = (settings, config)
    app.jinja_env.filters["marks"] = marks
    app.jinja_env.globals["level_name"] = level_name
    security.init(app)
    auth.init(app)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(json_api.blueprint)
    app.wsgi_app = _one_home_check_per_request(app.wsgi_app)
    return app


def _one_home_check_per_request(wsgi_app):
    """The index home is walked once per request, not once per object reading it
    (home_check.one_check_per_operation). A streamed body read after the request returns is
    checked again, as anything outside it is."""
    from archsearch.trust.home_check import one_check_per_operation

    def handle(environ, start_response):
        with one_check_per_operation():
            return wsgi_app(environ, start_response)

    return handle
