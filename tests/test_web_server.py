"""`archsearch serve` as a process: hostile requests on the wire get a 4xx and the workers go
on; the access log holds no query string (checked when the server fixture stops)."""

from __future__ import annotations

import socket
import urllib.request

from tests.test_web_browser import server  # noqa: F401  (the fixture: a served index)


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
