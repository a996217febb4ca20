"""`archsearch serve`: the web front end (imported only when the command runs)."""

from __future__ import annotations

from pathlib import Path

import click

from archsearch.cli.options import ctx_settings


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT", help="Address to listen on.")
@click.option("--workers", type=click.IntRange(min=1), help="Server processes (default: number of cores).")
@click.option("--certfile", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="TLS certificate (PEM).")
@click.option("--keyfile", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="TLS private key (PEM).")
@click.option("--insecure-http", is_flag=True, help="Allow plain HTTP on a non-loopback address (passwords cross the LAN in clear).")
@click.option("--trusted-proxy", metavar="ADDR", help="Address of a reverse proxy that signs users in (SSO).")
@click.option("--user-header", metavar="NAME", help="Header carrying the signed-in user name, honoured from --trusted-proxy only.")
@click.option("--idle-minutes", type=click.IntRange(min=1), default=15, show_default=True, help="A session ends after this long unused.")
@click.option("--session-hours", type=click.IntRange(min=1), default=8, show_default=True, help="A session ends this long after sign-in.")
@click.pass_context
def serve_command(ctx, bind, workers, certfile, keyfile, insecure_http, trusted_proxy, user_header,
                  idle_minutes, session_hours):
    """Serve the web front end (search, documents, exports, administration) to signed-in users.

    Runs as the account that owns the index home; each user signs in with the password set by
    `archsearch users passwd`. A non-loopback address needs --certfile/--keyfile (or
    --insecure-http). Needs the web extra: pip install 'archsearch[web]'.

    \b
    Example:
      archsearch serve
      archsearch serve --bind 0.0.0.0:8443 --certfile cert.pem --keyfile key.pem --workers 4
    """
    from archsearch.web.server import ServeOptions, serve

    serve(ctx_settings(ctx), ServeOptions(bind=bind, workers=workers, certfile=certfile, keyfile=keyfile,
                                       insecure_http=insecure_http, trusted_proxy=trusted_proxy,
                                       user_header=user_header, idle_minutes=idle_minutes,
                                       session_hours=session_hours))



COMMANDS = (serve_command,)
