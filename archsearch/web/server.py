"""`archsearch serve`: the web app under gunicorn, started from the command itself.

Pre-fork worker processes (the search is CPU-bound Python), TLS when a certificate is given,
and an access log that records method, path (never the query string), status, time and user
only: search words can be classified themselves, and the audit log is where queries go.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.config import Config
from gunicorn.glogging import Logger

from archsearch import api
from archsearch.config import is_loopback_host
from archsearch.config import Settings
from archsearch.errors import IndexStateError, UsageError
from archsearch.web import create_app
from archsearch.web.config import WebConfig
from archsearch.web.server_env import USER_ENVIRON



@dataclass(frozen=True)
class ServeOptions:
    bind: str = "127.0.0.1:8080"
    workers: int | None = None
    certfile: Path | None = None
    keyfile: Path | None = None
    insecure_http: bool = False
    trusted_proxy: str | None = None
    user_header: str | None = None
    idle_minutes: int = 15
    session_hours: int = 8


def split_bind(bind: str) -> tuple[str, int]:
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise UsageError(f"--bind {bind!r}: use HOST:PORT, e.g. 127.0.0.1:8080")
    return host.strip("[]"), int(port)


def check_options(options: ServeOptions) -> list[str]:
    """Refuse unsafe combinations; returns warnings to print."""
    host, _port = split_bind(options.bind)
    tls = options.certfile is not None or options.keyfile is not None
    if tls and (options.certfile is None or options.keyfile is None):
        raise UsageError("TLS needs both --certfile and --keyfile")
    if (options.trusted_proxy is None) != (options.user_header is None):
        raise UsageError("single sign-on needs both --trusted-proxy ADDR and --user-header NAME")
    warnings = []
    if not tls and not is_loopback_host(host):
        if not options.insecure_http:
            raise UsageError(f"{host} is reachable from the network and no --certfile/--keyfile was given: "
                             "passwords and documents would cross the LAN in clear. Give a certificate, "
                             "or --insecure-http to accept that")
        warnings.append(f"WARNING: serving plain HTTP on {host}: passwords and documents cross the network unencrypted")
    return warnings


class AccessLogger(Logger):
    """Gunicorn's logger with an access line of our own: no query string, no body, no headers."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        millis = request_time.seconds * 1000 + request_time.microseconds / 1000
        status = str(resp.status).split(" ", 1)[0]
        user = environ.get(USER_ENVIRON) or "-"
        self.access_log.info("%s %s %s %s %.0fms user=%s", time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                             req.method, req.path, status, millis, user)


class _Application(BaseApplication):
    def __init__(self, app, config: dict):
        self._app = app
        self._config = config
        super().__init__()

    def load_config(self):
        for key, value in self._config.items():
            self.cfg.set(key, value)

    def load(self):
        return self._app


def gunicorn_config(options: ServeOptions) -> dict:
    config = {
        "bind": [options.bind],
        "workers": options.workers or os.cpu_count() or 1,
        "worker_class": "sync",
        "timeout": 120,
        # On a stop, a worker held by a client that opened a connection and sent nothing (a TLS
        # handshake never finished) is killed after 10 s rather than gunicorn's 30: a page
        # takes well under a second, and a service restart should not hang on an idle client.
        "graceful_timeout": 10,
        "logger_class": AccessLogger,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        # Bounded requests: a 1 MB URL or 10,000 headers is refused by gunicorn itself (4xx).
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "proc_name": "archsearch-serve",
        "forwarded_allow_ips": options.trusted_proxy or "127.0.0.1",
    }
    if "control_socket_disable" in Config().settings:
        # gunicorn >= 25 opens a control socket (worker count, reload, shutdown) in $HOME by
        # default: nothing the service needs, and a service account may have no home.
        config["control_socket_disable"] = True
    if options.certfile:
        config.update(certfile=str(options.certfile), keyfile=str(options.keyfile))
    return config


def serve(settings: Settings, options: ServeOptions) -> None:
    for warning in check_options(options):
        print(warning, file=sys.stderr)
    web = WebConfig(tls=options.certfile is not None, trusted_proxy=options.trusted_proxy,
                    user_header=options.user_header, idle_seconds=options.idle_minutes * 60,
                    absolute_seconds=options.session_hours * 3600)
    app = create_app(settings, web)
    started = time.perf_counter()
    try:
        covered = api.warm_search_caches(settings)  # before the fork: every worker starts with them
    except IndexStateError as error:  # nothing indexed yet: the pages say so
        print(f"archsearch: {error}", file=sys.stderr, flush=True)
    else:
        print(f"archsearch: facet values of {covered:,} document(s) read in {time.perf_counter() - started:.1f} s",
              file=sys.stderr, flush=True)
    scheme = "https" if web.tls else "http"
    print(f"archsearch: serving {settings.index_dir} on {scheme}://{options.bind}/", file=sys.stderr, flush=True)
    logging.getLogger("archsearch.web").setLevel(logging.INFO)
    _Application(app, gunicorn_config(options)).run()
