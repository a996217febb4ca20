"""Security of the web layer: CSRF, GET never changes state, headers, escaping, errors without
stack traces, hostile requests, throttling over HTTP, single sign-on only from the trusted
proxy, sessions ended by disabling, the access log, and the serve command's refusals."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest

from archsearch.trust import accounts
from archsearch import api
from archsearch.errors import UsageError
from archsearch.web import create_app
from archsearch.web.config import WebConfig
from archsearch.web.server import AccessLogger, ServeOptions, check_options
from tests.web_support import PASSWORD, csrf_of, fast_hashes, page_token, sign_in, web  # noqa: F401

QUERY = "bảo quản vũ khí"


@pytest.mark.parametrize("path,data", [
    ("/logout", {}), ("/saved", {"name": "x", "q": "vũ khí"}), ("/saved/x/delete", {}),
    ("/similar", {"text": "vũ khí"}), ("/export", {"q": "vũ khí", "format": "csv"}),
    ("/admin/users", {"name": "eve", "clearance": "top-secret"}), ("/admin/users/thuong/disable", {}),
    ("/password", {"old": PASSWORD, "new": "mat-khau-moi-123", "confirm": "mat-khau-moi-123"}),
])
def test_every_state_changing_request_needs_the_csrf_token(web, path, data):
    settings, app, docs = web
    client = sign_in(app, "admin")
    before = (settings.index_dir / "users.json").read_text()
    response = client.post(path, data=data)
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    response = client.post(path, data={**data, "csrf_token": "forged"})
    assert response.status_code == 400
    assert (settings.index_dir / "users.json").read_text() == before
    assert client.get("/").status_code == 200  # still signed in: the refused logout did nothing


def test_login_itself_needs_the_csrf_token(web):
    settings, app, docs = web
    client = app.test_client()
    response = client.post("/login", data={"username": "thuong", "password": PASSWORD})
    assert response.status_code == 400 and "archsearch_session" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("path", ["/logout", "/saved/x/delete", "/admin/users", "/admin/users/thuong/disable",
                                  "/export/verify"])
def test_get_never_changes_state(web, path):
    settings, app, docs = web
    client = sign_in(app, "admin")
    assert client.get(path).status_code == 405
    assert client.get("/").status_code == 200 and not accounts.get_account(settings, "thuong").disabled


def test_security_headers_on_every_response(web):
    settings, app, docs = web
    client = sign_in(app, "thuong")
    for path in ["/", f"/?q={QUERY}", "/doc/doc0unc", "/doc/nosuch", "/saved", "/export", "/login", "/healthz",
                 "/static/style.css", "/api/search?q=kho"]:
        response = client.get(path)
        headers = response.headers
        assert headers["Content-Security-Policy"].startswith("default-src 'self'"), path
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "no-referrer", path
        assert headers["Cache-Control"] == "no-store", path
        assert headers["X-Content-Type-Options"] == "nosniff", path


def test_pages_have_no_inline_script_or_style(web):
    settings, app, docs = web
    client = sign_in(app, "admin")
    for path in ["/", f"/?q={QUERY}&facets=1", "/doc/doc0unc", "/doc/doc0unc/similar", "/saved", "/similar", "/export", "/admin/", "/admin/audit",
                 "/admin/status", "/password"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html and "<style" not in html and " style=" not in html, path
        assert "http://" not in html and "https://" not in html, path  # nothing from elsewhere


def test_session_cookie_flags_and_secure_under_tls(web, tmp_path):
    settings, app, docs = web
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    cookie = client.post("/login", data={"username": "thuong", "password": PASSWORD, "csrf_token": token}) \
        .headers.getlist("Set-Cookie")
    session = [c for c in cookie if c.startswith("archsearch_session=")][0]
    assert "HttpOnly" in session and "SameSite=Strict" in session and "Secure" not in session
    tls = create_app(settings, WebConfig(tls=True))
    client = tls.test_client()
    token = csrf_of(client.get("/login", base_url="https://localhost").get_data(as_text=True))
    # no Referer: browsers send none under Referrer-Policy: no-referrer, and sign-in must still work
    response = client.post("/login", base_url="https://localhost",
                           data={"username": "thuong", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    cookie = response.headers.getlist("Set-Cookie")
    assert cookie and all("Secure" in c for c in cookie)


def test_no_stack_trace_reaches_the_browser(web, monkeypatch, caplog):
    settings, app, docs = web
    client = sign_in(app, "thuong")

    def broken(*args, **kwargs):
        raise RuntimeError("internal-detail-xyz")

    monkeypatch.setattr(api, "search", broken)
    with caplog.at_level(logging.ERROR, logger="archsearch.web"):
        response = client.get("/", query_string={"q": QUERY})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Traceback" not in body and "internal-detail-xyz" not in body
    assert "internal-detail-xyz" in caplog.text  # logged server-side


def test_hostile_requests_get_a_clear_4xx_and_the_app_goes_on(web):
    settings, app, docs = web
    client = sign_in(app, "thuong")
    assert client.get("/", query_string={"q": "x" * 1_000_000}).status_code == 414
    assert client.get("/?" + "&".join(f"p{i}=1" for i in range(10_000))).status_code == 400
    assert client.get("/?q=%ff%fe").status_code == 400
    assert client.get("/doc/%ff%fe").status_code == 400
    assert client.get("/doc/..%2F..%2F..%2Fetc%2Fpasswd/original").status_code == 404
    assert client.get("/doc/../../etc/passwd/original").status_code in (404, 308)
    big = io.BytesIO(b"0" * (WebConfig().max_upload_bytes + 1024))
    response = client.post("/export/verify", data={"bundle": (big, "x.zip"), "csrf_token": page_token(client)},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert client.post("/similar", data={"text": "x" * 2_000_000, "csrf_token": page_token(client)}).status_code == 413
    assert client.get("/", query_string={"q": QUERY}).status_code == 200


def test_throttling_over_http_refuses_even_the_right_password_with_the_same_message(web):
    settings, app, docs = web
    client = app.test_client()
    messages = set()
    for password in ["sai-1", "sai-2", "sai-3", "sai-4", "sai-5", PASSWORD]:
        token = csrf_of(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"username": "thuong", "password": password, "csrf_token": token})
        assert response.status_code == 401
        messages.add(response.get_data(as_text=True))
    assert len(messages) == 1  # locked out or wrong: the page cannot tell


def test_sso_header_is_honoured_only_from_the_trusted_proxy(web):
    settings, app, docs = web
    sso = create_app(settings, WebConfig(trusted_proxy="10.9.9.9", user_header="X-Remote-User"))
    from_proxy = sso.test_client().get("/", query_string={"q": QUERY}, headers={"X-Remote-User": "toimat"},
                                       environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert from_proxy.status_code == 200 and 'class="user">toimat' in from_proxy.get_data(as_text=True)
    elsewhere = sso.test_client().get("/", query_string={"q": QUERY}, headers={"X-Remote-User": "toimat"},
                                      environ_base={"REMOTE_ADDR": "10.9.9.8"})
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"].endswith("/login")
    # without --trusted-proxy the header means nothing, even from that address
    plain = app.test_client().get("/", headers={"X-Remote-User": "toimat"}, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert plain.status_code == 302
    accounts.set_disabled(settings, "toimat", True)
    assert sso.test_client().get("/", headers={"X-Remote-User": "toimat"},
                                 environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 302


def test_disabling_ends_a_live_session_at_the_next_request(web):
    settings, app, docs = web
    client = sign_in(app, "mat")
    assert client.get("/").status_code == 200
    accounts.set_disabled(settings, "mat", True)
    assert client.get("/").status_code == 302
    accounts.set_disabled(settings, "mat", False)
    assert client.get("/").status_code == 302  # enabling does not bring the session back


def test_logout_ends_the_session_server_side(web):
    settings, app, docs = web
    client = sign_in(app, "mat")
    cookie = client.get_cookie("archsearch_session").value
    client.post("/logout", data={"csrf_token": page_token(client)})
    replay = app.test_client()
    replay.set_cookie("archsearch_session", cookie)
    assert replay.get("/").status_code == 302


def test_healthz_answers_without_signing_in_and_says_nothing(web):
    settings, app, docs = web
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"


class _Fake:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_access_log_has_no_query_string_or_body(caplog):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = AccessLogger(config)
    logger.access_log.addHandler(handler := logging.StreamHandler(stream := io.StringIO()))
    logger.access_log.setLevel(logging.INFO)
    request = _Fake(method="GET", path="/", query="q=t%C3%AAn+m%E1%BA%ADt", uri="/?q=t%C3%AAn+m%E1%BA%ADt")
    logger.access(_Fake(status="200 OK"), request, {"archsearch.user": "hoa", "QUERY_STRING": request.query},
                  dt.timedelta(milliseconds=12))
    line = stream.getvalue()
    assert "GET / 200" in line and "user=hoa" in line and "q=" not in line and "%C3" not in line
    logger.access_log.removeHandler(handler)


def test_serve_refuses_plain_http_off_loopback_unless_insecure_http():
    assert check_options(ServeOptions(bind="127.0.0.1:8080")) == []
    with pytest.raises(UsageError):
        check_options(ServeOptions(bind="0.0.0.0:8080"))
    assert "WARNING" in check_options(ServeOptions(bind="0.0.0.0:8080", insecure_http=True))[0]
    with pytest.raises(UsageError):
        check_options(ServeOptions(bind="127.0.0.1:8080", trusted_proxy="10.0.0.1"))


def test_gunicorn_runs_without_a_control_socket_and_with_bounded_request_lines():
    from archsearch.web.server import gunicorn_config

    config = gunicorn_config(ServeOptions(workers=2))
    assert config["workers"] == 2 and config["bind"] == ["127.0.0.1:8080"]
    assert config["limit_request_line"] <= 8190 and config["limit_request_fields"] <= 100
    assert config.get("control_socket_disable", True) is True
    assert config["logger_class"] is AccessLogger


def test_an_account_disabled_in_the_registry_alone_is_refused_at_the_next_request(web):
    """The account is read on every request: a registry changed without going through
    set_disabled (by hand, by another tool) still ends the session, and a removed user too."""
    from archsearch.trust.users import UserRegistry

    settings, app, docs = web
    client = sign_in(app, "mat")
    assert client.get("/").status_code == 200
    UserRegistry(settings.index_dir).update_account("mat", lambda entry: entry.__setitem__("disabled", True))
    assert client.get("/").status_code == 302
    other = sign_in(app, "toimat")
    registry = UserRegistry(settings.index_dir)
    with registry._locked():
        data = registry._load()
        del data["toimat"]
        registry._save(data)
    assert other.get("/").status_code == 302
