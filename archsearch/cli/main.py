"""The command line: parse options, call one API function, render. No logic lives here.

stdout carries only the result (text, or JSON with --json); progress and errors go to stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

import click

from archsearch import api
from archsearch.cli import render
from archsearch.config import Settings
from archsearch.errors import ArchsearchError, ExitCode, UsageError
from archsearch.engine.filters import SearchFilters
from archsearch.levels import Level, parse_level
from archsearch.engine.searcher import SORTS


def _settings(ctx: click.Context, **overrides) -> Settings:
    return Settings.from_env(ctx.obj.get("index_dir"), **overrides)


def _emit_json(value) -> None:
    click.echo(render.terminal_json(value))


def _echo(line: str, err: bool = False) -> None:
    """One line of text holding names or values from documents and files: made printable
    (render.printable) so that it cannot drive the terminal it is printed on."""
    click.echo(render.printable(line), err=err)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")(func)


def user_option(func):
    return click.option("--user", "user", metavar="NAME", help="Registered user to act as (default: your OS account).")(func)


class LevelType(click.ParamType):
    name = "LEVEL"

    def convert(self, value, param, ctx):
        if isinstance(value, Level):
            return value
        try:
            return parse_level(value)
        except ArchsearchError as error:
            self.fail(str(error), param, ctx)


class Group(click.Group):
    """Turns library errors into a message on stderr and the error's exit code."""

    def parse_args(self, ctx, args):
        # Bytes that are not UTF-8 reach click as lone surrogates, which no file, audit record
        # or terminal can take: refuse them here, before anything is read or written.
        for arg in args:
            if any("\ud800" <= c <= "\udfff" for c in arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise click.UsageError(f"the argument {render.printable(shown)} is not valid UTF-8: retype it "
                                       "(or give a directory that contains the file)", ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchsearchError as error:
            _echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except click.ClickException as error:
            # click repeats a bad value in its message: a file name from a glob can carry escapes
            error.message = render.printable(error.message)
            raise


@click.group(cls=Group)
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Index home (default: $ARCHSEARCH_INDEX_DIR, else ./indexes).",
)
@click.version_option(package_name="archsearch")
@click.pass_context
def main(ctx: click.Context, index_dir: Path | None) -> None:
    """Search a Vietnamese classified archive, within each user's clearance.

    \b
    Example:
      archsearch index sample_docs
      archsearch users add hoa --clearance "tối mật"
      archsearch search "bảo quản vũ khí" --user hoa
    """
    ctx.ensure_object(dict)
    ctx.obj["index_dir"] = index_dir


class IndexProgress:
    """Progress of an indexing run on stderr: a live bar in a terminal, a quiet line every
    ten seconds otherwise; failures always get their own line."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self.started = time.monotonic()
        self.last_line = 0.0

    def __call__(self, event) -> None:
        if event.kind == "start":
            self._line(f"archsearch: {event.detail}")
        elif event.kind == "failed":
            self._line(f"FAILED {event.path}: {event.detail}")
        elif event.kind in ("moved", "removed"):
            self._line(f"{event.kind} {event.path} {event.detail}".rstrip())
        elif event.kind in ("indexed", "unchanged", "commit") and event.total:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            rate = event.done / elapsed
            eta = (event.total - event.done) / rate if rate else 0
            status = (f"[{event.done}/{event.total}] {event.pages} pages, {rate:.1f} files/s, "
                      f"ETA {eta:.0f} s  {Path(event.path).name if event.path else ''}")
            status = render.printable(status)
            if self.interactive:
                width = shutil.get_terminal_size((100, 20)).columns - 1
                self.stream.write("\r" + status[:width].ljust(width))
                self.stream.flush()
            elif time.monotonic() - self.last_line >= 10 or event.done == event.total:
                self._line(status)

    def _line(self, text: str) -> None:
        if self.interactive:
            self.stream.write("\r" + " " * (shutil.get_terminal_size((100, 20)).columns - 1) + "\r")
        self.stream.write(render.printable(text) + "\n")
        self.stream.flush()
        self.last_line = time.monotonic()


@main.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--default-classification",
    type=LevelType(),
    default="unclassified",
    show_default=True,
    help="Level of documents with no declared level and no stamp.",
)
@click.option("--collection", help="Collection name (default: the directory's name).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: number of cores).")
@click.option("--full", is_flag=True, help="Rebuild everything into a new index, swapped in when complete.")
@click.option("--prune", is_flag=True, help="Remove documents whose files are gone from the scanned directories.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write every failure and warning as JSON lines to this file.")
@click.option("--cluster", "cluster_address", metavar="ADDRESS", envvar="ARCHSEARCH_CLUSTER",
              help="Extract on this Dask scheduler's workers (tls://HOST:8786; default $ARCHSEARCH_CLUSTER).")
@click.option("--cluster-tls", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Directory holding ca.pem, client.pem, client-key.pem for a tls:// cluster.")
@click.option("--shared-root", metavar="LOCAL=REMOTE", help="Workers open files under LOCAL at REMOTE on their own mount instead of receiving the bytes.")
@click.option("--insecure-cluster", is_flag=True, help="Allow tcp:// to a non-loopback scheduler (text crosses the network in clear).")
@json_option
@click.pass_context
def index_command(ctx, paths, default_classification, collection, jobs, full, prune, report,
                  cluster_address, cluster_tls, shared_root, insecure_cluster, as_json):
    """Index files and directories (recursively) into the index home.

    Only new and changed files are read again (unchanged ones are skipped by size, time and
    content hash); extracted text is cached, so nothing is OCR'd twice. Each file's failure is
    reported with its reason and the rest are indexed; the exit code is 1 when any file failed.

    \b
    Example:
      archsearch index sample_docs --default-classification mat
      archsearch index /kho/2024 --prune --report loi.jsonl
      archsearch index /kho/scan --cluster tls://10.0.0.5:8786 --cluster-tls /etc/archsearch/tls
    """
    settings = _settings(ctx, **({"jobs": jobs} if jobs else {}))
    cluster = None
    if cluster_address:
        cluster = api.ClusterOptions(cluster_address, cluster_tls, insecure=insecure_cluster,
                                     shared_root=api.parse_shared_root(shared_root) if shared_root else None)
    elif cluster_tls or shared_root or insecure_cluster:
        raise UsageError("--cluster-tls, --shared-root and --insecure-cluster need --cluster ADDRESS")
    summary = api.index(settings, list(paths), default_classification, collection, IndexProgress(), full=full,
                        prune=prune, report=report, cluster=cluster)
    if as_json:
        _emit_json(summary.to_json())
    for warning in summary.warnings:
        _echo(f"warning {warning['path']}: {warning['warning']}", err=True)
    extras = [f"{n} {label}" for n, label in [(summary.moved, "moved"), (summary.removed, "removed"),
                                               (len(summary.missing), "missing (use --prune)")] if n]
    click.echo(
        f"indexed {summary.indexed}, unchanged {summary.unchanged}, failed {summary.failed}, "
        f"{summary.seconds:.1f} s" + ("".join(f", {e}" for e in extras)),
        err=as_json,
    )
    if summary.cluster:
        per_worker = ", ".join(f"{worker} {n}" for worker, n in sorted(summary.workers.items())) or "none"
        click.echo(f"extracted on {summary.cluster['address']}: {per_worker}", err=as_json)
    if summary.failed:
        ctx.exit(ExitCode.FAILURES)


def filter_options(func):
    """--from/--to, --type, --issuer, --collection, --level: applied inside the search."""
    options = [
        click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Only documents dated on or after this day."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Only documents dated on or before this day."),
        click.option("--type", "doc_type", metavar="TYPE", help='Only this document type ("Quyết định", "QĐ").'),
        click.option("--issuer", metavar="BODY", help='Only this issuing body ("Bộ Quốc phòng", "BQP").'),
        click.option("--collection", metavar="NAME", help="Only this collection."),
        click.option("--level", "levels", type=LevelType(), multiple=True,
                     help="Only this level (repeatable; narrows within your clearance, never widens)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(date_from, date_to, doc_type, issuer, collection, levels) -> SearchFilters:
    return SearchFilters(collection=collection, date_from=date_from, date_to=date_to, doc_type=doc_type,
                         levels=tuple(levels), issuer=issuer)


def color_option(func):
    return click.option("--no-color", "no_color", is_flag=True,
                        help="Plain text even in a terminal (also when NO_COLOR is set).")(func)


def _use_color(no_color: bool) -> bool:
    return (not no_color and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
            and sys.stdout.isatty())


def _show(lines: list[str], color: bool) -> None:
    """Print the result; through the user's pager ($PAGER, else less) when stdout is a terminal
    and the text is longer than the screen, like `git log`."""
    text = "\n".join(lines)
    if sys.stdout.isatty() and sys.stdin.isatty() and len(text.splitlines()) >= shutil.get_terminal_size((80, 24)).lines:
        # color=None lets click keep colours for less (it adds LESS=-R when LESS is unset)
        # and strip them for a pager that would show the escapes as text.
        click.echo_via_pager(text + "\n", color=None if color else False)
    else:
        click.echo(text, color=color)


@main.command("search")
@click.argument("query")
@user_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of --limit hits.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="relevance, date (oldest first), -date (newest first) or number (số ký hiệu); undated last.")
@filter_options
@click.option("--facets", is_flag=True, help="Also count the matches by year, type, issuing body and level.")
@click.option("--explain", is_flag=True, help="Print the parsed query and the scope to apply; do not search.")
@color_option
@json_option
@click.pass_context
def search_command(ctx, query, user, limit, page, sort, date_from, date_to, doc_type, issuer, collection, levels,
                   facets, explain, no_color, as_json):
    """Search the documents you are cleared to see, best first.

    Filters work inside the search like your clearance, so totals, pages and facets count only
    documents you may see. In a terminal, hits are coloured by level and long output goes
    through your pager.

    \b
    Example:
      archsearch search "cong nghiep quoc phong" --user hoa --limit 5
      archsearch search 821/QĐ-BQP --json
      archsearch search "kho đạn" --from 2015-01-01 --type QĐ --sort -date --facets
      archsearch search "kho đạn" --issuer BQP --level mat --page 2 --explain
    """
    filters = _filters(date_from, date_to, doc_type, issuer, collection, levels)
    if explain:
        plan = api.explain(_settings(ctx), query, user=user, filters=filters, sort=sort)
        if as_json:
            _emit_json({"explain": plan})
        else:
            _show(render.explain_lines(plan), color=False)
        return
    result = api.search(_settings(ctx), query, user=user, limit=limit, offset=(page - 1) * limit,
                        filters=filters, sort=sort, facets=facets)
    if as_json:
        _emit_json(result.to_json())
        return
    color = _use_color(no_color)
    _show(render.search_lines(result, color, page), color)


@main.command("similar")
@click.argument("doc_id", metavar="ID", required=False)
@click.option("--text", "text_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE",
              help="Find documents like this text (a draft) instead of a document ID.")
@user_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True)
@color_option
@json_option
@click.pass_context
def similar_command(ctx, doc_id, text_file, user, limit, no_color, as_json):
    """Documents like a document you may see (itself excluded), or like a text file.

    A document you may not see is reported exactly like one that does not exist.

    \b
    Example:
      archsearch similar 3f2a9c1d0b7e --user hoa --limit 5
      archsearch similar --text du-thao.txt --json
    """
    if (doc_id is None) == (text_file is None):
        raise UsageError("give a document ID or --text FILE (one of them)")
    text = None
    if text_file is not None:
        text = api.read_draft(_settings(ctx), text_file)
    result = api.similar(_settings(ctx), doc_id, user=user, limit=limit, text=text,
                         text_name=text_file.name if text_file else None)
    if as_json:
        _emit_json(result.to_json())
        return
    color = _use_color(no_color)
    _show(render.similar_lines(result, color, doc_id or str(text_file)), color)


@main.command("show")
@click.argument("doc_id", metavar="ID")
@click.option("--article", "article", type=click.IntRange(1, 999), metavar="N",
              help="Only Điều N of the document (its first Điều N, in text order).")
@click.option("--clause", "clause", type=click.IntRange(1, 99), metavar="M",
              help="With --article: only khoản M of it.")
@user_option
@json_option
@click.pass_context
def show_command(ctx, doc_id, article, clause, user, as_json):
    """Show one document's metadata and text (or one article of it).

    \b
    Example:
      archsearch show 3f2a9c1d0b7e --user hoa
      archsearch show 3f2a9c1d0b7e --article 5 --clause 2 --user hoa
    """
    if clause is not None and article is None:
        raise click.UsageError("--clause needs --article")
    doc = api.show(_settings(ctx), doc_id, user=user, article=article, clause=clause)
    if as_json:
        _emit_json(doc.to_json())
        return
    click.echo(render.document_text(doc))


@main.command("status")
@json_option
@click.pass_context
def status_command(ctx, as_json):
    """Documents per level, collection and type, OCR'd pages, sizes and the last run.

    \b
    Example:
      archsearch status --json
    """
    report = api.status(_settings(ctx))
    if as_json:
        _emit_json(report)
        return
    for line in render.status_lines(report):
        _echo(line)


@main.group("cache")
def cache_group():
    """The extraction cache (text and OCR output by content hash)."""


@cache_group.command("clear")
@json_option
@click.pass_context
def cache_clear(ctx, as_json):
    """Empty the extraction cache (the next run extracts and OCRs again).

    \b
    Example:
      archsearch cache clear
    """
    before = api.cache_clear(_settings(ctx))
    if as_json:
        _emit_json(before)
    else:
        click.echo(f"removed {before['entries']} cached extractions ({before['bytes'] / 2**20:.1f} MiB)")


@main.group("cluster")
def cluster_group():
    """Extraction on a Dask cluster (index --cluster)."""


@cluster_group.command("certs")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", "hosts", multiple=True, metavar="NAME", help="Host name or address to put in the node certificate (repeatable).")
@json_option
def cluster_certs(directory, hosts, as_json):
    """Make a CA, a scheduler/worker certificate and an indexer (client) certificate for
    mutual TLS in DIRECTORY (0700, files 0600). Give node.pem, node-key.pem and ca.pem to the
    scheduler and workers; keep ca-key.pem off the cluster.

    \b
    Example:
      archsearch cluster certs /etc/archsearch/tls --host scheduler.kho.lan
    """
    written = api.make_cluster_certificates(directory, list(hosts))
    if as_json:
        _emit_json({"directory": str(directory), "files": [str(path) for path in written]})
    else:
        for path in written:
            click.echo(str(path))


@main.group("users")
def users_group():
    """Manage the users who may search, and their clearance."""


@users_group.command("add")
@click.argument("name")
@click.option("--clearance", required=True, metavar="LEVEL", help="unclassified, confidential (mật), secret (tối mật), top-secret (tuyệt mật) or none.")
@click.option("--compartment", "compartments", multiple=True, metavar="C", help="A compartment the user holds (repeatable).")
@json_option
@click.pass_context
def users_add(ctx, name, clearance, compartments, as_json):
    """Register a user, or change an existing user's clearance.

    \b
    Example:
      archsearch users add hoa --clearance "tối mật" --compartment CNQP-A
    """
    user = api.add_user(_settings(ctx), name, clearance, list(compartments))
    if as_json:
        _emit_json(user.to_json())
    else:
        _echo(f"user {user.name}: clearance {user.to_json()['clearance']}, compartments {', '.join(sorted(user.compartments)) or '-'}")


@users_group.command("list")
@json_option
@click.pass_context
def users_list(ctx, as_json):
    """List registered users and their clearance.

    \b
    Example:
      archsearch users list --json
    """
    users = api.list_users(_settings(ctx))
    if as_json:
        _emit_json([u.to_json() for u in users])
        return
    for user in users:
        data = user.to_json()
        _echo(f"{data['name']:<20} {data['clearance']:<13} {', '.join(data['compartments'])}")


@users_group.command("passwd")
@click.argument("name")
@click.option("--one-time", is_flag=True, help="Print a one-time password to be changed at the first sign-in.")
@click.pass_context
def users_passwd(ctx, name, one_time):
    """Set a user's web password (asked twice), or print a one-time one. Ends their sessions.

    \b
    Example:
      archsearch users passwd hoa --one-time
    """
    from archsearch.trust import accounts

    password = None if one_time else click.prompt("Mật khẩu mới / new password", hide_input=True,
                                                  confirmation_prompt=True, err=True)
    printed = accounts.set_password(_settings(ctx), name, password)
    if printed:
        click.echo(f"one-time password for {name} (must be changed at the first sign-in): {printed}")
    else:
        click.echo(f"password of {name} set", err=True)


@users_group.command("disable")
@click.argument("name")
@click.pass_context
def users_disable(ctx, name):
    """Refuse a user's sign-ins and API tokens; their web sessions end at the next request.

    \b
    Example:
      archsearch users disable hoa
    """
    from archsearch.trust import accounts

    accounts.set_disabled(_settings(ctx), name, True)
    click.echo(f"user {name} disabled", err=True)


@users_group.command("enable")
@click.argument("name")
@click.pass_context
def users_enable(ctx, name):
    """Allow a disabled user to sign in again.

    \b
    Example:
      archsearch users enable hoa
    """
    from archsearch.trust import accounts

    accounts.set_disabled(_settings(ctx), name, False)
    click.echo(f"user {name} enabled", err=True)


@users_group.command("admin")
@click.argument("name")
@click.option("--remove", is_flag=True, help="Take the right away.")
@click.pass_context
def users_admin(ctx, name, remove):
    """Let a user use the web administration pages (users, status, audit), or --remove it.

    \b
    Example:
      archsearch users admin lan
    """
    from archsearch.trust import accounts

    accounts.set_admin(_settings(ctx), name, not remove)
    click.echo(f"user {name}: web administrator {'no' if remove else 'yes'}", err=True)


@users_group.command("token")
@click.argument("name")
@click.option("--revoke", "revoke", metavar="ID", help="Revoke the token with this id instead.")
@click.option("--list", "list_only", is_flag=True, help="List the ids of the user's tokens.")
@click.pass_context
def users_token(ctx, name, revoke, list_only):
    """Issue an API token for NAME (printed once, stored hashed), list or revoke tokens.

    Programs send it as `Authorization: Bearer TOKEN` to the web server's /api/.

    \b
    Example:
      archsearch users token hoa
      archsearch users token hoa --revoke 1a2b3c4d
    """
    from archsearch.trust import accounts

    settings = _settings(ctx)
    if list_only:
        for token in accounts.list_tokens(settings, name):
            click.echo(f"{token['id']}  created {token['created']}")
    elif revoke:
        accounts.revoke_token(settings, name, revoke)
        click.echo(f"token {revoke} of {name} revoked", err=True)
    else:
        token_id, token = accounts.issue_token(settings, name)
        click.echo(f"token {token_id} for {name} (shown once):", err=True)
        click.echo(token)


@main.group("audit")
def audit_group():
    """Read and check the audit trail of searches, shows and exports (index owner only)."""


@audit_group.command("verify")
@json_option
@click.pass_context
def audit_verify(ctx, as_json):
    """Check the hash chain of the audit log; exit 1 and name the line where it breaks.

    \b
    Example:
      archsearch audit verify
    """
    checked, broken = api.audit_verify(_settings(ctx))
    if as_json:
        _emit_json({"records": checked, "ok": broken is None,
                    "break": None if broken is None else {"line": broken.line, "reason": broken.reason}})
    elif broken is None:
        click.echo(f"audit log intact: {checked} records")
    else:
        _echo(f"audit log BROKEN at line {broken.line}: {broken.reason} ({checked} records verified before it)")
    if broken is not None:
        ctx.exit(ExitCode.FAILURES)


@audit_group.command("show")
@click.option("--user", "user", metavar="NAME", help="Only this archsearch user's records.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="Only records from this date (UTC).")
@json_option
@click.pass_context
def audit_show(ctx, user, since, as_json):
    """List audit records: who read what, when, at what clearance.

    \b
    Example:
      archsearch audit show --user hoa --since 2026-01-01 --json
    """
    since = since.replace(tzinfo=dt.timezone.utc) if since else None
    records = api.audit_records(_settings(ctx), user=user, since=since)
    if as_json:
        _emit_json(records)
        return
    for record in records:
        ids = ",".join(record.get("ids") or []) or "-"
        _echo(
            f"{record['seq']:>6} {record['time']} {record['os_account']}->{record['user']} "
            f"[{record['clearance']}] {record['command']} {record.get('query', '')!r} ids={ids}"
            + (f" file={record['export_file']} sha256={record['export_sha256']}" if record.get("export_file") else "")
        )


@main.group("saved")
def saved_group():
    """Your saved searches: a name for a query and its filters, run again with your current clearance."""


@saved_group.command("add")
@click.argument("name")
@click.argument("query")
@user_option
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@filter_options
@json_option
@click.pass_context
def saved_add(ctx, name, query, user, sort, date_from, date_to, doc_type, issuer, collection, levels, as_json):
    """Save a search (query, filters, sort) under NAME; an existing NAME is replaced.

    Only what you typed is saved, never your clearance: `saved run` searches with the clearance
    you hold when you run it.

    \b
    Example:
      archsearch saved add kho-dan "kho đạn" --user hoa --from 2015-01-01 --type QĐ --sort -date
    """
    entry = api.saved_add(_settings(ctx), name, query, user=user,
                          filters=_filters(date_from, date_to, doc_type, issuer, collection, levels), sort=sort)
    if as_json:
        _emit_json(entry)
    else:
        _echo("saved " + render.saved_lines([entry])[0])


@saved_group.command("run")
@click.argument("name")
@user_option
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--facets", is_flag=True, help="Also count the matches by year, type, issuing body and level.")
@color_option
@json_option
@click.pass_context
def saved_run(ctx, name, user, limit, page, facets, no_color, as_json):
    """Run a saved search now, with your current clearance (audited like a search).

    \b
    Example:
      archsearch saved run kho-dan --user hoa --facets
    """
    result = api.saved_run(_settings(ctx), name, user=user, limit=limit, offset=(page - 1) * limit, facets=facets)
    if as_json:
        _emit_json(result.to_json())
        return
    color = _use_color(no_color)
    _show(render.search_lines(result, color, page), color)


@saved_group.command("list")
@user_option
@json_option
@click.pass_context
def saved_list(ctx, user, as_json):
    """List your saved searches.

    \b
    Example:
      archsearch saved list --user hoa
    """
    entries = api.saved_list(_settings(ctx), user=user)
    if as_json:
        _emit_json(entries)
    else:
        for line in render.saved_lines(entries):
            _echo(line)


class _ExportCommand(click.Command):
    """`export [QUERY] ...` itself, except that `export verify ...` runs the verify subcommand
    (a query that is literally "verify" goes after the options and `--`)."""

    subcommands: dict[str, click.Command] = {}

    def parse_args(self, ctx, args):
        if args and args[0] in self.subcommands:
            ctx.meta["export_subcommand"] = (args[0], list(args[1:]))
            return []
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        if "export_subcommand" in ctx.meta:
            name, args = ctx.meta.pop("export_subcommand")
            command = self.subcommands[name]
            # Parent is the top-level context, so usage reads "archsearch export verify".
            with command.make_context(f"{ctx.info_name} {name}", args, parent=ctx.parent) as sub:
                return command.invoke(sub)
        return super().invoke(ctx)

    def format_commands_section(self, formatter):
        rows = [(name, cmd.get_short_help_str()) for name, cmd in self.subcommands.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def format_help(self, ctx, formatter):
        super().format_help(ctx, formatter)
        self.format_commands_section(formatter)


@main.command("export", cls=_ExportCommand)
@click.argument("query", required=False)
@user_option
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="Output file; the highest level is added before the extension (bundle.TOI-MAT.zip).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "zip"]), help="Default: from the extension of --out.")
@filter_options
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@json_option
@click.pass_context
def export_command(ctx, query, user, out, fmt, date_from, date_to, doc_type, issuer, collection, levels, force, as_json):
    """Export every matching document you may see, for an audit (csv, jsonl or zip bundle).

    With no QUERY, every document you may see (narrowed by the filters). The final path,
    which carries the highest level in the export, is printed on stdout; progress and
    warnings go to stderr. Exit 1 when a source file had changed or vanished since indexing
    (its original is left out of the bundle and listed in the cover).

    \b
    Example:
      archsearch export "kho đạn" --user hoa --from 2015-01-01 --to 2020-12-31 --out kiem-tra.zip
      archsearch export --user hoa --collection quyet-dinh --out danh-muc.csv
      archsearch export verify kiem-tra.TOI-MAT.zip
    """
    interactive = sys.stderr.isatty()

    def progress(step) -> None:
        if step.event == "warning":
            _echo(f"warning {step.detail}", err=True)
        elif step.event == "document" and (interactive or step.done % 500 == 0):
            _echo(f"exported {step.done} {step.detail}", err=True)

    filters = _filters(date_from, date_to, doc_type, issuer, collection, levels)
    result = api.export(_settings(ctx), query, user=user, out=out, fmt=fmt, filters=filters, force=force,
                        progress=progress)
    level = result.highest_level
    click.echo(
        f"exported {result.count} document(s), highest level {level.id if level is not None else '-'}"
        + (f" ({level.vietnamese})" if level is not None else "") + f", sha256 {result.sha256}",
        err=True,
    )
    if as_json:
        _emit_json(result.to_json())
    else:
        _echo(str(result.path))
    if result.warnings:
        ctx.exit(ExitCode.FAILURES)


@click.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def export_verify(ctx, bundle, as_json):
    """Check an export bundle: recompute every member's SHA-256 against EXPORT.json and name
    missing, extra or altered members; exit 1 on any problem. Needs no index.

    Compare the printed bundle SHA-256 with `export_sha256` in `archsearch audit show`.

    \b
    Example:
      archsearch export verify kiem-tra.TOI-MAT.zip
    """
    report = api.verify_export(bundle)
    if as_json:
        _emit_json(report.to_json())
    else:
        for name in report.missing:
            _echo(f"MISSING {name}")
        for name in report.extra:
            _echo(f"EXTRA   {name}")
        for item in report.altered:
            _echo(f"ALTERED {item['name']}: {item['reason']}")
        for problem in report.problems:
            _echo(f"PROBLEM {problem}")
        state = "OK" if report.ok else "FAILED"
        _echo(f"{state}: {report.checked} member(s) checked in {bundle}, bundle sha256 {report.sha256}")
    if not report.ok:
        ctx.exit(ExitCode.FAILURES)


_ExportCommand.subcommands = {"verify": export_verify}


@main.command("serve")
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

    serve(_settings(ctx), ServeOptions(bind=bind, workers=workers, certfile=certfile, keyfile=keyfile,
                                       insecure_http=insecure_http, trusted_proxy=trusted_proxy,
                                       user_header=user_header, idle_minutes=idle_minutes,
                                       session_hours=session_hours))


if __name__ == "__main__":
    main()
