"""`archsearch serve` as a process: hostile requests on the wire get a 4xx and the workers go
on; the access log holds no query string (checked when the server fixture stops)."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import socket
import ssl
import subprocess
import urllib.parse
import urllib.request

import pytest

from tests.test_web_browser import server, serving, web_home  # noqa: F401  (fixtures: a served index)
from tests.web_support import PASSWORD, fast_hashes  # noqa: F401


def _raw(url: str, request_line: bytes) -> int:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def test_hostile_requests_on_the_wire(server):  # noqa: F811
    settings, url, tmp_path = server
    assert 400 <= _raw(url, b"GET /?q=" + b"x" * 1_000_000 + b" HTTP/1.1") < 500
    assert 400 <= _raw(url, b"GET /?" + b"&".join(b"p%d=1" % i for i in range(10_000)) + b" HTTP/1.1") < 500
    assert _raw(url, b"GET /doc/\xff\xfe HTTP/1.1") == 400
    assert _raw(url, b"GET /doc/%ff%fe HTTP/1.1") == 400
    assert _raw(url, b"GET /doc/..%2F..%2Fetc%2Fpasswd/original HTTP/1.1") in (302, 404)  # not signed in: login
    assert _raw(url, b"POST /login HTTP/1.1\r\nContent-Length: 99999999999") in (400, 413)
    with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
        assert response.read() == b"ok\n"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")
def test_tls_serves_with_secure_cookies_and_sign_in_works_without_a_referer(web_home, tmp_path):  # noqa: F811
    settings = web_home
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    with serving(settings, tmp_path, "--certfile", str(cert), "--keyfile", str(key), scheme="https") as url:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()),
                                             urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(url + "/login", timeout=20).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": "thuong", "password": PASSWORD, "csrf_token": token}).encode()
        signed_in = opener.open(url + "/login", data=data, timeout=20).read().decode()
        assert 'class="user">thuong' in signed_in
        assert {c.name: c.secure for c in jar} == {"archsearch_session": True, "archsearch_csrf": True}
