"""Who is asking: a session cookie, an API token (`Authorization: Bearer`, /api/ only), or the
user header of the trusted single-sign-on proxy (from that proxy's address only). The account
is read from the registry on every request, so a disabled user or a lowered clearance applies
at once. Also the sign-in, sign-out and change-password pages.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from archsearch.trust import accounts
from archsearch.errors import UnknownUserError, UsageError
from archsearch.trust.sessions import SessionPolicy
from archsearch.web.security import error_response
from archsearch.web.server_env import USER_ENVIRON

blueprint = Blueprint("auth", __name__)
COOKIE = "archsearch_session"
PUBLIC = {"auth.login", "auth.healthz", "static"}
csrf = CSRFProtect()


def context():
    """(settings, web config) of this app."""
    return current_app.extensions["archsearch"]


def policy() -> SessionPolicy:
    _settings, config = context()
    return SessionPolicy(idle=config.idle_seconds, absolute=config.absolute_seconds)


def client(via: str) -> dict:
    return {"address": request.remote_addr or "-", "via": via}


def _identify():
    """Sets g.user (account name), g.account and g.client, or leaves g.user None."""
    settings, config = context()
    g.user = g.account = None
    g.bearer = False
    address = request.remote_addr or "-"
    if config.trusted_proxy and config.user_header and address == config.trusted_proxy:
        name = request.headers.get(config.user_header, "").strip()
        if name:
            try:
                account = accounts.get_account(settings, name)
            except (UnknownUserError, UsageError):
                account = None
            if account is not None and not account.disabled:
                g.user, g.account, g.client = name, account, client("sso")
            return
    authorization = request.headers.get("Authorization", "")
    if request.path.startswith("/api/") and authorization.lower().startswith("bearer "):
        g.bearer = True
        try:
            name = accounts.token_user(settings, authorization[7:].strip(), address, client("token"))
        except accounts.LoginRefused:
            return
        g.user, g.account, g.client = name, accounts.get_account(settings, name), client("token")
        return
    account = accounts.session_user(settings, request.cookies.get(COOKIE), policy())
    if account is not None:
        g.user, g.account, g.client = account.name, account, client("session")


def before_request():
    _identify()
    if g.user:
        request.environ[USER_ENVIRON] = g.user
    if request.method not in ("GET", "HEAD", "OPTIONS") and not g.bearer:
        csrf.protect()  # raises CSRFError (400) when the token is missing or wrong
    if request.endpoint in PUBLIC:
        return None
    if g.user is None:
        if request.path.startswith("/api/"):
            return error_response(401, "sign in, or send an API token as Authorization: Bearer")
        return redirect(url_for("auth.login"))
    if g.account.must_change_password and request.endpoint not in ("auth.password", "auth.logout"):
        if request.path.startswith("/api/"):
            return error_response(403, "change the one-time password first")
        return redirect(url_for("auth.password"))
    return None


def init(app) -> None:
    csrf.init_app(app)
    app.before_request(before_request)

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return error_response(400, "phiên biểu mẫu đã hết hạn hoặc không hợp lệ, hãy tải lại trang / "
                                   "the form's CSRF token is missing or invalid: reload the page")


def _set_cookie(response, session_id: str):
    _settings, config = context()
    response.set_cookie(COOKIE, session_id, httponly=True, samesite="Strict", secure=config.tls, path="/",
                        max_age=config.absolute_seconds)
    return response


@blueprint.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    settings, _config = context()
    error = None
    if request.method == "POST":
        name = request.form.get("username", "")[:200]
        password = request.form.get("password", "")[:1000]
        try:
            session_id, account = accounts.sign_in(settings, name, password, request.remote_addr or "-", policy(),
                                                   client("password"))
        except accounts.LoginRefused as refused:
            error = str(refused)
        else:
            target = url_for("auth.password") if account.must_change_password else url_for("pages.search")
            return _set_cookie(redirect(target, 303), session_id)
    if g.user and request.method == "GET":
        return redirect(url_for("pages.search"))
    return render_template("login.html", error=error, banner=None), (401 if error else 200)


@blueprint.post("/logout")
def logout():
    settings, _config = context()
    accounts.sign_out(settings, request.cookies.get(COOKIE), client("session"))
    response = redirect(url_for("auth.login"), 303)
    response.delete_cookie(COOKIE, path="/")
    return response


@blueprint.route("/password", methods=["GET", "POST"])
def password():
    settings, _config = context()
    error = None
    if g.client["via"] != "session":
        return error_response(400, "this account signs in through the directory: change the password there")
    if request.method == "POST":
        new = request.form.get("new", "")[:1000]
        if new != request.form.get("confirm", "")[:1000]:
            error = "hai mật khẩu mới không khớp / the new passwords differ"
        else:
            try:
                accounts.change_password(settings, g.user, request.form.get("old", "")[:1000], new, g.client)
            except UsageError as refused:
                error = str(refused)
            else:
                session_id, _account = accounts.sign_in(settings, g.user, new, request.remote_addr or "-", policy(),
                                                        g.client)
                return _set_cookie(redirect(url_for("pages.search"), 303), session_id)
    return render_template("password.html", error=error, must=g.account.must_change_password, banner=None)
